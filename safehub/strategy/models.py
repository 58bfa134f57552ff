"""Strategy discussions (000 strategy meetings; 002 §11; 004 §6): where a child may be suffering
significant harm, the agencies meet to decide whether to start a section 47 enquiry.

A discussion is about one or more children: the children of a contact whose approved outcome is a
strategy discussion, those a manager named when protection could not wait, or children already open
to children's social care. Its clock starts when it is started (the protocol's strategy clock:
Birmingham 24 hours, Walsall 2, Bexley 4); a manager may move it, with a recorded risk assessment,
up to the protocol's exception limit where there is one (Birmingham 72 hours, 000)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.accounts.models import Agency, Team
from safehub.contacts.models import Contact, ContactSubject, NotToldReason
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.core.presenters import lower_first
from safehub.people.models import Person
from safehub.protocols.models import Brag
from safehub.sharing.models import Disclosure
from safehub.strategy.workflow import (
    ACTION_LIFECYCLE,
    LIFECYCLE,
    NOT_YET_HELD,
    ActionEvent,
    ActionState,
    DiscussionEvent,
    DiscussionState,
)

STATE_CHOICES = [(state.value, state.label) for state in DiscussionState]
ACTION_STATE_CHOICES = [(state.value, state.label) for state in ActionState]
REASON_LENGTH = 2000
RECORD_TEXT_LENGTH = 20_000
PLACE_LENGTH = 300


class StartRoute(models.TextChoices):
    APPROVED_OUTCOME = "approved_outcome", "A manager approved a strategy discussion as the outcome"
    IMMEDIATE_PROTECTION = "immediate_protection", "A manager started it: protection could not wait"
    OPEN_CASE = "open_case", "A child already open to children's social care"
    RECONVENED = "reconvened", "Reconvened"


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"


class StrategyDiscussionQuerySet(models.QuerySet["StrategyDiscussion"]):
    def not_yet_held(self) -> StrategyDiscussionQuerySet:
        return self.filter(state__in=[state.value for state in NOT_YET_HELD])

    def overdue(self, *, at: datetime) -> StrategyDiscussionQuerySet:
        """Still to be held, and past the time it was due by (the standard, or the exception)."""
        return self.not_yet_held().filter(due_at__lt=at)


class StrategyDiscussion(models.Model):
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="strategy_discussions")
    route = models.CharField(max_length=30, choices=StartRoute)
    reason = models.TextField(blank=True, max_length=REASON_LENGTH)
    reconvenes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reconvened_as"
    )
    rating = models.CharField(max_length=10, choices=Brag, default=Brag.RED.value)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=DiscussionState.TO_ARRANGE.value)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The protocol's standard (000: 24 hours), fixed when started; `due_at` is it, or the exception's.
    standard_due_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    exception_reason = models.TextField(blank=True, max_length=REASON_LENGTH)
    exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exception_at = models.DateTimeField(null=True, blank=True)
    # The arrangement (ARRANGED and after).
    meeting_at = models.DateTimeField(null=True, blank=True)
    meeting_format = models.CharField(max_length=20, choices=MeetingFormat, blank=True)
    place = models.CharField("Place or link", max_length=PLACE_LENGTH, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True, max_length=REASON_LENGTH)
    version = models.PositiveIntegerField(default=0)

    objects = StrategyDiscussionQuerySet.as_manager()
    lifecycle: ClassVar[Lifecycle[DiscussionState, DiscussionEvent]] = Lifecycle(LIFECYCLE)
    # The children as one line, when a list fetched them all at once (queries.attach_children_names).
    children_text: str | None = None

    class Meta:
        ordering = ["due_at", "pk"]
        # Partners' invitations: those still to be held by meeting time, and the last month's held.
        indexes = [
            models.Index(fields=["state", "meeting_at"], name="strategy_state_meeting"),
            # The coordinator's worktray: a team's discussions not yet finished, by their due time (tens
            # of a year's thousands; read without this, every discussion of the year was scanned).
            models.Index(
                fields=["team", "due_at", "id"],
                condition=~Q(state__in=["record_sent", "cancelled"]),
                name="strategy_unfinished_due",
            ),
            # A partner's "held recently": the latest held first, twenty of them read from this index's end
            # (without it the agency's every invitation of the year was joined, then sorted).
            models.Index(
                fields=["meeting_at"],
                condition=Q(state__in=["held", "record_sent"]),
                name="strategy_held_by_meeting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(route__in=["immediate_protection", "open_case"]) | ~Q(reason=""),
                name="strategy_started_by_hand_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(exception_at__isnull=True) | (~Q(exception_reason="") & Q(exception_by__isnull=False)),
                name="strategy_exception_has_a_risk_assessment",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["arranged", "held", "record_sent"])
                | (Q(meeting_at__isnull=False) & Q(chair__isnull=False) & ~Q(meeting_format="")),
                name="strategy_arranged_has_time_chair_and_format",
            ),
            models.CheckConstraint(
                condition=Q(route="reconvened", reconvenes__isnull=False) | (~Q(route="reconvened")),
                name="strategy_reconvened_names_the_first",
            ),
        ]

    def __str__(self) -> str:
        return f"Strategy discussion {self.pk}"

    @property
    def on_exception(self) -> bool:
        return self.exception_at is not None

    def is_overdue(self, at: datetime) -> bool:
        return self.state in NOT_YET_HELD and self.due_at < at


class StrategyChild(models.Model):
    """A child the discussion is about: a child on its contact, or a child's person record."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="children")
    subject = models.ForeignKey(ContactSubject, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["discussion_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__isnull=False) | Q(person__isnull=False), name="strategy_child_is_someone"
            ),
            models.UniqueConstraint(
                fields=["discussion", "subject"], condition=Q(subject__isnull=False), name="strategy_child_subject_once"
            ),
            models.UniqueConstraint(
                fields=["discussion", "person"], condition=Q(person__isnull=False), name="strategy_child_person_once"
            ),
        ]

    def __str__(self) -> str:
        return self.subject.display_name if self.subject is not None else str(self.person)


