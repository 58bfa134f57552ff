from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehub.core.forms import GovukDateField, GovukForm
from safehub.people.identifiers import is_valid_nhs_number, normalise_nhs_number


class PersonSearchForm(GovukForm):
    given_name = forms.CharField(label="First name", required=False, max_length=100)
    family_name = forms.CharField(label="Last name", required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", label_for_errors="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14)

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
