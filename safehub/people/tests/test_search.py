"""The People search finds a family by whatever the team knows: a surname alone, a surname and a
parent's first name, a postcode, an address, a local person ID; a name with a date of birth or an
NHS number still gives the screening search's ranked, explained candidates."""

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

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.matching.index import index_people
from safehub.people import search_terms
from safehub.people.models import Person, RelationshipKind, SearchTerm, Sex
from safehub.people.queries import PersonCriteria, find_people
from safehub.people.tests.factories import AddressFactory, AdultFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

URL = reverse("people:search")
PERSON_LINK = re.compile(r'href="/people/\d+/"')


@pytest.fixture
def index() -> dict[str, Person]:
    """Five O'Donnells in two households, a double-barrelled family, and people at B1 1AA."""
    elm = AddressFactory(line_1="14 Elm Road", town="Bexleyheath", postcode="DA6 7AT")
    mill = AddressFactory(line_1="Flat 3, 27 Mill Lane", town="Birmingham", postcode="B1 1AA")
    siobhan = AdultFactory(given_name="Siobhan", family_name="O'Donnell", sex=Sex.FEMALE, address=elm)
    people = {
        "siobhan": siobhan,
        "aoife": PersonFactory(
            given_name="Aoife", family_name="O'Donnell", date_of_birth=dt.date(2015, 4, 2), address=elm
        ),
        "ciaran": PersonFactory(
            given_name="Ciarán", family_name="O’Donnell", sex=Sex.MALE, date_of_birth=dt.date(2017, 9, 30), address=elm
        ),
        "grace": AdultFactory(given_name="Grace", family_name="ODonnell", sex=Sex.FEMALE, address=mill),
        "niamh": PersonFactory(
            given_name="Niamh", family_name="O'DONNELL", date_of_birth=dt.date(2019, 1, 8), address=mill
        ),
        "lily": PersonFactory(
            given_name="Lily", family_name="Smith-Jones", date_of_birth=dt.date(2016, 3, 9), address=mill
        ),
        "zoe": PersonFactory(given_name="Zoë", family_name="Müller", date_of_birth=dt.date(2014, 6, 1), address=elm),
        "jack": PersonFactory(
            given_name="Jack", family_name="Smith", date_of_birth=dt.date(2016, 3, 9), local_id="P7700001"
        ),
    }
    RelationshipFactory(person=siobhan, relative=people["aoife"], kind=RelationshipKind.PARENT)
    RelationshipFactory(person=siobhan, relative=people["ciaran"], kind=RelationshipKind.PARENT)
    RelationshipFactory(person=people["grace"], relative=people["niamh"], kind=RelationshipKind.PARENT)
    index_people()
    return people


def _searched(client: Client, **fields: str) -> HttpResponse:
    """Post a search and follow it to its results, whose address holds only the search's id."""
    response = client.post(URL, fields, follow=True)
    assert response.status_code == 200
    return response


def _search(client: Client, **fields: str) -> str:
    return _searched(client, **fields).content.decode()


def _results_page(client: Client, results: HttpResponse, page: str) -> HttpResponse:
    """Another page of the results `results` shows, as its pagination links ask for it."""
    return client.get(URL, {"search": results.wsgi_request.GET["search"], "page": page})


@pytest.mark.parametrize("typed", ["O'Donnell", "odonnell", "O’Donnell", "ODONNELL", "O Donnell", " o'donnell "])
def test_a_surname_alone_finds_everyone_with_it(
    typed: str, index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, family_name=typed)
    assert "5 people found" in page
    for name in ("Siobhan", "Aoife", "Ciarán", "Grace", "Niamh"):
        assert name in page
    assert "Lily" not in page


def test_a_surname_is_found_whatever_its_accents(index: dict[str, Person], social_worker_client: Client) -> None:
    assert "Zoë Müller" in _search(social_worker_client, family_name="Muller")
    assert "Zoë Müller" in _search(social_worker_client, family_name="MÜLLER")


@pytest.mark.parametrize("typed", ["Smith-Jones", "Smith Jones", "Jones", "smith"])
def test_a_double_barrelled_surname_is_found_by_either_part(
    typed: str, index: dict[str, Person], social_worker_client: Client
) -> None:
    assert "Lily Smith-Jones" in _search(social_worker_client, family_name=typed)


