"""Threshold decisions: recommend, approve or return, and action the outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.timezone import localdate

from safehub.accounts.models import User
from safehub.accounts.permissions import can_make_threshold_decisions
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.late_answers import forward_late_answers, note_decision
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import positions
from safehub.consent.rules import Position
from safehub.contacts.models import CHILD_ROLES, Contact, ContactSubject, ReferrerKind
from safehub.contacts.rules import day_problems
from safehub.contacts.services import threshold_due, transition
from safehub.contacts.workflow import Event
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.core.races import claim
from safehub.core.working_time import LONDON
from safehub.decisions import criteria as early_help
from safehub.decisions import permissions
from safehub.decisions.models import (
    SHORT_LABELS,
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
    most_serious,
)
from safehub.decisions.queries import latest_recommendation, the_decision
from safehub.handoffs.models import HandoffKind
from safehub.handoffs.services import Worker, hand_off, worker_from_user
from safehub.people.models import Service
from safehub.people.services import open_involvements_from_outcome
from safehub.protocols.models import Brag, Clock, ThresholdLevel
from safehub.protocols.policy import active_protocol, approval_due_time, due_time
from safehub.screening.models import KnownStatus
from safehub.screening.services import Finding, added_children_unidentified, finding_for_people
from safehub.strategy.services import start_for_approved_outcome


def _require_rationale(rationale: str, message: str) -> str:
    text = rationale.strip()
    if not text:
        raise DomainError(message, field="rationale")
    return text


def check_rating_fits(rating: str, outcome: Outcome, level: ThresholdLevel | None = None) -> None:
    """A rating and an outcome that contradict each other (002 §7, §11): significant harm is Red,
    Red is never closed with no further action, and Blue (advice only) is no statutory service."""
    if outcome == Outcome.STRATEGY_DISCUSSION and rating != Brag.RED:
        raise DomainError(
            "A strategy discussion is for a child at risk of significant harm: rate Red, or choose another outcome",
            field="rating",
        )
    if rating == Brag.RED and outcome in (Outcome.NO_FURTHER_ACTION, Outcome.SIGNPOST):
        raise DomainError(
            "Red means a risk of significant harm: it cannot close with no further action or a signpost",
            field="outcome",
        )
    if rating == Brag.BLUE and outcome in STATUTORY_OUTCOMES:
        raise DomainError(
            "Blue is information or advice only: a statutory service needs a higher rating", field="rating"
        )
    if level is not None and rating != Brag.RED and level.order == _highest_level_order(level):
        raise DomainError(
            f"The level '{level.label}' is for a child at risk of significant harm: rate Red", field="rating"
        )


def _highest_level_order(level: ThresholdLevel) -> int:
    return max(ThresholdLevel.objects.filter(protocol_id=level.protocol_id).values_list("order", flat=True))


def check_outcome_allowed(contact: Contact, outcome: Outcome, *, subject: ContactSubject | None = None) -> None:
    """Early help always needs consent (002 §9, §19), never overridden (ADR 0034): the child's own
    position for early help (a parent's answer, or a competent young person's), or with no answer
    recorded for them the contact's (the referrer's, or the family's given later). Without `subject`,
    every child on the contact."""
    if outcome != Outcome.EARLY_HELP:
        return
    found = positions(contact, ConsentPurpose.EARLY_HELP, on=localdate())
    children = [item for item in found if item.subject.is_child and (subject is None or item.subject.pk == subject.pk)]
    if any(item.position != Position.GIVEN for item in children):
        raise DomainError(
            "Early help needs the family's consent. Record consent on the contact (Record consent),"
            " or choose another outcome",
            field="outcome",
        )


@dataclass(frozen=True)
class ChildChoice:
    """What a social worker recommends for one child: rating, level of need and outcome."""

    rating: Brag
    level: ThresholdLevel
    outcome: Outcome


def child_field(subject: int, name: str) -> str:
    """The name a refusal gives one child's field ('child-12-outcome'), as the forms name it."""
    return f"child-{subject}-{name}"


def children_on(contact: Contact) -> list[ContactSubject]:
    """The children a threshold decision is about, in the contact's order (adults get none)."""
    return list(contact.subjects.filter(role__in=CHILD_ROLES).order_by("order", "pk"))


