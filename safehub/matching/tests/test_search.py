from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.benchmarks import search_speed
from safehub.matching import rules
from safehub.matching.features import PersonDetails, features_of
from safehub.matching.index import index_people, record_keys, search_keys
from safehub.matching.models import BlockingKey, MatcherModel, PersonIndexEntry
from safehub.matching.population import Population
from safehub.matching.search import search
from safehub.matching.services import MINIMUM_PEOPLE, _default_model, active_model, train_and_activate
from safehub.people.models import Person, RelationshipKind, Sex
from safehub.people.tests.factories import AddressFactory, AdultFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family() -> dict[str, Person]:
    """A mother, twins and an older brother at one address; a stranger elsewhere."""
    home = AddressFactory(line_1="14 Elm Road", postcode="DA6 7AT")
    mother = AdultFactory(given_name="Joanne", family_name="Okafor", sex=Sex.FEMALE, address=home)
    twin_a = PersonFactory(
        given_name="Amara", family_name="Okafor", date_of_birth=dt.date(2018, 3, 9), sex=Sex.FEMALE, address=home
    )
    twin_b = PersonFactory(
        given_name="Chioma", family_name="Okafor", date_of_birth=dt.date(2018, 3, 9), sex=Sex.FEMALE, address=home
    )
    brother = PersonFactory(
        given_name="Alfred",
        family_name="Okafor",
        date_of_birth=dt.date(2013, 11, 2),
        sex=Sex.MALE,
        address=home,
        nhs_number="9434765919",
    )
    for child in (twin_a, twin_b, brother):
        RelationshipFactory(person=mother, relative=child, kind=RelationshipKind.PARENT)
    stranger = PersonFactory(given_name="Amara", family_name="Bell", date_of_birth=dt.date(2011, 6, 1))
    index_people()
    return {"mother": mother, "twin_a": twin_a, "twin_b": twin_b, "brother": brother, "stranger": stranger}


def _search(**fields: object) -> list:
    return search(PersonDetails(**fields), within=Person.objects.all())  # type: ignore[arg-type]


def test_index_holds_an_entry_and_keys_per_person(family: dict[str, Person]) -> None:
    assert PersonIndexEntry.objects.count() == 5
    brother = family["brother"]
    keys = set(BlockingKey.objects.filter(person=brother).values_list("key", flat=True))
    assert "n:9434765919" in keys
    assert "d:2013-11-02" in keys
    entry = PersonIndexEntry.objects.get(person=brother)
    assert entry.features["parent_names"] == ["joanne"]


def test_reindexing_one_person_replaces_their_keys(family: dict[str, Person]) -> None:
    brother = family["brother"]
    Person.objects.filter(pk=brother.pk).update(date_of_birth=dt.date(2013, 11, 3))
    index_people([brother.pk])
    keys = set(BlockingKey.objects.filter(person=brother).values_list("key", flat=True))
    assert "d:2013-11-03" in keys
    assert "d:2013-11-02" not in keys
    assert PersonIndexEntry.objects.count() == 5


def test_merged_people_leave_the_index(family: dict[str, Person]) -> None:
    stranger = family["stranger"]
    Person.objects.filter(pk=stranger.pk).update(merged_into=family["brother"])
    index_people([stranger.pk])
    assert not PersonIndexEntry.objects.filter(person=stranger).exists()
    assert not BlockingKey.objects.filter(person=stranger).exists()


def test_nickname_and_typo_still_find_the_child(family: dict[str, Person]) -> None:
    found = _search(given_name="Alfie", family_name="Okafr", date_of_birth=dt.date(2013, 11, 2), postcode="DA6 7AT")
    assert found[0].person == family["brother"]
    assert found[0].probability >= 0.9


def test_day_and_month_swapped_finds_the_child(family: dict[str, Person]) -> None:
    found = _search(given_name="Alfred", family_name="Okafor", date_of_birth=dt.date(2013, 2, 11))
    assert found[0].person == family["brother"]
    levels = found[0].score.levels
    assert levels["dob"] == "swapped"


def test_names_the_wrong_way_round_find_the_child(family: dict[str, Person]) -> None:
    found = _search(given_name="Okafor", family_name="Alfred", date_of_birth=dt.date(2013, 11, 2))
    assert found[0].person == family["brother"]


def test_a_twin_is_never_a_probable_match_for_the_other(family: dict[str, Person]) -> None:
    found = _search(
        given_name="Amara", family_name="Okafor", date_of_birth=dt.date(2018, 3, 9), sex="female", postcode="DA6 7AT"
    )
    by_person = {c.person: c for c in found}
    assert by_person[family["twin_a"]].probability >= 0.9
    twin = by_person[family["twin_b"]]
    assert twin.probability <= rules.RELATIVE_CAP
    assert twin.score.rule == rules.DIFFERENT_FIRST_NAMES


