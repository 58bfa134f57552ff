from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehub.consultations.models import Consultation
from safehub.core.forms import ClockField, GovukDateField, GovukModelForm
from safehub.core.working_time import LONDON
from safehub.people.identifiers import is_valid_postcode, normalise_postcode


class ConsultationForm(GovukModelForm):
    received_on = GovukDateField(label="Date of the consultation", label_for_errors="The date")
    received_time = ClockField(label="Time", help_text="For example 14:30")
    child_date_of_birth = GovukDateField(
        label="Child's date of birth", label_for_errors="The child's date of birth", required=False
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Consultation
        fields = [
            "kind",
            "consultee_name",
            "consultee_role",
            "consultee_agency",
            "consultee_email",
            "consultee_phone",
            "child_given_name",
            "child_family_name",
            "child_date_of_birth",
            "child_postcode",
            "question",
            "advice",
        ]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Select whether the consultation is named or anonymous"},
            "consultee_name": {"required": "Enter the consultee's name"},
            "question": {"required": "Enter what the consultee asked"},
            "advice": {"required": "Enter the advice given"},
        }

    field_order = ["received_on", "received_time"]

    def __init__(self, *args: Any, at: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.at = at
        local = at.astimezone(LONDON)
        self.fields["received_on"].initial = local.date()
        self.fields["received_time"].initial = local.strftime("%H:%M")
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]  # type: ignore[attr-defined]

    def clean_child_postcode(self) -> str:
        value: str = self.cleaned_data.get("child_postcode", "").strip()
        if value and not is_valid_postcode(value):
            raise ValidationError("Enter a real postcode, like B1 1AA")
        return normalise_postcode(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, clock = data.get("received_on"), data.get("received_time")
        if isinstance(day, date) and isinstance(clock, time):
            data["received_at"] = datetime.combine(day, clock, tzinfo=LONDON)
        born = data.get("child_date_of_birth")
        if born and born > self.at.date():
            self.add_error("child_date_of_birth", "The child's date of birth must be today or in the past")
        return data

    def consultation_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["received_at"] = self.cleaned_data["received_at"]
        return fields