def same_for_all(contact: Contact, choice: ChildChoice) -> dict[int, ChildChoice]:
    """The same rating, level and outcome for every child on the contact."""
    return {subject.pk: choice for subject in children_on(contact)}


def _open_case(subject: ContactSubject, *, at: datetime) -> Finding | None:
    """The child's own open case (an allocated worker to forward to), if they have one."""
    if subject.person_id is None:
        return None
    finding = finding_for_people([subject.person_id], at=at)
    return finding if finding.status == KnownStatus.OPEN_CASE else None


def forwardable(subjects: Sequence[ContactSubject], *, at: datetime) -> set[int]:
    """The children (subject ids) with an open case of their own, whose outcome may forward them."""
    return {subject.pk for subject in subjects if _open_case(subject, at=at) is not None}


def _check_child_outcome(
    contact: Contact,
    subject: ContactSubject,
    outcome: Outcome,
    *,
    rating: str,
    level: ThresholdLevel | None,
    at: datetime,
) -> None:
    """The rules every child's outcome meets, at the recommendation and again at the approval: an
    open case is forwarded to the child's own allocated worker (002 §3), early help needs consent
    (002 §9, §19), and the rating fits the outcome (002 §7, §11)."""
    if outcome == Outcome.FORWARD_TO_ALLOCATED_WORKER and _open_case(subject, at=at) is None:
        raise DomainError(
            f"{subject.display_name} has no open case, so there is no allocated worker to forward them to",
            field="outcome",
        )
    check_outcome_allowed(contact, outcome, subject=subject)
    check_rating_fits(rating, outcome, level)


def _per_child(
    subjects: list[ContactSubject],
    given: Mapping[int, object],
    check: Callable[[ContactSubject], None],
    *,
    missing: str,
) -> None:
    """Runs `check` for every child, and refuses with every child's problem at once, each beside
    that child's field, named: 'Ben Smith: Early help needs the family's consent…'."""
    problems = []
    for subject in subjects:
        if subject.pk not in given:
            problems.append(Problem(f"{missing} for {subject.display_name}", field=child_field(subject.pk, "outcome")))
            continue
        try:
            check(subject)
        except DomainError as error:
            field = child_field(subject.pk, error.field or "outcome")
            problems.append(Problem(f"{subject.display_name}: {error.message}", field=field))
    if problems:
        raise Refused(problems)


def check_children_identified(contact: Contact) -> None:
    """A child added to the contact after screening is identified before the threshold decision."""
    unidentified = added_children_unidentified(contact)
    if unidentified:
        raise DomainError(
            f"{', '.join(unidentified)} {'was' if len(unidentified) == 1 else 'were'} added to the contact after"
            " screening: link them to a person record, or create a new one, before recommending"
            " (Identify the people added)"
        )


@transaction.atomic(durable=True)
def recommend(
    contact: Contact,
    *,
    children: Mapping[int, ChildChoice],
    rationale: str,
    by: User,
    at: datetime,
    version: int,
    criteria: Sequence[str] = (),
) -> Recommendation:
    """The social worker's recommendation: for each child on the contact (`children`, by subject
    id), a rating, level of need and outcome, and which of the protocol's early help `criteria` the
    situation meets. The contact is rated as its most serious child."""
    if not permissions.can_recommend(by, contact):
        raise PermissionDenied
    claim(contact, version)
    text = _require_rationale(rationale, "Enter a rationale for your recommendation")
    subjects = children_on(contact)
    if not subjects:
        raise DomainError("The contact names no child: add the child the concern is about first")
    _refuse_others(subjects, children)
    check_children_identified(contact)
    protocol = active_protocol()

    def check(subject: ContactSubject) -> None:
        choice = children[subject.pk]
        if choice.level.protocol_id != protocol.pk:
            raise DomainError("Choose a level of need from the active local protocol", field="level")
        _check_child_outcome(contact, subject, choice.outcome, rating=choice.rating, level=choice.level, at=at)

    _per_child(subjects, children, check, missing="Choose a rating, level of need and outcome")
    # 002 §9(c): early help where "the situation meets at least one of the following Family Wellbeing
    # service criteria" (the protocol's early_help_criteria; none listed, none asked for).
    problems = early_help.ticked_problems(
        protocol.early_help_criteria, criteria, (children[s.pk].outcome for s in subjects)
    )
    if problems:
        raise Refused(problems)
    rating = most_serious(children[s.pk].rating for s in subjects)
    recommendation = Recommendation.objects.create(
        contact=contact,
        rating=rating,
        rationale=text,
        early_help_criteria=early_help.in_protocol_order(protocol.early_help_criteria, criteria),
        recommended_by=by,
        recommended_at=at,
    )
    ChildRecommendation.objects.bulk_create(
        ChildRecommendation(
            recommendation=recommendation,
            subject=subject,
            rating=children[subject.pk].rating,
            level=children[subject.pk].level,
            outcome=children[subject.pk].outcome,
        )
        for subject in subjects
    )
    due = approval_due_time(received_at=contact.received_at, recommended_at=at, rating=rating)
    transition(contact, Event.RECOMMEND, by=by, at=at, due_at=due)
    record(
        Verb.RISK_RATED,
        by=by,
        contact=contact,
        at=at,
        data={
            "rating": rating.value,
            "children": [
                {"subject": s.pk, "rating": children[s.pk].rating.value, "level": children[s.pk].level.code}
                for s in subjects
            ],
        },
    )
    record(
        Verb.RECOMMENDATION_RECORDED,
        by=by,
        contact=contact,
        at=at,
        data={
            "children": [{"subject": s.pk, "outcome": children[s.pk].outcome.value} for s in subjects],
            "early_help_criteria": len(recommendation.early_help_criteria),
        },
    )
    return recommendation


