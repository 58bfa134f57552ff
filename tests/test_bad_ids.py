"""Ids that are not ids, posted where a record's id belongs: a word, a superscript two ('²' is a
digit to `str.isdigit()` but not to `int()`), a number of 30 digits (beyond any database integer).
Each is refused as an unknown record is, with a message, and changes nothing; none is a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent
from safehub.checks.models import Alert, MashChecks
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory
from safehub.core.ids import MAX_ID, parse_id, parse_ids, parse_index
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOT_IDS = ["abc", "²", "١٢", "1" * 30, str(MAX_ID + 1), "-3", "0", "", " ", "1.5", "0x1f"]


def _writes() -> int:
    return AuditEvent.objects.exclude(verb__in=["contact_viewed", "person_viewed"]).count()


@pytest.mark.parametrize("text", NOT_IDS)
def test_text_that_is_not_an_id_is_none(text: str) -> None:
    assert parse_id(text) is None


def test_ids_are_read_as_numbers() -> None:
    assert parse_id(" 42 ") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(None) is None
    assert parse_ids(["3", "²", "1" * 30, "7"]) == [3, 7]
    assert parse_index("0", below=1) == 0
    assert parse_index("1", below=1) is None


@pytest.mark.parametrize("subject_pk", ["abc", "²", "1" * 30, ""])
def test_screening_names_a_person_by_an_id_that_is_not_one(
    contact_officer_client: Client, mash_team: object, subject_pk: str
) -> None:
    contact = ContactFactory(team=mash_team)
    url = reverse("screening:screen-contact", args=[contact.pk])
    contact_officer_client.post(url, {"action": "start", "version": contact.version})
    subject = contact.subjects.get()
    prefix = f"subject-{subject.pk}"
    before = _writes()
    response = contact_officer_client.post(
        url, {"action": "identify", "subject_pk": subject_pk, f"{prefix}-person": "new", f"{prefix}-version": 1}
    )
    assert response.status_code == 200
    assert "That person is not part of this contact" in response.content.decode()
    subject.refresh_from_db()
    assert subject.person_id is None
    assert _writes() == before


@pytest.mark.parametrize("index", ["²", "abc", "1" * 30, "7"])
def test_removing_a_person_by_a_position_that_is_not_one_removes_nobody(
    contact_officer_client: Client, index: str
) -> None:
    data = {
        "person-TOTAL_FORMS": "2",
        "person-INITIAL_FORMS": "0",
        "person-0-role": "child",
        "person-0-kind": "child",
        "person-0-given_name": "Ada",
        "person-1-role": "child",
        "person-1-kind": "child",
        "person-1-given_name": "Bea",
        f"remove-person-{index}": "Remove",
    }
    response = contact_officer_client.post(reverse("contacts:record-contact"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Ada"' in page
    assert 'value="Bea"' in page
    assert not Contact.objects.exists()


def test_removing_a_person_by_their_position_still_works(contact_officer_client: Client) -> None:
    data = {
        "person-TOTAL_FORMS": "2",
        "person-INITIAL_FORMS": "0",
        "person-0-given_name": "Ada",
        "person-1-given_name": "Bea",
        "remove-person-0": "Remove",
    }
    page = contact_officer_client.post(reverse("contacts:record-contact"), data).content.decode()
    assert 'value="Ada"' not in page
    assert 'value="Bea"' in page


@pytest.mark.parametrize("text", ["²", "abc", "1" * 30])
def test_dismissing_alerts_by_ids_that_are_not_ids_dismisses_nothing(manager_client: Client, text: str) -> None:
    response = manager_client.post(reverse("checks:dismiss-alerts"), {"alert": [text]})
    assert response.status_code == 302
    assert not Alert.objects.filter(read_at__isnull=False).exists()


def test_a_record_contact_link_with_ids_that_are_not_ids_starts_a_blank_contact(contact_officer_client: Client) -> None:
    url = reverse("contacts:record-contact")
    response = contact_officer_client.get(url, {"from_contact": "1" * 30, "person_added": "²"})
    assert response.status_code == 200


@pytest.fixture
def police(db: None) -> object:
    return PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)


@pytest.mark.parametrize("agency", ["1" * 30, "²", "abc"])
def test_starting_checks_with_an_agency_id_that_is_not_one_is_refused(
    manager_client: Client, mash_team: object, social_worker: User, police: object, agency: str
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    data = {
        "version": contact.version,
        "reason": "Unclear risk",
        "rating": "amber",
        "coordinator": social_worker.pk,
        "agencies": [agency],
        "questions": "Known?",
        "bases": ["gdpr_6_1_e"],
    }
    before = _writes()
    response = manager_client.post(reverse("checks:start", args=[contact.pk]), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not MashChecks.objects.exists()
    assert _writes() == before


@pytest.mark.parametrize("agency", ["1" * 30, "²"])
def test_asking_another_agency_by_an_id_that_is_not_one_is_refused(
    manager: User, social_worker: User, mash_team: object, police: object, now: dt.datetime, agency: str
) -> None:
    checks = start_checks(
        ContactAwaitingThresholdFactory(team=mash_team),
        by=manager,
        coordinator=social_worker,
        agencies=[police],
        at=now,
    )
    client = Client()
    sign_in_both_steps(client, social_worker)
    before = _writes()
    data = {"version": checks.version, "agencies": [agency], "questions": "Known?", "bases": ["gdpr_6_1_e"]}
    response = client.post(reverse("checks:ask-another-agency", args=[checks.pk]), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert checks.requests.count() == 1
    assert _writes() == before


@pytest.mark.parametrize("person", ["1" * 30, "²"])
def test_restricting_a_contact_to_a_user_id_that_is_not_one_is_refused(
    manager_client: Client, mash_team: object, person: str
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    before = _writes()
    response = manager_client.post(
        reverse("contacts:restrict", args=[contact.pk]),
        {"version": contact.version, "people": [person], "reason": "Staff child"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    contact.refresh_from_db()
    assert not contact.is_restricted
    assert _writes() == before


@pytest.mark.parametrize("worker", ["1" * 30, "²", "abc"])
def test_a_queue_filtered_by_a_worker_id_that_is_not_one_says_so(manager_client: Client, worker: str) -> None:
    response = manager_client.get(reverse("queues:queue", args=["threshold"]), {"worker": worker})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode() or "govuk-error-message" in response.content.decode()


@pytest.mark.parametrize("coordinator", ["1" * 30, "²"])
def test_starting_checks_with_a_coordinator_id_that_is_not_one_is_refused(
    manager_client: Client, mash_team: object, police: object, coordinator: str
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    data = {
        "version": contact.version,
        "reason": "Unclear risk",
        "rating": "amber",
        "coordinator": coordinator,
        "agencies": [police.pk],  # type: ignore[attr-defined]
        "questions": "Known?",
        "bases": ["gdpr_6_1_e"],
    }
    response = manager_client.post(reverse("checks:start", args=[contact.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "govuk-error-summary" in response.content.decode()
    assert not MashChecks.objects.exists()


@pytest.mark.parametrize("typed", ["²²²", "١٢٣٤"])
def test_finding_a_contact_by_digits_that_are_not_ascii_is_a_search_not_an_error(
    contact_officer_client: Client, typed: str
) -> None:
    response = contact_officer_client.post(reverse("contacts:find-contact"), {"q": typed}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, "a search is sent by POST and its results shown at an address of their own"


def test_a_new_person_record_is_numbered_after_a_local_id_that_is_not_a_number(
    contact_officer_client: Client, mash_team: object
) -> None:
    PersonFactory(local_id="P²")  # imported from another system: any text
    contact = ContactFactory(team=mash_team)
    url = reverse("screening:screen-contact", args=[contact.pk])
    contact_officer_client.post(url, {"action": "start", "version": contact.version})
    subject = contact.subjects.get()
    prefix = f"subject-{subject.pk}"
    response = contact_officer_client.post(
        url, {"action": "identify", "subject_pk": subject.pk, f"{prefix}-person": "new", f"{prefix}-version": 1}
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.person is not None
    assert subject.person.local_id == "P0000001"
