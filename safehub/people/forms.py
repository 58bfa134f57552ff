from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehub.core.forms import GovukDateField, GovukForm
from safehub.people.identifiers import is_valid_nhs_number, is_valid_postcode, normalise_nhs_number, normalise_postcode
from safehub.people.models import Service, Sex


class PersonSearchForm(GovukForm):
    given_name = forms.CharField(label="First name", required=False, max_length=100)
    family_name = forms.CharField(label="Last name", required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", label_for_errors="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14)
    sex = forms.ChoiceField(
        label="Sex", required=False, choices=[("", "Not known"), *[c for c in Sex.choices if c[0] != Sex.UNKNOWN]]
    )
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=8, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    parent_given_name = forms.CharField(label="A parent's first name", required=False, max_length=100)

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data.get("postcode", ""))
        if value and not is_valid_postcode(value):
            raise ValidationError("Enter a real postcode, like B1 1AA")
        return value

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value and not is_valid_nhs_number(value):
            raise ValidationError("Enter a valid 10-digit NHS number")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("given_name", "family_name", "date_of_birth", "nhs_number")):
            raise ValidationError("Enter a name, a date of birth or an NHS number to search")
        return data


class InvolvementForm(GovukForm):
    service = forms.ChoiceField(
        label="Service",
        choices=Service.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the service"},
    )
    started_on = GovukDateField(label="Started", label_for_errors="The start date")
    ended_on = GovukDateField(
        label="Ended",
        label_for_errors="The end date",
        required=False,
        help_text="Leave blank if the service is still open",
    )
    allocated_worker = forms.CharField(label="Allocated worker", required=False, max_length=200)
    worker_email = forms.EmailField(label="Worker's email", required=False)
    team = forms.CharField(label="Team", required=False, max_length=200)
    external_ref = forms.CharField(label="Reference in the case system", required=False, max_length=60)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and started > self.today:
            self.add_error("started_on", "The start date must be today or in the past")
        if ended and ended > self.today:
            self.add_error("ended_on", "The end date must be today or in the past")
        if started and ended and ended < started:
            self.add_error("ended_on", "The end date must be the same as or after the start date")
        return data


class ImportForm(GovukForm):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with the header row described in the import guide")


class EndInvolvementForm(GovukForm):
    ended_on = GovukDateField(label="Ended", label_for_errors="The end date")
