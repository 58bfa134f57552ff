"""Recording consent, competence and overrides through the services, each with its audit event, and the
gate MASH checks pass through (ADR 0034; 002 §18–22, §27; 003 §2.3, §2.5, App. 4 §4)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import Agency, AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.models import MashChecks
from safehub.checks.tests.helpers import start_checks
from safehub.consent import services
from safehub.consent.models import ConsentOverride, ConsentPurpose, ConsentRecord
from safehub.consent.queries import positions
from safehub.consent.rules import Position
from safehub.consent.services import Answer, Assessment, ConsentMissing, Decision
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import ConsentPosition, Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.core.errors import DomainError, Refused
from safehub.decisions.models import Outcome
from safehub.decisions.services import check_outcome_allowed
from safehub.protocols.models import LocalProtocol
from safehub.sharing.models import Disclosure

CHECKS = ConsentPurpose.MASH_CHECKS
TODAY = dt.date(2026, 11, 24)
WHY = "Mia's school reports bruising twice this month and the family cannot be reached; delay adds risk."


@pytest.fixture
def contact(mash_team: Team) -> Contact:
    """A public contact (no consent asked) about Mia, 10, and her brother Sam, 14, with their mother."""
    made: Contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.NOT_REQUIRED_PUBLIC)
    ContactSubjectFactory(contact=made, given_name="Sam", role=SubjectRole.SIBLING, date_of_birth=dt.date(2012, 3, 2))
    ContactSubjectFactory(
        contact=made, given_name="Lena", role=SubjectRole.PARENT, kind="adult", date_of_birth=dt.date(1988, 1, 9)
    )
    return made


def _person(contact: Contact, name: str) -> ContactSubject:
    return contact.subjects.get(given_name=name)


def _answer(contact: Contact, name: str, **changes: Any) -> Answer:
    fields: dict[str, Any] = {
        "subject_id": _person(contact, name).pk,
        "purpose": CHECKS,
        "answer": "given",
        "given_by": "parent",
        "giver_name": "Lena Harlow",
        "given_on": TODAY,
        "method": "verbal",
    }
    return Answer(**(fields | changes))


def _position(contact: Contact, name: str, purpose: ConsentPurpose = CHECKS) -> Position:
    return next(found.position for found in positions(contact, purpose, on=TODAY) if found.subject.given_name == name)


def _assess(contact: Contact, name: str, *, by: User, at: dt.datetime, competent: bool = True) -> None:
    services.assess_competence(
        contact,
        Assessment(
            subject_id=_person(contact, name).pk,
            purpose=CHECKS,
            understands=True,
            consequences=True,
            weighs=True,
            voluntary=competent,
            rationale="Sam explained back what would be shared, with whom and why, and what refusing would mean.",
            assessed_on=TODAY,
        ),
        by=by,
        at=at,
    )


def test_a_parents_answer_is_recorded_for_the_child_with_who_when_and_how(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    made = services.record_consent(contact, _answer(contact, "Mia"), by=social_worker, at=now)

    assert (made.giver_name, made.given_by, made.method, made.recorded_by) == (
        "Lena Harlow",
        "parent",
        "verbal",
        social_worker,
    )
    assert _position(contact, "Mia") == Position.GIVEN
    assert _position(contact, "Sam") == Position.NOT_SOUGHT  # per person: Sam's own position is untouched
    event = AuditEvent.objects.get(verb=Verb.CONSENT_RECORDED)
    assert event.contact_id == contact.pk
    assert event.data == {
        "consent": made.pk,
        "subject": made.subject_id,
        "purpose": "mash_checks",
        "answer": "given",
        "given_by": "parent",
    }


def test_a_newer_answer_supersedes_and_the_older_stays(contact: Contact, social_worker: User, now: dt.datetime) -> None:
    services.record_consent(contact, _answer(contact, "Mia"), by=social_worker, at=now)
    services.record_consent(
        contact,
        _answer(contact, "Mia", answer="refused", method="written"),
        by=social_worker,
        at=now + dt.timedelta(hours=1),
    )
    assert _position(contact, "Mia") == Position.REFUSED
    assert ConsentRecord.objects.filter(subject__given_name="Mia").count() == 2


def test_the_same_answer_sent_twice_is_one_record(contact: Contact, social_worker: User, now: dt.datetime) -> None:
    key = uuid.uuid4()
    first = services.record_consent(contact, _answer(contact, "Mia"), by=social_worker, at=now, submission_key=key)
    again = services.record_consent(
        contact, _answer(contact, "Mia"), by=social_worker, at=now, submission_key=uuid.uuid4()
    )
    assert first == again
    assert ConsentRecord.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CONSENT_RECORDED).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_by": "competent_young_person", "giver_name": ""}, "given_by"),  # Mia is 10
        ({"given_by": "themselves"}, "given_by"),  # a child
        ({"given_on": TODAY + dt.timedelta(days=1)}, "given_on"),
        ({"given_on": dt.date(2026, 11, 23)}, "given_on"),  # before the contact was received
        ({"given_on": None}, "given_on"),
        ({"giver_name": "  "}, "giver_name"),  # a parent unnamed
        ({"method": "carrier pigeon"}, "method"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_recorded(
    contact: Contact, social_worker: User, now: dt.datetime, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(Refused) as refusal:
        services.record_consent(contact, _answer(contact, "Mia", **changes), by=social_worker, at=now)
    assert field in {problem.field for problem in refusal.value.problems}
    assert not ConsentRecord.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CONSENT_RECORDED).exists()


def test_a_young_person_of_14_answers_for_themselves_only_once_assessed_competent(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    services.record_consent(contact, _answer(contact, "Sam"), by=social_worker, at=now)  # their mother says yes
    own = _answer(contact, "Sam", answer="refused", given_by="competent_young_person", giver_name="")
    with pytest.raises(Refused, match="Record an assessment that found Sam Harlow competent"):
        services.record_consent(contact, own, by=social_worker, at=now)

    _assess(contact, "Sam", by=social_worker, at=now)
    made = services.record_consent(contact, own, by=social_worker, at=now)

    assert made.giver_name == "Sam Harlow"
    assert made.competence is not None
    assert _position(contact, "Sam") == Position.REFUSED  # his own decision governs, over his mother's yes
    assert AuditEvent.objects.get(verb=Verb.COMPETENCE_ASSESSED).data["competent"] is True


def test_an_assessment_that_finds_them_not_competent_leaves_the_parents_answer(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    services.record_consent(contact, _answer(contact, "Sam", answer="refused"), by=social_worker, at=now)
    _assess(contact, "Sam", by=social_worker, at=now, competent=False)
    with pytest.raises(Refused):
        services.record_consent(
            contact, _answer(contact, "Sam", given_by="competent_young_person", giver_name=""), by=social_worker, at=now
        )
    assert _position(contact, "Sam") == Position.REFUSED


def test_competence_is_not_assessed_for_a_child_under_12_or_by_a_partner(
    contact: Contact, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    with pytest.raises(Refused, match="competence is assessed only from 12"):
        _assess(contact, "Mia", by=social_worker, at=now)
    with pytest.raises(PermissionDenied):
        _assess(contact, "Sam", by=police_partner, at=now)
    assert not AuditEvent.objects.filter(verb=Verb.COMPETENCE_ASSESSED).exists()


def test_the_age_bands_are_the_protocols(contact: Contact, social_worker: User, now: dt.datetime) -> None:
    LocalProtocol.objects.filter(is_active=True).update(consent_competence_age=15)
    with pytest.raises(Refused, match="competence is assessed only from 15"):
        _assess(contact, "Sam", by=social_worker, at=now)


@pytest.fixture
def asked(contact: Contact, social_worker: User, now: dt.datetime) -> ConsentOverride:
    return services.ask_override(contact, CHECKS, WHY, by=social_worker, at=now)


def _decision(**changes: Any) -> Decision:
    police = Agency.objects.filter(kind=AgencyKind.POLICE).first() or PartnerAgencyFactory(kind=AgencyKind.POLICE)
    fields: dict[str, Any] = {
        "agree": True,
        "rationale": "Bruising twice in a month to a 10-year-old: the risk of waiting outweighs the family's privacy.",
        "power": "children_act_s47",
        "owner_id": police.pk,
        "owner_agreed_by": "DS Example, public protection desk",
        "owner_agreed_at": dt.datetime(2026, 11, 24, 9, 45, tzinfo=dt.UTC),
    }
    return Decision(**(fields | changes))


def test_an_override_is_asked_for_everyone_without_consent_and_agreed_by_another(
    contact: Contact, asked: ConsentOverride, manager: User, now: dt.datetime
) -> None:
    assert {person.given_name for person in asked.people.all()} == {"Mia", "Sam", "Lena"}
    assert AuditEvent.objects.get(verb=Verb.OVERRIDE_ASKED).data["override"] == asked.pk

    services.decide_override(asked, _decision(), by=manager, at=now, version=asked.version)

    asked.refresh_from_db()
    assert asked.state == OverrideState.AGREED
    assert (asked.decided_by, asked.power, asked.owner_agreed_by) == (
        manager,
        "children_act_s47",
        "DS Example, public protection desk",
    )
    assert asked.state_changes.get().to_state == "agreed"
    assert AuditEvent.objects.get(verb=Verb.OVERRIDE_AGREED).data["override"] == asked.pk
    assert {found.position for found in positions(contact, CHECKS, on=TODAY)} == {Position.OVERRIDDEN}


def test_the_asker_never_decides_their_own_override(asked: ConsentOverride, manager: User, now: dt.datetime) -> None:
    mine = services.ask_override(asked.contact, ConsentPurpose.CHILDRENS_CENTRES, WHY, by=manager, at=now)
    with pytest.raises(DomainError, match="another manager must decide it"):
        services.decide_override(mine, _decision(), by=manager, at=now, version=mine.version)
    mine.refresh_from_db()
    assert mine.state == OverrideState.ASKED


def test_a_social_worker_may_not_decide_and_a_senior_practitioner_only_where_the_protocol_says(
    asked: ConsentOverride, senior_practitioner: User, contact_officer: User, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        services.decide_override(asked, _decision(), by=contact_officer, at=now, version=asked.version)
    LocalProtocol.objects.filter(is_active=True).update(override_by_senior_practitioner=False)
    with pytest.raises(PermissionDenied):
        services.decide_override(asked, _decision(), by=senior_practitioner, at=now, version=asked.version)
    LocalProtocol.objects.filter(is_active=True).update(override_by_senior_practitioner=True)  # Bexley's "Manager/SSW"
    services.decide_override(asked, _decision(), by=senior_practitioner, at=now, version=asked.version)
    assert AuditEvent.objects.filter(verb=Verb.OVERRIDE_AGREED).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rationale": ""}, "rationale"),
        ({"rationale": "Risk."}, "rationale"),  # not of real length
        ({"power": ""}, "power"),
        ({"owner_id": None}, "owner"),  # Bexley: the agency that owns the information agrees too (002 §27)
        ({"owner_agreed_by": ""}, "owner_agreed_by"),
        ({"owner_agreed_at": dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)}, "owner_agreed_at"),  # in the future
    ],
)
def test_an_agreement_without_what_it_needs_is_refused(
    asked: ConsentOverride, manager: User, now: dt.datetime, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(Refused) as refusal:
        services.decide_override(asked, _decision(**changes), by=manager, at=now, version=asked.version)
    assert field in {problem.field for problem in refusal.value.problems}
    asked.refresh_from_db()
    assert asked.state == OverrideState.ASKED
    assert not AuditEvent.objects.filter(verb=Verb.OVERRIDE_AGREED).exists()


def test_without_the_owners_agreement_setting_none_is_asked_or_kept(
    asked: ConsentOverride, manager: User, now: dt.datetime
) -> None:
    LocalProtocol.objects.filter(is_active=True).update(override_needs_owner_agreement=False)
    services.decide_override(
        asked, _decision(owner_id=None, owner_agreed_by=""), by=manager, at=now, version=asked.version
    )
    asked.refresh_from_db()
    assert (asked.state, asked.owner_id) == (OverrideState.AGREED, None)


def test_a_declined_override_leaves_the_people_without_consent(
    contact: Contact, asked: ConsentOverride, manager: User, now: dt.datetime
) -> None:
    services.decide_override(
        asked,
        _decision(agree=False, rationale="Ask the mother first: she has answered the school before today."),
        by=manager,
        at=now,
        version=asked.version,
    )
    asked.refresh_from_db()
    assert asked.state == OverrideState.DECLINED
    assert asked.power == ""
    assert _position(contact, "Mia") == Position.NOT_SOUGHT
    assert AuditEvent.objects.filter(verb=Verb.OVERRIDE_DECLINED).count() == 1


def test_a_second_ask_while_one_waits_and_early_help_are_refused(
    contact: Contact, asked: ConsentOverride, second_manager: User, now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="waits for a manager's decision"):
        services.ask_override(contact, CHECKS, WHY, by=second_manager, at=now)
    with pytest.raises(DomainError, match="Early help always needs the family's consent"):
        services.ask_override(contact, ConsentPurpose.EARLY_HELP, WHY, by=second_manager, at=now)
    assert ConsentOverride.objects.count() == 1


def test_a_stale_decision_changes_nothing(
    asked: ConsentOverride, manager: User, second_manager: User, now: dt.datetime
) -> None:
    version = asked.version
    services.decide_override(asked, _decision(), by=manager, at=now, version=version)
    stale = ConsentOverride.objects.get(pk=asked.pk)
    with pytest.raises(DomainError):
        services.decide_override(stale, _decision(agree=False), by=second_manager, at=now, version=version)
    stale.refresh_from_db()
    assert (stale.state, stale.decided_by) == (OverrideState.AGREED, manager)


def test_only_the_asker_withdraws(asked: ConsentOverride, social_worker: User, manager: User, now: dt.datetime) -> None:
    with pytest.raises(PermissionDenied):
        services.withdraw_override(asked, by=manager, at=now, version=asked.version)
    services.withdraw_override(
        asked, by=social_worker, at=now, version=asked.version, note="Mother consented after all"
    )
    asked.refresh_from_db()
    assert asked.state == OverrideState.WITHDRAWN
    assert AuditEvent.objects.filter(verb=Verb.OVERRIDE_WITHDRAWN).count() == 1


def test_mash_checks_wait_for_consent_or_an_agreed_override(
    contact: Contact, social_worker: User, manager: User, second_manager: User, police_partner: User, now: dt.datetime
) -> None:
    police = police_partner.agencies().get()
    with pytest.raises(ConsentMissing) as refusal:
        start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    messages = [problem.message for problem in refusal.value.problems]
    assert "Mia Harlow: consent not sought or not known for sharing information for MASH checks" in messages
    assert not MashChecks.objects.exists()
    assert AuditEvent.objects.get(verb=Verb.CONSENT_SHARING_REFUSED).data == {"purpose": "mash_checks", "people": 3}

    override = services.ask_override(contact, CHECKS, WHY, by=social_worker, at=now)
    services.decide_override(
        override, _decision(owner_id=police.pk), by=second_manager, at=now, version=override.version
    )
    contact.refresh_from_db()
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    assert checks.requests.count() == 1
    # The ledger says each person's position as it was shared: here, without consent, and who agreed why.
    disclosure = Disclosure.objects.made_for(checks.requests.get()).get()
    assert disclosure.consent_position.startswith(
        f"Mia Harlow: shared without consent, agreed by {second_manager} (Children Act 1989 s47"
    )
    assert disclosure.content["consent"] == disclosure.consent_position


def test_someone_added_after_the_override_is_not_covered_by_it(
    contact: Contact, asked: ConsentOverride, manager: User, now: dt.datetime
) -> None:
    services.decide_override(asked, _decision(), by=manager, at=now, version=asked.version)
    ContactSubjectFactory(
        contact=contact, given_name="Theo", role=SubjectRole.SIBLING, date_of_birth=dt.date(2020, 1, 1)
    )
    assert _position(contact, "Theo") == Position.NOT_SOUGHT
    with pytest.raises(ConsentMissing, match="Theo Harlow"):
        services.check_sharing(contact, CHECKS, at=now)


def test_a_contact_whose_referrer_had_consent_keeps_it_until_someone_answers(
    mash_team: Team, social_worker: User, now: dt.datetime
) -> None:
    given: Contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.GIVEN)
    assert _position(given, "Mia") == Position.GIVEN
    assert _position(given, "Mia", ConsentPurpose.HEALTH_VISITING) == Position.NOT_SOUGHT  # asked for apart
    services.check_sharing(given, CHECKS, at=now)  # no refusal
    services.record_consent(given, _answer(given, "Mia", answer="refused"), by=social_worker, at=now)
    assert _position(given, "Mia") == Position.REFUSED


def test_early_help_follows_each_childs_own_consent_and_is_never_overridden(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    early_help = ConsentPurpose.EARLY_HELP
    mia, sam = _person(contact, "Mia"), _person(contact, "Sam")
    with pytest.raises(DomainError, match="Early help needs the family's consent"):
        check_outcome_allowed(contact, Outcome.EARLY_HELP, subject=mia)  # a public contact: nobody asked

    services.record_consent(contact, _answer(contact, "Mia", purpose=early_help), by=social_worker, at=now)
    check_outcome_allowed(contact, Outcome.EARLY_HELP, subject=mia)  # her mother said yes to early help
    with pytest.raises(DomainError):
        check_outcome_allowed(contact, Outcome.EARLY_HELP, subject=sam)
    with pytest.raises(DomainError):
        check_outcome_allowed(contact, Outcome.EARLY_HELP)  # every child: Sam has not consented
    check_outcome_allowed(contact, Outcome.NO_FURTHER_ACTION, subject=sam)
