"""Asking for a statutory return to be built."""

from __future__ import annotations

from django import forms

from safehub.core.forms import GovukDateField, GovukForm


class AnnexAForm(GovukForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    as_at = GovukDateField(
        label="As at",
        label_for_errors="The as-at date",
        help_text="The lists cover the six months before this date, for example 1 12 2026",
    )


class CensusForm(GovukForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    year = forms.IntegerField(
        label="Collection year",
        help_text="The year its census date, 31 March, falls in: 2026 is 1 April 2025 to 31 March 2026",
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the collection year",
            "invalid": "Enter the collection year as four digits, like 2026",
            # The years in between that Safehub cannot write are refused by the export, which says which it can.
            "min_value": "Enter a collection year of 2000 or later, like 2026",
            "max_value": "Enter a collection year before 2100, like 2026",
        },
    )
