from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms

from safehub.accounts.forms import StaffChoiceField
from safehub.accounts.models import User, qualified_staff
from safehub.core.forms import ClockField, GovukDateField, VersionForm
from safehub.core.working_time import LONDON
from safehub.decisions.models import Outcome
from safehub.protocols.models import BRAG_HINTS, Brag, ThresholdLevel

DECIDABLE = [(o.value, o.label) for o in Outcome if o != Outcome.FORWARD_TO_ALLOCATED_WORKER]


class RecommendationForm(VersionForm):
    rating = forms.ChoiceField(
        label="BRAG rating",
        choices=[(b.value, BRAG_HINTS[b]) for b in Brag],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a BRAG rating"},
    )
    level = forms.ModelChoiceField(
        label="Level of need",
        queryset=ThresholdLevel.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the level of need", "invalid_choice": "Select the level of need"},
    )
    outcome = forms.ChoiceField(
        label="Recommended outcome",
        choices=DECIDABLE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome you recommend"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why this rating and outcome: the needs, the risks and what the records show",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a rationale for your recommendation"},
    )

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels  # type: ignore[attr-defined]


class ApprovalForm(VersionForm):
    verdict = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("return", "Return to the social worker for reconsideration")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve or return the recommendation"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=DECIDABLE,
        widget=forms.RadioSelect,
        required=False,
        help_text="Starts as the recommended outcome; change it if you decide otherwise",
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a rationale for the decision"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == "approve" and not data.get("outcome"):
            self.add_error("outcome", "Select the outcome you approve")
        return data


class OutcomeActionForm(VersionForm):
    sent_to = forms.CharField(label="Service or team the child was referred to", required=False)
    informed_on = GovukDateField(
        label="Date the referrer was told", label_for_errors="Date the referrer was told", required=False
    )
    informed_time = ClockField(
        label="Time the referrer was told",
        help_text="For example 15:45",
        required=False,
        invalid="Enter the time as hours and minutes, like 15:45",
    )
    informed_by = forms.ChoiceField(
        label="How the referrer was told",
        choices=[("", "Not told"), ("letter", "Letter"), ("email", "Email"), ("phone", "Phone")],
        required=False,
    )
    allocated_worker = StaffChoiceField(
        label="Social worker allocated (if known)",
        help_text="They can open this contact, and answers from partner agencies that arrive late are sent to them.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not allocated yet",
        error_messages={"invalid_choice": "Choose a social worker from the list"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["allocated_worker"]
        field.queryset = qualified_staff()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, clock = data.get("informed_on"), data.get("informed_time")
        data["referrer_informed_at"] = None
        if day:
            if "informed_time" in self.errors:
                return data
            data["referrer_informed_at"] = datetime.combine(day, clock or time(12, 0), tzinfo=LONDON)
            if not data.get("informed_by"):
                self.add_error("informed_by", "Select how the referrer was told")
        elif data.get("informed_by"):
            self.add_error("informed_on", "Enter the date the referrer was told")
        return data
