"""No child's details in a web address: what a search names (a name, a date of birth, an NHS number, a
postcode, an address) is posted and kept on the server, and every address the search pages are then
asked for (results, their other pages, the page again after Back) holds only an opaque search id.

Addresses are seen as an access log sees them: each request's path and query string, captured as
the request starts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest
from django.core.signals import request_started
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.matching.index import index_people
from safehub.people.models import Person
from safehub.people.tests.factories import AddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE, CONTACTS = reverse("people:search"), reverse("contacts:find-contact")
SEARCH_ID = re.compile(r"^search=[\w-]{16}(&page=\d+)?$")
SEARCH_ID_VALUE = re.compile(r"search=[\w-]{16}")


@pytest.fixture
def access_log() -> Iterator[list[str]]:
    """Every address asked of the server during the test, as `path?query`."""
    seen: list[str] = []

    def note(sender: Any, environ: dict[str, str], **kwargs: Any) -> None:
        query = environ.get("QUERY_STRING", "")
        seen.append(environ["PATH_INFO"] + (f"?{query}" if query else ""))

    request_started.connect(note)
    yield seen
    request_started.disconnect(note)


@pytest.fixture
def harlows(mash_team: Team) -> Person:
    """Thirty Harlows at one address (two pages of results), one with an NHS number, on a contact."""
    home = AddressFactory(line_1="14 Larkspur Road", town="Bexleyheath", postcode="DA6 7AT")
    mia = PersonFactory(
        given_name="Mia",
        family_name="Harlow",
        date_of_birth=dt.date(2015, 4, 2),
        nhs_number="9434765919",
        address=home,
    )
    for number in range(29):
        PersonFactory(given_name=f"Cousin{number:02d}", family_name="Harlow", address=home)
    index_people()
    contact = ContactFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=contact, given_name="Mia", family_name="Harlow", person=mia)
    return mia


TYPED = [
    (PEOPLE, {"family_name": "Harlow"}),  # exact: two pages
    (PEOPLE, {"postcode": "da6 7at"}),
    (PEOPLE, {"address": "14 Larkspur Road"}),
    (PEOPLE, {"nhs_number": "943 476 5919"}),
    (
        PEOPLE,
        {
            "given_name": "Mia",
            "family_name": "Harlow",
            "date_of_birth_0": "2",
            "date_of_birth_1": "4",
            "date_of_birth_2": "2015",
            "nhs_number": "9434765919",
        },
    ),  # ranked, explained candidates
    (CONTACTS, {"q": "Mia Harlow"}),
    (CONTACTS, {"q": "DA6 7AT"}),
    (CONTACTS, {"q": "Larkspur"}),
]
# What must never be in an address, however written: as typed, folded and without spaces.
DETAILS = ["harlow", "mia", "larkspur", "da6", "7at", "9434765919", "943 476", "2015"]


def _leaks(address: str) -> list[str]:
    text = unquote_plus(address).lower()
    return [detail for detail in DETAILS if detail in text or detail.replace(" ", "") in text.replace(" ", "")]


@pytest.mark.parametrize(("url", "fields"), TYPED, ids=[f"{u}:{','.join(f)}" for u, f in TYPED])
def test_no_searched_detail_is_in_any_address_the_search_pages_ask_for(
    url: str, fields: dict[str, str], harlows: Person, social_worker_client: Client, access_log: list[str]
) -> None:
    # When the search is made, its results paged through, and the results asked for again (Back)
    results = social_worker_client.post(url, fields, follow=True)
    assert results.status_code == 200
    page = results.content.decode()
    assert "govuk-error-summary" not in page
    found = re.search(r"\d+ (people|person|contacts?) found|\d+ possible match", page)
    assert found is not None
    address = results.redirect_chain[-1][0]
    for link in re.findall(r'href="(\?[^"]*)"', page):  # the pagination's links, as the browser follows them
        assert social_worker_client.get(url + link.replace("&amp;", "&")).status_code == 200
    assert found.group(0) in social_worker_client.get(address).content.decode()

    # Then every address asked for holds only the search's id (and a page number)
    assert access_log, "no request was seen"
    for seen in access_log:
        path, _, query = seen.partition("?")
        assert path == url
        assert query == "" or SEARCH_ID.match(query), seen
        # The id is random, so by chance it may spell a detail ("PmIA" holds "mia"): its format is checked above, and
        # the rest of the address is checked for details.
        assert _leaks(SEARCH_ID_VALUE.sub("search=", seen)) == [], seen


def test_the_results_have_their_own_pages_at_the_same_search_id(harlows: Person, social_worker_client: Client) -> None:
    results = social_worker_client.post(PEOPLE, {"family_name": "Harlow"}, follow=True)
    key = results.wsgi_request.GET["search"]
    second = social_worker_client.get(PEOPLE, {"search": key, "page": "2"}).content.decode()
    assert "Page 2 of 2" in second
    assert 'value="Harlow"' in second  # the form still shows what was searched for


def test_a_search_is_forgotten_after_a_while_and_the_page_says_so(
    harlows: Person, social_worker_client: Client, time_machine: Any, settings: Any
) -> None:
    settings.SEARCH_KEPT_SECONDS = 600
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), tick=False)
    results = social_worker_client.post(PEOPLE, {"family_name": "Harlow"}, follow=True)
    address = results.redirect_chain[-1][0]
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 9, tzinfo=dt.UTC), tick=False)
    assert "30 people found" in social_worker_client.get(address).content.decode()
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 11, tzinfo=dt.UTC), tick=False)
    later = social_worker_client.get(address)
    assert later.status_code == 200
    assert "That search is no longer kept" in later.content.decode()
    assert "people found" not in later.content.decode()


@pytest.mark.parametrize("url", [PEOPLE, CONTACTS])
def test_another_users_search_id_finds_nothing(
    url: str, harlows: Person, social_worker_client: Client, manager_client: Client, manager: User
) -> None:
    fields = {"family_name": "Harlow"} if url == PEOPLE else {"q": "Harlow"}
    address = social_worker_client.post(url, fields, follow=True).redirect_chain[-1][0]
    page = manager_client.get(address).content.decode()
    assert "That search is no longer kept" in page
    assert "Mia" not in page


def test_a_search_id_made_on_one_search_page_is_not_read_by_the_other(
    harlows: Person, social_worker_client: Client
) -> None:
    address = social_worker_client.post(PEOPLE, {"family_name": "Harlow"}, follow=True).redirect_chain[-1][0]
    key = address.partition("?")[2]
    assert "That search is no longer kept" in social_worker_client.get(f"{CONTACTS}?{key}").content.decode()


def test_details_typed_into_an_old_style_address_are_not_searched(
    harlows: Person, social_worker_client: Client
) -> None:
    """A bookmark from before searches were posted finds nothing and keeps nothing: search again."""
    page = social_worker_client.get(PEOPLE, {"family_name": "Harlow"}).content.decode()
    assert "people found" not in page
    assert "govuk-error-summary" not in page


def test_a_session_keeps_only_its_latest_searches(harlows: Person, social_worker_client: Client) -> None:
    addresses = [
        social_worker_client.post(PEOPLE, {"family_name": f"Harlow{n}"}, follow=True).redirect_chain[-1][0]
        for n in range(12)
    ]
    assert "That search is no longer kept" in social_worker_client.get(addresses[0]).content.decode()
    assert "0 people found" in social_worker_client.get(addresses[-1]).content.decode()


# Forms that ask by GET put what is typed into the address. Those left take only choices and
# identifiers that name no child: a queue's filters, the audit trail's (a contact reference,
# a local person ID, a staff username, the dates of events), the DPO's search of the sharing ledger
# and of who has seen a record (a local person ID, an agency, a basis, dates), the register of
# information requests (a level, a state, dates), the administrator's
# list of staff accounts (a member of staff's name or username, an agency, a team, a role), and the
# performance dashboard's period and filters (a period, dates, a team, a referral source, a rating).
GET_FORMS_ALLOWED = {
    "reports/templates/reports/dashboard.html",
    "queues/templates/queues/queue.html",
    "audit/templates/audit/events.html",
    "sharing/templates/sharing/ledger.html",
    "sharing/templates/sharing/seen.html",
    "information_requests/templates/information_requests/list.html",
    "users/templates/users/user_list.html",
}
TEMPLATES = Path(__file__).resolve().parent.parent / "safehub"


def test_no_other_form_sends_what_is_typed_in_the_address() -> None:
    asking_by_get = set()
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for form in re.findall(r"<form\b[^>]*>", text):
            method = re.search(r'method="(\w+)"', form)
            if method is None or method.group(1).lower() == "get":
                asking_by_get.add(str(template.relative_to(TEMPLATES)))
    assert asking_by_get == GET_FORMS_ALLOWED
