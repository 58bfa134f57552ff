"""The contact page's "Children and adults" shows each linked person's current warnings from the
person index (missing since a date, a warning for workers' safety), where the work is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.presenters import person_warnings
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.people.models import Person
from safehub.people.services import record_warnings
from safehub.people.tests.factories import AdultFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _page(client: Client, contact: Contact) -> str:
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _people_section(page: str) -> str:
    return page.split("Children and adults", 1)[1].split("The concern", 1)[0]


def test_a_linked_person_s_warnings_show_on_the_contact(
    mash_team: Any, contact_officer: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    amelia = PersonFactory(given_name="Amelia", family_name="Brook")
    rachel = AdultFactory(given_name="Rachel", family_name="Brook")
    record_warnings(
        amelia, missing_since=dt.date(2026, 11, 22), worker_safety_warning="", by=contact_officer, at=now, version=0
    )
    record_warnings(
        rachel, missing_since=None, worker_safety_warning="Dog at the address", by=contact_officer, at=now, version=0
    )
    contact = ContactFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=contact, given_name="Amelia", family_name="Brook", person=amelia)
    ContactSubjectFactory(contact=contact, given_name="Rachel", family_name="Brook", person=rachel)
    ContactSubjectFactory(contact=contact, given_name="Oliver", family_name="Brook")  # not linked yet
    people = _people_section(_page(social_worker_client, contact))
    assert people.count('class="govuk-warning-text"') == 2
    assert "Amelia Brook: Missing since 22 November 2026" in people
    assert "Rachel Brook: Workers&#x27; safety: Dog at the address" in people


def test_no_warning_shows_when_none_is_recorded_or_it_was_cleared(
    mash_team: Any, contact_officer: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    amelia = PersonFactory(given_name="Amelia", family_name="Brook")
    record_warnings(
        amelia, missing_since=dt.date(2026, 11, 22), worker_safety_warning="", by=contact_officer, at=now, version=0
    )
    record_warnings(amelia, missing_since=None, worker_safety_warning="", by=contact_officer, at=now, version=1)
    contact = ContactFactory(team=mash_team)
    ContactSubject.objects.filter(contact=contact).update(person=amelia)
    assert "govuk-warning-text" not in _people_section(_page(social_worker_client, contact))


def test_the_warnings_are_worded_as_the_person_page_words_them() -> None:
    person = Person(missing_since=dt.date(2026, 11, 22), worker_safety_warning="Aggressive dog")
    assert person_warnings(person) == ["Missing since 22 November 2026", "Workers' safety: Aggressive dog"]
    assert person_warnings(Person()) == []


def _queries(client: Client, contact: Contact) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(contact.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_warnings_take_no_query_per_person(mash_team: Any, social_worker_client: Client, now: dt.datetime) -> None:
    one = ContactFactory(team=mash_team)
    ContactSubject.objects.filter(contact=one).update(person=PersonFactory())
    many = ContactFactory(team=mash_team)
    for n in range(3):
        person = PersonFactory(missing_since=dt.date(2026, 11, 20 + n), worker_safety_warning=f"Warning {n}")
        ContactSubjectFactory(contact=many, given_name=f"Child{n}", person=person)
    _queries(social_worker_client, one)  # the session's first use
    assert _queries(social_worker_client, many) == _queries(social_worker_client, one)
    assert _people_section(_page(social_worker_client, many)).count('class="govuk-warning-text"') == 6
