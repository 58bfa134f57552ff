"""The move of disclosures from `checks` to `sharing` keeps every row, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safehub.accounts.models import AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.checks.models import AgencyRequest
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.sharing.models import Disclosure
from safehub.sharing.vocabulary import Purpose

BEFORE_THE_MOVE = [("checks", "0008_state_changes"), ("sharing", None)]
SENTENCE = Purpose.MASH_CHECKS.label


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


def test_disclosures_made_before_the_move_are_still_there_after_it(
    transactional_db: None, mash_team: object, manager: User, social_worker: User, now: dt.datetime
) -> None:
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    school = PartnerAgencyFactory(name="Example School", kind=AgencyKind.EDUCATION)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    police_request = checks.requests.get()
    made_by_the_service = police_request.disclosure.pk

    # Back to the schema before the move: the disclosure is in the checks table again, on its request.
    executor = _migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE[0]).apps
    OldDisclosure = old.get_model("checks", "Disclosure")  # noqa: N806 (a model class)
    OldRequest = old.get_model("checks", "AgencyRequest")  # noqa: N806
    kept = OldDisclosure.objects.get()
    assert (kept.pk, kept.request_id, kept.purpose) == (made_by_the_service, police_request.pk, SENTENCE)
    # And one written as the old code wrote it, to the old table.
    school_request = OldRequest.objects.create(
        checks_id=checks.pk, agency_id=school.pk, questions="Known?", subjects=[], due_at=now, sent_at=now
    )
    written_before = OldDisclosure.objects.create(
        request_id=school_request.pk,
        contact_id=contact.pk,
        agency_id=school.pk,
        disclosed_by_id=manager.pk,
        disclosed_at=now,
        purpose=SENTENCE,
        lawful_basis="Children Act 1989 s47",
        consent_position="Not sought",
        content={"questions": "Known?"},
    )

    _migrate()

    moved = {d.pk: d for d in Disclosure.objects.all()}
    assert set(moved) == {made_by_the_service, written_before.pk}
    school_disclosure = moved[written_before.pk]
    assert (school_disclosure.origin, school_disclosure.origin_id) == ("checks.agencyrequest", school_request.pk)
    assert (school_disclosure.contact_id, school_disclosure.agency_id, school_disclosure.disclosed_by_id) == (
        contact.pk,
        school.pk,
        manager.pk,
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
    assert AgencyRequest.objects.get(pk=school_request.pk).disclosure == school_disclosure
    assert AgencyRequest.objects.get(pk=police_request.pk).disclosure.pk == made_by_the_service

    # New disclosures after the move take new ids (PostgreSQL's sequence was moved past the copies).
    later = ContactAwaitingThresholdFactory(team=mash_team)
    start_checks(later, by=manager, coordinator=social_worker, agencies=[police, school], at=now)
    assert Disclosure.objects.filter(contact=later).count() == 2
    assert Disclosure.objects.count() == 4