def test_a_plain_surname_finds_the_double_barrelled_family_too(
    index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, family_name="Smith")
    assert "2 people found" in page
    assert "Jack Smith" in page
    assert "Lily Smith-Jones" in page


def test_a_surname_and_a_parents_first_name_find_that_parents_children(
    index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, family_name="O'Donnell", parent_given_name="siobhan")
    assert "2 people found" in page
    assert "Aoife O&#x27;Donnell" in page
    assert "Ciarán O’Donnell" in page
    assert "Niamh" not in page


@pytest.mark.parametrize("typed", ["B1 1AA", "b11aa", " b1  1aa "])
def test_a_postcode_alone_finds_the_people_living_there(
    typed: str, index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, postcode=typed)
    assert "3 people found" in page
    for name in ("Grace", "Niamh", "Lily"):
        assert name in page


@pytest.mark.parametrize(("typed", "found"), [("B1", 4), ("b1", 4), (" b 1 ", 4), ("B1 1", 3), ("b1 1", 3)])
def test_the_first_part_of_a_postcode_finds_everyone_in_that_area(
    typed: str, found: int, index: dict[str, Person], social_worker_client: Client
) -> None:
    """Walk-through: a caller who knows only "SE2" was told to enter a real postcode; "DA6 8" (the
    sector) found nobody."""
    AddressFactory(line_1="1 High Street", town="Birmingham", postcode="B12 9ZZ")  # B12 is not B1
    PersonFactory(given_name="Omar", family_name="Reed", address=AddressFactory(postcode="B1 2BB"))  # B1, not B1 1
    page = _search(social_worker_client, postcode=typed)
    assert f"{found} people found" in page
    for name in ("Grace", "Niamh", "Lily"):
        assert name in page
    assert ("Omar" in page) == (found == 4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14 Elm Road", 4), ("14 elm rd", 4), ("Elm Road", 4), ("27 Mill Lane", 3), ("flat 3, 27 mill lane", 3)],
)
def test_an_address_finds_the_household(
    typed: str, expected: int, index: dict[str, Person], social_worker_client: Client
) -> None:
    assert f"{expected} people found" in _search(social_worker_client, address=typed)


def test_a_surname_and_a_postcode_narrow_each_other(index: dict[str, Person], social_worker_client: Client) -> None:
    page = _search(social_worker_client, family_name="odonnell", postcode="B1 1AA")
    assert "2 people found" in page
    assert "Grace" in page
    assert "Niamh" in page


def test_a_local_person_id_finds_the_record(index: dict[str, Person], social_worker_client: Client) -> None:
    page = _search(social_worker_client, local_id="p7700001")
    assert "1 person found" in page
    assert "Jack Smith" in page


def test_a_date_of_birth_alone_lists_everyone_born_that_day(
    index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, date_of_birth_0="9", date_of_birth_1="3", date_of_birth_2="2016")
    assert "2 people found" in page
    assert page.index("Jack Smith") < page.index("Lily Smith-Jones")


def test_a_first_name_with_a_surname_gives_ranked_explained_candidates(
    index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, given_name="Aoife", family_name="O'Donnell")
    assert "most likely first" in page
    assert "Aoife O&#x27;Donnell" in page
    assert "people found" not in page


