from __future__ import annotations

from typing import Any

from django import forms

from safehub.accounts.models import Agency
from safehub.core.forms import GovukDateField, GovukForm, VersionForm
from safehub.information_requests.models import ConsentEvidence, Exemption, Level
from safehub.information_requests.workflow import RequestState
from safehub.people.models import Person

TEXT = 5000


class PersonIdField(forms.CharField):
    """The child's record in the person index, by its ID (like P0000040)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "The child's person ID, if you found them")
        kwargs.setdefault("help_text", "Search People for the child, then copy the ID here, like P0000040.")
        super().__init__(max_length=40, required=False, **kwargs)

    def clean(self, value: Any) -> Person | None:
        wanted = str(super().clean(value) or "").strip()
        if not wanted:
            return None
        found = Person.objects.filter(local_id__iexact=wanted, merged_into__isnull=True).first()
        if found is None:
            raise forms.ValidationError("No one in the person index has that ID: check it, like P0000040")
        return found


class TakeRequestForm(GovukForm):
    level = forms.TypedChoiceField(
        label="What are they asking for?",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of the request"},
    )
    requester_name = forms.CharField(label="Their name", max_length=200, required=False)
    requester_role = forms.CharField(label="Their role", max_length=200, required=False)
    requester_organisation = forms.CharField(label="Their organisation", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Their agency, if a partner of the hub",
        queryset=Agency.objects.filter(is_host=False),
        required=False,
        empty_label="Not a partner agency",
    )
    requester_email = forms.EmailField(
        label="Their work email address",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address like name@school.example.org"},
    )
    requester_phone = forms.CharField(label="Their phone number (optional)", max_length=40, required=False)
    identity_checked = forms.CharField(
        label="For a phone call: how you checked who they are",
        help_text="Ask them to email you from their organisation's address while still on the phone, and say so here.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        required=False,
    )
    child_name = forms.CharField(label="The child's name", max_length=200, required=False)
    child_date_of_birth = GovukDateField(
        label="The child's date of birth (optional)", label_for_errors="The child's date of birth", required=False
    )
    person = PersonIdField()
    reason = forms.CharField(
        label="Why they ask", widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT, required=False
    )
    consent_evidence = forms.ChoiceField(
        label="For a written request: the evidence of consent",
        choices=ConsentEvidence.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    exemption = forms.ChoiceField(
        label="When consent is not needed, or for a whole file: why",
        choices=Exemption.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    # A new one each time the form is drawn (core.submissions): the same form sent again is one request.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)


class IdentifyForm(VersionForm):
    """Who the child is in the person index, before the answer is drawn from it."""

    person = PersonIdField()
    not_found = forms.BooleanField(label="I searched the person index and found no record of the child", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is not None and data.get("not_found"):
            self.add_error("not_found", "Give the child's ID or say you found no record, not both")
        return data


class DraftForm(IdentifyForm):
    reasons = forms.CharField(
        label="The reasons for the involvement",
        help_text="From the child's records: why children's social care was involved. Nothing more.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT,
        required=False,
    )


class SendBackForm(VersionForm):
    note = forms.CharField(
        label="What needs changing", widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT, required=False
    )


class CloseForm(VersionForm):
    disclosed = forms.CharField(
        label="What was disclosed, to whom, and how it was sent",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        required=False,
    )


class RefuseForm(VersionForm):
    reason = forms.CharField(
        label="Why it is refused",
        help_text="The requester is told this reason.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        required=False,
    )


class RegisterForm(GovukForm):
    level = forms.TypedChoiceField(
        label="Level", choices=[("", "Any level"), *Level.choices], coerce=int, required=False, empty_value=None
    )
    state = forms.ChoiceField(
        label="State", choices=[("", "Any"), *[(state.value, state.label) for state in RequestState]], required=False
    )
    start = GovukDateField(label="Received from", label_for_errors="The start date", required=False)
    end = GovukDateField(label="Received to", label_for_errors="The end date", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data
