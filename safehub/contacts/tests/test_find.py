"""'Find a contact': by reference, by anyone named on the contact, by the referrer, by an address or
a postcode; only among the contacts the user may see; newest first, 25 a page; one search event in
the audit trail, not a read per row."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, ContactSearchTerm, SubjectRole
from safehub.contacts.queries import ContactQuery, find_contacts
from safehub.contacts.restrictions import restrict_contact
from safehub.contacts.search_terms import index_contacts
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.matching.index import index_people
from safehub.people.models import PersonKind, Sex
from safehub.people.tests.factories import PersonFactory
from safehub.queues.navigation import navigation_for

pytestmark = pytest.mark.django_db

URL = reverse("contacts:find-contact")
CONTACT_LINK = re.compile(r'href="/contacts/\d+/"')


def _received(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def contacts(mash_team: Team) -> dict[str, Contact]:
    """Three contacts of the team: the O'Donnell children from a school, a police notification
    about the Harlows, and a health visitor's concern about an unborn baby."""
    school = ContactFactory(
        team=mash_team,
        reference="C2026-000123",
        received_at=_received(20),
        subject=None,
        referrer_name="Priya Shah",
        referrer_agency="Elm Primary School",
        concern_categories=["neglect"],
        state=ContactState.SCREENING,
    )
    ContactSubjectFactory(
        contact=school, given_name="Aoife", family_name="O'Donnell", address="14 Elm Road", postcode="DA6 7AT"
    )
    ContactSubjectFactory(
        contact=school,
        order=1,
        role=SubjectRole.PARENT,
        kind=PersonKind.ADULT,
        given_name="Siobhan",
        family_name="O’Donnell",
        date_of_birth=dt.date(1985, 1, 1),
        postcode="DA6 7AT",
    )
    police = ContactFactory(
        team=mash_team,
        reference="C2026-000124",
        received_at=_received(22),
        subject=None,
        referrer_name="PC Tom Reed",
        referrer_agency="Example Constabulary",
        concern_categories=["domestic_abuse"],
    )
    ContactSubjectFactory(
        contact=police, given_name="Mia", family_name="Smith-Harlow", address="3 Mill Lane", postcode="B1 1AA"
    )
    unborn = ContactFactory(
        team=mash_team,
        reference="C2026-000125",
        received_at=_received(23),
        subject=None,
        referrer_name="Jo Bell",
        referrer_agency="Health visiting",
    )
    ContactSubjectFactory(
        contact=unborn,
        kind=PersonKind.UNBORN,
        given_name="",
        family_name="Zoë-Grant",
        date_of_birth=None,
        sex=Sex.UNKNOWN,
        postcode="BR1 1AA",
    )
    return {"school": school, "police": police, "unborn": unborn}


def _searched(client: Client, text: str) -> HttpResponse:
    """Post a search and follow it to its results, whose address holds only the search's id."""
    response = client.post(URL, {"q": text}, follow=True)
    assert response.status_code == 200
    return response


def _found(client: Client, text: str) -> str:
    return _searched(client, text).content.decode()


def _references(page: str) -> list[str]:
    return re.findall(r">(C\d{4}-\d{6})</a>", page)


@pytest.mark.parametrize(
    "typed", ["C2026-000123", "c2026-000123", "c2026-123", " C2026000123 ", "2026/123", "000123", "123"]
)
def test_a_reference_finds_its_contact_exactly(
    typed: str, contacts: dict[str, Contact], social_worker_client: Client
) -> None:
    page = _found(social_worker_client, typed)
    assert _references(page) == ["C2026-000123"]
    assert "1 contact found" in page


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("O'Donnell", ["C2026-000123"]),
        ("odonnell", ["C2026-000123"]),
        ("O’DONNELL", ["C2026-000123"]),
        ("Aoife O'Donnell", ["C2026-000123"]),
        ("Siobhan", ["C2026-000123"]),  # an adult on the contact
        ("Harlow", ["C2026-000124"]),  # either part of a double-barrelled name
        ("smith", ["C2026-000124"]),
        ("Zoë-Grant", ["C2026-000125"]),
        ("zoe grant", ["C2026-000125"]),  # accents aside
        ("Mia Smith-Harlow", ["C2026-000124"]),
    ],
)
def test_a_name_on_the_contact_finds_it(
    typed: str, expected: list[str], contacts: dict[str, Contact], social_worker_client: Client
) -> None:
    assert _references(_found(social_worker_client, typed)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Priya Shah", ["C2026-000123"]),
        ("shah", ["C2026-000123"]),
        ("Elm Primary", ["C2026-000123"]),
        ("constabulary", ["C2026-000124"]),
        ("Health visiting", ["C2026-000125"]),
    ],
)
def test_the_referrers_name_or_agency_finds_the_contact(
    typed: str, expected: list[str], contacts: dict[str, Contact], social_worker_client: Client
) -> None:
    assert _references(_found(social_worker_client, typed)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14 Elm Road", ["C2026-000123"]),
        ("14 elm rd", ["C2026-000123"]),
        ("mill lane", ["C2026-000124"]),
        ("b11aa", ["C2026-000124"]),
        ("DA6 7AT", ["C2026-000123"]),
    ],
)
def test_an_address_or_postcode_on_the_contact_finds_it(
    typed: str, expected: list[str], contacts: dict[str, Contact], social_worker_client: Client
) -> None:
    assert _references(_found(social_worker_client, typed)) == expected


