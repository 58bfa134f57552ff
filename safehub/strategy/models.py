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
from safehub.contacts.models import Contact, ContactSubject
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.people.models import Person
from safehub.protocols.models import Brag
from safehub.sharing.models import Disclosure
from safehub.strategy.workflow import LIFECYCLE, NOT_YET_HELD, DiscussionEvent, DiscussionState

STATE_CHOICES = [(state.value, state.label) for state in DiscussionState]
REASON_LENGTH = 2000
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

    class Meta:
        ordering = ["due_at", "pk"]
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
    # Emailed by the background worker, exactly once for each arrangement (strategy.emails): set back
    # to empty when the meeting moves, so that the invitee gets the new time and calendar entry.
    emailed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    emailed_to = models.PositiveSmallIntegerField(default=0)  # how many addresses: 0 means nobody could be

    class Meta:
        ordering = ["discussion_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(name=""), name="strategy_invitation_is_someone"
            ),
            models.UniqueConstraint(
                fields=["discussion", "agency"], condition=Q(agency__isnull=False), name="strategy_agency_invited_once"
            ),
        ]

    def __str__(self) -> str:
        return self.agency.name if self.agency is not None else self.name


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