def test_a_name_and_date_of_birth_give_ranked_explained_candidates(
    index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(
        social_worker_client,
        given_name="Ciaran",
        family_name="ODonnell",
        date_of_birth_0="30",
        date_of_birth_1="9",
        date_of_birth_2="2017",
    )
    assert "most likely first" in page
    first = page.split('class="govuk-summary-card__title"')[1]
    assert "Ciarán O’Donnell" in first
    assert "Why " in page  # each candidate explained


def test_an_nhs_number_finds_the_person(social_worker_client: Client) -> None:
    PersonFactory(given_name="Alfred", family_name="Okafor", nhs_number="9434765919")
    index_people()
    page = _search(social_worker_client, nhs_number="943 476 5919")
    assert "Alfred Okafor" in page
    assert "1 person found" in page  # walk-through: the one person with the number was shown as "73 %" likely
    assert "%" not in page.split("1 person found")[1]
    with_name = _search(social_worker_client, nhs_number="943 476 5919", family_name="Okafor")
    assert "most likely first" in with_name  # a name as well: the ranked, explained candidates


def test_exact_results_are_in_name_order_25_a_page(social_worker_client: Client) -> None:
    for number in range(30):
        PersonFactory(given_name=f"Child{number:02d}", family_name="Harlow", date_of_birth=dt.date(2015, 1, 1))
    index_people()
    results = _searched(social_worker_client, family_name="Harlow")
    first = results.content.decode()
    assert "30 people found" in first
    assert len(PERSON_LINK.findall(first)) == 25
    assert first.index("Child00") < first.index("Child01") < first.index("Child24")
    assert "Child25" not in first
    assert re.search(r'href="\?search=[\w-]+&amp;page=2"', first)
    second = _results_page(social_worker_client, results, "2").content.decode()
    assert len(PERSON_LINK.findall(second)) == 5
    assert "Child29" in second
    assert "Page 2 of 2" in second


def test_a_page_past_the_last_shows_the_last(index: dict[str, Person], social_worker_client: Client) -> None:
    page = _results_page(social_worker_client, _searched(social_worker_client, family_name="Smith"), "999")
    assert page.status_code == 200
    assert "Jack Smith" in page.content.decode()


def test_nobody_found_says_so(index: dict[str, Person], social_worker_client: Client) -> None:
    page = _search(social_worker_client, family_name="Featherstonehaugh")
    assert "0 people found" in page
    assert "No one in the person index has all of these details" in page


def test_an_empty_search_says_what_to_enter(social_worker_client: Client) -> None:
    page = _search(social_worker_client, family_name="", postcode="")
    assert "govuk-error-summary" in page
    assert "Enter what you know about the person" in page
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_SEARCHED).exists()


