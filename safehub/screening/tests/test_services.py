from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, ContactSubject, StateChange
from safehub.contacts.tests.factories import ContactInScreeningFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.matching.models import PersonIndexEntry
from safehub.people.models import Person, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.protocols.models import LocalProtocol
from safehub.screening.models import KnownStatus, Screening, ScreeningRoute
from safehub.screening.services import UnlikelyMatch, finding_for, identify_subject, record_screening

pytestmark = pytest.mark.django_db


def _activate(slug: str) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug=slug).update(is_active=True)


def _contact_about(person: Person | None, team: Any) -> Contact:
    contact: Contact = ContactInScreeningFactory(team=team)
    ContactSubject.objects.filter(contact=contact).update(person=person)
    return contact


def test_a_new_person_is_created_from_what_the_referrer_said(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _contact_about(None, mash_team)
    subject = contact.subjects.get()
    person = identify_subject(subject, person=None, by=contact_officer, at=now, version=contact.version)
    assert (person.given_name, person.family_name, person.date_of_birth) == ("Mia", "Harlow", subject.date_of_birth)
    assert person.local_id.startswith("P")
    subject.refresh_from_db()
    assert subject.person == person
    assert AuditEvent.objects.filter(verb=Verb.PERSON_RECORDED, person=person).exists()
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_UPDATED, contact=contact).exists()


