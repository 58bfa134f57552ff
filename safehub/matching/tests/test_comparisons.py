from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safehub.matching import comparisons as c
from safehub.matching.features import Features, PersonDetails, features_of


def f(**fields: Any) -> Features:
    return features_of(PersonDetails(**fields))


def level(comparison: c.Comparison, left: Features, right: Features) -> str:
    return comparison.levels[comparison.level_for(left, right)].key


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"given_name": "Amara"}, {"given_name": "amara"}, "exact"),
        ({"given_name": "Okafor", "family_name": "Amara"}, {"given_name": "Amara", "family_name": "Okafor"}, "swapped"),
        ({"given_name": "Alfie"}, {"given_name": "Alfred"}, "forms"),
        ({"given_name": "Jonathon"}, {"given_name": "Jonathan"}, "forms"),
        ({"given_name": "Amarah"}, {"given_name": "Amara"}, "typo"),
        ({"given_name": "Authony"}, {"given_name": "Anthony"}, "typo"),
        ({"given_name": "Stephan"}, {"given_name": "Steffan"}, "sound"),
        ({"given_name": "Szymon"}, {"given_name": "Simon"}, "sound"),
        ({"given_name": "Keira"}, {"given_name": "Ciara"}, "sound"),
        ({"given_name": "Ella"}, {"given_name": "Bella"}, "jw92"),
        ({"given_name": "Dani"}, {"given_name": "Daniella"}, "short"),
        ({"given_name": "Tina"}, {"given_name": "Valentina"}, "short"),
        ({"given_name": "Ossie"}, {"given_name": "Oscar"}, "pet"),
        ({"given_name": "Florrie"}, {"given_name": "Florence"}, "pet"),
        ({"given_name": "Okafr", "family_name": "Amara"}, {"given_name": "Amara", "family_name": "Okafor"}, "crossed"),
        ({"given_name": "Shmed", "family_name": "Ivy"}, {"given_name": "Ivy", "family_name": "Ahmed"}, "crossed"),
        ({"given_name": "Rose", "middle_names": "Amara"}, {"given_name": "Amara"}, "middle"),
        ({"given_name": "Harvey"}, {"given_name": "Harry"}, "jw80"),
        ({"given_name": "Chioma"}, {"given_name": "Amara"}, "else"),
        ({"given_name": "Baby"}, {"given_name": "Baby"}, "null"),
        ({}, {"given_name": "Amara"}, "null"),
    ],
)
def test_first_name_levels(a: dict[str, Any], b: dict[str, Any], expected: str) -> None:
    assert level(c.GIVEN_NAME, f(**a), f(**b)) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ava", "Eva"),  # one letter apart, but the first: another name, as twins are given
        ("Lily", "Lola"),  # they sound alike, but are not one name spelt two ways
        ("Mia", "Amelia"),  # too short to be taken as the end of a name
        ("Alexandra", "Alexander"),  # a sister's and a brother's names are not short forms of each other
    ],
)
def test_other_names_are_not_taken_for_a_typing_error_a_spelling_or_a_short_form(a: str, b: str) -> None:
    assert level(c.GIVEN_NAME, f(given_name=a), f(given_name=b)) not in {"typo", "sound", "short"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"given_name": "Kemp", "family_name": "Alfred"}, {"given_name": "Alfie", "family_name": "Kemp"}),
        ({"given_name": "Smith-Jones", "family_name": "Amy"}, {"given_name": "Amy", "family_name": "Smith-Jones"}),
        ({"given_name": "Albie Harjit", "family_name": "Coakley"}, {"given_name": "Coakley", "family_name": "Albie"}),
    ],
)
def test_names_the_other_way_round_are_found_with_a_nickname_or_a_double_barrelled_name(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    assert level(c.GIVEN_NAME, f(**a), f(**b)) == "swapped"
    assert level(c.FAMILY_NAME, f(**a), f(**b)) == "swapped"


def test_names_the_other_way_round_are_weighed_once_with_the_first_name() -> None:
    family_levels = {lvl.key: lvl for lvl in c.FAMILY_NAME.levels}
    assert family_levels["swapped"].counted_elsewhere
    assert family_levels["crossed"].counted_elsewhere
    assert not any(lvl.counted_elsewhere for lvl in c.GIVEN_NAME.levels)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Okafor", "OKAFOR", "exact"),
        ("Smith-Jones", "Jones", "part"),
        ("Smith Jones", "Smith-Jones", "exact"),
        ("Okafor", "Okafro", "jw92"),
        ("Mcdonald", "Macdonald", "jw92"),
        ("Reid", "Reed", "jw80"),
        ("Okafor", "Bell", "else"),
        ("Unknown", "Bell", "null"),
    ],
)
def test_family_name_levels(a: str, b: str, expected: str) -> None:
    assert level(c.FAMILY_NAME, f(family_name=a), f(family_name=b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(2016, 3, 9)}, "exact"),
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(2016, 9, 3)}, "swapped"),
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(2016, 3, 10)}, "near"),
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(2016, 3, 8)}, "near"),
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(2016, 3, 19)}, "near"),  # one digit
        ({"expected_date_of_delivery": dt.date(2027, 1, 20)}, {"date_of_birth": dt.date(2027, 2, 14)}, "expected"),
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(2016, 11, 30)}, "year"),
        ({"date_of_birth": dt.date(2016, 3, 9)}, {"date_of_birth": dt.date(1988, 3, 9)}, "else"),
        ({}, {"date_of_birth": dt.date(2016, 3, 9)}, "null"),
    ],
)
def test_date_of_birth_levels(a: dict[str, Any], b: dict[str, Any], expected: str) -> None:
    assert level(c.DATE_OF_BIRTH, f(**a), f(**b)) == expected


