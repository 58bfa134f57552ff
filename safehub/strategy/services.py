"""Starting, moving, arranging and cancelling strategy discussions (000; 002 §11; 004 §6).

Every change is one transaction with its audit event. A discussion changes state only through
`core.lifecycle.transition`; its other fields by compare-and-set on its version, so that two people
acting on one discussion at once end with one winner and a message for the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from safehub.accounts.models import Agency, Role, Team, User
from safehub.accounts.permissions import can_chair_strategy
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.permissions import RATEABLE_STATES
from safehub.contacts.services import set_rating
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.core.races import claim
from safehub.people.models import Person, PersonKind
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import due_time
from safehub.strategy import invitations, permissions
from safehub.strategy.models import (
    PLACE_LENGTH,
    REASON_LENGTH,
    Invitation,
    MeetingFormat,
    StartRoute,
    StrategyChild,
    StrategyDiscussion,
)
from safehub.strategy.workflow import NOT_YET_HELD, DiscussionEvent

NOUN = "strategy discussion"


def _reason(text: str, message: str, *, field: str = "reason") -> str:
    text = text.strip()
    if not text:
        raise DomainError(message, field=field)
    if len(text) > REASON_LENGTH:
        raise DomainError(f"Write at most {REASON_LENGTH:,} characters", field=field)
    return text


def standard_due(start: datetime) -> datetime:
    """When a discussion started at `start` is due under the active protocol (000: 24 hours;
    004 §6: 2 hours). A protocol that sets no time asks for it at once (002 §11: "immediately")."""
    return due_time(Clock.STRATEGY_DISCUSSION, start=start) or start


def due_for(contact: Contact | None, start: datetime) -> datetime:
    """When a discussion started at `start` about `contact` is due: the protocol's standard from its
    start, or sooner where the protocol times it from the contact's receipt (Clock.STRATEGY_FROM_RECEIPT).
    004 §6: "If a referral is considered to be child protection, the MASH will screen the referral and hold
    a strategy meeting"; "The agreed standard for the Walsall MASH to progress a child protection concern
    is within a maximum of 2 hours": 2 hours from the contact, not 2 more from the approval."""
    standard = standard_due(start)
    if contact is None:  # a child already open to children's social care: no contact to count from
        return standard
    from_receipt = due_time(Clock.STRATEGY_FROM_RECEIPT, start=contact.received_at)
    return standard if from_receipt is None else min(standard, from_receipt)


def exception_limit(start: datetime) -> datetime | None:
    """The latest a recorded risk assessment may move a discussion started at `start` to (000: "up
    to 72-hour exception"), or None where the protocol allows no exception."""
    return due_time(Clock.STRATEGY_EXCEPTION, start=start)


def _open_for(subjects: Sequence[ContactSubject] = (), persons: Sequence[Person] = ()) -> StrategyDiscussion | None:
    """A discussion not yet held about any of these children (as named on a contact, or by their
    person record, whichever way it was started): one is enough at a time."""
    person_ids = [p.pk for p in persons] + [s.person_id for s in subjects if s.person_id is not None]
    return (
        StrategyDiscussion.objects.not_yet_held()
        .filter(Q(children__subject__in=[s.pk for s in subjects]) | Q(children__person__in=person_ids))
        .select_related("started_by")
        .first()
    )


def _already_open_message(open_discussion: StrategyDiscussion) -> str:
    return (
        f"A strategy discussion about {', '.join(str(child) for child in open_discussion.children.all())} is"
        f" already {open_discussion.get_state_display().lower()}"
        f" (started {shown_date(open_discussion.started_at)} by {open_discussion.started_by}): arrange or"
        " move that one"
    )