def test_linking_records_what_the_search_offered(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(None, mash_team)
    known = PersonFactory(given_name="Mia", family_name="Harlow")
    identify_subject(
        contact.subjects.get(),
        person=known,
        by=contact_officer,
        at=now,
        version=contact.version,
        match_probability=0.98765,
        candidates_shown=3,
    )
    event = AuditEvent.objects.get(verb=Verb.CONTACT_UPDATED, contact=contact)
    assert event.data["linked_person"] == known.pk
    assert event.data["match_probability"] == 0.9877
    assert event.data["candidates_shown"] == 3
    assert event.data["not_known"] is False


def test_a_new_person_is_indexed_for_the_next_search(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(None, mash_team)
    person = identify_subject(contact.subjects.get(), person=None, by=contact_officer, at=now, version=contact.version)
    assert PersonIndexEntry.objects.filter(person=person).exists()


def test_linking_with_a_stale_version_changes_nothing(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(None, mash_team)
    with pytest.raises(ConcurrentChange):
        identify_subject(contact.subjects.get(), person=None, by=contact_officer, at=now, version=contact.version + 1)
    assert not Person.objects.exists()


def test_unknown_child_goes_for_a_threshold_decision(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(PersonFactory(), mash_team)
    screening = record_screening(
        contact, route=ScreeningRoute.REFER_FOR_THRESHOLD, by=contact_officer, at=now, version=contact.version
    )
    assert screening.known_status == KnownStatus.NOT_KNOWN
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert contact.current_due_at is not None
    change = StateChange.objects.get(contact=contact)
    assert (change.from_state, change.to_state, change.by) == ("screening", "awaiting_threshold", contact_officer)
    event = AuditEvent.objects.get(verb=Verb.SCREENING_RECORDED, contact=contact)
    assert event.data == {"known_status": "not_known", "route": "refer_for_threshold"}


def test_an_open_case_must_be_forwarded_to_the_allocated_worker(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_PROTECTION_PLAN, allocated_worker="Sam Okafor")
    contact = _contact_about(child, mash_team)
    with pytest.raises(DomainError, match="forward the contact to the allocated worker"):
        record_screening(
            contact,
            route=ScreeningRoute.SIGNPOST,
            signposted_to="x",
            by=contact_officer,
            at=now,
            version=contact.version,
        )
    screening = record_screening(
        contact, route=ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER, by=contact_officer, at=now, version=contact.version
    )
    assert (screening.known_status, screening.allocated_worker) == (KnownStatus.OPEN_CASE, "Sam Okafor")
    contact.refresh_from_db()
    assert contact.state == ContactState.CLOSED


@pytest.mark.parametrize(
    ("protocol", "ended_on", "status"),
    [
        ("bexley", dt.date(2026, 10, 1), KnownStatus.RECENTLY_CLOSED),
        ("bexley", dt.date(2026, 6, 1), KnownStatus.KNOWN_CLOSED),
        ("birmingham", dt.date(2026, 10, 1), KnownStatus.KNOWN_CLOSED),
    ],
)
def test_three_month_rule(
    protocol: str, ended_on: dt.date, status: KnownStatus, mash_team: Any, now: dt.datetime
) -> None:
    _activate(protocol)
    child = PersonFactory()
    InvolvementFactory(person=child, started_on=dt.date(2026, 1, 5), ended_on=ended_on, allocated_worker="Jo Baines")
    contact = _contact_about(child, mash_team)
    assert finding_for(contact, at=now).status == status


def test_allocate_to_previous_worker_under_the_three_month_rule(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(
        person=child, started_on=dt.date(2026, 1, 5), ended_on=dt.date(2026, 10, 1), allocated_worker="Jo Baines"
    )
    contact = _contact_about(child, mash_team)
    screening = record_screening(
        contact, route=ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER, by=contact_officer, at=now, version=contact.version
    )
    assert screening.allocated_worker == "Jo Baines"


def test_allocate_to_previous_worker_is_refused_without_the_rule(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    _activate("birmingham")
    child = PersonFactory()
    InvolvementFactory(person=child, started_on=dt.date(2026, 1, 5), ended_on=dt.date(2026, 10, 1))
    contact = _contact_about(child, mash_team)
    with pytest.raises(DomainError, match="three-month rule does not apply"):
        record_screening(
            contact,
            route=ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER,
            by=contact_officer,
            at=now,
            version=contact.version,
        )
    assert not Screening.objects.exists()


def test_children_must_be_identified_before_routing(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(None, mash_team)
    with pytest.raises(DomainError, match="Link Mia Harlow"):
        record_screening(
            contact, route=ScreeningRoute.REFER_FOR_THRESHOLD, by=contact_officer, at=now, version=contact.version
        )


def test_signposting_needs_a_service(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(PersonFactory(), mash_team)
    with pytest.raises(DomainError, match="Enter the service"):
        record_screening(contact, route=ScreeningRoute.SIGNPOST, by=contact_officer, at=now, version=contact.version)


def test_a_stale_screening_is_refused(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(PersonFactory(), mash_team)
    with pytest.raises(ConcurrentChange):
        record_screening(
            contact,
            route=ScreeningRoute.REFER_FOR_THRESHOLD,
            by=contact_officer,
            at=now,
            version=contact.version - 1 if contact.version else 5,
        )
    assert not Screening.objects.exists()


def test_a_strategy_coordinator_cannot_screen(strategy_coordinator: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _contact_about(PersonFactory(), mash_team)
    with pytest.raises(PermissionDenied):
        record_screening(
            contact, route=ScreeningRoute.REFER_FOR_THRESHOLD, by=strategy_coordinator, at=now, version=contact.version
        )


def test_an_unlikely_match_is_linked_only_when_the_screener_confirms_it(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    """The rule is the service's, not only the page's: nothing links a child to a record the search
    rated unlikely unless the screener said they checked it."""
    contact = _contact_about(None, mash_team)
    someone = PersonFactory(given_name="Leo", family_name="Harlow")
    with pytest.raises(UnlikelyMatch, match="unlikely match \\(2%\\)"):
        identify_subject(
            contact.subjects.get(),
            person=someone,
            by=contact_officer,
            at=now,
            version=contact.version,
            match_probability=0.02,
        )
    assert contact.subjects.get().person is None
    identify_subject(
        contact.subjects.get(),
        person=someone,
        by=contact_officer,
        at=now,
        version=contact.version,
        match_probability=0.02,
        unlikely_confirmed=True,
    )
    assert contact.subjects.get().person_id == someone.pk