class InviteeReason(models.TextChoices):
    """Why someone is invited (issue 13; 000: "police and health always attend", the school's
    designated safeguarding lead, the agencies that hold information)."""

    POLICE = "police", "Police: invited to every strategy discussion"
    HEALTH = "health", "Health: invited to every strategy discussion"
    EDUCATION = "education", "Education: a child of school age"
    CHECKS = "checks", "Answered the MASH checks"
    REFERRER = "referrer", "The referrer"
    ASKED = "asked", "Asked to attend"


class Attendance(models.TextChoices):
    """How an invitee took part (issue 13): an absence is recorded with its reason."""

    ATTENDED = "attended", "Attended"
    SENT_INFORMATION = "sent_information", "Sent information, did not attend"
    APOLOGIES = "apologies", "Sent apologies"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


# Those who took part, and are sent the record (issue 13: "the record goes to attendees").
TOOK_PART = frozenset({Attendance.ATTENDED, Attendance.SENT_INFORMATION})


class Invitation(models.Model):
    """An agency (its designated professionals) or a person invited to a discussion, with the papers
    sent to them: a disclosure in the sharing ledger (what, to whom, why, on what basis)."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)  # a person invited by name: the referrer
    email = models.EmailField(blank=True)
    reason = models.CharField(max_length=20, choices=InviteeReason)
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    papers = models.OneToOneField(Disclosure, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The discussion's version when this invitee was invited: a later one means the meeting was moved since.
    invited_version = models.PositiveIntegerField(default=0)
    # Emailed by the background worker, exactly once for each arrangement (strategy.emails): set back
    # to empty when the meeting moves, so that the invitee gets the new time and calendar entry.
    emailed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    emailed_to = models.PositiveSmallIntegerField(default=0)  # how many addresses: 0 means nobody could be
    # At the discussion (written when it is recorded): who came, or why not, and what they brought.
    attendance = models.CharField(max_length=20, choices=Attendance, blank=True)
    attendee = models.CharField("Who attended", max_length=200, blank=True)
    attendance_reason = models.CharField(max_length=REASON_LENGTH, blank=True)
    contribution = models.TextField(blank=True, max_length=RECORD_TEXT_LENGTH)
    # The agency asked that its contribution go no further than the hub (as a handling restriction on a
    # MASH check answer): the record sent to the other agencies says only that it was given.
    contribution_restricted = models.BooleanField(default=False)

    class Meta:
        ordering = ["discussion_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(name=""), name="strategy_invitation_is_someone"
            ),
            models.CheckConstraint(
                condition=~Q(attendance__in=["apologies", "did_not_attend"]) | ~Q(attendance_reason=""),
                name="strategy_absence_has_a_reason",
            ),
            models.UniqueConstraint(
                fields=["discussion", "agency"], condition=Q(agency__isnull=False), name="strategy_agency_invited_once"
            ),
        ]

    def __str__(self) -> str:
        return self.agency.name if self.agency is not None else self.name

    @property
    def reason_in_a_sentence(self) -> str:
        """Why they were invited, to follow their name: "police: invited to every strategy discussion",
        "answered the MASH checks" (the first letter alone lowered: an initialism keeps its capitals)."""
        reason = self.get_reason_display()
        return lower_first(reason)


class ContributionAgreement(models.Model):
    """The invited agency agreeing that the contribution it asked to keep from the other agencies may go
    in the record sent to them (issue 14: only the agency that gave information lifts its own condition,
    and the agreement is recorded with who and when). Made once, never edited."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="agreement")
    note = models.TextField(max_length=2000)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="contribution_agreement_has_a_note")]

    def __str__(self) -> str:
        return f"Contribution may be passed on: {self.invitation}"


