from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms

from safehub.accounts.models import Agency, Role, User
from safehub.contacts.models import NotToldReason
from safehub.core.forms import ClockField, GovukDateField, GovukForm, VersionForm, choice_field, style_field
from safehub.core.working_time import LONDON
from safehub.strategy.models import (
    PLACE_LENGTH,
    REASON_LENGTH,
    RECORD_TEXT_LENGTH,
    Attendance,
    Decision,
    Invitation,
    MeetingFormat,
    OnwardOutcome,
    ProtectionMeans,
)
from safehub.strategy.recording import NewAction, Outcome, Presence, presence_field


def _moment(data: dict[str, Any], day_field: str, time_field: str, into: str) -> None:
    day, clock = data.get(day_field), data.get(time_field)
    if isinstance(day, date) and isinstance(clock, time):
        data[into] = datetime.combine(day, clock, tzinfo=LONDON)


def _both_halves(form: forms.Form, data: dict[str, Any], day_field: str, time_field: str, what: str) -> None:
    """A date without its time (or a time without its date) is said beside the box left empty."""
    day_given = bool(form.data.get(form.add_prefix(f"{day_field}_0")) or data.get(day_field))
    time_given = bool((form.data.get(form.add_prefix(time_field)) or "").strip())
    if day_given and not time_given and time_field not in form.errors:
        form.add_error(time_field, f"Enter the time {what}, like 14:30")
    elif time_given and not day_given and day_field not in form.errors:
        form.add_error(day_field, f"Enter the date {what}")


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


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose yes or no"},
    )


