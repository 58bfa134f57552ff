"""The record-a-contact form: the contact itself and a formset of the people it names."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from safehub.accounts.forms import StaffChoiceField, StaffMultipleChoiceField
from safehub.accounts.models import User
from safehub.contacts.models import (
    SUBJECT_FIELDS,
    Channel,
    ConcernCategory,
    ConsentPosition,
    Contact,
    ContactSubject,
    NotToldReason,
    ReferralSource,
    ReferrerKind,
    YesNoUnknown,
    subject_name,
)
from safehub.contacts.queries import ContactQuery
from safehub.contacts.rules import (
    consent_problems,
    not_told_field,
    rating_problems,
    referral_problems,
    subject_problems,
)
from safehub.core.forms import (
    MAX_TEXT,
    ClockField,
    GovukDateField,
    GovukForm,
    GovukModelForm,
    VersionForm,
    choice_field,
)
from safehub.core.working_time import LONDON
from safehub.people.identifiers import (
    is_valid_nhs_number,
    is_valid_postcode,
    normalise_nhs_number,
    normalise_postcode,
)
from safehub.people.models import Ethnicity
from safehub.protocols.models import BRAG_HINTS, Brag

# The initial rating, as the contact form and the screening page offer it.
RATING_CHOICES = [("", "Not rated yet"), *((b.value, BRAG_HINTS[b]) for b in Brag)]
RATING_HELP = "If the risk is clear now. A child who needs immediate protection is Red."


class RatingForm(VersionForm):
    initial_rating = forms.ChoiceField(
        label="Initial rating", choices=RATING_CHOICES, required=False, widget=forms.RadioSelect, help_text=RATING_HELP
    )


class ContactForm(GovukModelForm):
    received_on = GovukDateField(label="Date received", label_for_errors="Date received")
    received_time = ClockField(
        label="Time received",
        help_text="Use the 24-hour clock, for example 14:30",
        invalid="Enter the time received as hours and minutes, like 14:30",
    )
    concern_categories = forms.MultipleChoiceField(
        label="What kind of concern is it?",
        help_text="Select all that apply",
        choices=ConcernCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of concern"},
    )
    not_told_reasons = forms.MultipleChoiceField(
        label="Why the family was not told",
        help_text="Only when the referrer did not tell them. Select all that apply, and say why for each.",
        choices=NotToldReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose why the family was not told from the list"},
    )
    not_told_increased_risk = forms.CharField(
        label="How telling them would increase the risk",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    not_told_prejudice_investigation = forms.CharField(
        label="Which investigation it would prejudice, and how",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    not_told_undue_delay = forms.CharField(
        label="Why seeking to tell them would cause undue delay",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = [
            "channel",
            "source",
            "referrer_kind",
            "referrer_name",
            "referrer_role",
            "referrer_agency",
            "referrer_phone",
            "referrer_email",
            "referrer_address",
            "referrer_relationship",
            "referrer_knowledge",
            "narrative",
            "significant_events",
            "child_location",
            "immediate_protection",
            "initial_rating",
            "alleged_perpetrator",
            "other_agencies",
            "parents_aware",
            "parents_agree",
            "consent",
            "consent_notes",
        ]
        widgets = {
            "channel": forms.RadioSelect,
            "referrer_kind": forms.RadioSelect,
            "immediate_protection": forms.RadioSelect,
            "initial_rating": forms.RadioSelect,
            "parents_aware": forms.RadioSelect,
            "parents_agree": forms.RadioSelect,
            "consent": forms.RadioSelect,
        }
        error_messages = {
            "channel": {"required": "Select how the contact was made"},
            "source": {"required": "Select the referral source"},
            "referrer_kind": {"required": "Select who made the contact"},
            "narrative": {"required": "Describe the concern"},
            "immediate_protection": {"required": "Select whether the child needs immediate protection"},
            "parents_aware": {"required": "Select whether the parents know about this contact"},
            "parents_agree": {"required": "Select whether the parents agree to this contact"},
            "consent": {"required": "Select the consent position the referrer gave"},
        }

    # The page's order, which the error summary follows: when and how, the referrer, (the people,) then
    # the concern.
    field_order = [
        "received_on",
        "received_time",
        *Meta.fields[: Meta.fields.index("referrer_knowledge") + 1],
        "concern_categories",
    ]
    formset_follows_field = "referrer_knowledge"

    def __init__(self, *args: Any, at: datetime, **kwargs: Any) -> None:
        self.at = at
        super().__init__(*args, **kwargs)
        local = at.astimezone(LONDON)
        self.fields["received_on"].initial = local.date()
        self.fields["received_time"].initial = local.strftime("%H:%M")
        choice_field(self.fields["source"]).choices = [("", "Select a source"), *ReferralSource.choices]
        radios = {
            "channel": Channel,
            "referrer_kind": ReferrerKind,
            "immediate_protection": YesNoUnknown,
            "parents_aware": YesNoUnknown,
            "parents_agree": YesNoUnknown,
            "consent": ConsentPosition,
        }
        for name, choices in radios.items():
            choice_field(self.fields[name]).choices = choices.choices
        rating = self.fields["initial_rating"]
        choice_field(rating).choices = RATING_CHOICES
        rating.initial = ""
        rating.help_text = RATING_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, clock = data.get("received_on"), data.get("received_time")
        if isinstance(day, date) and isinstance(clock, time):
            data["received_at"] = datetime.combine(day, clock, tzinfo=LONDON)
        data["not_told"] = {
            reason: data.get(not_told_field(reason)) or ""
            for reason in data.get("not_told_reasons") or []
            if reason in NotToldReason.values
        }
        # The service's rules, shown beside this form's fields with any other problem (all at once).
        for problem in referral_problems(data, at=self.at) + rating_problems(data) + consent_problems(data):
            self.add_error(RECEIVED_FIELD.get(problem.field or "", problem.field), problem.message)
        return data

    def contact_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["received_at"] = self.cleaned_data["received_at"]
        fields["concern_categories"] = list(self.cleaned_data["concern_categories"])
        fields["not_told"] = dict(self.cleaned_data.get("not_told") or {})
        return fields


class SubjectForm(GovukModelForm):
    # Typed as the NHS writes it ("485 777 3456") or without spaces: 10 digits once normalised.
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
    )
    date_of_birth = GovukDateField(label="Date of birth", label_for_errors="Date of birth", required=False)
    expected_date_of_delivery = GovukDateField(
        label="Expected date of delivery (unborn child)", label_for_errors="Expected date of delivery", required=False
    )

    class Meta:
        model = ContactSubject
        fields = list(SUBJECT_FIELDS)
        labels = {"given_name": "First name", "family_name": "Last name", "kind": "Child, unborn child or adult"}
        widgets = {"needs": forms.Textarea(attrs={"rows": 2}), "communication": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "role": {"required": "Select how this person is involved"},
            "kind": {"required": "Select whether this is a child, an unborn child or an adult"},
        }

    def __init__(self, *args: Any, at: datetime, **kwargs: Any) -> None:
        self.at = at
        super().__init__(*args, **kwargs)
        choice_field(self.fields["ethnicity"]).choices = [("", "Not known"), *Ethnicity.choices]
        # Words, not Django's "---------", for a choice not made yet.
        for name, prompt in (("role", "Select how they are involved"), ("kind", "Select child, unborn child or adult")):
            field = choice_field(self.fields[name])
            offered: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
            field.choices = [("", prompt), *((value, label) for value, label in offered if value != "")]

    def summary_prefix(self, index: int) -> str:
        """How the error summary names this person, as the page's legend does: "Person 2 (Leo
        Harlow)", or "Person 2" before a name is typed (core.templatetags.govuk.error_summary)."""
        given, family, kind = (str(self[name].value() or "").strip() for name in ("given_name", "family_name", "kind"))
        named = subject_name(given, family, kind) if given or family else ""
        return f"Person {index + 1} ({named})" if named else f"Person {index + 1}"

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value and not is_valid_nhs_number(value):
            raise ValidationError("Enter a valid 10-digit NHS number")
        return value

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data.get("postcode", "").strip()
        if value and not is_valid_postcode(value):
            raise ValidationError("Enter a real postcode, like B1 1AA")
        return normalise_postcode(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's rules for one person, shown beside this person's fields (contacts.rules).
        for problem in subject_problems(data, item=0, today=self.at.astimezone(LONDON).date()):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return data


RECEIVED_FIELD = {"received_at": "received_on"}  # the service's field -> this form's
MAX_PEOPLE = 20  # a contact names at most this many people; a form claiming more is not drawn


# Whether the people make a contact (a child among them, dates that agree) is the service's
# rule (contacts.rules), so that every way of recording a contact is refused alike.
TOO_MANY_PEOPLE = f"A contact can name at most {MAX_PEOPLE} people"


class PeopleFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    default_error_messages = {"too_many_forms": TOO_MANY_PEOPLE, "too_few_forms": "Name at least one person"}


SubjectFormSet = forms.formset_factory(
    SubjectForm,
    formset=PeopleFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_PEOPLE,
    validate_max=True,
    absolute_max=MAX_PEOPLE,
)


class RestrictionForm(VersionForm):
    """Who may see a restricted contact, and why (contacts.restrictions)."""

    people = StaffMultipleChoiceField(
        label="Who may see this contact?",
        help_text="Only the people you select, and you, will see it: in queues, searches and links.",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label="Why is the contact restricted?",
        help_text="For example: the child of a member of staff. Everyone who may see the contact reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = staff  # type: ignore[attr-defined]


class AllocationForm(VersionForm):
    worker = StaffChoiceField(
        label="Allocate to",
        queryset=User.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose who to allocate the contact to", "invalid_choice": "Choose someone listed"},
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        assert isinstance(worker, StaffChoiceField)  # noqa: S101 - declared above
        worker.queryset = staff


class ContactSearchForm(GovukForm):
    """'Find a contact': one line, read as a reference, a postcode or words (contacts.queries.ContactQuery)."""

    q = forms.CharField(
        label="Reference, name, referrer or address",
        max_length=200,
        help_text=(
            "A contact reference like C2026-000123, the name of a child or adult on the contact, the referrer's"
            " name or agency, an address or a postcode"
        ),
        error_messages={
            "required": "Enter a contact reference, a name, a referrer, an address or a postcode",
            "max_length": "Search for 200 characters or fewer",
        },
    )

    def clean_q(self) -> ContactQuery:
        query = ContactQuery.parse(self.cleaned_data["q"])
        if query.is_empty:
            raise ValidationError(
                "Enter a contact reference, a name, a referrer, an address or a postcode using letters or numbers"
            )
        if query.words and all(len(word) < 2 for word in query.words):
            raise ValidationError("Enter more than one letter or number: one alone would find too many contacts")
        return query