@pytest.mark.parametrize("fields", [{"given_name": "Aoife"}, {"sex": "female"}, {"parent_given_name": "Siobhan"}])
def test_a_search_too_broad_to_be_useful_says_what_to_add(
    fields: dict[str, str], index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, **fields)
    assert "govuk-error-summary" in page
    assert "would find too many people" in page
    assert "people found" not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"family_name": "x" * 5000}, "Last name must be 100 characters or fewer"),
        ({"address": "1 " * 3000}, "The first line of the address must be 200 characters or fewer"),
        ({"postcode": "B" * 500}, "Postcode must be 20 characters or fewer"),
        ({"postcode": "NOT A CODE"}, "Enter a real postcode, like B1 1AA, or its first part, like B1"),
        ({"postcode": "B1 1A"}, "Enter a real postcode, like B1 1AA"),
        ({"family_name": "🙂🙂"}, "Enter a last name using letters"),
        ({"family_name": "'--"}, "Enter a last name using letters"),
        ({"family_name": "\u200b\u202e"}, "Enter a last name using letters"),
        ({"nhs_number": "12345"}, "Enter a valid 10-digit NHS number"),
        ({"family_name": "Smith\x00"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_gets_a_clear_message(
    fields: dict[str, str], message: str, index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, **fields)
    assert "govuk-error-summary" in page
    assert message in page


@pytest.mark.parametrize(
    "typed",
    [
        "Smith'; DROP TABLE people_person; --",
        "O'Donnell OR 1=1",
        "%",
        "_",
        "\\",
        "%' OR '1'='1",
        "Ⅻ",
        "王",
        "ǅ",
        "a\u0301",
    ],
)
def test_sql_like_or_odd_text_finds_nobody_and_never_fails(
    typed: str, index: dict[str, Person], social_worker_client: Client
) -> None:
    page = _search(social_worker_client, family_name=typed)
    assert "0 people found" in page or "govuk-error-summary" in page
    assert Person.objects.count() == len(index)


def test_a_name_in_another_script_is_found(social_worker_client: Client) -> None:
    PersonFactory(given_name="明", family_name="王")
    index_people()
    assert "1 person found" in _search(social_worker_client, family_name="王")


def test_merged_records_are_not_listed(index: dict[str, Person], social_worker_client: Client) -> None:
    Person.objects.filter(pk=index["grace"].pk).update(merged_into=index["siobhan"])
    index_people([index["grace"].pk])
    page = _search(social_worker_client, family_name="O'Donnell")
    assert "4 people found" in page
    assert "Grace" not in page


def test_partners_cannot_search_the_person_index(index: dict[str, Person], police_partner_client: Client) -> None:
    assert police_partner_client.get(URL).status_code == 404
    assert police_partner_client.post(URL, {"family_name": "O'Donnell"}).status_code == 404


def test_every_search_is_audited_without_what_was_typed(
    index: dict[str, Person], social_worker: User, social_worker_client: Client
) -> None:
    _search(social_worker_client, family_name="O'Donnell")
    _search(social_worker_client, given_name="Aoife", family_name="O'Donnell")
    exact, likely = AuditEvent.objects.filter(verb=Verb.PERSON_SEARCHED).order_by("seq")
    assert exact.by == social_worker
    assert exact.data == {"results": 5, "search": "exact", "fields": ["family_name"]}
    assert likely.data["search"] == "likely"
    assert likely.data["fields"] == ["given_name", "family_name"]
    assert "Donnell" not in str(exact.data) + str(likely.data)
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED).exists()  # a list is a search, not reads


def _queries(client: Client, **fields: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _search(client, **fields)
    return len(queries.captured_queries)


def test_an_exact_search_takes_the_same_number_of_queries_however_many_it_finds(
    index: dict[str, Person], social_worker_client: Client
) -> None:
    _search(social_worker_client, family_name="O'Donnell")  # the session is saved once, on the first page
    five = _queries(social_worker_client, family_name="O'Donnell")
    for number in range(20):
        PersonFactory(given_name=f"Extra{number}", family_name="O'Donnell")
    index_people()
    assert _queries(social_worker_client, family_name="O'Donnell") == five


# The exact lookup itself.


def test_find_people_only_looks_among_those_the_user_may_see(index: dict[str, Person]) -> None:
    criteria = PersonCriteria(family_name="O'Donnell")
    assert find_people(criteria, within=Person.objects.none()).count() == 0
    assert find_people(criteria, within=Person.objects.all()).count() == 5


def test_find_people_reads_the_terms_not_the_person_table(index: dict[str, Person]) -> None:
    terms = set(SearchTerm.objects.filter(person=index["lily"]).values_list("term", flat=True))
    assert {"s:smith", "s:jones", "s:smithjones", "g:lily", "a:27 mill lane", "a:mill lane"} <= terms
    sql = str(find_people(PersonCriteria(family_name="Smith"), within=Person.objects.all()).query)
    assert "people_searchterm" in sql
    assert "LIKE" not in sql.upper()


def test_reindexing_a_person_replaces_their_terms(index: dict[str, Person]) -> None:
    lily = index["lily"]
    Person.objects.filter(pk=lily.pk).update(family_name="Harlow")
    index_people([lily.pk])
    terms = set(SearchTerm.objects.filter(person=lily).values_list("term", flat=True))
    assert "s:harlow" in terms
    assert "s:smith" not in terms


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("O’Donnell", ["odonnell"]),
        ("Zoë O'Brien-Smith", ["zoe", "obrien", "smith"]),
        ("ŁUKASZ Øvergård", ["lukasz", "overgard"]),
        ("Straße", ["strasse"]),
        ("O\u200bDonnell", ["odonnell"]),
        ("王 明", ["王", "明"]),
        ("'; --", []),
    ],
)
def test_words_fold_case_accents_and_apostrophes(typed: str, expected: list[str]) -> None:
    assert search_terms.words(typed) == expected


def test_a_persons_terms() -> None:
    terms = search_terms.terms_for(
        given_name="Mary Ann", middle_names="Zoë", family_name="Smith-Jones", address_line="Flat 3, 12 Elm Rd"
    )
    assert terms == {
        "s:smithjones",
        "s:smith",
        "s:jones",
        "g:mary",
        "g:ann",
        "g:zoe",
        "a:flat 3 12 elm road",
        "a:flat 3",
        "a:12 elm road",
        "a:elm road",
    }


def test_a_placeholder_address_gives_no_address_terms() -> None:
    terms = search_terms.terms_for(given_name="", middle_names="", family_name="", address_line="Address not known")
    assert terms == set()


def test_the_migration_fills_the_terms_of_people_already_stored(index: dict[str, Person]) -> None:
    before = set(SearchTerm.objects.values_list("term", "person_id"))
    SearchTerm.objects.all().delete()
    migration = importlib.import_module("safehub.people.migrations.0003_search_terms")
    migration.fill_search_terms(apps, SimpleNamespace(connection=connection))  # a schema editor's connection
    assert set(SearchTerm.objects.values_list("term", "person_id")) == before