class RecordForm(VersionForm):
    """The record of a discussion held: every answer is checked by the service at once (record.hold), so
    that one round shows every problem; the form reads the values and the dates' and times' formats."""

    held_on = GovukDateField(label="Date it was held", label_for_errors="The date it was held", required=False)
    held_time = ClockField(label="Time it started", help_text="For example 14:30", required=False)
    analysis = forms.CharField(
        label="Analysis of risk",
        help_text="What the agencies' information together says about the risk to each child.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=RECORD_TEXT_LENGTH,
        required=False,
    )
    decision = forms.ChoiceField(
        label="The discussion's decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose the discussion's decision"},
    )
    onward_outcome = forms.ChoiceField(
        label="If no section 47 enquiry: what happens instead",
        choices=[("", "Choose"), *OnwardOutcome.choices],
        required=False,
        error_messages={"invalid_choice": "Choose what happens instead of a section 47 enquiry"},
    )
    protection_means = forms.ChoiceField(
        label="If immediate protection: how",
        choices=[("", "Choose"), *ProtectionMeans.choices],
        required=False,
        error_messages={"invalid_choice": "Choose how the children are protected now"},
    )
    police_investigate = _yes_no("Will the police investigate?")
    medical_examination = _yes_no("Is a medical examination needed?")
    medical_note = forms.CharField(
        label="Medical examination: by whom and when (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_LENGTH,
        required=False,
    )
    family_told = _yes_no("Will the family be told of the discussion and its decision?")
    who_tells = forms.CharField(label="Who tells them", max_length=200, required=False)
    tell_on = GovukDateField(label="Told by: date", label_for_errors="The date to tell them by", required=False)
    tell_time = ClockField(label="Told by: time", help_text="For example 17:00", required=False)
    not_told_reason = forms.ChoiceField(
        label="If not: why they are not told",
        choices=NotToldReason.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose why the family is not told"},
    )
    not_told_rationale = forms.CharField(
        label="Explain why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_LENGTH,
        required=False,
    )
    safety_plan = forms.CharField(
        label="Safety plan",
        help_text="What keeps each child safe from now, and who does what. Needed when enquiries start.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=RECORD_TEXT_LENGTH,
        required=False,
    )

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            pk = invitation.pk
            self.fields[presence_field("attendance", pk)] = forms.ChoiceField(
                label=f"{invitation}: took part?",
                choices=Attendance.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": f"Say whether {invitation} attended"},
            )
            self.fields[presence_field("attendee", pk)] = forms.CharField(
                label="Who (name and role)", max_length=200, required=False
            )
            self.fields[presence_field("reason", pk)] = forms.CharField(
                label="If they did not attend: why", max_length=REASON_LENGTH, required=False
            )
            self.fields[presence_field("contribution", pk)] = forms.CharField(
                label=f"What {invitation} contributed",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=RECORD_TEXT_LENGTH,
                required=False,
            )
            self.fields[presence_field("restricted", pk)] = forms.BooleanField(
                label="Not to be passed on to the other agencies (the agency asked)", required=False
            )
        for name, field in self.fields.items():
            if name.rpartition("_")[2].isdigit():  # added here, after GovukFormMixin styled the others
                style_field(field)

    def presence_rows(self) -> list[tuple[Invitation, list[forms.BoundField]]]:
        names = ("attendance", "attendee", "reason", "contribution", "restricted")
        return [(i, [self[presence_field(name, i.pk)] for name in names]) for i in self.invitations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _both_halves(self, data, "held_on", "held_time", "it was held")
        _both_halves(self, data, "tell_on", "tell_time", "to tell the family by")
        _moment(data, "held_on", "held_time", "held_at")
        _moment(data, "tell_on", "tell_time", "tell_by")
        return data

    def outcome(self, actions: tuple[NewAction, ...]) -> Outcome:
        data = self.cleaned_data
        presence = tuple(
            Presence(
                invitation_id=i.pk,
                attendance=data.get(presence_field("attendance", i.pk)) or "",
                attendee=data.get(presence_field("attendee", i.pk)) or "",
                reason=data.get(presence_field("reason", i.pk)) or "",
                contribution=data.get(presence_field("contribution", i.pk)) or "",
                restricted=bool(data.get(presence_field("restricted", i.pk))),
            )
            for i in self.invitations
        )
        return Outcome(
            held_at=data.get("held_at"),
            analysis=data.get("analysis") or "",
            decision=data.get("decision") or "",
            onward_outcome=data.get("onward_outcome") or "",
            protection_means=data.get("protection_means") or "",
            police_investigate=data.get("police_investigate"),
            medical_examination=data.get("medical_examination"),
            medical_note=data.get("medical_note") or "",
            family_told=data.get("family_told"),
            who_tells=data.get("who_tells") or "",
            tell_by=data.get("tell_by"),
            not_told_reason=data.get("not_told_reason") or "",
            not_told_rationale=data.get("not_told_rationale") or "",
            safety_plan=data.get("safety_plan") or "",
            presence=presence,
            actions=actions,
        )


class ActionForm(GovukForm):
    """One action (issue 13): what, the owning agency, the person responsible, due by when. A row left
    empty on the record's page is no action."""

    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_LENGTH, required=False
    )
    agency = forms.TypedChoiceField(
        label="Agency",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose the agency that owns the action"},
    )
    owner = forms.CharField(label="Person responsible", max_length=200, required=False)
    due_on = GovukDateField(label="Due: date", label_for_errors="The date it is due", required=False)
    due_time = ClockField(label="Due: time", help_text="For example 17:00", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("-is_host", "name")
        choice_field(self.fields["agency"]).choices = [("", "Choose"), *((a.pk, a.name) for a in agencies)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _both_halves(self, data, "due_on", "due_time", "it is due")
        _moment(data, "due_on", "due_time", "due_at")
        return data

    def summary_prefix(self, index: int) -> str:
        return f"Action {index + 1}"

    def is_empty(self) -> bool:
        data = self.cleaned_data
        return not any(
            [
                (data.get("description") or "").strip(),
                data.get("agency"),
                (data.get("owner") or "").strip(),
                data.get("due_on"),
                data.get("due_time"),
            ]
        )

    def action(self) -> NewAction:
        data = self.cleaned_data
        agency = Agency.objects.filter(pk=data["agency"]).first() if data.get("agency") else None
        return NewAction(data.get("description") or "", agency, data.get("owner") or "", data.get("due_at"))


class CloseActionForm(VersionForm):
    note = forms.CharField(
        label="What was done, or why it is no longer needed",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_LENGTH,
        error_messages={"required": "Say what was done, or why it is no longer needed"},
    )


class SendRecordForm(VersionForm):
    pass


class ConferenceForm(VersionForm):
    held = forms.ChoiceField(
        label="The initial child protection conference",
        choices=[("date", "Is booked or held on a date"), ("not_required", "Is not required")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether a conference is booked or not required"},
    )
    conference_on = GovukDateField(label="Date", label_for_errors="The conference date", required=False)
    not_required = forms.CharField(
        label="If not required: why (for example, the enquiry found no significant harm)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_LENGTH,
        required=False,
    )


class ContributionAgreementForm(GovukForm):
    """The invited agency agrees that its contribution may go in the record sent to the others
    (strategy.agreements)."""

    note = forms.CharField(
        label="What you agree to, and any limit on it",
        help_text="For example: the record may include it; the family is not to be told of the interview date.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,  # the service says so, with how long (strategy.agreements.agreement_problems)
    )