def test_a_word_matches_whole_words_only(contacts: dict[str, Contact], social_worker_client: Client) -> None:
    assert "0 contacts found" in _found(social_worker_client, "Donn")


def test_a_contact_is_found_by_the_name_the_person_index_holds_for_someone_on_it(
    contacts: dict[str, Contact], social_worker_client: Client
) -> None:
    assert _references(_found(social_worker_client, "Evie Grant")) == []
    person = PersonFactory(given_name="Évie", family_name="Zoë-Grant")
    index_people()
    subject = contacts["unborn"].subjects.get()
    subject.person = person
    subject.save()
    assert _references(_found(social_worker_client, "Evie Grant")) == ["C2026-000125"]


def test_the_terms_of_contacts_stored_in_bulk_can_be_written_again(contacts: dict[str, Contact]) -> None:
    before = set(ContactSearchTerm.objects.values_list("term", "contact_id"))
    ContactSearchTerm.objects.all().delete()
    assert index_contacts() == 3
    assert set(ContactSearchTerm.objects.values_list("term", "contact_id")) == before
    ContactSearchTerm.objects.all().delete()
    migration = importlib.import_module("safehub.contacts.migrations.0008_search_terms")
    migration.fill_search_terms(apps, SimpleNamespace(connection=connection))  # a schema editor's connection
    assert set(ContactSearchTerm.objects.values_list("term", "contact_id")) == before


def test_results_are_newest_first_25_a_page(mash_team: Team, social_worker_client: Client) -> None:
    for day in range(30):
        ContactFactory(team=mash_team, received_at=_received(1) + dt.timedelta(hours=day), referrer_agency="Oak School")
    results = _searched(social_worker_client, "Oak School")
    first = results.content.decode()
    assert "30 contacts found, newest first" in first
    shown = [Contact.objects.get(reference=r) for r in _references(first)]
    assert len(shown) == 25
    assert [c.received_at for c in shown] == sorted((c.received_at for c in shown), reverse=True)
    assert re.search(r'href="\?search=[\w-]+&amp;page=2"', first)
    second = social_worker_client.get(URL, {"search": results.wsgi_request.GET["search"], "page": "2"}).content.decode()
    assert len(CONTACT_LINK.findall(second)) == 5
    assert "Page 2 of 2" in second


def test_each_row_shows_the_contact_at_a_glance(contacts: dict[str, Contact], social_worker_client: Client) -> None:
    page = _found(social_worker_client, "C2026-000123")
    row = page.split("<tbody")[1]
    assert f'href="/contacts/{contacts["school"].pk}/"' in row
    assert "20 November 2026" in row
    assert "Aoife O&#x27;Donnell" in row
    assert "Siobhan" not in row  # children only
    assert "Neglect" in row
    assert "In basic screening" in row or "Screening" in row


def test_another_teams_contacts_never_appear(
    contacts: dict[str, Contact], other_team: Team, social_worker_client: Client
) -> None:
    ContactFactory(team=other_team, reference="C2026-000999", referrer_agency="Elm Primary School")
    page = _found(social_worker_client, "Elm Primary School")
    assert _references(page) == ["C2026-000123"]
    assert "0 contacts found" in _found(social_worker_client, "C2026-000999")


