"""The relatives rules, level by level (rules.py); the model's own tests check them on scored pairs."""

from __future__ import annotations

import pytest

from safehub.matching import rules

SAME_HOME = {"family_name": "exact", "dob": "exact", "sex": "exact", "postcode": "exact", "nhs_number": "null"}


@pytest.mark.parametrize("given", ["exact", "forms", "swapped", "typo", "sound", "jw92", "short", "crossed"])
def test_a_first_name_mistyped_spelt_otherwise_or_shortened_may_be_the_same_person(given: str) -> None:
    assert rules.relative_guard({**SAME_HOME, "given_name": given}) is None


@pytest.mark.parametrize("given", ["jw80", "else"])
def test_a_different_first_name_at_the_same_home_and_birthday_is_a_twin(given: str) -> None:
    assert rules.relative_guard({**SAME_HOME, "given_name": given}) == rules.DIFFERENT_FIRST_NAMES


@pytest.mark.parametrize("given", ["typo", "sound", "jw92", "short"])
def test_alike_first_names_with_different_sexes_are_a_brother_and_sister(given: str) -> None:
    levels = {**SAME_HOME, "given_name": given, "sex": "else"}
    assert rules.relative_guard(levels) == rules.BROTHER_AND_SISTER


def test_the_same_first_name_with_a_different_last_name_may_be_the_same_person() -> None:
    assert rules.relative_guard({**SAME_HOME, "given_name": "exact", "family_name": "else"}) is None
    assert rules.relative_guard({**SAME_HOME, "given_name": "typo", "family_name": "else"}) is None


def test_both_names_different_is_not_the_same_person() -> None:
    levels = {**SAME_HOME, "given_name": "jw92", "family_name": "else"}
    assert rules.relative_guard(levels) == rules.BOTH_NAMES_DIFFER


def test_different_nhs_numbers_hold_a_pair_unless_name_and_birthday_are_the_same() -> None:
    assert rules.relative_guard({**SAME_HOME, "given_name": "jw92", "nhs_number": "else"}) == (
        rules.DIFFERENT_NHS_NUMBERS
    )
    assert rules.relative_guard({**SAME_HOME, "given_name": "exact", "nhs_number": "else"}) is None


def test_an_agreeing_nhs_number_overrides_every_rule() -> None:
    assert rules.relative_guard({**SAME_HOME, "given_name": "else", "dob": "else", "nhs_number": "exact"}) is None


def test_a_record_matching_two_people_told_apart_is_matched_to_neither() -> None:
    """An undated 'Owen Ellis' matches the father's and the son's records; they are born years apart."""
    born = {"father": 1983, "father again": 1983, "son": 2019}

    def apart(one: str, other: str) -> bool:
        return born[one] != born[other]

    assert rules.told_apart(["father", "son"], apart) == {"father", "son"}
    assert rules.told_apart(["father", "father again"], apart) == set()
    assert rules.told_apart(["father"], apart) == set()


SEEN = {"teddy": 40.0, "molly": 30.0, "holly": 25.0, "albie": 12.0, "geddy": 1.0, "anigail": 1.0, "abigqil": 1.0}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("geddy", "teddy"),  # the first letter mistyped, in a name no one else has
        ("qlbie", "albie"),  # never seen at all
        ("anigail", "abigqil"),  # both mistyped, two errors apart in a long name
    ],
)
def test_a_rare_name_a_typing_error_from_another_is_that_name_mistyped(one: str, other: str) -> None:
    assert rules.mistyped(one, other, lambda name: SEEN.get(name, 0.0))
    levels = {**SAME_HOME, "given_name": "jw80"}
    assert rules.relative_guard(levels, mistyped=True) is None
    assert rules.relative_guard({**levels, "sex": "else"}, mistyped=True) == rules.BROTHER_AND_SISTER


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("molly", "holly"),  # rhyming twins: both names other people have
        ("geddy", "freddie"),  # rare, but more than a typing error away
        ("maisy", "daisy"),  # rare here, but a name in our tables
    ],
)
def test_names_of_their_own_are_not_taken_for_typing_errors(one: str, other: str) -> None:
    assert not rules.mistyped(one, other, lambda name: SEEN.get(name, 0.0))


def test_records_born_apart_with_other_nhs_numbers_or_sexes_are_told_apart_whatever_the_names() -> None:
    assert rules.told_apart_by_birth_nhs_or_sex({**SAME_HOME, "given_name": "else", "dob": "else"})
    assert rules.told_apart_by_birth_nhs_or_sex({**SAME_HOME, "nhs_number": "else"})
    assert rules.told_apart_by_birth_nhs_or_sex({**SAME_HOME, "sex": "else"})
    assert not rules.told_apart_by_birth_nhs_or_sex({**SAME_HOME, "given_name": "else"})
    assert not rules.told_apart_by_birth_nhs_or_sex({**SAME_HOME, "dob": "else", "nhs_number": "exact"})


def test_a_middle_name_alone_without_a_close_birth_is_a_relative() -> None:
    """'Maryam Abigail' and her mother 'Abigail', one of them undated."""
    levels = {**SAME_HOME, "given_name": "middle", "dob": "null"}
    assert rules.relative_guard(levels) == rules.MIDDLE_NAME_ONLY
    assert rules.relative_guard({**levels, "dob": "exact"}) is None
