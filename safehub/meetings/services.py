"""Opening, recording and closing the daily MASH meeting (002 §7). Every change is one transaction with
its audit event; the meeting closes only through `core.lifecycle.transition`, and each item's decision
by compare-and-set on its version, so two people recording at once end with one decision and a message
for the other."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from safehub.accounts.models import Agency, Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import Channel, ConcernCategory, Contact
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import lower_first, shown_date
from safehub.core.races import claim
from safehub.core.working_time import LONDON, is_working_day
from safehub.meetings import permissions
from safehub.meetings.models import (
    DECISIONS,
    NOTE_LENGTH,
    AgendaItem,
    DailyMeeting,
    ItemReason,
    MeetingAttendance,
    MeetingKind,
)
from safehub.meetings.workflow import MeetingEvent, MeetingState
from safehub.protocols.models import Brag, LocalProtocol
from safehub.protocols.policy import active_protocol

NOUN = "daily meeting"
# A hub's first meeting looks back a week for its agenda.
FIRST_AGENDA = timedelta(days=7)
ACTS_LENGTH = 200
REASON_ORDER = {ItemReason.RED: 0, ItemReason.DOMESTIC_ABUSE: 1, ItemReason.AMBER: 2}


@dataclass(frozen=True)
class Schedule:
    """When a kind of meeting is held under the protocol, and who sits in it: no days, no meeting."""

    days: tuple[int, ...]
    starts: time | None
    members: tuple[str, ...]

    @property
    def is_held(self) -> bool:
        return bool(self.days) and self.starts is not None


def schedule(protocol: LocalProtocol, kind: str = MeetingKind.MASH) -> Schedule:
    prefix = MeetingKind(kind).setting
    return Schedule(
        tuple(getattr(protocol, f"{prefix}_days")),
        getattr(protocol, f"{prefix}_time"),
        tuple(getattr(protocol, f"{prefix}_members")),
    )


def is_meeting_day(protocol: LocalProtocol, at: datetime, kind: str = MeetingKind.MASH) -> bool:
    """Whether the meeting of this kind is held on the day `at` falls on: one of its weekdays, and a working
    day (002 §7: "between Tuesdays – Friday at 11am in the MASH room", the partners attending: not on a
    bank holiday, nor on one of the hub's own closure days)."""
    day = at.astimezone(LONDON).date()
    return day.weekday() in schedule(protocol, kind).days and is_working_day(
        day, extra_holidays=protocol.extra_holidays()
    )


# Each kind's audit verbs: opened, attendance, decision, closed.
VERBS = {
    MeetingKind.MASH: (
        Verb.DAILY_MEETING_OPENED,
        Verb.DAILY_MEETING_ATTENDANCE,
        Verb.DAILY_MEETING_DECISION,
        Verb.DAILY_MEETING_CLOSED,
    ),
    MeetingKind.TRIAGE: (Verb.TRIAGE_OPENED, Verb.TRIAGE_ATTENDANCE, Verb.TRIAGE_DECISION, Verb.TRIAGE_CLOSED),
}


def _is_domestic_abuse(contact: Contact) -> bool:
    return (
        contact.channel == Channel.POLICE_NOTIFICATION and ConcernCategory.DOMESTIC_ABUSE in contact.concern_categories
    )


def current_rating(contact: Contact) -> str:
    """The contact's BRAG as it stands: the social worker's latest recommendation's, else the rating the
    MASH checks were started at, else the rating given at the front door ("" if none yet). Read through
    the contact's relations (prefetched by `agenda_contacts`): decisions sits above this app."""
    recommendations = sorted(contact.recommendations.all(), key=lambda r: (r.recommended_at, r.pk))
    if recommendations:
        return str(recommendations[-1].rating)
    checks = sorted(contact.mash_checks.all(), key=lambda c: c.pk)
    if checks:
        return str(checks[-1].rating)
    return contact.initial_rating


def _reason(contact: Contact, rating: str, *, triage_held: bool = False) -> ItemReason | None:
    """Why a contact is on the agenda: its BRAG (Red, Amber), or being a police domestic-abuse
    notification whatever its rating (unless the hub's domestic-abuse triage decides those); None if
    it is not."""
    if rating == Brag.RED:
        return ItemReason.RED
    if _is_domestic_abuse(contact) and not triage_held:
        return ItemReason.DOMESTIC_ABUSE
    if rating == Brag.AMBER:
        return ItemReason.AMBER
    return None


def agenda_contacts(
    team: Team, *, since: datetime, until: datetime, kind: str = MeetingKind.MASH, triage_held: bool = False
) -> list[tuple[Contact, ItemReason]]:
    """Every Red and Amber contact, and every police domestic-abuse notification, the team received
    from `since` to `until` (002 §7), Red first, then the notifications, then Amber, oldest first. The
    triage's list is every police domestic-abuse notification alone, oldest first (issue 13)."""
    found = []
    arrived = Contact.objects.filter(team=team, received_at__gte=since, received_at__lt=until)
    if kind == MeetingKind.TRIAGE:
        arrived = arrived.filter(channel=Channel.POLICE_NOTIFICATION)
    for contact in arrived.prefetch_related("recommendations", "mash_checks").order_by("received_at", "pk"):
        if kind == MeetingKind.TRIAGE:
            reason = ItemReason.DOMESTIC_ABUSE if _is_domestic_abuse(contact) else None
        else:
            reason = _reason(contact, current_rating(contact), triage_held=triage_held)
        if reason is not None:
            found.append((contact, reason))
    return sorted(found, key=lambda pair: (REASON_ORDER[pair[1]], pair[0].received_at, pair[0].pk))


@transaction.atomic(durable=True)
def open_meeting(team: Team, *, by: User, at: datetime, kind: str = MeetingKind.MASH) -> DailyMeeting:
    """Today's meeting of its kind, with its agenda: what arrived since the last one opened, and what the
    last one did not reach (carried over, first in its place). The members' attendance starts unrecorded."""
    if not permissions.can_run_meeting(by):
        raise PermissionDenied
    protocol = active_protocol()
    name = MeetingKind(kind).label
    held = schedule(protocol, kind)
    if not held.is_held:
        raise DomainError(f"The local protocol holds no {lower_first(name)}: an administrator sets its days and time")
    if not is_meeting_day(protocol, at, kind):
        local = at.astimezone(LONDON)
        if local.weekday() in held.days:  # one of its days, but a bank holiday or a closure day
            raise DomainError(f"The {lower_first(name)} is not held on a bank holiday or a day the hub is closed")
        raise DomainError(f"The {lower_first(name)} is not held on a {local:%A}")
    held_on = at.astimezone(LONDON).date()
    Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True).first()
    mine = DailyMeeting.objects.filter(team=team, kind=kind)
    already = mine.filter(held_on=held_on).select_related("opened_by").first()
    if already is not None:
        raise DomainError(
            f"Today's meeting was opened at {shown_date(already.opened_at, 'H:i')} by {already.opened_by}: open it"
        )
    last = mine.order_by("-opened_at", "-pk").first()
    since = last.opened_at if last is not None else at - FIRST_AGENDA
    try:
        with transaction.atomic():
            meeting = DailyMeeting.objects.create(
                team=team, kind=kind, held_on=held_on, opened_at=at, opened_by=by, agenda_since=since
            )
    except IntegrityError:  # a second manager opened it a moment ago
        raise DomainError("Today's meeting was opened a moment ago by someone else: open it") from None
    members = Agency.objects.filter(kind__in=list(held.members)).order_by("name")
    MeetingAttendance.objects.bulk_create([MeetingAttendance(meeting=meeting, agency=agency) for agency in members])
    carried = (
        list(
            last.items.filter(decision="")
            .select_related("contact")
            .prefetch_related("contact__recommendations", "contact__mash_checks")
        )
        if last is not None
        else []
    )
    rows: list[tuple[Contact, ItemReason, AgendaItem | None]] = [
        (item.contact, ItemReason(item.reason), item) for item in carried
    ]
    on_it = {item.contact_id for item in carried}
    rows += [
        (c, reason, None)
        for c, reason in agenda_contacts(
            team, since=since, until=at, kind=kind, triage_held=schedule(protocol, MeetingKind.TRIAGE).is_held
        )
        if c.pk not in on_it
    ]
    rows.sort(key=lambda row: (REASON_ORDER[row[1]], row[2] is None, row[0].received_at, row[0].pk))
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                contact=contact,
                reason=reason,
                rating=current_rating(contact),
                order=order,
                carried_from=earlier,
            )
            for order, (contact, reason, earlier) in enumerate(rows, start=1)
        ]
    )
    record(
        VERBS[MeetingKind(kind)][0],
        by=by,
        at=at,
        data={"meeting": meeting.pk, "items": len(rows), "carried": len(carried), "since": since.isoformat()},
    )
    return meeting