def _refuse_others(subjects: list[ContactSubject], given: Mapping[int, object]) -> None:
    """A choice for someone who is not a child on the contact (now) is refused, not ignored."""
    others = set(given) - {s.pk for s in subjects}
    if others:
        raise DomainError("The children on this contact have changed. Reload the page and decide for each of them")


def _latest_recommendation(contact: Contact) -> Recommendation:
    latest = latest_recommendation(contact)
    if latest is None or Decision.objects.filter(recommendation=latest).exists():
        raise DomainError("There is no recommendation waiting for a decision")
    return latest


def _check_approver(contact: Contact, by: User) -> None:
    if not permissions.can_approve(by, contact):
        latest = latest_recommendation(contact)
        if latest is not None and latest.recommended_by_id == by.pk:
            raise DomainError(permissions.FOUR_EYES)
        raise PermissionDenied


@transaction.atomic(durable=True)
def approve(
    contact: Contact, *, outcomes: Mapping[int, Outcome], rationale: str, by: User, at: datetime, version: int
) -> Decision:
    """The manager approves each child's outcome (`outcomes`, by subject id): the recommended one or
    another. Each child with a statutory outcome becomes a referral of their own."""
    _check_approver(contact, by)
    claim(contact, version)
    text = _require_rationale(rationale, "Enter a rationale for the decision")
    recommendation = _latest_recommendation(contact)
    recommended = {child.subject_id: child for child in recommendation.children.select_related("level")}
    subjects = children_on(contact)
    if {s.pk for s in subjects} != set(recommended):
        raise DomainError(
            "The children on this contact changed after the recommendation: return it, so that the social worker "
            "rates every child"
        )
    _refuse_others(subjects, outcomes)
    # 002 §9(c): early help needs one of the protocol's criteria, recorded with the recommendation.
    no_criteria = early_help.needs_criteria(active_protocol().early_help_criteria, recommendation.early_help_criteria)

    def check(subject: ContactSubject) -> None:
        outcome = outcomes[subject.pk]
        rating = recommended[subject.pk].rating
        if outcome == Outcome.EARLY_HELP and no_criteria:
            raise DomainError(early_help.NONE_RECORDED, field="outcome")
        try:
            _check_child_outcome(contact, subject, outcome, rating=rating, level=None, at=at)
        except DomainError as error:
            if error.field != "rating":
                raise
            # The manager approves outcomes; the rating is the social worker's, so the way on is
            # another outcome or a return for a new rating, beside the outcome the manager chose.
            raise DomainError(
                f"{error.message.split(':')[0]}, and the social worker rated this child {Brag(rating).label}:"
                " choose another outcome, or return the recommendation for a new rating",
                field="outcome",
            ) from error

    _per_child(subjects, outcomes, check, missing="Select the outcome you approve")
    decision = Decision.objects.create(
        contact=contact,
        recommendation=recommendation,
        verdict=Verdict.APPROVED,
        rationale=text,
        decided_by=by,
        decided_at=at,
    )
    ChildDecision.objects.bulk_create(
        ChildDecision(decision=decision, subject=subject, outcome=outcomes[subject.pk]) for subject in subjects
    )
    transition(contact, Event.APPROVE, by=by, at=at, due_at=due_time(Clock.OUTCOME_TO_REFERRER, start=at))
    note_decision(contact, decided_by=by)
    as_recommended = {s.pk: outcomes[s.pk] == recommended[s.pk].outcome for s in subjects}
    record(
        Verb.DECISION_APPROVED,
        by=by,
        contact=contact,
        at=at,
        data={
            "as_recommended": all(as_recommended.values()),
            "children": [
                {"subject": s.pk, "outcome": outcomes[s.pk].value, "as_recommended": as_recommended[s.pk]}
                for s in subjects
            ],
        },
    )
    strategy = [subject for subject in subjects if outcomes[subject.pk] == Outcome.STRATEGY_DISCUSSION]
    if strategy:  # its clock starts at the approval (000: "within 24 hours")
        start_for_approved_outcome(contact, strategy, by=by, at=at)
    for subject in subjects:
        outcome = outcomes[subject.pk]
        if outcome in STATUTORY_OUTCOMES:
            Referral.objects.create(
                contact=contact, subject=subject, decision=decision, outcome=outcome, referred_at=at
            )
            record(
                Verb.REFERRAL_CREATED,
                by=by,
                contact=contact,
                at=at,
                data={"subject": subject.pk, "outcome": outcome.value},
            )
    return decision


