"""The forms of 'Amend this contact' (contacts.amendments): what to change, then one page a kind."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.contacts.forms import ContactForm, SubjectForm
from safehub.contacts.known import CORRECTABLE_CONTACT_FIELDS
from safehub.contacts.models import SUBJECT_FIELDS, ConsentAnswer, ConsentGiver, ConsentMethod, ContactSubject
from safehub.core.forms import GovukDateField, GovukForm, VersionForm, choice_field

NOT_CORRECTED_HERE = ("received_on", "received_time", "immediate_protection", "initial_rating")


class ChangeForm(GovukForm):
    """What the user wants to change: only what the contact's state allows is offered."""

    change = forms.ChoiceField(
        label="What do you want to change?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to change", "invalid_choice": "Select one of the changes"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["change"]).choices = choices


class AmendmentForm(VersionForm):
    """The version the user saw (a change since refuses the form) and a one-time key (sending the
    form twice makes one amendment)."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)


def _reason(label: str, hint: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required},
    )


class PersonForm(SubjectForm):
    """A person added to the contact, or one person's details corrected: the record-a-contact form's
    fields and checks, with why."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, reason: tuple[str, str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text, field.error_messages["required"] = reason

    def person(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SUBJECT_FIELDS}


ADD_REASON = (
    "How did you find out about them?",
    "For example: the school told us about a younger brother on 3 March.",
    "Enter how you found out about them",
)
CORRECT_REASON = (
    "Why are the details being corrected?",
    "For example: the referrer misspelt her name; the hospital confirmed the date of birth.",
    "Enter why the details are corrected",
)


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class RemovePersonForm(AmendmentForm):
    subject = PersonChoiceField(
        label="Who should not be on this contact?",
        queryset=ContactSubject.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person to remove", "invalid_choice": "Select someone listed"},
    )
    reason = _reason(
        "Why are you removing them?",
        "For example: named by mistake, they do not live in the household.",
        "Enter why they are being removed",
    )

    def __init__(self, *args: Any, people: list[ContactSubject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ModelChoiceField)  # noqa: S101 - declared above
        subject.queryset = ContactSubject.objects.filter(pk__in=[p.pk for p in people]).order_by("order")


class CorrectContactForm(ContactForm):
    """The contact's own details as recorded, to correct: the record-a-contact form without what
    sets the clocks (when it arrived, immediate protection, the initial rating)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = _reason(*CORRECT_REASON)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in NOT_CORRECTED_HERE:
            del self.fields[name]

    def corrected(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in CORRECTABLE_CONTACT_FIELDS}
        fields["concern_categories"] = list(fields["concern_categories"])
        return fields


class ConsentForm(AmendmentForm):
    answer = forms.ChoiceField(
        label="What did they say?",
        choices=ConsentAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given or refused"},
    )
    given_by = forms.ChoiceField(
        label="Who gave or refused consent?",
        help_text="A young person of 12 to 15 can consent if they understand what they are agreeing to.",
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who gave or refused consent"},
    )
    name = forms.CharField(
        label="Their name",
        error_messages={"required": "Enter the name of the person who gave or refused consent"},
    )
    given_on = GovukDateField(
        label="When did they give or refuse it?",
        help_text="For example, 27 3 2026",
        label_for_errors="The date",
        error_messages={"required": "Enter the date they gave or refused consent"},
    )
    how = forms.ChoiceField(
        label="How did they give or refuse it?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they gave or refused consent"},
    )
    notes = forms.CharField(
        label="Anything else about their consent (optional)",
        help_text="For example: agreed to early help but not to their GP being asked.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class InformationForm(AmendmentForm):
    information = forms.CharField(
        label="What have you learnt?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what you have learnt"},
    )
    source = forms.CharField(
        label="Who told you, or where did it come from?",
        help_text="For example: the child's mother by phone; the health visitor.",
        error_messages={"required": "Enter who told you, or where it came from"},
    )