class Decision(models.TextChoices):
    """The discussion's one decision (issue 13; Children Act 1989 s47)."""

    NO_ENQUIRY = "no_s47", "No section 47 enquiry"
    SINGLE_AGENCY = "s47_single_agency", "Section 47 enquiry by children's social care alone"
    JOINT = "s47_joint", "Section 47 enquiry, joint with police"
    IMMEDIATE_PROTECTION = "immediate_protection", "Immediate protection"


# The decisions that start a section 47 enquiry. Immediate protection does too: a local authority told
# that a child is in police protection, or that has obtained an emergency protection order, must make
# enquiries (Children Act 1989 s47(1)(a)(ii)-(iii)).
STARTS_ENQUIRY = frozenset({Decision.SINGLE_AGENCY, Decision.JOINT, Decision.IMMEDIATE_PROTECTION})


class OnwardOutcome(models.TextChoices):
    """Where the children go when no section 47 enquiry is started."""

    ASSESSMENT = "s17_assessment", "Assessment under section 17 (child in need)"
    EARLY_HELP = "early_help", "Early help"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class ProtectionMeans(models.TextChoices):
    POLICE_PROTECTION = "police_protection", "Police protection (Children Act 1989 s46)"
    EMERGENCY_PROTECTION_ORDER = "emergency_protection_order", "Emergency protection order (s44)"


class StrategyRecord(models.Model):
    """What the discussion decided, written once when it is held, and what followed: the record sent to
    those who took part, the section 47 dates and the conference. Attendance and contributions are on
    each invitation."""

    discussion = models.OneToOneField(StrategyDiscussion, on_delete=models.CASCADE, related_name="record")
    held_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    analysis = models.TextField("Analysis of risk", max_length=RECORD_TEXT_LENGTH)
    decision = models.CharField(max_length=30, choices=Decision)
    onward_outcome = models.CharField(max_length=30, choices=OnwardOutcome, blank=True)
    protection_means = models.CharField(max_length=30, choices=ProtectionMeans, blank=True)
    police_investigate = models.BooleanField()
    medical_examination = models.BooleanField()
    medical_note = models.TextField(blank=True, max_length=REASON_LENGTH)
    family_told = models.BooleanField()
    who_tells = models.CharField(max_length=200, blank=True)
    tell_by = models.DateTimeField(null=True, blank=True)
    not_told_reason = models.CharField(max_length=30, choices=NotToldReason, blank=True)
    not_told_rationale = models.TextField(blank=True, max_length=REASON_LENGTH)
    safety_plan = models.TextField(max_length=RECORD_TEXT_LENGTH)
    # Section 47 (issue 13): the enquiry starts on the day of the discussion that starts it; the initial
    # child protection conference is due 15 working days after the latest discussion that started one.
    enquiry_started_on = models.DateField(null=True, blank=True)
    conference_due_on = models.DateField(null=True, blank=True)
    conference_on = models.DateField(null=True, blank=True)
    conference_not_required = models.TextField(blank=True, max_length=REASON_LENGTH)
    conference_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conference_recorded_at = models.DateTimeField(null=True, blank=True)
    # The record goes to those who took part within the protocol's time (default one working day).
    send_due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="no_s47") | ~Q(onward_outcome=""), name="strategy_no_enquiry_says_what_next"
            ),
            models.CheckConstraint(
                condition=~Q(decision="immediate_protection") | ~Q(protection_means=""),
                name="strategy_protection_says_how",
            ),
            models.CheckConstraint(
                condition=(Q(family_told=True) & ~Q(who_tells="") & Q(tell_by__isnull=False))
                | (Q(family_told=False) & ~Q(not_told_reason="") & ~Q(not_told_rationale="")),
                name="strategy_family_told_or_why_not",
            ),
            models.CheckConstraint(
                condition=Q(decision="no_s47", enquiry_started_on__isnull=True, conference_due_on__isnull=True)
                | (~Q(decision="no_s47") & Q(enquiry_started_on__isnull=False, conference_due_on__isnull=False)),
                name="strategy_enquiry_dates_with_the_decision",
            ),
            models.CheckConstraint(
                condition=Q(conference_on__isnull=True) | Q(conference_not_required=""),
                name="strategy_conference_held_or_not_required",
            ),
        ]

    def __str__(self) -> str:
        return f"Record of strategy discussion {self.discussion_id}"

    @property
    def starts_enquiry(self) -> bool:
        return self.decision in STARTS_ENQUIRY