@transaction.atomic(durable=True)
def return_recommendation(contact: Contact, *, rationale: str, by: User, at: datetime, version: int) -> Decision:
    _check_approver(contact, by)
    claim(contact, version)
    text = _require_rationale(rationale, "Enter why you are returning the recommendation")
    recommendation = _latest_recommendation(contact)
    decision = Decision.objects.create(
        contact=contact,
        recommendation=recommendation,
        verdict=Verdict.RETURNED,
        rationale=text,
        decided_by=by,
        decided_at=at,
    )
    transition(contact, Event.RETURN_FOR_RECONSIDERATION, by=by, at=at, due_at=threshold_due(contact), note=text)
    note_decision(contact, decided_by=by)
    record(Verb.DECISION_RETURNED, by=by, contact=contact, at=at, data={"recommendation": recommendation.pk})
    return decision


@dataclass(frozen=True)
class ChildRoute:
    """Where one child's actioned outcome sends them, and to whom: the team and the social worker
    allocated on the outcome page for a child referred to children's social care (or, with no such
    child, for early help); a forwarded child's own open case's worker, as the person index holds
    them (002 §3). `user` is the allocated worker when Safehub knows them as a user."""

    subject: ContactSubject
    outcome: Outcome
    team: str = ""
    worker: str = ""
    worker_email: str = ""
    user: User | None = None


@dataclass(frozen=True)
class Allocation:
    """The team and social worker entered on the outcome page for the children of one outcome."""

    team: str
    worker: User | None = None


# How the referrer is told when the worker will write the outcome from Safehub after actioning it
# (letters): not yet, so no time is asked for; the letter's own record says when.
SEND_FROM_SAFEHUB = "safehub"

# The time part of `referrer_informed_at`, where a problem is with the time alone (the outcome page
# shows it beside its time field).
REFERRER_INFORMED_TIME = "referrer_informed_time"

# The outcomes that send a child to a service, with a team (and perhaps a worker) to enter for them.
SERVICE_OUTCOMES = (*sorted(STATUTORY_OUTCOMES, key=list(Outcome).index), Outcome.EARLY_HELP)