def _start(
    *,
    contact: Contact | None,
    team: Team,
    subjects: Sequence[ContactSubject] = (),
    persons: Sequence[Person] = (),
    route: StartRoute,
    reason: str,
    by: User,
    at: datetime,
    reconvenes: StrategyDiscussion | None = None,
) -> StrategyDiscussion:
    due = due_for(contact, at)
    discussion = StrategyDiscussion.objects.create(
        contact=contact,
        team=team,
        route=route,
        reason=reason,
        reconvenes=reconvenes,
        rating=Brag.RED.value,
        started_at=at,
        started_by=by,
        standard_due_at=due,
        due_at=due,
    )
    StrategyChild.objects.bulk_create(
        [StrategyChild(discussion=discussion, subject=subject, person=subject.person) for subject in subjects]
        + [StrategyChild(discussion=discussion, person=person) for person in persons]
    )
    record(
        Verb.STRATEGY_DISCUSSION_STARTED,
        by=by,
        contact=contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "route": route.value,
            "subjects": [s.pk for s in subjects],
            "persons": [p.pk for p in persons],
            "due_at": due.isoformat(),
            **({"reason": reason} if reason else {}),
            **({"reconvenes": reconvenes.pk} if reconvenes is not None else {}),
        },
    )
    return discussion


def start_for_approved_outcome(
    contact: Contact, subjects: Sequence[ContactSubject], *, by: User, at: datetime
) -> StrategyDiscussion | None:
    """Inside the approval's transaction: the children whose approved outcome is a strategy discussion
    get one, together, its clock starting at the approval (000: "within 24 hours"), or sooner from the
    contact's receipt where the protocol says so (`due_for`; 004 §6: 2 hours). A child already
    waiting for one (a manager started it at once) keeps theirs; None if every child has one."""
    waiting = [subject for subject in subjects if _open_for([subject]) is not None]
    new = [subject for subject in subjects if subject not in waiting]
    if not new:
        return None
    return _start(
        contact=contact,
        team=contact.team,
        subjects=new,
        route=StartRoute.APPROVED_OUTCOME,
        reason="",
        by=by,
        at=at,
    )


@transaction.atomic(durable=True)
def start_now(
    contact: Contact, *, subject_ids: Sequence[int], reason: str, by: User, at: datetime
) -> StrategyDiscussion:
    """A manager starts a discussion from a contact in any state, because protection cannot wait for
    the usual steps: the clock starts now. Whatever else changed on the contact since the form was
    drawn, the children named must still be on it; two managers pressing at once start one
    discussion (the contact's row is locked, and the second finds the first's)."""
    if not permissions.can_start_strategy(by):
        raise PermissionDenied
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    text = _reason(reason, "Say why protection cannot wait for the usual steps")
    on_contact = {s.pk: s for s in contact.subjects.all() if s.is_child}
    if not subject_ids:
        raise DomainError("Choose the children the discussion is about", field="children")
    unknown = [pk for pk in subject_ids if pk not in on_contact]
    if unknown:
        raise DomainError("Choose children on this contact", field="children")
    subjects = [on_contact[pk] for pk in subject_ids]
    waiting = _open_for(subjects)
    if waiting is not None:
        raise DomainError(_already_open_message(waiting), field="children")
    discussion = _start(
        contact=contact,
        team=contact.team,
        subjects=subjects,
        route=StartRoute.IMMEDIATE_PROTECTION,
        reason=text,
        by=by,
        at=at,
    )
    if current.state in RATEABLE_STATES and current.initial_rating != Brag.RED:
        # Significant harm is Red (002 §7, §11): the contact moves to the front of its queue too.
        set_rating(current, rating=Brag.RED.value, by=by, at=at, version=current.version)
    return discussion


def is_open_to_childrens_social_care(person: Person) -> bool:
    return person.involvements.childrens_social_care().filter(ended_on__isnull=True).exists()


@transaction.atomic(durable=True)
def start_for_open_case(person: Person, *, reason: str, by: User, at: datetime) -> StrategyDiscussion:
    """A manager starts a discussion for a child already open to children's social care, without a
    new contact (000: "strategy meetings for children already open to the TRUST"). It belongs to
    the manager's team, whose coordinators arrange it."""
    if not permissions.can_start_strategy(by):
        raise PermissionDenied
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()
    if person.kind == PersonKind.ADULT:
        raise DomainError("A strategy discussion is about a child: open the child's record")
    if not is_open_to_childrens_social_care(person):
        raise DomainError(
            f"{person} is not open to children's social care: start a strategy discussion from a contact about them"
        )
    text = _reason(reason, "Say why a strategy discussion is needed now")
    waiting = _open_for(persons=[person])
    if waiting is not None:
        raise DomainError(_already_open_message(waiting))
    team = Team.objects.filter(memberships__user=by, memberships__role=Role.TEAM_MANAGER).order_by("pk").first()
    if team is None:  # can_start_strategy asked for the role, which is held in a team
        raise PermissionDenied
    return _start(contact=None, team=team, persons=[person], route=StartRoute.OPEN_CASE, reason=text, by=by, at=at)


