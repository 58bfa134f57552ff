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