def child_routes(
    contact: Contact,
    decision: Decision,
    action: OutcomeAction,
    *,
    at: datetime,
    allocations: Mapping[Outcome, Allocation] | None = None,
) -> list[ChildRoute]:
    """Each child's hand-off as the outcome is actioned: a forwarded child to their own allocated
    worker; a child opening a service to the team and worker entered for their outcome
    (`allocations`), or else to those entered for the whole contact when the child is referred to
    children's social care (or, with no such child, sent to early help)."""
    children = list(decision.children.select_related("subject").order_by("subject__order", "pk"))
    statutory = any(child.outcome in STATUTORY_OUTCOMES for child in children)
    given = allocations or {}
    result = []
    for child in children:
        outcome = Outcome(child.outcome)
        if outcome == Outcome.FORWARD_TO_ALLOCATED_WORKER:
            case = _open_case(child.subject, at=at)
            result.append(
                ChildRoute(child.subject, outcome, case.team, case.worker, case.worker_email)
                if case
                else ChildRoute(child.subject, outcome)
            )
            continue
        if outcome in given:
            chosen: Allocation | None = given[outcome]
        elif outcome in STATUTORY_OUTCOMES or (outcome == Outcome.EARLY_HELP and not statutory):
            chosen = Allocation(action.sent_to, action.allocated_worker)
        else:
            chosen = None
        if chosen is None:
            result.append(ChildRoute(child.subject, outcome))
            continue
        worker = chosen.worker
        result.append(
            ChildRoute(
                child.subject,
                outcome,
                team=chosen.team.strip(),
                worker=(worker.get_full_name() or worker.username) if worker else "",
                worker_email=worker.email if worker else "",
                user=worker,
            )
        )
    return result


@transaction.atomic(durable=True)
def action_outcome(
    contact: Contact,
    *,
    sent_to: str,
    referrer_informed_at: datetime | None,
    referrer_informed_by: str,
    notes: str,
    by: User,
    at: datetime,
    version: int,
    allocated_worker: User | None = None,
    allocations: Mapping[Outcome, Allocation] | None = None,
) -> OutcomeAction:
    """Every child's approved outcome carried out at once, and the contact closed. The team and the
    social worker entered for the contact (`sent_to`, `allocated_worker`) are those of the children
    referred to children's social care (or, with none, of those sent to early help); siblings sent to
    different services have a team and worker for each outcome (`allocations`); a forwarded child
    goes to their own allocated worker (`child_routes`). Where each child went is kept
    (`ChildAction`), and each child opening a service gets an involvement of their own."""
    if not permissions.can_action_outcome(by, contact):
        raise PermissionDenied
    claim(contact, version)
    decision = the_decision(contact)
    if decision is None:
        raise DomainError("There is no approved decision to action")
    outcomes = set(decision.children.values_list("outcome", flat=True))
    if contact.referrer_kind == ReferrerKind.ANONYMOUS and referrer_informed_at:
        raise DomainError("The referrer was anonymous, so they cannot have been told", field="referrer_informed_at")
    if contact.referrer_kind == ReferrerKind.ANONYMOUS and referrer_informed_by == SEND_FROM_SAFEHUB:
        raise DomainError("The referrer was anonymous, so there is nobody to write to", field="informed_by")
    if referrer_informed_by == SEND_FROM_SAFEHUB and not can_make_threshold_decisions(by):
        # 003 App. 4 §10: the social worker or manager tells the referrer (letters.permissions).
        raise DomainError(
            "Only a social worker or a manager writes the outcome from Safehub: record when the referrer was told,"
            " or ask one of them to action the outcome",
            field="informed_by",
        )
    if referrer_informed_by == SEND_FROM_SAFEHUB and referrer_informed_at is not None:
        raise DomainError("Leave the date empty: the referrer has not been told yet", field="referrer_informed_at")
    if (
        contact.referrer_kind != ReferrerKind.ANONYMOUS
        and referrer_informed_at is None
        and referrer_informed_by != SEND_FROM_SAFEHUB
    ):
        raise DomainError("Enter when the referrer was told the outcome", field="referrer_informed_at")
    if referrer_informed_at:
        told = "The date the referrer was told"
        problems = day_problems(
            referrer_informed_at.astimezone(LONDON).date(),
            received_at=contact.received_at,
            at=at,
            what=told,
            field="referrer_informed_at",
        )
        if problems:
            raise Refused(problems)
        if referrer_informed_at > at:  # today, but at a time still to come: the time is wrong, not the date
            raise DomainError("The time the referrer was told cannot be in the future", field=REFERRER_INFORMED_TIME)
        if referrer_informed_at < contact.received_at:  # the day it came, but before it came
            arrived = shown_date(contact.received_at)
            raise DomainError(
                f"The referrer cannot have been told before the contact was received ({arrived})",
                field=REFERRER_INFORMED_TIME,
            )
    given = dict(allocations or {})
    for outcome in given:
        if outcome not in outcomes:
            raise DomainError(f"No child's approved outcome is {SHORT_LABELS[outcome].lower()}")
    needs_team = {outcome for outcome in outcomes & STATUTORY_OUTCOMES if outcome not in given}
    if needs_team and not sent_to.strip():
        raise DomainError("Enter the team the referral was sent to", field="sent_to")
    for outcome, chosen in given.items():
        if outcome in STATUTORY_OUTCOMES and not chosen.team.strip():
            raise DomainError(
                f"Enter the team the {SHORT_LABELS[Outcome(outcome)].lower()} referral was sent to",
                field=f"{outcome}-sent_to",
            )
    for field, worker in [("allocated_worker", allocated_worker)] + [
        (f"{outcome}-allocated_worker", chosen.worker) for outcome, chosen in given.items()
    ]:
        if worker is not None and not (worker.is_active and can_make_threshold_decisions(worker)):
            raise DomainError("Choose a social worker, senior practitioner or manager", field=field)
    action = OutcomeAction.objects.create(
        contact=contact,
        decision=decision,
        actioned_by=by,
        actioned_at=at,
        sent_to=sent_to.strip(),
        allocated_worker=allocated_worker,
        referrer_informed_at=referrer_informed_at,
        referrer_informed_by=referrer_informed_by,
        notes=notes,
    )
    transition(contact, Event.ACTION_OUTCOME, by=by, at=at, due_at=None)
    routes = child_routes(contact, decision, action, at=at, allocations=given)
    ChildAction.objects.bulk_create(
        ChildAction(
            action=action,
            subject=route.subject,
            outcome=route.outcome,
            team=route.team,
            worker=route.worker,
            worker_email=route.worker_email,
            allocated_worker=route.user,
        )
        for route in routes
    )
    record(
        Verb.OUTCOME_ACTIONED,
        by=by,
        contact=contact,
        at=at,
        data={
            "referrer_informed": referrer_informed_at is not None,
            "allocated_worker": allocated_worker.pk if allocated_worker else None,
            "children": [
                {"subject": r.subject.pk, "outcome": r.outcome.value, "worker": r.worker, "team": r.team}
                for r in routes
            ],
        },
    )
    if allocated_worker is not None:
        forward_late_answers(contact, allocated_worker, by=by, at=at)
    _open_involvements(contact, routes, by=by, at=at)
    _hand_over(contact, routes, by=by, at=at)
    return action