@transaction.atomic(durable=True)
def record_attendance(
    meeting: DailyMeeting, *, attended: Sequence[int], by: User, at: datetime, version: int
) -> DailyMeeting:
    """Which member agencies are at the meeting (a later record replaces an earlier one until it closes)."""
    if not permissions.can_record_at_meeting(by):
        raise PermissionDenied
    claim(meeting, version, noun=NOUN)
    _still_open(meeting)
    members = set(meeting.attendance.values_list("agency_id", flat=True))
    unknown = set(attended) - members
    if unknown:
        raise DomainError("Choose agencies that sit in the meeting", field="attended")
    meeting.attendance.update(attended=False)
    meeting.attendance.filter(agency_id__in=list(attended)).update(attended=True)
    DailyMeeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=at)
    meeting.attendance_recorded_at = at
    lifecycle.compare_and_set(meeting, noun=NOUN)
    record(
        VERBS[MeetingKind(meeting.kind)][1], by=by, at=at, data={"meeting": meeting.pk, "attended": sorted(attended)}
    )
    return meeting


def _still_open(meeting: DailyMeeting) -> None:
    if meeting.state != MeetingState.OPEN:
        noun = MeetingKind(meeting.kind).noun
        raise DomainError(f"This {noun} closed at {shown_date(meeting.closed_at)}: its agenda is locked")


