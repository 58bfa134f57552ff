"""The forms of 'Amend this contact' (contacts.amendments): what to change, then one page a kind."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.contacts.forms import ContactForm, SubjectForm
from safehub.contacts.known import CORRECTABLE_CONTACT_FIELDS
from safehub.contacts.models import SUBJECT_FIELDS, ContactSubject
from safehub.contacts.rules import not_told_field
from safehub.core.forms import GovukForm, VersionForm, choice_field

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
        initial = dict(kwargs.pop("initial", None) or {})
        # Why the family was not told, as recorded: each reason ticked, with what was said of it.
        not_told: dict[str, str] = initial.pop("not_told", None) or {}
        initial["not_told_reasons"] = list(not_told)
        initial |= {not_told_field(reason): why for reason, why in not_told.items()}
        super().__init__(*args, initial=initial, **kwargs)
        for name in NOT_CORRECTED_HERE:
            del self.fields[name]

    def corrected(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in CORRECTABLE_CONTACT_FIELDS if name != "not_told"}
        fields["concern_categories"] = list(fields["concern_categories"])
        fields["not_told"] = dict(self.cleaned_data.get("not_told") or {})
        return fields


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
