"""The daily MASH meeting (002 §7): "where concerning referrals are discussed within a multi-agency
framework and where we share information if need be ... We use the traffic light or the BRAG rating
system as first step to decide whether there is sufficient concern to share information."

A meeting is held by a team on a day its protocol sets. Its agenda is built when it opens: every Red
and Amber contact and every police domestic-abuse notification since the last meeting, and whatever
the last meeting did not reach. Each item gets one decision and who acts on it; closing the meeting
locks the agenda."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safehub.accounts.models import Agency, Team
from safehub.contacts.models import Contact
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.meetings.workflow import LIFECYCLE, MeetingEvent, MeetingState
from safehub.protocols.models import Brag

STATE_CHOICES = [(state.value, state.label) for state in MeetingState]
NOTE_LENGTH = 2000


class MeetingKind(models.TextChoices):
    """The hub's standing meetings: the daily MASH meeting (002 §7) and the domestic-abuse triage (000:
    "the domestic abuse daily triage"). The protocol schedules each ("meeting_…", "triage_…" settings)."""

    MASH = "mash", "Daily MASH meeting"
    TRIAGE = "triage", "Domestic-abuse triage"

    @property
    def noun(self) -> str:
        """What staff call one: "today's meeting", "today's triage"."""
        return "meeting" if self == MeetingKind.MASH else "triage"

    @property
    def setting(self) -> str:
        """The prefix of the protocol's settings for this meeting's days, time and members."""
        return "meeting" if self == MeetingKind.MASH else "triage"


class DailyMeeting(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="daily_meetings")
    kind = models.CharField(max_length=10, choices=MeetingKind, default=MeetingKind.MASH)
    held_on = models.DateField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The agenda holds what arrived after this moment: the last meeting's opening (or a week back).
    agenda_since = models.DateTimeField()
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=MeetingState.OPEN.value)
    # When its attendance was last recorded (none yet: the minutes cannot say who was there).
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    lifecycle: ClassVar[Lifecycle[MeetingState, MeetingEvent]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["-held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "kind", "held_on"], name="one_meeting_of_a_kind_a_team_a_day"),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        """A triage's page sits under the triage's list (the navigation marks it), a meeting's under theirs."""
        name = "meetings:triage-meeting" if self.kind == MeetingKind.TRIAGE else "meetings:meeting"
        return reverse(name, args=[self.pk])


class MeetingAttendance(models.Model):
    """Whether each member agency was at the meeting (002 §7: police, education, health, probation,
    the domestic-abuse service and children's social care)."""

    meeting = models.ForeignKey(DailyMeeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting_id", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="meeting_agency_once")]

    def __str__(self) -> str:
        return f"{self.agency} at {self.meeting}"


class ItemReason(models.TextChoices):
    RED = "red", "Red"
    DOMESTIC_ABUSE = "domestic_abuse", "Police domestic-abuse notification"
    AMBER = "amber", "Amber"


class ItemDecision(models.TextChoices):
    """002 §7: BRAG "as first step to decide whether there is sufficient concern to share information";
    the domestic-abuse triage sends each notification on (issue 13)."""

    SHARE = "share", "Share information"
    CHECKS = "start_checks", "Start MASH checks"
    TO_MASH = "to_mash", "To the MASH"
    EARLY_HELP = "early_help", "To early help"
    INFORMATION_ONLY = "information_only", "Information only"
    NO_FURTHER_ACTION = "no_further_action", "No further action at this stage"


# The decisions each kind of meeting takes, in the order its form offers them.
DECISIONS: dict[str, tuple[ItemDecision, ...]] = {
    MeetingKind.MASH: (ItemDecision.SHARE, ItemDecision.CHECKS, ItemDecision.NO_FURTHER_ACTION),
    MeetingKind.TRIAGE: (
        ItemDecision.TO_MASH,
        ItemDecision.EARLY_HELP,
        ItemDecision.INFORMATION_ONLY,
        ItemDecision.NO_FURTHER_ACTION,
    ),
}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(DailyMeeting, on_delete=models.CASCADE, related_name="items")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="meeting_items")
    reason = models.CharField(max_length=20, choices=ItemReason)
    rating = models.CharField(max_length=10, choices=Brag, blank=True)  # the contact's BRAG when the agenda was built
    order = models.PositiveSmallIntegerField()
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to")
    decision = models.CharField(max_length=20, choices=ItemDecision, blank=True)
    acts = models.CharField("Who acts", max_length=200, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_LENGTH)
    # What the meeting knew of a police domestic-abuse notification when it decided the item (or closed
    # without reaching it): {"tags": [...], "lines": [...]}, so its minutes do not change when the
    # notification is corrected afterwards. Empty until then.
    noted = models.JSONField(default=dict, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "contact"], name="agenda_contact_once"),
            models.CheckConstraint(
                condition=Q(decision="") | (~Q(acts="") & Q(decided_at__isnull=False)),
                name="agenda_decision_names_who_acts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} on {self.meeting}"


class MeetingStateChange(StateChangeRecord):
    meeting = models.ForeignKey(DailyMeeting, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in MeetingState],
                    to_state__in=[state.value for state in MeetingState],
                    event__in=[event.value for event in MeetingEvent],
                ),
                name="meeting_change_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.from_state} → {self.to_state}"