def _hand_over(contact: Contact, routes: list[ChildRoute], *, by: User, at: datetime) -> None:
    """Each worker a child goes to must receive the contact, not only be named on it (handoffs):
    a forwarded child's own allocated worker, the social worker allocated with the outcome. A
    worker several children go to receives it once. Rated Red by the recommendation, it is urgent."""
    latest = latest_recommendation(contact)
    rating = latest.rating if latest is not None else ""
    for route in routes:
        if route.user is not None:
            worker = worker_from_user(route.user, team=route.team)
        elif route.worker or route.worker_email:
            worker = Worker(name=route.worker, email=route.worker_email, team=route.team)
        else:
            continue
        forwarded = route.outcome == Outcome.FORWARD_TO_ALLOCATED_WORKER
        hand_off(
            contact,
            worker,
            kind=HandoffKind.OPEN_CASE if forwarded else HandoffKind.ALLOCATED,
            by=by,
            at=at,
            rating=rating,
        )


# The service each actioned outcome opens for the child it is for (people.models.Service).
OUTCOME_SERVICES = {
    Outcome.SECTION_17_ASSESSMENT: Service.CSC_ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION: Service.SECTION_47_ENQUIRY,
    Outcome.CHILDREN_WITH_DISABILITY: Service.CHILDREN_WITH_DISABILITY,
    Outcome.EARLY_HELP: Service.EARLY_HELP,
}


def _open_involvements(contact: Contact, routes: list[ChildRoute], *, by: User, at: datetime) -> None:
    """The hub's own decision makes each child known: a child whose outcome sends them to a service
    gets an open involvement of that service, with the worker and team they were handed to."""
    for route in routes:
        service = OUTCOME_SERVICES.get(route.outcome)
        person = route.subject.person
        if service is None or person is None:
            continue
        open_involvements_from_outcome(
            [person],
            service=service,
            started_on=localdate(at),
            allocated_worker=route.worker,
            worker_email=route.worker_email,
            team=route.team,
            external_ref=contact.reference,
            by=by,
            at=at,
        )