def test_two_born_children_a_month_apart_are_not_an_expected_date() -> None:
    a, b = f(date_of_birth=dt.date(2027, 1, 20)), f(date_of_birth=dt.date(2027, 2, 14))
    assert level(c.DATE_OF_BIRTH, a, b) == "year"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("DA6 7AT", "da67at", "exact"),
        ("DA6 7AT", "DA6 7BB", "sector"),
        ("DA6 7AT", "DA6 8QW", "district"),
        ("4223", "4232", "typo"),
        ("DA6 7AT", "B1 1AA", "else"),
        ("", "B1 1AA", "null"),
    ],
)
def test_postcode_levels(a: str, b: str, expected: str) -> None:
    assert level(c.POSTCODE, f(postcode=a), f(postcode=b)) == expected


def test_missing_values_never_agree() -> None:
    nobody = f()
    assert level(c.POSTCODE, nobody, nobody) == "null"
    assert level(c.NHS_NUMBER, nobody, nobody) == "null"
    # Foreign postcodes have no sector: two of them that differ are not "in the same sector".
    assert level(c.POSTCODE, f(postcode="4223"), f(postcode="9999")) == "else"


def test_nhs_number_sex_house_number_and_parents() -> None:
    assert level(c.NHS_NUMBER, f(nhs_number="943 476 5919"), f(nhs_number="9434765919")) == "exact"
    assert level(c.NHS_NUMBER, f(nhs_number="9434765919"), f(nhs_number="4010232137")) == "else"
    assert level(c.SEX, f(sex="F"), f(sex="female")) == "exact"
    assert level(c.SEX, f(sex="F"), f(sex="unknown")) == "null"
    assert level(c.HOUSE_NUMBER, f(address="14 Elm Road"), f(address="14, Elm Rd")) == "exact"
    assert level(c.PARENTS, f(parent_given_names=("Joanne", "Sam")), f(parent_given_names=("Joanne",))) == "shared"
    assert level(c.PARENTS, f(parent_given_names=("Joanne",)), f(parent_given_names=("Ruth",))) == "else"


SAMPLE = [
    f(given_name="Alfie", family_name="Okafor", date_of_birth=dt.date(2016, 3, 9), postcode="DA6 7AT"),
    f(given_name="Alfred", family_name="Okafor-Bell", date_of_birth=dt.date(2016, 9, 3), postcode="DA6 7BB"),
    f(given_name="Okafor", family_name="Alfred", date_of_birth=dt.date(2016, 3, 10), sex="M"),
    f(given_name="Baby", family_name="Okafor", expected_date_of_delivery=dt.date(2027, 1, 2)),
    f(given_name="Chioma", family_name="Bell", date_of_birth=dt.date(1988, 3, 9), nhs_number="9434765919"),
    f(),
]


@pytest.mark.parametrize("comparison", c.COMPARISONS, ids=[x.name for x in c.COMPARISONS])
def test_every_comparison_is_symmetric(comparison: c.Comparison) -> None:
    for a in SAMPLE:
        for b in SAMPLE:
            assert comparison.level_for(a, b) == comparison.level_for(b, a)


def test_sql_renders_for_both_engines() -> None:
    for comparison in c.COMPARISONS:
        for lvl in comparison.levels:
            assert "{" not in lvl.sql_for("duckdb")
            assert "{" not in lvl.sql_for("spark")
    forms = c.GIVEN_NAME.levels[c.GIVEN_NAME.level_by_key("forms")]
    assert forms.sql_for("duckdb") == "list_has_any(given_forms_l, given_forms_r)"
    assert forms.sql_for("spark") == "arrays_overlap(given_forms_l, given_forms_r)"


def test_a_house_number_that_differs_with_the_whole_address_is_counted_with_the_address() -> None:
    """A household that moves changes both: the move is weighed once, by the address."""
    moved = level(c.HOUSE_NUMBER, f(address="14 Elm Road"), f(address="3 Birch Close, Leeds"))
    neighbour = level(c.HOUSE_NUMBER, f(address="14 Elm Road"), f(address="16 Elm Road"))
    assert (moved, neighbour) == ("elsewhere", "else")
    assert c.HOUSE_NUMBER.levels[c.HOUSE_NUMBER.level_by_key("elsewhere")].counted_elsewhere
