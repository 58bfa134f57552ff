from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehub.core.forms import GovukDateField, GovukForm, VersionForm
from safehub.people.identifiers import (
    is_outward_code,
    is_valid_nhs_number,
    is_valid_postcode,
    normalise_nhs_number,
    normalise_postcode,
    postcode_sector_typed,
)
from safehub.people.models import Service, Sex
from safehub.people.queries import PersonCriteria
from safehub.people.search_terms import words


def _text(label: str, max_length: int, *, named: str, **kwargs: Any) -> forms.CharField:
    """An optional line of text, with the Design System's wording when it is too long."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{named} must be {max_length} characters or fewer"},
        **kwargs,
    )


class PersonSearchForm(GovukForm):
    """The People search: any detail a team knows. A first and a last name, or a name with a date of
    birth or an NHS number, is ranked by likelihood (safehub.matching.search); less than that, and an
    NHS number alone, is looked up exactly (people.queries.find_people)."""

    given_name = _text("First name", 100, named="First name")
    family_name = _text("Last name", 100, named="Last name")
    parent_given_name = _text(
        "A parent's first name",
        100,
        named="A parent's first name",
        help_text="With a last name or a postcode: finds the children of a parent, step-parent or carer of that name",
    )
    date_of_birth = GovukDateField(label="Date of birth", label_for_errors="Date of birth", required=False)
    sex = forms.ChoiceField(
        label="Sex", required=False, choices=[("", "Not known"), *[c for c in Sex.choices if c[0] != Sex.UNKNOWN]]
    )
    address = _text(
        "Address: first line", 200, named="The first line of the address", help_text="For example, 12 Elm Road"
    )
    postcode = _text("Postcode", 20, named="Postcode", widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    nhs_number = _text("NHS number", 20, named="NHS number", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    local_id = _text("Local person ID", 40, named="Local person ID")

    # A field that holds no letters or digits once folded finds nobody: say so instead.
    _NEEDS_WORDS = {
        "given_name": "Enter a first name using letters",
        "family_name": "Enter a last name using letters",
        "parent_given_name": "Enter the parent's first name using letters",
        "address": "Enter the first line of the address using letters and numbers, like 12 Elm Road",
    }

    def clean_postcode(self) -> str:
        typed = self.cleaned_data.get("postcode", "")
        sector = postcode_sector_typed(typed)  # "DA6 8": checked first, or it would read as the area DA68
        if sector:
            return sector
        value = normalise_postcode(typed)
        if value and not (is_valid_postcode(value) or is_outward_code(value)):
            raise ValidationError("Enter a real postcode, like B1 1AA, or its first part, like B1")
        return value

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value and not is_valid_nhs_number(value):
            raise ValidationError("Enter a valid 10-digit NHS number")
        return value

    def clean_local_id(self) -> str:
        return str(self.cleaned_data.get("local_id", "")).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in self._NEEDS_WORDS.items():
            if data.get(name) and not words(data[name]):
                self.add_error(name, message)
        if self.errors:
            return data
        criteria = self.criteria()
        if not criteria.used():
            raise ValidationError(
                "Enter what you know about the person: a last name, a postcode, an address, a date of birth,"
                " an NHS number or a local person ID"
            )
        if not criteria.is_identifying and not criteria.narrows:
            raise ValidationError(
                "Add a last name, a date of birth, a postcode or an address: a first name, a sex or a parent's"
                " name on its own would find too many people"
            )
        return data

    def criteria(self) -> PersonCriteria:
        """What to search for, once the form is valid."""
        data = self.cleaned_data
        texts = (
            "given_name",
            "family_name",
            "parent_given_name",
            "sex",
            "address",
            "postcode",
            "nhs_number",
            "local_id",
        )
        return PersonCriteria(date_of_birth=data.get("date_of_birth"), **{name: data.get(name) or "" for name in texts})


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


class EndInvolvementForm(GovukForm):
    ended_on = GovukDateField(label="Ended", label_for_errors="The end date")


class WarningsForm(VersionForm):
    """The warnings the index holds about a person (people.services.record_warnings)."""

    missing_since = GovukDateField(
        label="Missing from home or care since",
        label_for_errors="The date they went missing",
        required=False,
        help_text="Leave blank when they are not missing; clear it when they are found",
    )
    worker_safety_warning = forms.CharField(
        label="Warning for workers' safety",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A risk to anyone visiting: a dangerous dog, a violent adult at the address. Leave blank if none",
        error_messages={"max_length": "The warning must be 1000 characters or fewer"},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_missing_since(self) -> date | None:
        missing: date | None = self.cleaned_data.get("missing_since")
        if missing and missing > self.today:
            raise ValidationError("The date they went missing must be today or in the past")
        return missing
