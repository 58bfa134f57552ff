"""Decisions made before decisions were per child become one row per child (ADR 0019), on SQLite
and PostgreSQL: each child gets the contact's rating, level and outcome, and the contact's referral
becomes one referral per child."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.decisions import services
from safehub.decisions.models import (
    ChildAction,
    ChildDecision,
    ChildRecommendation,
    Decision,
    Outcome,
    Recommendation,
    Referral,
)
from safehub.decisions.tests.helpers import criteria_for
from safehub.protocols.models import Brag, LocalProtocol

BEFORE = [("decisions", "0003_alter_decision_options_alter_recommendation_options")]


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


def _siblings(team: Any) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=team, subject=None)
    ContactSubjectFactory(contact=contact, given_name="Ann", role=SubjectRole.CHILD, order=0)
    ContactSubjectFactory(contact=contact, given_name="Ben", role=SubjectRole.SIBLING, order=1)
    ContactSubjectFactory(contact=contact, given_name="Dawn", role=SubjectRole.PARENT, kind="adult", order=2)
    return contact


def _assess_ann_and_help_ben(
    contact: Contact, social_worker: User, manager: User, now: dt.datetime
) -> tuple[ContactSubject, ContactSubject]:
    """Today's services: Ann recommended and approved for an assessment, Ben for early help."""
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    ann, ben = contact.subjects.filter(role__in=["child", "sibling"]).order_by("order")
    services.recommend(
        contact,
        children={
            ann.pk: services.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT),
            ben.pk: services.ChildChoice(Brag.GREEN, level, Outcome.EARLY_HELP),
        },
        rationale="Ann disclosed neglect.",
        by=social_worker,
        at=now,
        version=contact.version,
        criteria=criteria_for([Outcome.EARLY_HELP]),
    )
    contact.refresh_from_db()
    services.approve(
        contact,
        outcomes={ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.EARLY_HELP},
        rationale="Agreed.",
        by=manager,
        at=now,
        version=contact.version,
    )
    return ann, ben


def test_decisions_made_per_contact_become_decisions_per_child(
    transactional_db: None, mash_team: Any, social_worker: User, manager: User, now: dt.datetime
) -> None:
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    # One contact decided per child by today's services, before going back to the old schema.
    decided_per_child = _siblings(mash_team)
    _assess_ann_and_help_ben(decided_per_child, social_worker, manager, now)

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps
    OldRecommendation = old.get_model("decisions", "Recommendation")  # noqa: N806 (a model class)
    OldDecision = old.get_model("decisions", "Decision")  # noqa: N806
    OldReferral = old.get_model("decisions", "Referral")  # noqa: N806
    # Going back keeps the most serious child's values (Ann's referral) on the contact.
    kept = OldRecommendation.objects.get(contact_id=decided_per_child.pk)
    assert (kept.rating, kept.level_id, kept.outcome) == ("amber", level.pk, "section_17_assessment")
    assert OldDecision.objects.get(contact_id=decided_per_child.pk).outcome == "section_17_assessment"
    assert OldReferral.objects.filter(contact_id=decided_per_child.pk).count() == 1

    # And one written as the old code wrote it: a contact about two siblings, one outcome, one referral.
    written_before = _siblings(mash_team)
    old_recommendation = OldRecommendation.objects.create(
        contact_id=written_before.pk,
        rating="red",
        level_id=level.pk,
        outcome="strategy_discussion",
        rationale="Bruising.",
        recommended_by_id=social_worker.pk,
        recommended_at=now,
    )
    returned = OldRecommendation.objects.create(
        contact_id=written_before.pk,
        rating="amber",
        level_id=level.pk,
        outcome="section_17_assessment",
        rationale="First thoughts.",
        recommended_by_id=social_worker.pk,
        recommended_at=now - dt.timedelta(hours=1),
    )
    OldDecision.objects.create(
        contact_id=written_before.pk,
        recommendation_id=returned.pk,
        verdict="returned",
        outcome="",
        rationale="Think again.",
        decided_by_id=manager.pk,
        decided_at=now - dt.timedelta(minutes=30),
    )
    old_decision = OldDecision.objects.create(
        contact_id=written_before.pk,
        recommendation_id=old_recommendation.pk,
        verdict="approved",
        outcome="strategy_discussion",
        rationale="Agreed.",
        decided_by_id=manager.pk,
        decided_at=now,
    )
    OldReferral.objects.create(
        contact_id=written_before.pk, decision_id=old_decision.pk, outcome="strategy_discussion", referred_at=now
    )

    _migrate()

    children = list(written_before.subjects.filter(role__in=["child", "sibling"]).order_by("order"))
    recommended = ChildRecommendation.objects.filter(recommendation_id=old_recommendation.pk)
    assert sorted(recommended.values_list("subject_id", "rating", "level_id", "outcome")) == [
        (child.pk, "red", level.pk, "strategy_discussion") for child in children
    ]  # the adult gets none
    assert Recommendation.objects.get(pk=old_recommendation.pk).rating == "red"
    assert ChildRecommendation.objects.filter(recommendation_id=returned.pk).count() == 2
    assert sorted(ChildDecision.objects.filter(decision_id=old_decision.pk).values_list("subject_id", "outcome")) == [
        (child.pk, "strategy_discussion") for child in children
    ]
    assert not ChildDecision.objects.filter(decision__verdict="returned").exists()
    referrals = Referral.objects.filter(contact=written_before).order_by("subject__order")
    assert [(r.subject_id, r.decision_id, r.outcome, r.referred_at) for r in referrals] == [
        (child.pk, old_decision.pk, "strategy_discussion", now) for child in children
    ]
    # The contact decided per child comes back with Ann's and Ben's rows as the contact-level values
    # going back gave them (one outcome per contact in between).
    assert Referral.objects.filter(contact=decided_per_child).count() == 2
    assert Decision.objects.filter(contact=decided_per_child).get().children.count() == 2

    # New decisions after the migration work as before.
    later = _siblings(mash_team)
    services.recommend(
        later,
        children=services.same_for_all(later, services.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT)),
        rationale="Neglect.",
        by=social_worker,
        at=now,
        version=later.version,
    )
    assert ChildRecommendation.objects.filter(recommendation__contact=later).count() == 2


def test_outcomes_actioned_before_each_child_had_a_place_get_one(
    transactional_db: None, mash_team: Any, social_worker: User, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    """0008: the team and worker entered then are the assessed child's; the early-help sibling beside
    them had none (as `child_routes` decided before each outcome had its own)."""
    contact = _siblings(mash_team)
    ann, ben = _assess_ann_and_help_ben(contact, social_worker, manager, now)
    contact.refresh_from_db()
    services.action_outcome(
        contact,
        sent_to="Assessment team 2",
        referrer_informed_at=now,
        referrer_informed_by="email",
        notes="",
        by=contact_officer,
        at=now,
        version=contact.version,
        allocated_worker=social_worker,
    )
    _migrate([("decisions", "0006_contact_level_outcomes_removed")])
    _migrate()
    placed = {
        child.subject_id: (child.outcome, child.team, child.allocated_worker_id)
        for child in ChildAction.objects.filter(action__contact=contact)
    }
    assert placed == {
        ann.pk: ("section_17_assessment", "Assessment team 2", social_worker.pk),
        ben.pk: ("early_help", "", None),
    }