class DecidedMeanwhile(DomainError):  # noqa: N818 (a domain phrase)
    """Someone recorded a decision for the item since the form was drawn: who, what, and the version to
    replace it with if the user still means theirs."""

    def __init__(self, message: str, *, version: int) -> None:
        super().__init__(message)
        self.version = version


@transaction.atomic(durable=True)
def decide(
    item: AgendaItem,
    *,
    decision: str,
    acts: str,
    note: str,
    by: User,
    at: datetime,
    version: int,
    noted: Mapping[str, Any] | None = None,
) -> AgendaItem:
    """One decision for an item, and who acts on it (002 §7). `noted`: what the meeting knew of the
    item's police notification as it decided (kept with the decision)."""
    if not permissions.can_record_at_meeting(by):
        raise PermissionDenied
    meeting = DailyMeeting.objects.select_for_update().get(pk=item.meeting_id)
    _still_open(meeting)
    current = AgendaItem.objects.select_related("decided_by").get(pk=item.pk)
    if current.version != version and current.decided_by is not None:
        raise DecidedMeanwhile(
            f"{current.decided_by} recorded “{current.get_decision_display()}, {current.acts} acts” for this item at"
            f" {shown_date(current.decided_at, 'H:i')}. Yours is below, not saved: save it again to replace theirs",
            version=current.version,
        )
    claim(item, version, noun="agenda item")
    problems = []
    if decision not in DECISIONS[meeting.kind]:
        problems.append(Problem("Choose a decision", field="decision"))
    who = acts.strip()
    if not who:
        problems.append(Problem("Say who acts on the decision", field="acts"))
    elif len(who) > ACTS_LENGTH:
        problems.append(Problem(f"Enter at most {ACTS_LENGTH} characters", field="acts"))
    if len(note.strip()) > NOTE_LENGTH:
        problems.append(Problem(f"Write at most {NOTE_LENGTH:,} characters", field="note"))
    if problems:
        raise Refused(problems)
    before = item.decision
    fields = {
        "decision": decision,
        "acts": who,
        "note": note.strip(),
        "decided_at": at,
        "decided_by_id": by.pk,
        "noted": dict(noted or {}),
    }
    AgendaItem.objects.filter(pk=item.pk).update(version=item.version + 1, **fields)  # claimed above: ours
    for name, value in fields.items():
        setattr(item, name, value)
    item.version += 1
    item.decided_by = by
    record(
        VERBS[MeetingKind(meeting.kind)][2],
        by=by,
        contact=item.contact,
        at=at,
        data={"meeting": item.meeting_id, "item": item.pk, "decision": decision, "acts": who, "before": before},
    )
    return item


@transaction.atomic(durable=True)
def close_meeting(
    meeting: DailyMeeting,
    *,
    by: User,
    at: datetime,
    version: int,
    noted: Mapping[int, Mapping[str, Any]] | None = None,
) -> DailyMeeting:
    """The meeting ends: its agenda locks, and what it did not reach goes to the next meeting's agenda.
    `noted`: by item, what the meeting knew of each police notification it did not decide."""
    if not permissions.can_run_meeting(by):
        raise PermissionDenied
    claim(meeting, version, noun=NOUN)
    _still_open(meeting)
    if meeting.attendance_recorded_at is None and meeting.attendance.exists():
        noun = MeetingKind(meeting.kind).noun
        raise DomainError(f"Record who attended before closing the {noun}: its minutes say who was there")
    left = meeting.items.filter(decision="").count()
    for pk, known in (noted or {}).items():
        meeting.items.filter(pk=pk, decision="").update(noted=dict(known))
    lifecycle.transition(
        meeting,
        MeetingEvent.CLOSE,
        by=by,
        at=at,
        note=f"{left} item{'s' if left != 1 else ''} not reached: carried to the next meeting" if left else "",
        fields={"closed_at": at, "closed_by_id": by.pk},
    )
    meeting.closed_by = by
    record(VERBS[MeetingKind(meeting.kind)][3], by=by, at=at, data={"meeting": meeting.pk, "not_reached": left})
    return meeting