@transaction.atomic(durable=True)
def record_exception(
    discussion: StrategyDiscussion, *, due_at: datetime, reason: str, by: User, at: datetime, version: int
) -> StrategyDiscussion:
    """A manager's recorded risk assessment moves the discussion past the protocol's standard, up to
    its exception limit where it has one (000: 72 hours). The exception shows on every queue."""
    if not permissions.can_record_exception(by, discussion):
        raise PermissionDenied
    claim(discussion, version, noun=NOUN)
    if discussion.state not in NOT_YET_HELD:
        raise DomainError(f"This {NOUN} is {discussion.get_state_display().lower()}: its clock has stopped")
    problems = []
    text = reason.strip()
    if not text:
        problems.append(Problem("Enter the risk assessment that allows the discussion to wait", field="reason"))
    elif len(text) > REASON_LENGTH:
        problems.append(Problem(f"Write at most {REASON_LENGTH:,} characters", field="reason"))
    limit = exception_limit(discussion.started_at)
    if limit is None:
        raise DomainError(
            "The local protocol allows no exception to the strategy discussion's time: hold it as soon as it can"
            " be, or an administrator adds an exception limit to the protocol"
        )
    if due_at <= discussion.standard_due_at:
        problems.append(
            Problem(
                f"Choose a time after the standard, {shown_date(discussion.standard_due_at)}: before it no exception"
                " is needed",
                field="due_at",
            )
        )
    elif due_at > limit:
        problems.append(
            Problem(
                f"The protocol allows an exception up to {shown_date(limit)} at the latest: choose a time by then",
                field="due_at",
            )
        )
    elif due_at <= at:
        problems.append(Problem("Choose a time in the future", field="due_at"))
    if problems:
        raise Refused(problems)
    previous = discussion.due_at
    lifecycle.compare_and_set(
        discussion, noun=NOUN, due_at=due_at, exception_reason=text, exception_by_id=by.pk, exception_at=at
    )
    discussion.exception_by = by
    record(
        Verb.STRATEGY_EXCEPTION_RECORDED,
        by=by,
        contact=discussion.contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "standard_due_at": discussion.standard_due_at.isoformat(),
            "old_due_at": previous.isoformat(),
            "due_at": due_at.isoformat(),
            "reason": text,
        },
    )
    return discussion


@dataclass(frozen=True)
class Arrangement:
    meeting_at: datetime
    meeting_format: MeetingFormat
    place: str
    chair: User | None
    agencies: tuple[Agency, ...] = ()  # invited now (those invited before stay invited)
    referrer: bool = False


def latest_meeting(discussion: StrategyDiscussion, *, at: datetime) -> datetime:
    """The latest time a discussion may be arranged for: by its due time (the standard, or the
    exception's); once that has passed, within the standard counted from now, so that an overdue
    discussion is held as soon as it can be (and its lateness stays on the record)."""
    return discussion.due_at if discussion.due_at > at else standard_due(at)


def _arrangement_problems(arrangement: Arrangement, discussion: StrategyDiscussion, *, at: datetime) -> list[Problem]:
    problems = []
    latest = latest_meeting(discussion, at=at)
    if arrangement.meeting_at <= at:
        problems.append(Problem("Choose a time in the future for the discussion", field="meeting_at"))
    elif discussion.due_at <= at and arrangement.meeting_at > latest:
        problems.append(
            Problem(
                f"The discussion is overdue: arrange it for the first time it can be held, by {shown_date(latest)}"
                " (the protocol's standard, counted from now). It will show as held late",
                field="meeting_at",
            )
        )
    elif arrangement.meeting_at > latest:
        where = "the exception's time" if discussion.on_exception else "the protocol's standard"
        problems.append(
            Problem(
                f"The discussion is due by {shown_date(discussion.due_at)} ({where}): choose a time by then, or a"
                " manager records a risk assessment that allows it to wait",
                field="meeting_at",
            )
        )
    place = arrangement.place.strip()
    if not place:
        problems.append(Problem("Enter where it is held, the phone number or the video link", field="place"))
    elif len(place) > PLACE_LENGTH:
        problems.append(Problem(f"Enter at most {PLACE_LENGTH} characters", field="place"))
    chair = arrangement.chair
    if chair is None or not chair.is_active or not can_chair_strategy(chair):
        problems.append(Problem("Choose a team manager to chair the discussion", field="chair"))
    invited_before = list(Agency.objects.filter(pk__in=discussion.invitations.values("agency_id")).order_by("name"))
    chosen = {agency.pk for agency in arrangement.agencies}
    dropped = [agency.name for agency in invited_before if agency.pk not in chosen]
    if dropped:
        problems.append(
            Problem(
                f"{' and '.join(dropped)} {'was' if len(dropped) == 1 else 'were'} invited already and sent the"
                " papers: an invitation cannot be taken back. Tick it again, and tell them if they are no longer"
                " needed",
                field="agencies",
            )
        )
    missing = invitations.missing_always([*arrangement.agencies, *invited_before])
    if missing:
        problems.append(
            Problem(f"{' and '.join(missing)} are invited to every strategy discussion: choose them", field="agencies")
        )
    return problems