def test_a_restricted_contact_shows_only_to_the_people_named_on_it(
    contacts: dict[str, Contact],
    manager: User,
    social_worker: User,
    contact_officer_client: Client,
    social_worker_client: Client,
    now: dt.datetime,
) -> None:
    police = contacts["police"]
    restrict_contact(police, people=[social_worker], reason="Child of a member of staff", by=manager, at=now, version=0)
    for typed in ("Harlow", "C2026-000124", "B1 1AA", "constabulary"):
        assert _references(_found(contact_officer_client, typed)) == [], typed
        assert _references(_found(social_worker_client, typed)) == ["C2026-000124"], typed


def test_partners_may_not_search_contacts(contacts: dict[str, Contact], police_partner_client: Client) -> None:
    assert police_partner_client.get(URL).status_code == 404
    assert police_partner_client.post(URL, {"q": "Harlow"}).status_code == 404


def test_the_search_is_audited_as_one_search_not_a_read_of_each_contact(
    contacts: dict[str, Contact], social_worker: User, social_worker_client: Client
) -> None:
    _found(social_worker_client, "DA6 7AT")
    event = AuditEvent.objects.get(verb=Verb.CONTACTS_SEARCHED)
    assert event.by == social_worker
    assert event.data == {"results": 1, "search": "postcode"}
    assert not AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED).exists()


def test_the_form_alone_records_nothing(social_worker_client: Client) -> None:
    page = social_worker_client.get(URL).content.decode()
    assert "Find a contact" in page
    assert "govuk-error-summary" not in page
    assert not AuditEvent.objects.filter(verb=Verb.CONTACTS_SEARCHED).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a contact reference, a name, a referrer, an address or a postcode"),
        ("   ", "Enter a contact reference, a name, a referrer, an address or a postcode"),
        ("x" * 5000, "Search for 200 characters or fewer"),
        ("'--;", "using letters or numbers"),
        ("🙂", "using letters or numbers"),
        ("\u200b", "using letters or numbers"),
        ("a", "one alone would find too many contacts"),
        ("Smith\x00", "Null characters are not allowed"),
    ],
)
def test_bad_input_gets_a_clear_message(typed: str, message: str, social_worker_client: Client) -> None:
    page = _found(social_worker_client, typed)
    assert "govuk-error-summary" in page
    assert message in page


@pytest.mark.parametrize(
    "typed",
    [
        "Harlow'; DROP TABLE contacts_contact; --",
        "%",
        "_ _",
        "%' OR '1'='1",
        "Robert\\",
        "王",
        "Ⅻ",
        "a\u0301b",
        "C9999-999999999",
    ],
)
def test_sql_like_or_odd_text_finds_nothing_and_never_fails(
    typed: str, contacts: dict[str, Contact], social_worker_client: Client
) -> None:
    page = _found(social_worker_client, typed)
    assert _references(page) == []
    assert Contact.objects.count() == 3


def _queries(client: Client, text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _found(client, text)
    return len(queries.captured_queries)


def test_a_search_takes_the_same_number_of_queries_however_many_it_finds(
    mash_team: Team, social_worker_client: Client
) -> None:
    ContactFactory(team=mash_team, referrer_agency="Oak School")
    _found(social_worker_client, "oak school")  # the session is saved once, on the first page
    one = _queries(social_worker_client, "oak school")
    for day in range(30):
        ContactFactory(team=mash_team, received_at=_received(1) + dt.timedelta(hours=day), referrer_agency="Oak School")
    assert _queries(social_worker_client, "oak school") == one


def test_find_contacts_parses_what_was_typed() -> None:
    assert ContactQuery.parse("c2026-7") == ContactQuery(reference="C2026-000007")
    assert ContactQuery.parse("da67at") == ContactQuery(postcode="DA6 7AT")
    assert ContactQuery.parse("Mia  O'Donnell-Smith, Mia") == ContactQuery(words=("mia", "odonnell", "smith"))
    assert ContactQuery.parse("'; --").is_empty


def test_find_contacts_starts_from_what_the_user_may_see(
    contacts: dict[str, Contact], police_partner: User, social_worker: User
) -> None:
    assert find_contacts(police_partner, ContactQuery(words=("harlow",))).count() == 0
    assert find_contacts(social_worker, ContactQuery(words=("harlow",))).count() == 1


def test_find_a_contact_is_in_the_navigation_of_those_who_may_search(
    social_worker: User, contact_officer: User, police_partner: User
) -> None:
    for user in (social_worker, contact_officer):
        assert URL in [item.href for item in navigation_for(user, "/")]
    assert URL not in [item.href for item in navigation_for(police_partner, "/")]
