"""The move of disclosures from `checks` to `sharing` keeps every row, both ways, on SQLite and PostgreSQL.

On a scratch database migrated only as far as the move needs (the 31 migrations `checks.0009` depends
on), with rows written through the models as they were then: rolling the whole test database back past
the move and forward again re-rendered every app's models for each of the sixty-odd migrations in
between, over two minutes for this one test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from safehub.core.tests import historical
from safehub.core.tests.scratch import scratch_connection
from safehub.sharing.vocabulary import Purpose

AFTER_THE_MOVE = ("checks", "0009_disclosures_move_to_sharing")
BEFORE_THE_MOVE = [("checks", "0008_state_changes"), ("sharing", None)]
LEDGER_CODED = ("sharing", "0005_ledger_coded")
SENTENCE = Purpose.MASH_CHECKS.label
NOW = historical.NOW


def _migrate(scratch: BaseDatabaseWrapper, targets: list[tuple[str, str | None]]) -> Any:
    """Migrate the scratch database to `targets`; the models as they are there."""
    executor = MigrationExecutor(scratch)
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def _a_contact_with_checks(apps: Any, alias: str) -> dict[str, Any]:
    """A contact, its MASH checks and a request to the police and to a school, as the code of the move's
    time wrote them (and a health agency, asked later)."""
    made = historical.staff(apps, alias)
    agency = apps.get_model("accounts", "Agency").objects.using(alias)
    police = agency.create(name="Example Police", kind="police")
    school = agency.create(name="Example School", kind="education")
    health = agency.create(name="Example Health", kind="health")
    contact = historical.contact(apps, alias, made, "C-0001")
    checks = (
        apps.get_model("checks", "MashChecks")
        .objects.using(alias)
        .create(
            reason="Known to police?",
            rating="amber",
            lawful_basis="Children Act 1989 s47",
            started_at=NOW,
            contact_id=contact.pk,
            coordinator_id=made["worker"].pk,
            started_by_id=made["manager"].pk,
        )
    )
    requests = apps.get_model("checks", "AgencyRequest").objects.using(alias)
    ask = {"checks_id": checks.pk, "questions": "Known?", "subjects": [], "due_at": NOW, "sent_at": NOW}
    return {
        **made,
        "contact": contact,
        "police": police,
        "school": school,
        "health": health,
        "police_request": requests.create(agency_id=police.pk, **ask),
        "school_request": requests.create(agency_id=school.pk, **ask),
        "ask": ask,
    }


def _disclosure(made: dict[str, Any], agency: str, **fields: Any) -> dict[str, Any]:
    return {
        "contact_id": made["contact"].pk,
        "agency_id": made[agency].pk,
        "disclosed_by_id": made["manager"].pk,
        "disclosed_at": NOW,
        "lawful_basis": "Children Act 1989 s47",
        "consent_position": "Not sought",
        "content": {"questions": "Known?"},
        **fields,
    }


def test_disclosures_made_before_the_move_are_still_there_after_it(db: None, tmp_path: Path) -> None:
    with scratch_connection(tmp_path) as scratch:
        alias = scratch.alias
        after = _migrate(scratch, [AFTER_THE_MOVE])
        made = _a_contact_with_checks(after, alias)
        police_request, school_request = made["police_request"], made["school_request"]
        # One disclosure in the ledger, made for the police's request.
        in_the_ledger = (
            after.get_model("sharing", "Disclosure")
            .objects.using(alias)
            .create(
                **_disclosure(made, "police"),
                purpose="mash_checks",
                origin="checks.agencyrequest",
                origin_id=police_request.pk,
            )
        )

        # Back to the schema before the move: the disclosure is in the checks table again, on its request.
        before = _migrate(scratch, BEFORE_THE_MOVE)
        old_disclosures = before.get_model("checks", "Disclosure").objects.using(alias)
        kept = old_disclosures.get()
        assert (kept.pk, kept.request_id, kept.purpose) == (in_the_ledger.pk, police_request.pk, SENTENCE)
        # And one written as the old code wrote it, to the old table.
        written_before = old_disclosures.create(
            **_disclosure(made, "school"), request_id=school_request.pk, purpose=SENTENCE
        )

        coded = _migrate(scratch, [AFTER_THE_MOVE, LEDGER_CODED])

        ledger = coded.get_model("sharing", "Disclosure").objects.using(alias)
        moved = {d.pk: d for d in ledger.all()}
        assert set(moved) == {in_the_ledger.pk, written_before.pk}
        school_disclosure = moved[written_before.pk]
        assert (school_disclosure.origin, school_disclosure.origin_id) == ("checks.agencyrequest", school_request.pk)
        assert (school_disclosure.contact_id, school_disclosure.agency_id, school_disclosure.disclosed_by_id) == (
            made["contact"].pk,
            made["school"].pk,
            made["manager"].pk,
        )
        assert school_disclosure.purpose == Purpose.MASH_CHECKS
        assert (school_disclosure.lawful_basis, school_disclosure.consent_position) == (
            "Children Act 1989 s47",
            "Not sought",
        )
        assert school_disclosure.content == {"questions": "Known?"}
        # Coded when the ledger was (0005): a statement naming no basis it knows reads as a public task.
        assert (school_disclosure.bases, school_disclosure.route) == (["gdpr_6_1_e"], "check_request")
        assert school_disclosure.categories == ["concern", "consent", "identity", "risk"]
        assert (moved[in_the_ledger.pk].origin, moved[in_the_ledger.pk].origin_id) == (
            "checks.agencyrequest",
            police_request.pk,
        )

        # A disclosure made after the move takes a new id (PostgreSQL's sequence was moved past the copies).
        another_request = (
            coded.get_model("checks", "AgencyRequest")
            .objects.using(alias)
            .create(agency_id=made["health"].pk, **made["ask"])
        )
        later = ledger.create(
            **_disclosure(made, "health"),
            purpose="mash_checks",
            origin="checks.agencyrequest",
            origin_id=another_request.pk,
        )
        assert later.pk > max(moved)
        assert ledger.count() == 3
