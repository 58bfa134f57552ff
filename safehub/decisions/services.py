"""Threshold decisions: recommend, approve or return, and action the outcome."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.timezone import localdate

from safehub.accounts.models import User
from safehub.accounts.permissions import can_make_threshold_decisions
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.late_answers import forward_late_answers, note_decision
from safehub.contacts.consent import consent_given
from safehub.contacts.models import CHILD_ROLES, Contact, ReferrerKind
from safehub.contacts.services import threshold_due, transition
from safehub.contacts.workflow import Event
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.decisions import permissions
from safehub.decisions.models import (
    STATUTORY_OUTCOMES,
    Decision,
    Outcome,
    OutcomeAction,
    Recommendation,
    Referral,
    Verdict,
)
from safehub.decisions.queries import latest_recommendation, the_decision
from safehub.people.models import Service
from safehub.people.services import open_involvements_from_outcome
from safehub.protocols.models import Brag, Clock, ThresholdLevel
from safehub.protocols.policy import active_protocol, due_time
from safehub.screening.services import added_children_unidentified

NOT_RECOMMENDABLE = frozenset({Outcome.FORWARD_TO_ALLOCATED_WORKER})


def _check_version(contact: Contact, version: int) -> None:
    if contact.version != version:
        raise ConcurrentChange()


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


def check_outcome_allowed(contact: Contact, outcome: Outcome) -> None:
    """Early help always needs consent (002 §9, §19): the referrer's, or the family's given later
    and recorded on the contact (contacts.amendments.record_consent)."""
    if outcome == Outcome.EARLY_HELP and not consent_given(contact):
        raise DomainError(
            "Early help needs the family's consent. Record consent on the contact (Amend this contact),"
            " or choose another outcome",
            field="outcome",
        )


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
    rating: Brag,
    level: ThresholdLevel,
    outcome: Outcome,
    rationale: str,
    by: User,
    at: datetime,
    version: int,
) -> Recommendation:
    if not permissions.can_recommend(by, contact):
        raise PermissionDenied
    _check_version(contact, version)
    text = _require_rationale(rationale, "Enter a rationale for your recommendation")
    if level.protocol_id != active_protocol().pk:
        raise DomainError("Choose a level of need from the active local protocol", field="level")
    if outcome in NOT_RECOMMENDABLE:
        raise DomainError("Open cases are forwarded at screening, not recommended", field="outcome")
    check_children_identified(contact)
    check_outcome_allowed(contact, outcome)
    check_rating_fits(rating, outcome, level)
    recommendation = Recommendation.objects.create(
        contact=contact,
        rating=rating,
        level=level,
        outcome=outcome,
        rationale=text,
        recommended_by=by,
        recommended_at=at,
    )
    transition(contact, Event.RECOMMEND, by=by, at=at, due_at=due_time(Clock.APPROVAL, start=at, rating=rating))
    record(Verb.RISK_RATED, by=by, contact=contact, at=at, data={"rating": rating.value, "level": level.code})
    record(Verb.RECOMMENDATION_RECORDED, by=by, contact=contact, at=at, data={"outcome": outcome.value})
    return recommendation


def _latest_recommendation(contact: Contact) -> Recommendation:
    latest = latest_recommendation(contact)
    if latest is None or Decision.objects.filter(recommendation=latest).exists():
        raise DomainError("There is no recommendation waiting for a decision")
    return latest


def _check_approver(contact: Contact, by: User) -> None:
    if not permissions.can_approve(by, contact):
        latest = latest_recommendation(contact)
        if latest is not None and latest.recommended_by_id == by.pk:
            raise DomainError("You made this recommendation, so another manager must approve it")
        raise PermissionDenied


@transaction.atomic(durable=True)
def approve(contact: Contact, *, outcome: Outcome, rationale: str, by: User, at: datetime, version: int) -> Decision:
    _check_approver(contact, by)
    _check_version(contact, version)
    text = _require_rationale(rationale, "Enter a rationale for the decision")
    recommendation = _latest_recommendation(contact)
    if outcome in NOT_RECOMMENDABLE:
        raise DomainError("Open cases are forwarded at screening, not decided here", field="outcome")
    check_outcome_allowed(contact, outcome)
    check_rating_fits(recommendation.rating, outcome)
    decision = Decision.objects.create(
        contact=contact,
        recommendation=recommendation,
        verdict=Verdict.APPROVED,
        outcome=outcome,
        rationale=text,
        decided_by=by,
        decided_at=at,
    )
    transition(contact, Event.APPROVE, by=by, at=at, due_at=due_time(Clock.OUTCOME_TO_REFERRER, start=at))
    note_decision(contact, decided_by=by)
    record(
        Verb.DECISION_APPROVED,
        by=by,
        contact=contact,
        at=at,
        data={"outcome": outcome.value, "as_recommended": outcome == recommendation.outcome},
    )
    if outcome in STATUTORY_OUTCOMES:
        Referral.objects.create(contact=contact, decision=decision, outcome=outcome, referred_at=at)
        record(Verb.REFERRAL_CREATED, by=by, contact=contact, at=at, data={"outcome": outcome.value})
    return decision


@transaction.atomic(durable=True)
def return_recommendation(contact: Contact, *, rationale: str, by: User, at: datetime, version: int) -> Decision:
    _check_approver(contact, by)
    _check_version(contact, version)
    text = _require_rationale(rationale, "Enter why you are returning the recommendation")
    recommendation = _latest_recommendation(contact)
    decision = Decision.objects.create(
        contact=contact,
        recommendation=recommendation,
        verdict=Verdict.RETURNED,
        outcome="",
        rationale=text,
        decided_by=by,
        decided_at=at,
    )
    transition(contact, Event.RETURN_FOR_RECONSIDERATION, by=by, at=at, due_at=threshold_due(contact), note=text)
    note_decision(contact, decided_by=by)
    record(Verb.DECISION_RETURNED, by=by, contact=contact, at=at, data={"recommendation": recommendation.pk})
    return decision


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
) -> OutcomeAction:
    if not permissions.can_action_outcome(by, contact):
        raise PermissionDenied
    _check_version(contact, version)
    decision = the_decision(contact)
    if decision is None:
        raise DomainError("There is no approved decision to action")
    if contact.referrer_kind == ReferrerKind.ANONYMOUS and referrer_informed_at:
        raise DomainError("The referrer was anonymous, so they cannot have been told", field="referrer_informed_at")
    if contact.referrer_kind != ReferrerKind.ANONYMOUS and referrer_informed_at is None:
        raise DomainError("Enter when the referrer was told the outcome", field="referrer_informed_at")
    if referrer_informed_at and referrer_informed_at > at:
        raise DomainError("The date the referrer was told must be today or in the past", field="referrer_informed_at")
    if decision.outcome in STATUTORY_OUTCOMES and not sent_to.strip():
        raise DomainError("Enter the team the referral was sent to", field="sent_to")
    if allocated_worker is not None and not (
        allocated_worker.is_active and can_make_threshold_decisions(allocated_worker)
    ):
        raise DomainError("Choose a social worker, senior practitioner or manager", field="allocated_worker")
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
    record(
        Verb.OUTCOME_ACTIONED,
        by=by,
        contact=contact,
        at=at,
        data={
            "outcome": decision.outcome,
            "referrer_informed": referrer_informed_at is not None,
            "allocated_worker": allocated_worker.pk if allocated_worker else None,
        },
    )
    if allocated_worker is not None:
        forward_late_answers(contact, allocated_worker, by=by, at=at)
    _open_involvements(contact, decision.outcome, action, by=by, at=at)
    return action


# The service each actioned outcome opens for the children it covers (people.models.Service).
OUTCOME_SERVICES = {
    Outcome.SECTION_17_ASSESSMENT: Service.CSC_ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION: Service.SECTION_47_ENQUIRY,
    Outcome.CHILDREN_WITH_DISABILITY: Service.CHILDREN_WITH_DISABILITY,
    Outcome.EARLY_HELP: Service.EARLY_HELP,
}


def _open_involvements(contact: Contact, outcome: str, action: OutcomeAction, *, by: User, at: datetime) -> None:
    """The hub's own decision makes the children known: each child on the contact gets an open
    involvement of the service the outcome sends them to, with its worker and team."""
    service = OUTCOME_SERVICES.get(Outcome(outcome))
    if service is None:
        return
    children = contact.subjects.filter(role__in=CHILD_ROLES).exclude(person=None).select_related("person")
    worker = action.allocated_worker
    open_involvements_from_outcome(
        [subject.person for subject in children if subject.person is not None],
        service=service,
        started_on=localdate(at),
        allocated_worker=worker.get_full_name() if worker else "",
        worker_email=worker.email if worker else "",
        team=action.sent_to,
        external_ref=contact.reference,
        by=by,
        at=at,
    )
