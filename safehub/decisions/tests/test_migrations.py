"""Decisions made before decisions were per child become one row per child (ADR 0019), on SQLite
and PostgreSQL: each child gets the contact's rating, level and outcome, and the contact's referral
becomes one referral per child; going back keeps the most serious child's.

On a scratch database migrated only as far as each migration needs, with rows written through the
models as they were then: rolling the whole test database back past `decisions.0004` and forward again
re-rendered every app's models for each migration in between, about a minute a test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from safehub.core.tests import historical
from safehub.core.tests.scratch import scratch_connection

NOW = historical.NOW
BEFORE = ("decisions", "0003_alter_decision_options_alter_recommendation_options")
PER_CHILD = ("decisions", "0005_per_child_data")
BEFORE_CHILD_ACTIONS = ("decisions", "0007_child_actions")
CHILD_ACTIONS = ("decisions", "0008_child_actions_data")


def _migrate(scratch: BaseDatabaseWrapper, target: tuple[str, str]) -> Any:
    """Migrate the scratch database to `target`; the models as they are there."""
    executor = MigrationExecutor(scratch)
    executor.migrate([target])
    return executor.loader.project_state(target).apps


def _hub(apps: Any, alias: str) -> dict[str, Any]:
    made = historical.staff(apps, alias)
    protocol = apps.get_model("protocols", "LocalProtocol").objects.using(alias).create(slug="example", name="Example")
    levels = apps.get_model("protocols", "ThresholdLevel").objects.using(alias)
    made["level"] = levels.create(protocol_id=protocol.pk, order=3, code="specialist", label="Specialist")
    return made


def _siblings(apps: Any, alias: str, made: dict[str, Any], reference: str) -> tuple[Any, list[Any]]:
    """A contact about Ann and her brother Ben, and their mother Dawn."""
    contact = historical.contact(apps, alias, made, reference)
    subjects = apps.get_model("contacts", "ContactSubject").objects.using(alias)
    people = [
        subjects.create(contact_id=contact.pk, given_name=name, role=role, kind=kind, order=order)
        for order, (name, role, kind) in enumerate(
            [("Ann", "child", "child"), ("Ben", "sibling", "child"), ("Dawn", "parent", "adult")]
        )
    ]
    return contact, people


def _assess_ann_and_help_ben(apps: Any, alias: str, made: dict[str, Any], reference: str) -> tuple[Any, Any, Any]:
    """As the services of per-child decisions wrote it: Ann recommended and approved for an assessment
    and referred, Ben for early help."""
    contact, (ann, ben, _dawn) = _siblings(apps, alias, made, reference)

    def model(name: str) -> Any:
        return apps.get_model("decisions", name).objects.using(alias)

    recommendation = model("Recommendation").create(
        contact_id=contact.pk, rating="amber", rationale="Ann disclosed neglect.", recommended_by_id=made["worker"].pk
    )
    for child, rating, outcome in ((ann, "amber", "section_17_assessment"), (ben, "green", "early_help")):
        model("ChildRecommendation").create(
            recommendation_id=recommendation.pk,
            subject_id=child.pk,
            rating=rating,
            level_id=made["level"].pk,
            outcome=outcome,
        )
    decision = model("Decision").create(
        contact_id=contact.pk,
        recommendation_id=recommendation.pk,
        verdict="approved",
        rationale="Agreed.",
        decided_by_id=made["manager"].pk,
    )
    model("ChildDecision").create(decision_id=decision.pk, subject_id=ann.pk, outcome="section_17_assessment")
    model("ChildDecision").create(decision_id=decision.pk, subject_id=ben.pk, outcome="early_help")
    model("Referral").create(
        contact_id=contact.pk,
        subject_id=ann.pk,
        decision_id=decision.pk,
        outcome="section_17_assessment",
        referred_at=NOW,
    )
    return contact, ann, ben


def test_decisions_made_per_contact_become_decisions_per_child(db: None, tmp_path: Path) -> None:
    with scratch_connection(tmp_path) as scratch:
        alias = scratch.alias
        per_child = _migrate(scratch, PER_CHILD)
        made = _hub(per_child, alias)
        level = made["level"]
        # One contact decided per child, before going back to the old schema.
        decided_per_child, _ann, _ben = _assess_ann_and_help_ben(per_child, alias, made, "C-0001")

        old = _migrate(scratch, BEFORE)
        OldRecommendation = old.get_model("decisions", "Recommendation").objects.using(alias)  # noqa: N806
        OldDecision = old.get_model("decisions", "Decision").objects.using(alias)  # noqa: N806
        OldReferral = old.get_model("decisions", "Referral").objects.using(alias)  # noqa: N806
        # Going back keeps the most serious child's values (Ann's referral) on the contact.
        kept = OldRecommendation.get(contact_id=decided_per_child.pk)
        assert (kept.rating, kept.level_id, kept.outcome) == ("amber", level.pk, "section_17_assessment")
        assert OldDecision.get(contact_id=decided_per_child.pk).outcome == "section_17_assessment"
        assert OldReferral.filter(contact_id=decided_per_child.pk).count() == 1

        # And one written as the old code wrote it: a contact about two siblings, one outcome, one referral.
        written_before, children = _siblings(old, alias, made, "C-0002")
        children = children[:2]  # the adult gets none
        old_recommendation = OldRecommendation.create(
            contact_id=written_before.pk,
            rating="red",
            level_id=level.pk,
            outcome="strategy_discussion",
            rationale="Bruising.",
            recommended_by_id=made["worker"].pk,
            recommended_at=NOW,
        )
        returned = OldRecommendation.create(
            contact_id=written_before.pk,
            rating="amber",
            level_id=level.pk,
            outcome="section_17_assessment",
            rationale="First thoughts.",
            recommended_by_id=made["worker"].pk,
            recommended_at=NOW - dt.timedelta(hours=1),
        )
        OldDecision.create(
            contact_id=written_before.pk,
            recommendation_id=returned.pk,
            verdict="returned",
            outcome="",
            rationale="Think again.",
            decided_by_id=made["manager"].pk,
            decided_at=NOW - dt.timedelta(minutes=30),
        )
        old_decision = OldDecision.create(
            contact_id=written_before.pk,
            recommendation_id=old_recommendation.pk,
            verdict="approved",
            outcome="strategy_discussion",
            rationale="Agreed.",
            decided_by_id=made["manager"].pk,
            decided_at=NOW,
        )
        OldReferral.create(
            contact_id=written_before.pk, decision_id=old_decision.pk, outcome="strategy_discussion", referred_at=NOW
        )

        new = _migrate(scratch, PER_CHILD)

        def model(name: str) -> Any:
            return new.get_model("decisions", name).objects.using(alias)

        recommended = model("ChildRecommendation").filter(recommendation_id=old_recommendation.pk)
        assert sorted(recommended.values_list("subject_id", "rating", "level_id", "outcome")) == [
            (child.pk, "red", level.pk, "strategy_discussion") for child in children
        ]
        assert model("Recommendation").get(pk=old_recommendation.pk).rating == "red"
        assert model("ChildRecommendation").filter(recommendation_id=returned.pk).count() == 2
        decided = model("ChildDecision").filter(decision_id=old_decision.pk)
        assert sorted(decided.values_list("subject_id", "outcome")) == [
            (child.pk, "strategy_discussion") for child in children
        ]
        assert not model("ChildDecision").filter(decision__verdict="returned").exists()
        referrals = model("Referral").filter(contact_id=written_before.pk).order_by("subject__order")
        assert [(r.subject_id, r.decision_id, r.outcome, r.referred_at) for r in referrals] == [
            (child.pk, old_decision.pk, "strategy_discussion", NOW) for child in children
        ]
        # The contact decided per child comes back with Ann's and Ben's rows as the contact-level values
        # going back gave them (one outcome per contact in between).
        assert model("Referral").filter(contact_id=decided_per_child.pk).count() == 2
        assert model("Decision").get(contact_id=decided_per_child.pk).children.count() == 2


def test_outcomes_actioned_before_each_child_had_a_place_get_one(db: None, tmp_path: Path) -> None:
    """0008: the team and worker entered then are the assessed child's; the early-help sibling beside
    them had none (as `child_routes` decided before each outcome had its own)."""
    with scratch_connection(tmp_path) as scratch:
        alias = scratch.alias
        before = _migrate(scratch, BEFORE_CHILD_ACTIONS)
        made = _hub(before, alias)
        contact, ann, ben = _assess_ann_and_help_ben(before, alias, made, "C-0001")
        made["worker"].first_name, made["worker"].last_name = "Sam", "Worker"
        made["worker"].save(update_fields=["first_name", "last_name"])
        before.get_model("decisions", "OutcomeAction").objects.using(alias).create(
            contact_id=contact.pk,
            decision_id=before.get_model("decisions", "Decision").objects.using(alias).get(contact_id=contact.pk).pk,
            sent_to="Assessment team 2",
            referrer_informed_at=NOW,
            referrer_informed_by="email",
            notes="",
            actioned_by_id=made["manager"].pk,
            allocated_worker_id=made["worker"].pk,
        )

        after = _migrate(scratch, CHILD_ACTIONS)

        placed = {
            child.subject_id: (child.outcome, child.team, child.worker, child.allocated_worker_id)
            for child in after.get_model("decisions", "ChildAction")
            .objects.using(alias)
            .filter(action__contact_id=contact.pk)
        }
        assert placed == {
            ann.pk: ("section_17_assessment", "Assessment team 2", "Sam Worker", made["worker"].pk),
            ben.pk: ("early_help", "", "", None),
        }