class StrategyAction(models.Model):
    """Something an agency agreed to do (000: "each agency is clear on the outcome and actions that will
    be completed by all attendees"), owned by an agency and a named person, due by a time."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(max_length=REASON_LENGTH)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.CharField("Person responsible", max_length=200)
    due_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=10, choices=ACTION_STATE_CHOICES, default=ActionState.OPEN.value)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_note = models.TextField(blank=True, max_length=REASON_LENGTH)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    lifecycle: ClassVar[Lifecycle[ActionState, ActionEvent]] = Lifecycle(ACTION_LIFECYCLE)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(closed_note=""), name="strategy_action_closed_with_note"
            )
        ]
        # The worktray's and the partners' open actions, soonest due first.
        indexes = [models.Index(fields=["due_at", "id"], condition=Q(state="open"), name="strategy_action_open_due")]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, at: datetime) -> bool:
        return self.state == ActionState.OPEN and self.due_at < at


class ActionChange(StateChangeRecord):
    action = models.ForeignKey(StrategyAction, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in ActionState],
                    to_state__in=[state.value for state in ActionState],
                    event__in=[event.value for event in ActionEvent],
                ),
                name="strategy_action_change_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Action {self.action_id}: {self.from_state} → {self.to_state}"


class ActionAlertKind(models.TextChoices):
    REMINDER = "reminder", "Reminder: an action is due soon"
    OVERDUE = "overdue", "Escalation: an action is overdue"


class ActionAlert(models.Model):
    """A reminder or an escalation about one action to one person, exactly once (as the MASH checks'
    alerts, ADR 0006): the unique constraint stops a second worker, or a restarted one, adding it again."""

    action = models.ForeignKey(StrategyAction, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=ActionAlertKind)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "recipient"], name="strategy_action_alert_once")
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], condition=Q(sent_at__isnull=True), name="action_alert_unsent")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id}"


class RecordCopy(models.Model):
    """The record as sent to one who took part: a disclosure in the sharing ledger (what they were sent,
    on what basis), and the email that told them it is ready, sent once by the background worker."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="record_copy")
    # Written in the same transaction as the copy, whose key the disclosure names as its origin.
    disclosure = models.OneToOneField(Disclosure, null=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    emailed_to = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Record of strategy discussion {self.invitation.discussion_id} to {self.invitation}"


class StrategyStateChange(StateChangeRecord):
    """A discussion moving on, written by `core.lifecycle.transition`."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["discussion", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in DiscussionState],
                    to_state__in=[state.value for state in DiscussionState],
                    event__in=[event.value for event in DiscussionEvent],
                ),
                name="strategy_change_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Strategy discussion {self.discussion_id}: {self.from_state} → {self.to_state}"
