"""A week of planned contacts (`year_plan`) written as the rows the front door's services leave behind
(`synthetic.year`): the people, the contact and its subjects linked to the person index, its
screening, recommendation, approval, each child's outcome and referral, the outcome actioned and the
referrer told, the contact's state changes; the MASH checks with their requests, disclosures,
answers and alerts; the requests to share without consent; the strategy discussions with their
invitations and records. Written in bulk, not through the services (which write a few contacts a
second), so there are no audit events for these steps: the year is history the hub already holds."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from safehub.accounts.models import Agency, AgencyKind, Team, User
from safehub.checks.models import AgencyRequest, AgencyResponse, Alert, ChecksState, MashChecks
from safehub.checks.services import DEFAULT_BASES
from safehub.consent.models import (
    ConsentAnswer,
    ConsentMethod,
    ConsentOverride,
    ConsentPurpose,
    ConsentRecord,
    Giver,
    OverridePower,
    OverrideStateChange,
)
from safehub.consent.workflow import OverrideEvent, OverrideState
from safehub.contacts.models import ConsentPosition, Contact, ContactSubject, ReferrerKind, StateChange, SubjectRole
from safehub.contacts.workflow import ContactState, Event, next_state
from safehub.core.working_time import LONDON, is_working_day, london_date
from safehub.decisions.models import (
    STATUTORY_OUTCOMES,
    ChildAction,
    ChildDecision,
    ChildRecommendation,
    Decision,
    Outcome,
    OutcomeAction,
    Recommendation,
    Referral,
    Verdict,
)
from safehub.people.models import Person
from safehub.protocols.models import Brag, Clock, ThresholdLevel
from safehub.protocols.policy import Deadlines
from safehub.screening.models import Screening, ScreeningRoute
from safehub.sharing.models import Disclosure
from safehub.strategy.models import (
    Attendance,
    Invitation,
    InviteeReason,
    MeetingFormat,
    OnwardOutcome,
    StartRoute,
    StrategyChild,
    StrategyDiscussion,
    StrategyRecord,
)
from safehub.strategy.models import Decision as StrategyDecision
from safehub.strategy.recording import conference_due
from safehub.strategy.workflow import DiscussionState
from safehub.synthetic.bulk import batches
from safehub.synthetic.checks_rows import (
    agency_request,
    alerts_for,
    answered_at,
    disclosures_for,
    request_subject,
    responses_to,
)
from safehub.synthetic.year_plan import LEVEL_FOR, RATING_FOR, ChildPlan, ContactPlan

REFERENCE_PREFIX = "Y"  # the year's contacts: Y000001…, apart from the services' C2026-000123
ALWAYS = (AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION)
SOMETIMES = (AgencyKind.HOUSING, AgencyKind.PROBATION, AgencyKind.DOMESTIC_ABUSE, AgencyKind.EARLY_YEARS)
H = timedelta(hours=1)


@dataclass(frozen=True)
class Hub:
    """Who works the year: the front door's team and people, the strategy coordinators, the partner
    agencies (by kind) and their designated professionals, and the assessment team statutory outcomes
    go to (its name, and its social workers as Safehub users)."""

    team: Team
    officers: Sequence[User]
    social_workers: Sequence[User]
    managers: Sequence[User]
    coordinators: Sequence[User]
    agencies: Mapping[str, Agency]
    partners: Mapping[str, Sequence[User]]
    assessment_team: str
    assessment_workers: Sequence[User]


def _pick(people: Sequence[User], index: int, *, other_than: User | None = None) -> User:
    chosen = people[index % len(people)]
    if chosen == other_than and len(people) > 1:
        chosen = people[(index + 1) % len(people)]
    return chosen


class Writer:
    """Writes weeks of planned contacts, and keeps what later steps (the casework) need of them."""

    def __init__(
        self, hub: Hub, *, deadlines: Deadlines, levels: Sequence[ThresholdLevel], now: datetime, seed: int
    ) -> None:
        self.hub, self.deadlines, self.levels, self.now = hub, deadlines, list(levels), now
        self.rng = random.Random(seed)  # noqa: S311 - generated data, not security
        self.counts: dict[str, int] = {}

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def _level(self, rating: Brag) -> ThresholdLevel:
        return self.levels[LEVEL_FOR[rating] % len(self.levels)]

    @transaction.atomic
    def write(self, plans: Sequence[ContactPlan]) -> None:
        people = [p for plan in plans for p in (*(c.person for c in plan.children), plan.parent) if p is not None]
        new = {id(p): p for p in people if p._state.adding}
        self._count("people", batches(new.values(), Person))
        contacts = [self._contact(plan) for plan in plans]
        self._count("contacts", batches(contacts, Contact))
        subjects = {plan.number: self._subjects(plan, contact) for plan, contact in zip(plans, contacts, strict=True)}
        self._count("subjects", batches((s for each in subjects.values() for s in each), ContactSubject))
        self._count(
            "screenings", batches((self._screening(p, c) for p, c in zip(plans, contacts, strict=True)), Screening)
        )
        self._count(
            "state_changes",
            batches((s for p, c in zip(plans, contacts, strict=True) for s in self._changes(p, c)), StateChange),
        )
        decided = [
            (p, c) for p, c in zip(plans, contacts, strict=True) if p.route == ScreeningRoute.REFER_FOR_THRESHOLD
        ]
        self._decisions(decided, subjects)
        self._checks([(p, c) for p, c in decided if p.checks], subjects)
        self._overrides([(p, c) for p, c in decided if "override_asked" in p.times], subjects)
        self._consent([(p, c) for p, c in decided if c.consent == ConsentPosition.GIVEN], subjects)
        self._strategy([(p, c) for p, c in decided if p.outcome == Outcome.STRATEGY_DISCUSSION], subjects)

    def _contact(self, plan: ContactPlan) -> Contact:
        linked = len(plan.children) + (plan.parent is not None)
        return Contact(
            reference=f"{REFERENCE_PREFIX}{plan.number:06d}",
            team=self.hub.team,
            received_at=plan.received,
            state=ContactState.CLOSED,
            version=len(_events(plan)) + linked,
            recorded_by=_pick(self.hub.officers, plan.staff["officer"]),
            recorded_at=plan.received,
            **plan.fields,
        )

    def _subjects(self, plan: ContactPlan, contact: Contact) -> list[ContactSubject]:
        named = [(child.person, child.role) for child in plan.children]
        if plan.parent is not None:
            named.append((plan.parent, SubjectRole.PARENT))
        return [
            ContactSubject(
                contact=contact,
                role=role,
                kind=person.kind,
                given_name=person.given_name,
                family_name=person.family_name,
                sex=person.sex,
                date_of_birth=person.date_of_birth,
                ethnicity=person.ethnicity,
                address=plan.family.address,
                postcode=plan.family.postcode,
                has_parental_responsibility=role == SubjectRole.PARENT,
                person=person,
                order=order,
            )
            for order, (person, role) in enumerate(named)
        ]

    def _screening(self, plan: ContactPlan, contact: Contact) -> Screening:
        forward = plan.route == ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER
        return Screening(
            contact=contact,
            known_status=plan.known,
            route=plan.route,
            allocated_worker="The child's allocated social worker" if forward else "",
            allocated_team=self.hub.assessment_team if forward else "",
            signposted_to="Children's centre" if plan.route == ScreeningRoute.SIGNPOST else "",
            screened_by=contact.recorded_by,
            screened_at=plan.times["screened"],
        )

    def _changes(self, plan: ContactPlan, contact: Contact) -> list[StateChange]:
        changes, state = [], ContactState.RECEIVED
        for event, at, by in _events(plan, hub=self.hub):
            after = next_state(state, event)
            changes.append(StateChange(contact=contact, at=at, by=by, event=event, from_state=state, to_state=after))
            state = after
        return changes

    def _decisions(self, decided: list[tuple[ContactPlan, Contact]], subjects: dict[int, list[ContactSubject]]) -> None:
        hub = self.hub
        recommendations: list[tuple[ContactPlan, Recommendation]] = []
        for plan, contact in decided:
            rating = plan.rating
            assert rating is not None  # noqa: S101 - every child sent for a decision has an outcome
            worker = _pick(hub.social_workers, plan.staff["worker"])
            times = ["recommended", "recommended_again"] if plan.returned else ["recommended"]
            for name in times:
                recommendations.append(
                    (
                        plan,
                        Recommendation(
                            contact=contact,
                            rating=rating,
                            rationale="Needs and risks weighed against the threshold document; records checked.",
                            recommended_by=worker,
                            recommended_at=plan.times[name],
                        ),
                    )
                )
        batches((r for _, r in recommendations), Recommendation)
        children = []
        for plan, recommendation in recommendations:
            for child, subject in zip(plan.children, subjects[plan.number], strict=False):
                assert child.outcome is not None  # noqa: S101
                rating = RATING_FOR[child.outcome]
                children.append(
                    ChildRecommendation(
                        recommendation=recommendation,
                        subject=subject,
                        rating=rating,
                        level=self._level(rating),
                        outcome=child.outcome,
                    )
                )
        batches(children, ChildRecommendation)
        decisions: list[tuple[ContactPlan, Decision]] = []
        for plan, recommendation in recommendations:
            worker = recommendation.recommended_by
            manager = _pick(hub.managers, plan.staff["manager"], other_than=worker)
            again = plan.returned and recommendation.recommended_at == plan.times["recommended"]
            decisions.append(
                (
                    plan,
                    Decision(
                        contact=recommendation.contact,
                        recommendation=recommendation,
                        verdict=Verdict.RETURNED if again else Verdict.APPROVED,
                        rationale="Please check school and health records first." if again else "Agreed.",
                        decided_by=manager,
                        decided_at=plan.times["returned" if again else "approved"],
                    ),
                )
            )
        self._count("decisions", batches((d for _, d in decisions), Decision))
        approved = [(plan, decision) for plan, decision in decisions if decision.verdict == Verdict.APPROVED]
        batches(
            (
                ChildDecision(decision=decision, subject=subject, outcome=_decided(child))
                for plan, decision in approved
                for child, subject in zip(plan.children, subjects[plan.number], strict=False)
            ),
            ChildDecision,
        )
        self._count(
            "referrals",
            batches(
                (
                    Referral(
                        contact=decision.contact,
                        subject=subject,
                        decision=decision,
                        outcome=child.outcome,
                        referred_at=decision.decided_at,
                    )
                    for plan, decision in approved
                    for child, subject in zip(plan.children, subjects[plan.number], strict=False)
                    if child.outcome in STATUTORY_OUTCOMES
                ),
                Referral,
            ),
        )
        actions = []
        for plan, decision in approved:
            referred = bool(plan.referred)
            anonymous = plan.fields["referrer_kind"] == ReferrerKind.ANONYMOUS
            actions.append(
                (
                    plan,
                    OutcomeAction(
                        contact=decision.contact,
                        decision=decision,
                        actioned_by=_pick(hub.officers, plan.staff["other"]),
                        actioned_at=plan.times["actioned"],
                        sent_to=hub.assessment_team if referred else "",
                        allocated_worker=_pick(hub.assessment_workers, plan.staff["worker_2"]) if referred else None,
                        referrer_informed_at=None if anonymous else plan.times["actioned"],
                        referrer_informed_by="" if anonymous else "email",
                    ),
                )
            )
        batches((a for _, a in actions), OutcomeAction)
        batches(
            (
                ChildAction(
                    action=action,
                    subject=subject,
                    outcome=_decided(child),
                    team=hub.assessment_team if child.outcome in STATUTORY_OUTCOMES else "",
                    worker=action.allocated_worker.get_full_name()
                    if action.allocated_worker and child.outcome in STATUTORY_OUTCOMES
                    else "",
                    allocated_worker=action.allocated_worker if child.outcome in STATUTORY_OUTCOMES else None,
                )
                for plan, action in actions
                for child, subject in zip(plan.children, subjects[plan.number], strict=False)
            ),
            ChildAction,
        )

    def _checks(self, checked: list[tuple[ContactPlan, Contact]], subjects: dict[int, list[ContactSubject]]) -> None:
        hub, rng = self.hub, self.rng
        rows = []
        for plan, contact in checked:
            started = plan.times["checks_started"]
            rows.append(
                MashChecks(
                    contact=contact,
                    reason="Need and risk are unclear: partner information is needed before deciding",
                    rating=plan.rating or Brag.AMBER,
                    bases=[basis.value for basis in DEFAULT_BASES],
                    coordinator=_pick(hub.social_workers, plan.staff["worker"]),
                    started_by=_pick(hub.managers, plan.staff["manager"]),
                    started_at=started,
                    state=ChecksState.SUBMITTED,
                    analysis="Partner information gathered; see the responses.",
                    submitted_by=_pick(hub.social_workers, plan.staff["worker"]),
                    submitted_at=plan.times["checks_submitted"],
                )
            )
        self._count("mash_checks", batches(rows, MashChecks))
        sometimes = [kind for kind in SOMETIMES if kind in hub.agencies and hub.partners.get(kind)]
        requests = []
        for (plan, _), checks in zip(checked, rows, strict=True):
            named = [request_subject(_as_dict(s)) for s in subjects[plan.number]]
            asked = [*ALWAYS, *rng.sample(sometimes, k=min(len(sometimes), rng.choice([0, 0, 1, 2])))]
            for kind in _distinct([kind for kind in asked if kind in hub.agencies], hub):
                due = self.deadlines.request_due(start=checks.started_at, rating=checks.rating, agency=kind)
                due = due or checks.started_at + 24 * H
                answered = answered_at(rng, checks, due, now=self.now)
                if answered is not None:
                    answered = min(answered, max(checks.submitted_at or answered, checks.started_at + H / 4))
                requests.append(agency_request(checks, hub.agencies[kind], named, due=due, answered=answered))
        self._count("agency_requests", batches(requests, AgencyRequest))
        by_pk = {row.pk: row for row in rows}
        contact_checks = {row.contact_id: row.pk for row in rows}
        batches(disclosures_for(requests, by_pk, contacts_by_checks=contact_checks), Disclosure)
        batches(responses_to(requests, hub.partners, rng), AgencyResponse)
        batches(alerts_for(requests, by_pk, hub.partners, now=self.now), Alert)

    def _consent(self, given: list[tuple[ContactPlan, Contact]], subjects: dict[int, list[ContactSubject]]) -> None:
        """The parent's consent to MASH checks for each child, as the worker recorded it on the contact the
        family agreed to (003 App. 4 §4): the consent figures count these by month."""
        rows = []
        for plan, contact in given:
            parent = plan.parent
            name = f"{parent.given_name} {parent.family_name}" if parent is not None else "A parent"
            at = plan.times["screened"]
            rows += [
                ConsentRecord(
                    contact=contact,
                    subject=subject,
                    purpose=ConsentPurpose.MASH_CHECKS,
                    answer=ConsentAnswer.GIVEN,
                    given_by=Giver.PARENT,
                    giver_name=name,
                    given_on=london_date(at),
                    method=ConsentMethod.VERBAL,
                    recorded_by=_pick(self.hub.social_workers, plan.staff["worker"]),
                    recorded_at=at,
                )
                for subject in subjects[plan.number]
                if subject.role != SubjectRole.PARENT
            ]
        self._count("consent_records", batches(rows, ConsentRecord))

    def _overrides(self, asked: list[tuple[ContactPlan, Contact]], subjects: dict[int, list[ContactSubject]]) -> None:
        hub = self.hub
        rows = []
        for plan, contact in asked:
            state = OverrideState(plan.override)
            asker = _pick(hub.social_workers, plan.staff["worker"])
            decided = state in (OverrideState.AGREED, OverrideState.DECLINED)
            rows.append(
                ConsentOverride(
                    contact=contact,
                    purpose=ConsentPurpose.MASH_CHECKS,
                    reason="The family were told but did not agree; the risk to the children needs partner information.",
                    asked_by=asker,
                    asked_at=plan.times["override_asked"],
                    state=state,
                    power=OverridePower.CHILDREN_ACT_S47 if state == OverrideState.AGREED else "",
                    rationale="Agreed: the need to know outweighs the family's wish." if decided else "",
                    decided_by=_pick(hub.managers, plan.staff["manager"], other_than=asker) if decided else None,
                    decided_at=plan.times["override_decided"] if decided else None,
                )
            )
        self._count("consent_overrides", batches(rows, ConsentOverride))
        # What became of each, as `consent.services` records it: the consent figures count these by month.
        moves = {
            OverrideState.AGREED: OverrideEvent.AGREE,
            OverrideState.DECLINED: OverrideEvent.DECLINE,
            OverrideState.WITHDRAWN: OverrideEvent.WITHDRAW,
        }
        batches(
            (
                OverrideStateChange(
                    override=row,
                    at=row.decided_at or plan.times["override_decided"],
                    by=row.decided_by or row.asked_by,
                    event=moves[OverrideState(row.state)],
                    from_state=OverrideState.ASKED,
                    to_state=row.state,
                )
                for (plan, _), row in zip(asked, rows, strict=True)
                if row.state in moves
            ),
            OverrideStateChange,
        )
        through = ConsentOverride.people.through
        batches(
            (
                through(consentoverride_id=row.pk, contactsubject_id=subject.pk)
                for (plan, _), row in zip(asked, rows, strict=True)
                for subject in subjects[plan.number]
            ),
            through,
        )

    def _strategy(
        self, discussed: list[tuple[ContactPlan, Contact]], subjects: dict[int, list[ContactSubject]]
    ) -> None:
        hub, rng, now, deadlines = self.hub, self.rng, self.now, self.deadlines
        rows, records = [], []
        for plan, contact in discussed:
            started = plan.times["actioned"] + timedelta(minutes=rng.randint(5, 90))
            due = deadlines.due(Clock.STRATEGY_DISCUSSION, start=started, rating=Brag.RED) or started + 24 * H
            meeting = started + (due - started) * rng.uniform(0.3, 1.15)
            cancelled = rng.random() < 0.04
            held = not cancelled and meeting <= now - H
            state = DiscussionState.CANCELLED if cancelled else DiscussionState.ARRANGED
            chair = _pick(hub.managers, plan.staff["manager"])
            discussion = StrategyDiscussion(
                contact=contact,
                team=hub.team,
                route=StartRoute.APPROVED_OUTCOME,
                rating=Brag.RED,
                state=state,
                started_at=started,
                started_by=chair,
                standard_due_at=due,
                due_at=due,
                meeting_at=None if cancelled else meeting,
                meeting_format="" if cancelled else MeetingFormat.VIDEO,
                place="" if cancelled else "Video call",
                chair=None if cancelled else chair,
                arranged_by=None if cancelled else _pick(hub.coordinators, plan.staff["other"]),
                cancelled_reason="The child is safe with a relative; no longer needed." if cancelled else "",
            )
            rows.append((plan, discussion))
            if held:
                record = self._record(discussion, chair)
                discussion.state = DiscussionState.RECORD_SENT if record.sent_at else DiscussionState.HELD
                records.append(record)
        self._count("strategy_discussions", batches((d for _, d in rows), StrategyDiscussion))
        batches(
            (
                StrategyChild(discussion=discussion, subject=subject, person=subject.person)
                for plan, discussion in rows
                for child, subject in zip(plan.children, subjects[plan.number], strict=False)
                if child.outcome == Outcome.STRATEGY_DISCUSSION
            ),
            StrategyChild,
        )
        invited = _distinct([kind for kind in (AgencyKind.POLICE, AgencyKind.HEALTH) if kind in hub.agencies], hub)
        batches(
            (
                Invitation(
                    discussion=discussion,
                    agency=hub.agencies[kind],
                    reason=InviteeReason(kind),
                    invited_at=discussion.started_at + timedelta(minutes=20),
                    invited_by=discussion.arranged_by or discussion.started_by,
                    emailed_at=discussion.started_at + timedelta(minutes=21),
                    emailed_to=1,
                    attendance=(Attendance.ATTENDED if rng.random() < 0.85 else Attendance.SENT_INFORMATION)
                    if discussion.state in (DiscussionState.HELD, DiscussionState.RECORD_SENT)
                    else "",
                )
                for _, discussion in rows
                if discussion.meeting_at is not None
                for kind in invited
            ),
            Invitation,
        )
        for record in records:
            record.discussion_id = record.discussion.pk
        self._count("strategy_records", batches(records, StrategyRecord))

    def _record(self, discussion: StrategyDiscussion, chair: User) -> StrategyRecord:
        rng, now = self.rng, self.now
        assert discussion.meeting_at is not None  # noqa: S101 - only a discussion held has a record
        held_at = discussion.meeting_at
        held_on = held_at.astimezone(LONDON).date()
        decision = rng.choices(
            [StrategyDecision.JOINT, StrategyDecision.SINGLE_AGENCY, StrategyDecision.NO_ENQUIRY], [58, 17, 25]
        )[0]
        starts = decision != StrategyDecision.NO_ENQUIRY
        send_due = self.deadlines.due(Clock.STRATEGY_RECORD, start=held_at) or held_at + 24 * H
        sent = held_at + (send_due - held_at) * rng.uniform(0.2, 1.3)
        conference_on, not_required, recorded = None, "", None
        today = now.astimezone(LONDON).date()
        if starts:
            target = conference_due(held_on)
            if rng.random() < 0.6:
                # Most initial conferences are held by their target, fifteen working days on, on a working day.
                day = target - timedelta(days=rng.choice([0, 0, 1, 2, 3, 6]))
                day = day if rng.random() > 0.12 else target + timedelta(days=rng.randint(1, 10))
                while not is_working_day(day) or day <= held_on:
                    day += timedelta(days=1)
                conference_on = day if day < today else None
            if conference_on is None and target + timedelta(days=7) < today:
                not_required = "The enquiry found the children safe with a plan the family agreed to."
            if conference_on is not None or not_required:
                done = conference_on or min(target, today)
                recorded = min(now - H, datetime.combine(done, held_at.timetz()) + timedelta(hours=rng.randint(2, 30)))
        return StrategyRecord(
            discussion=discussion,
            held_at=held_at,
            recorded_at=min(now, held_at + H),
            recorded_by=chair,
            analysis="Risk of significant harm considered with each agency's information.",
            decision=decision,
            onward_outcome="" if starts else OnwardOutcome.ASSESSMENT,
            police_investigate=decision == StrategyDecision.JOINT,
            medical_examination=False,
            family_told=True,
            who_tells="The allocated social worker",
            tell_by=held_at + 4 * H,
            safety_plan="The children stay with their mother; the father does not visit.",
            enquiry_started_on=held_on if starts else None,
            conference_due_on=conference_due(held_on) if starts else None,
            conference_on=conference_on,
            conference_not_required=not_required,
            conference_recorded_by=chair if recorded else None,
            conference_recorded_at=recorded,
            send_due_at=send_due,
            sent_at=sent if sent <= now else None,
            sent_by=chair if sent <= now else None,
        )


def _distinct(kinds: list[str], hub: Hub) -> list[str]:
    """The kinds of agency, but one for each agency (a hub may have one agency for two kinds)."""
    found: dict[int, str] = {}
    for kind in kinds:
        found.setdefault(hub.agencies[kind].pk, kind)
    return list(found.values())


def _decided(child: ChildPlan) -> Outcome:
    if child.outcome is None:
        raise ValueError("A child sent for a threshold decision has an outcome")
    return child.outcome


def _as_dict(subject: ContactSubject) -> dict[str, object]:
    return {
        "given_name": subject.given_name,
        "family_name": subject.family_name,
        "role": subject.role,
        "date_of_birth": subject.date_of_birth,
        "address": subject.address,
        "postcode": subject.postcode,
    }


def _events(plan: ContactPlan, *, hub: Hub | None = None) -> list[tuple[Event, datetime, User]]:
    """The contact's moves through its lifecycle, each with its moment and (given the hub) who made it."""
    t = plan.times

    def by(role: str, index: str) -> User:
        if hub is None:
            return User()
        people = {"officer": hub.officers, "worker": hub.social_workers, "manager": hub.managers}[role]
        return _pick(people, plan.staff[index])

    moves = [(Event.START_SCREENING, t["screening_started"], by("officer", "officer"))]
    route = {
        ScreeningRoute.SIGNPOST: Event.SIGNPOST,
        ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER: Event.FORWARD_TO_ALLOCATED_WORKER,
        ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER: Event.ALLOCATE_TO_PREVIOUS_WORKER,
        ScreeningRoute.REFER_FOR_THRESHOLD: Event.REFER_FOR_THRESHOLD,
    }[plan.route]
    moves.append((route, t["screened"], by("officer", "officer")))
    if plan.route != ScreeningRoute.REFER_FOR_THRESHOLD:
        return moves
    if plan.checks:
        moves.append((Event.START_MASH_CHECKS, t["checks_started"], by("manager", "manager")))
        moves.append((Event.SUBMIT_CHECKS_FOR_DECISION, t["checks_submitted"], by("worker", "worker")))
    moves.append((Event.RECOMMEND, t["recommended"], by("worker", "worker")))
    if plan.returned:
        moves.append((Event.RETURN_FOR_RECONSIDERATION, t["returned"], by("manager", "manager")))
        moves.append((Event.RECOMMEND, t["recommended_again"], by("worker", "worker")))
    moves.append((Event.APPROVE, t["approved"], by("manager", "manager")))
    moves.append((Event.ACTION_OUTCOME, t["actioned"], by("officer", "other")))
    return moves
