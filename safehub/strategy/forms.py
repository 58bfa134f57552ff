from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms

from safehub.accounts.models import Agency, Role, User
from safehub.core.forms import ClockField, GovukDateField, GovukForm, VersionForm, choice_field
from safehub.core.working_time import LONDON
from safehub.strategy.models import PLACE_LENGTH, REASON_LENGTH, MeetingFormat


def _moment(data: dict[str, Any], day_field: str, time_field: str, into: str) -> None:
    day, clock = data.get(day_field), data.get(time_field)
    if isinstance(day, date) and isinstance(clock, time):
        data[into] = datetime.combine(day, clock, tzinfo=LONDON)


class StartNowForm(GovukForm):
    children = forms.TypedMultipleChoiceField(
        label="Which children is it about?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the children the discussion is about",
            "invalid_choice": "Choose children on this contact",
        },
    )
    reason = forms.CharField(
        label="Why protection cannot wait for the usual steps",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_LENGTH,
        error_messages={"required": "Say why protection cannot wait for the usual steps"},
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choice_field(self.fields["children"])
        field.choices = children
        if len(children) == 1:
            field.initial = [children[0][0]]


class ExceptionForm(VersionForm):
    due_on = GovukDateField(label="Hold it by: date", label_for_errors="The date to hold it by")
    due_time = ClockField(label="Time", help_text="For example 14:30")
    reason = forms.CharField(
        label="Risk assessment: why the children are safe to wait until then",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REASON_LENGTH,
        error_messages={"required": "Enter the risk assessment that allows the discussion to wait"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _moment(data, "due_on", "due_time", "due_at")
        return data


class ArrangeForm(VersionForm):
    meeting_on = GovukDateField(label="Date", label_for_errors="The date of the discussion")
    meeting_time = ClockField(label="Time", help_text="For example 14:30")
    meeting_format = forms.ChoiceField(
        label="How it is held",
        choices=MeetingFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is held", "invalid_choice": "Choose how it is held"},
    )
    place = forms.CharField(
        label="Place, phone number or video link",
        max_length=PLACE_LENGTH,
        error_messages={"required": "Enter where it is held, the phone number or the video link"},
    )
    agencies = forms.TypedMultipleChoiceField(
        label="Invite",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Police and health always; education for a child of school age; the agencies that answered the"
        " MASH checks. Each is sent the papers, recorded as information shared.",
        error_messages={"invalid_choice": "Choose agencies from the list"},
    )
    referrer = forms.BooleanField(label="Invite the referrer too", required=False)
    chair = forms.TypedChoiceField(
        label="Chair",
        coerce=int,
        help_text="A team manager.",
        error_messages={
            "required": "Choose a team manager to chair the discussion",
            "invalid_choice": "Choose a team manager from the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managers = (
            User.objects.filter(is_active=True, memberships__role=Role.TEAM_MANAGER)
            .distinct()
            .order_by("last_name", "first_name")
        )
        field = choice_field(self.fields["chair"])
        field.choices = [("", "Choose a team manager"), *((user.pk, str(user)) for user in managers)]
        partners = Agency.objects.filter(is_host=False).order_by("name")
        choice_field(self.fields["agencies"]).choices = [(agency.pk, agency.name) for agency in partners]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _moment(data, "meeting_on", "meeting_time", "meeting_at")
        return data


class CancelForm(VersionForm):
    reason = forms.CharField(
        label="Why the discussion is no longer needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_LENGTH,
        error_messages={"required": "Say why the discussion is no longer needed"},
    )


class StartForOpenCaseForm(GovukForm):
    reason = forms.CharField(
        label="Why a strategy discussion is needed now",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_LENGTH,
        error_messages={"required": "Say why a strategy discussion is needed now"},
    )
