from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.decisions import services
from safehub.decisions.models import STATUTORY_OUTCOMES, Outcome, Recommendation, Referral
from safehub.decisions.tests.helpers import criteria_for
from safehub.protocols.models import Brag, LocalProtocol, ThresholdLevel

pytestmark = pytest.mark.django_db


def _level() -> ThresholdLevel:
    return LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")


def _all(contact: Contact, rating: Brag, level: ThresholdLevel, outcome: Outcome) -> dict[int, services.ChildChoice]:
    return services.same_for_all(contact, services.ChildChoice(rating, level, outcome))


def _each(contact: Contact, outcome: Outcome) -> dict[int, Outcome]:
    return {subject.pk: outcome for subject in services.children_on(contact)}


def _recommended(
    by: Any, team: Any, at: dt.datetime, outcome: Outcome = Outcome.SECTION_17_ASSESSMENT, rating: Brag = Brag.AMBER
) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=team)
    services.recommend(
        contact,
        children=_all(contact, rating, _level(), outcome),
        rationale="Reasons.",
        by=by,
        at=at,
        version=contact.version,
        criteria=criteria_for([outcome]),
    )
    return contact


def test_recommendation_sets_the_approval_clock_by_rating(social_worker: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _recommended(social_worker, mash_team, now, Outcome.STRATEGY_DISCUSSION, Brag.RED)
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_APPROVAL
    # Bexley: Red decided within 4 hours of receipt (002 §11, local default), the approval included.
    assert contact.current_due_at == contact.received_at + dt.timedelta(hours=4)
    assert AuditEvent.objects.filter(verb=Verb.RISK_RATED, contact=contact, data__rating="red").exists()
    assert AuditEvent.objects.filter(verb=Verb.RECOMMENDATION_RECORDED, contact=contact).exists()


def test_a_rationale_is_required(social_worker: Any, mash_team: Any, now: dt.datetime) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(DomainError, match="Enter a rationale"):
        services.recommend(
            contact,
            children=_all(contact, Brag.GREEN, _level(), Outcome.SIGNPOST),
            rationale="  ",
            by=social_worker,
            at=now,
            version=contact.version,
        )


def test_a_contact_officer_cannot_recommend(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(PermissionDenied):
        services.recommend(
            contact,
            children=_all(contact, Brag.GREEN, _level(), Outcome.SIGNPOST),
            rationale="x",
            by=contact_officer,
            at=now,
            version=contact.version,
        )


@pytest.mark.parametrize("outcome", [o for o in Outcome if o != Outcome.FORWARD_TO_ALLOCATED_WORKER])
def test_a_referral_exists_exactly_for_statutory_outcomes(
    outcome: Outcome, social_worker: Any, manager: Any, mash_team: Any, now: dt.datetime
) -> None:
    rating = Brag.RED if outcome == Outcome.STRATEGY_DISCUSSION else Brag.AMBER  # a rating that fits the outcome
    contact = _recommended(social_worker, mash_team, now, outcome, rating)
    contact.refresh_from_db()
    services.approve(
        contact, outcomes=_each(contact, outcome), rationale="Agreed.", by=manager, at=now, version=contact.version
    )
    assert Referral.objects.filter(contact=contact).exists() == (outcome in STATUTORY_OUTCOMES)
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_CREATED, contact=contact).exists() == (
        outcome in STATUTORY_OUTCOMES
    )
    assert AuditEvent.objects.filter(verb=Verb.DECISION_APPROVED, contact=contact).exists()


def test_a_manager_cannot_approve_their_own_recommendation(manager: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _recommended(manager, mash_team, now)
    contact.refresh_from_db()
    with pytest.raises(DomainError, match=r"another approver must decide it \(four eyes\)"):
        services.approve(
            contact,
            outcomes=_each(contact, Outcome.SECTION_17_ASSESSMENT),
            rationale="x",
            by=manager,
            at=now,
            version=contact.version,
        )


def test_a_social_worker_cannot_approve(
    social_worker: Any, senior_practitioner: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _recommended(senior_practitioner, mash_team, now)
    contact.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.approve(
            contact,
            outcomes=_each(contact, Outcome.SECTION_17_ASSESSMENT),
            rationale="x",
            by=social_worker,
            at=now,
            version=contact.version,
        )


def test_approval_with_a_stale_version_changes_nothing(
    social_worker: Any, manager: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _recommended(social_worker, mash_team, now)
    with pytest.raises(ConcurrentChange):
        services.approve(
            contact,
            outcomes=_each(contact, Outcome.SECTION_17_ASSESSMENT),
            rationale="x",
            by=manager,
            at=now,
            version=0,
        )
    assert not Referral.objects.exists()


def test_early_help_without_consent_is_refused(social_worker: Any, mash_team: Any, now: dt.datetime) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, consent="informed")
    with pytest.raises(DomainError, match="consent"):
        services.recommend(
            contact,
            children=_all(contact, Brag.GREEN, _level(), Outcome.EARLY_HELP),
            rationale="x",
            by=social_worker,
            at=now,
            version=contact.version,
        )


def test_returning_restarts_the_threshold_clock(
    social_worker: Any, manager: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _recommended(social_worker, mash_team, now)
    contact.refresh_from_db()
    services.return_recommendation(
        contact, rationale="Check health records.", by=manager, at=now, version=contact.version
    )
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert AuditEvent.objects.filter(verb=Verb.DECISION_RETURNED, contact=contact).exists()


def test_actioning_needs_the_referrer_told(
    social_worker: Any, manager: Any, contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _recommended(social_worker, mash_team, now)
    contact.refresh_from_db()
    services.approve(
        contact,
        outcomes=_each(contact, Outcome.SECTION_17_ASSESSMENT),
        rationale="Agreed.",
        by=manager,
        at=now,
        version=contact.version,
    )
    with pytest.raises(DomainError, match="Enter when the referrer was told"):
        services.action_outcome(
            contact,
            sent_to="Team 2",
            referrer_informed_at=None,
            referrer_informed_by="",
            notes="",
            by=contact_officer,
            at=now,
            version=contact.version,
        )
    services.action_outcome(
        contact,
        sent_to="Team 2",
        referrer_informed_at=now,
        referrer_informed_by="email",
        notes="",
        by=contact_officer,
        at=now,
        version=contact.version,
    )
    contact.refresh_from_db()
    assert (contact.state, contact.current_due_at) == (ContactState.CLOSED, None)
    assert AuditEvent.objects.filter(verb=Verb.OUTCOME_ACTIONED, contact=contact).exists()


@pytest.mark.parametrize(
    ("rating", "outcome", "message"),
    [
        (Brag.AMBER, Outcome.STRATEGY_DISCUSSION, "A strategy discussion is for a child at risk of significant harm"),
        (Brag.BLUE, Outcome.STRATEGY_DISCUSSION, "A strategy discussion is for a child at risk of significant harm"),
        (Brag.RED, Outcome.NO_FURTHER_ACTION, "Red means a risk of significant harm"),
        (Brag.RED, Outcome.SIGNPOST, "Red means a risk of significant harm"),
        (Brag.BLUE, Outcome.SECTION_17_ASSESSMENT, "Blue is information or advice only"),
    ],
)
def test_a_rating_that_contradicts_the_outcome_is_refused(
    rating: Brag, outcome: Outcome, message: str, social_worker: Any, mash_team: Any, now: dt.datetime
) -> None:
    """002 §7 (what each BRAG rating means) and §11 (significant harm: a strategy meeting)."""
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    levels = list(LocalProtocol.objects.get(is_active=True).levels.order_by("order"))
    with pytest.raises(DomainError, match=message):
        services.recommend(
            contact,
            children=_all(contact, rating, levels[1], outcome),
            rationale="x",
            by=social_worker,
            at=now,
            version=0,
        )
    assert not Recommendation.objects.filter(contact=contact).exists()


def test_the_significant_harm_level_needs_a_red_rating(social_worker: Any, mash_team: Any, now: dt.datetime) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    highest = LocalProtocol.objects.get(is_active=True).levels.order_by("order").last()
    with pytest.raises(DomainError, match="is for a child at risk of significant harm: rate Red"):
        services.recommend(
            contact,
            children=_all(contact, Brag.AMBER, highest, Outcome.SECTION_17_ASSESSMENT),
            rationale="x",
            by=social_worker,
            at=now,
            version=0,
        )


def test_a_manager_cannot_approve_a_strategy_discussion_on_an_amber_recommendation(
    social_worker: Any, manager: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _recommended(social_worker, mash_team, now, Outcome.SECTION_17_ASSESSMENT, Brag.AMBER)
    contact.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.approve(
            contact,
            outcomes=_each(contact, Outcome.STRATEGY_DISCUSSION),
            rationale="No.",
            by=manager,
            at=now,
            version=contact.version,
        )
    # The manager has no rating to change: the way on is another outcome or a return, beside the outcome.
    (problem,) = refused.value.problems
    child = contact.subjects.get()
    assert problem.field == f"child-{child.pk}-outcome"
    assert problem.message == (
        f"{child.display_name}: A strategy discussion is for a child at risk of significant harm, and the social"
        " worker rated this child Amber: choose another outcome, or return the recommendation for a new rating"
    )


def test_the_threshold_page_shows_why_the_manager_returned_it(
    social_worker: Any, manager: Any, social_worker_client: Any, mash_team: Any, now: dt.datetime
) -> None:
    from django.urls import reverse

    contact = _recommended(social_worker, mash_team, now)
    contact.refresh_from_db()
    services.return_recommendation(
        contact, rationale="Please consider a strategy discussion.", by=manager, at=now, version=contact.version
    )
    page = social_worker_client.get(reverse("decisions:recommend", args=[contact.pk])).content.decode()
    assert "Returned for reconsideration" in page
    assert "Please consider a strategy discussion." in page
    assert "Reasons." in page  # what was recommended before


def test_the_threshold_page_shows_each_persons_consent_for_checks_and_early_help(
    social_worker: Any, social_worker_client: Any, mash_team: Any, now: dt.datetime
) -> None:
    from django.urls import reverse

    from safehub.consent import services as consent
    from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory

    contact = ContactAwaitingThresholdFactory(team=mash_team, consent="informed")
    mia = contact.subjects.get()
    given = consent.Answer(mia.pk, "early_help", "given", "parent", "Lena Harlow", now.date(), "verbal")
    consent.record_consent(contact, given, by=social_worker, at=now)
    page = social_worker_client.get(reverse("decisions:recommend", args=[contact.pk])).content.decode()
    assert "Consent: sharing information for MASH checks.</strong> Mia Harlow: consent not sought" in page
    assert "Consent: early help and family support.</strong> Mia Harlow: consent given" in page
