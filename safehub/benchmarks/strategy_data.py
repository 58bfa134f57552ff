"""A year of strategy discussions at Birmingham's scale, for the load benchmark (issue 13: 10,000
discussions and 60,000 actions), on the contacts `checks_data` stores.

Written with bulk inserts, shaped as the services make them: discussions started after the contact,
due by the active protocol's clock; those more than two days old held (a few cancelled) with their
record sent, their actions mostly closed; the newest still to arrange, arranged or held with the
record to send, their actions open and some overdue. Police and health are invited to every one,
education to most. Papers and records are not written as disclosures here: the pages measured (the
coordinators' worktray and the partners' invitations) do not read them."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, User
from safehub.benchmarks.checks_data import TEAM, Cast, _user
from safehub.contacts.models import Contact, ContactSubject
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import due_time
from safehub.strategy.models import (
    Attendance,
    Decision,
    Invitation,
    InviteeReason,
    MeetingFormat,
    OnwardOutcome,
    StartRoute,
    StrategyAction,
    StrategyChild,
    StrategyDiscussion,
    StrategyRecord,
)
from safehub.strategy.recording import conference_due, record_due
from safehub.strategy.workflow import ActionState, DiscussionState
from safehub.synthetic.bulk import batches

COORDINATORS = 6
H = timedelta(hours=1)


@dataclass(frozen=True)
class Stored:
    coordinators: list[User]
    partners: list[User]  # police and health professionals, whose agencies are invited to every discussion
    discussions: int
    actions: int
    open_discussions: list[int]


def _coordinators(cast: Cast, *, at: datetime) -> list[User]:
    found = []
    for n in range(COORDINATORS):
        user = _user(f"lb-coord-{n}", "Strategy", f"Coordinator {n}", at=at)
        Membership.objects.get_or_create(user=user, team=cast.team, role=Role.STRATEGY_COORDINATOR)
        found.append(user)
    return found


def existing(cast: Cast, *, at: datetime) -> Stored | None:
    discussions = StrategyDiscussion.objects.filter(team=cast.team)
    if not discussions.exists():
        return None
    return _stored(cast, at=at)


def _stored(cast: Cast, *, at: datetime) -> Stored:
    discussions = StrategyDiscussion.objects.filter(team=cast.team)
    partners = cast.partners.get(AgencyKind.POLICE, []) + cast.partners.get(AgencyKind.HEALTH, [])
    return Stored(
        coordinators=_coordinators(cast, at=at),
        partners=partners,
        discussions=discussions.count(),
        actions=StrategyAction.objects.filter(discussion__in=discussions).count(),
        open_discussions=list(
            discussions.exclude(state__in=[DiscussionState.RECORD_SENT, DiscussionState.CANCELLED]).values_list(
                "pk", flat=True
            )
        ),
    )


def populate(
    cast: Cast,
    *,
    discussions: int,
    actions: int,
    now: datetime,
    seed: int = 11,
    progress: Callable[[str], None] = lambda _: None,
) -> Stored:
    rng = random.Random(seed)  # noqa: S311 - generating benchmark data, not security
    if actions < discussions:
        raise ValueError("Give at least one action a discussion on average")
    contacts = list(Contact.objects.filter(team=cast.team).order_by("received_at").values_list("pk", "received_at"))
    if len(contacts) < discussions:
        raise ValueError(f"Only {len(contacts):,} contacts are stored: store more, or ask for fewer discussions")
    chosen = sorted(rng.sample(contacts, discussions), key=lambda c: c[1])
    children = dict(
        ContactSubject.objects.filter(contact__in=[pk for pk, _ in chosen], role="child").values_list("contact", "pk")
    )
    agencies = {a.kind: a for a in Agency.objects.filter(teams__name=TEAM, is_host=False)}
    invited_kinds = [AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION]
    chair = cast.managers[0]
    with transaction.atomic():
        coordinators = _coordinators(cast, at=now)
    progress(f"{discussions:,} strategy discussions, their children and invitations")
    rows = []
    recent = now - timedelta(days=2)
    for pk, received in chosen:
        started = min(received + timedelta(minutes=rng.randint(60, 600)), now - H)
        due = due_time(Clock.STRATEGY_DISCUSSION, start=started) or started
        if started > recent:
            state = rng.choice([DiscussionState.TO_ARRANGE, DiscussionState.ARRANGED, DiscussionState.HELD])
        else:
            state = DiscussionState.CANCELLED if rng.random() < 0.03 else DiscussionState.RECORD_SENT
        meeting = started + (due - started) * rng.uniform(0.3, 1.2)
        if state == DiscussionState.ARRANGED:
            meeting = max(meeting, now + H)
        elif state == DiscussionState.HELD:
            meeting = max(started, min(meeting, now - H / 2))
        arranged = state != DiscussionState.TO_ARRANGE and state != DiscussionState.CANCELLED
        rows.append(
            StrategyDiscussion(
                contact_id=pk,
                team=cast.team,
                route=StartRoute.APPROVED_OUTCOME,
                rating=Brag.RED,
                state=state,
                started_at=started,
                started_by=chair,
                standard_due_at=due,
                due_at=due,
                meeting_at=meeting if arranged else None,
                meeting_format=MeetingFormat.VIDEO if arranged else "",
                place="https://meet.example/benchmark" if arranged else "",
                chair=chair if arranged else None,
                arranged_by=coordinators[0] if arranged else None,
                cancelled_reason="Benchmark: no longer needed" if state == DiscussionState.CANCELLED else "",
            )
        )
    with transaction.atomic():
        made = StrategyDiscussion.objects.bulk_create(rows, batch_size=2000)
        batches(
            (
                StrategyChild(discussion=d, subject_id=children.get(d.contact_id))
                for d in made
                if d.contact_id in children
            ),
            StrategyChild,
        )
        held = [d for d in made if d.state in (DiscussionState.HELD, DiscussionState.RECORD_SENT)]
        batches(
            (
                Invitation(
                    discussion=d,
                    agency=agencies[kind],
                    reason=InviteeReason.CHECKS if kind == AgencyKind.EDUCATION else InviteeReason(kind),
                    invited_at=d.started_at + timedelta(minutes=20),
                    invited_by=coordinators[0],
                    emailed_at=d.started_at + timedelta(minutes=21),
                    emailed_to=5,
                    attendance=(Attendance.ATTENDED if rng.random() < 0.85 else Attendance.SENT_INFORMATION)
                    if d.state in (DiscussionState.HELD, DiscussionState.RECORD_SENT)
                    else "",
                )
                for d in made
                if d.meeting_at is not None
                for kind in invited_kinds
                if kind in agencies and (kind != AgencyKind.EDUCATION or rng.random() < 0.7)
            ),
            Invitation,
        )
        progress(f"{len(held):,} records and {actions:,} actions")
        batches((_record(d, rng, chair) for d in held), StrategyRecord)
        per = [1] * len(held)
        for _ in range(actions - len(held)):
            per[rng.randrange(len(held))] += 1
        owners = [agencies[k] for k in invited_kinds if k in agencies]
        batches(
            (
                _action(d, rng.choice(owners), rng, now=now, by=chair)
                for d, count in zip(held, per, strict=True)
                for _ in range(count)
            ),
            StrategyAction,
        )
    progress("planner statistics (ANALYZE), as autovacuum would gather them")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _stored(cast, at=now)


def _record(discussion: StrategyDiscussion, rng: random.Random, chair: User) -> StrategyRecord:
    assert discussion.meeting_at is not None  # noqa: S101 - only a discussion held gets a record
    held_at = discussion.meeting_at
    starts = rng.random() < 0.7
    held_on = held_at.date()
    sent = discussion.state == DiscussionState.RECORD_SENT
    return StrategyRecord(
        discussion=discussion,
        held_at=held_at,
        recorded_at=held_at + H,
        recorded_by=chair,
        analysis="Benchmark analysis",
        decision=Decision.JOINT if starts else Decision.NO_ENQUIRY,
        onward_outcome="" if starts else OnwardOutcome.ASSESSMENT,
        police_investigate=starts,
        medical_examination=False,
        family_told=True,
        who_tells="The social worker",
        tell_by=held_at + 4 * H,
        safety_plan="Benchmark safety plan",
        enquiry_started_on=held_on if starts else None,
        conference_due_on=conference_due(held_on) if starts else None,
        send_due_at=record_due(held_at),
        sent_at=held_at + 5 * H if sent else None,
        sent_by=chair if sent else None,
    )


def _action(
    discussion: StrategyDiscussion, agency: Agency, rng: random.Random, *, now: datetime, by: User
) -> StrategyAction:
    assert discussion.meeting_at is not None  # noqa: S101 - only a discussion held has actions
    due = discussion.meeting_at + timedelta(hours=rng.randint(6, 240))
    closed = due < now - timedelta(days=3) and rng.random() < 0.97
    return StrategyAction(
        discussion=discussion,
        description="Benchmark action",
        agency=agency,
        owner="Named lead",
        due_at=due,
        state=ActionState.CLOSED if closed else ActionState.OPEN,
        created_at=discussion.meeting_at + H,
        created_by=by,
        closed_note="Done" if closed else "",
    )
