from __future__ import annotations

from typing import Any

from django import forms

from safehub.core.forms import VersionForm, choice_field
from safehub.meetings.models import NOTE_LENGTH, ItemDecision
from safehub.meetings.services import ACTS_LENGTH


class OpenMeetingForm(forms.Form):
    pass


class AttendanceForm(VersionForm):
    attended = forms.TypedMultipleChoiceField(
        label="Agencies present",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose agencies that sit in the meeting"},
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["attended"]).choices = members


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision", "invalid_choice": "Choose a decision"},
    )
    acts = forms.CharField(
        label="Who acts",
        max_length=ACTS_LENGTH,
        error_messages={"required": "Say who acts on the decision"},
    )
    note = forms.CharField(
        label="Note (optional)", widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_LENGTH, required=False
    )
    names = ""  # whose item it is, for the error summary: "Mia Harlow: Choose a decision"

    def __init__(self, *args: Any, decisions: tuple[ItemDecision, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["decision"]).choices = [(d.value, d.label) for d in decisions]

    def summary_prefix(self, index: int) -> str:
        return self.names or f"Item {index + 1}"


class CloseMeetingForm(VersionForm):
    pass