def test_an_unknown_sibling_matches_nobody_in_the_family(family: dict[str, Person]) -> None:
    found = _search(
        given_name="Ngozi", family_name="Okafor", date_of_birth=dt.date(2020, 7, 14), sex="female", postcode="DA6 7AT"
    )
    assert all(c.probability < 0.9 for c in found)


def test_the_nhs_number_alone_finds_the_person(family: dict[str, Person]) -> None:
    found = _search(nhs_number="943 476 5919")
    assert found[0].person == family["brother"]


def test_a_parents_name_helps_tell_children_apart(family: dict[str, Person]) -> None:
    with_parent = _search(given_name="Amara", family_name="Okafor", parent_given_names=("Joanne",))
    without_parent = _search(given_name="Amara", family_name="Okafor")
    twin_with = next(c for c in with_parent if c.person == family["twin_a"])
    twin_without = next(c for c in without_parent if c.person == family["twin_a"])
    assert twin_with.score.match_weight > twin_without.score.match_weight


def test_search_respects_who_the_user_may_see(family: dict[str, Person]) -> None:
    found = search(
        PersonDetails(given_name="Alfred", family_name="Okafor", date_of_birth=dt.date(2013, 11, 2)),
        within=Person.objects.none(),
    )
    assert found == []


def test_empty_details_find_nobody(family: dict[str, Person]) -> None:
    assert _search() == []


def test_search_uses_a_fixed_number_of_queries_and_no_scan(family: dict[str, Person]) -> None:
    for number in range(30):
        PersonFactory(given_name=f"Child{number}", family_name="Okafor", date_of_birth=dt.date(2010, 1, 1))
    index_people()
    with CaptureQueriesContext(connection) as queries:
        _search(given_name="Alfred", family_name="Okafor", date_of_birth=dt.date(2013, 11, 2))
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= 6
    key_lookup = next(s for s in sql if "matching_blockingkey" in s)
    assert " IN (" in key_lookup


def test_search_keys_cover_the_likely_mistakes() -> None:
    f = features_of(PersonDetails(given_name="Alfie", family_name="Smith-Jones", date_of_birth=dt.date(2015, 4, 3)))
    keys = search_keys(f)
    assert record_keys(f) <= keys
    assert "d:2015-03-04" in keys  # day and month swapped
    assert {"d:2015-04-02", "d:2015-04-04"} <= keys  # a day either side
    assert any(k.startswith("gf:alfred:") for k in keys)  # the formal name


def test_the_shipped_model_is_used_until_the_hub_trains_one() -> None:
    assert not MatcherModel.objects.exists()
    assert active_model().trained_on > 0


def test_training_needs_enough_people(social_worker: User, now: dt.datetime) -> None:
    PersonFactory.create_batch(5)
    index_people()
    with pytest.raises(ValueError, match=f"at least {MINIMUM_PEOPLE}"):
        train_and_activate(by=social_worker, at=now)
    assert not MatcherModel.objects.exists()


def _index_from_population(households: int) -> int:
    """Person records as agencies hold them: several per person, with recording errors."""
    population = Population(seed=11)
    search_speed.store(list(population.records(list(population.people(households)))))
    return index_people()


def test_training_stores_a_new_active_version_and_audits_it(now: dt.datetime) -> None:
    people = _index_from_population(60)
    first = train_and_activate(by=None, at=now)
    second = train_and_activate(by=None, at=now)
    assert (first.version, second.version) == (1, 2)
    assert list(MatcherModel.objects.filter(is_active=True)) == [second]
    assert active_model().trained_on == people
    events = AuditEvent.objects.filter(verb=Verb.MATCHER_TRAINED)
    assert events.count() == 2
    assert events.last().system_process == "train-matcher"  # type: ignore[union-attr]


def test_an_index_without_duplicates_is_refused_with_a_reason(now: dt.datetime) -> None:
    for number in range(MINIMUM_PEOPLE + 20):
        letters = "".join(chr(ord("a") + int(d)) for d in str(number))
        PersonFactory(given_name="Sam", family_name=f"Family{letters}", nhs_number="")
    index_people()
    with pytest.raises(ValueError, match="too few people recorded more than once"):
        train_and_activate(by=None, at=now)
    assert not MatcherModel.objects.exists()


def test_a_model_trained_with_other_comparisons_gives_way_to_the_shipped_one(now: dt.datetime) -> None:
    """After an upgrade that changes the comparisons, the search works until the hub trains again."""
    stale = active_model().to_json()
    stale["comparisons"][0]["levels"] = ["null", "exact", "else"]
    MatcherModel.objects.create(version=7, trained_at=now, records=500, parameters=stale, is_active=True)
    assert active_model() == _default_model()