@transaction.atomic(durable=True)
def arrange(
    discussion: StrategyDiscussion, arrangement: Arrangement, *, by: User, at: datetime, version: int
) -> StrategyDiscussion:
    """The coordinator sets the date, time, format, place or link, and the chair (000: "arranged by
    coordinators"). Arranging again moves the meeting; either way, before its due time."""
    if not permissions.can_arrange(by, discussion):
        raise PermissionDenied
    claim(discussion, version, noun=NOUN)
    problems = _arrangement_problems(arrangement, discussion, at=at)
    chair = arrangement.chair
    if problems or chair is None:  # _arrangement_problems refuses an arrangement without a chair
        raise Refused(problems)
    again = discussion.meeting_at is not None
    changes = []
    if again and discussion.meeting_at != arrangement.meeting_at:
        changes.append(f"{shown_date(discussion.meeting_at)} → {shown_date(arrangement.meeting_at)}")
    if again and discussion.chair_id != chair.pk:
        changes.append(f"chair {discussion.chair} → {chair}")
    if again and discussion.place != arrangement.place.strip():
        changes.append("place or link changed")
    if again and discussion.meeting_format != arrangement.meeting_format.value:
        changes.append(f"now {arrangement.meeting_format.label.lower()}")
    fields = {
        "meeting_at": arrangement.meeting_at,
        "meeting_format": arrangement.meeting_format.value,
        "place": arrangement.place.strip(),
        "chair_id": chair.pk,
        "arranged_by_id": by.pk,
    }
    lifecycle.transition(
        discussion,
        DiscussionEvent.REARRANGE if again else DiscussionEvent.ARRANGE,
        by=by,
        at=at,
        note="; ".join(changes),
        fields=fields,
    )
    discussion.chair, discussion.arranged_by = chair, by
    if changes:  # everyone invited already is sent the new arrangement, as an update of their calendar entry
        Invitation.objects.filter(discussion=discussion).update(emailed_at=None, emailed_to=0)
    invited = invitations.invite(discussion, [*arrangement.agencies], referrer=arrangement.referrer, by=by, at=at)
    record(
        Verb.STRATEGY_DISCUSSION_ARRANGED,
        by=by,
        contact=discussion.contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "again": again,
            "meeting_at": arrangement.meeting_at.isoformat(),
            "format": arrangement.meeting_format.value,
            "chair": chair.username,
            "invited": [str(invitation) for invitation in invited],
        },
    )
    return discussion


@transaction.atomic(durable=True)
def cancel(discussion: StrategyDiscussion, *, reason: str, by: User, at: datetime, version: int) -> StrategyDiscussion:
    """A manager cancels a discussion not yet held, saying why; the children's record keeps it."""
    if not permissions.can_cancel(by, discussion):
        raise PermissionDenied
    claim(discussion, version, noun=NOUN)
    text = _reason(reason, "Say why the discussion is no longer needed")
    lifecycle.transition(discussion, DiscussionEvent.CANCEL, by=by, at=at, note=text, fields={"cancelled_reason": text})
    record(
        Verb.STRATEGY_DISCUSSION_CANCELLED,
        by=by,
        contact=discussion.contact,
        at=at,
        data={"discussion": discussion.pk, "reason": text},
    )
    return discussion
