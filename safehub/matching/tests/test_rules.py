"""The relatives rules, level by level (rules.py); the model's own tests check them on scored pairs."""

from __future__ import annotations

import pytest

from safehub.matching import names, rules
from safehub.matching.features import Features

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


def test_names_the_other_way_round_on_both_records_with_different_first_names_are_relatives() -> None:
    """'Dobre Isla' and 'Dobre Melissa': a girl and her mother, each written last name first."""
    seen_first = {"isla": 30.0, "melissa": 20.0, "dobre": 1.0}.get
    seen_last = {"dobre": 12.0}.get

    def girl(given: str, family: str) -> Features:
        return Features(given_name=given, family_name=family)

    assert rules.both_the_other_way_round(
        girl("dobre", "isla"), girl("dobre", "melissa"), lambda n: seen_first(n, 0.0), lambda n: seen_last(n, 0.0)
    )
    # A first name that is a first name ('Isla Dobre' and 'Isla Smith', a child with a step-parent's last name).
    assert not rules.both_the_other_way_round(
        girl("isla", "dobre"), girl("isla", "smith"), lambda n: seen_first(n, 0.0), lambda n: seen_last(n, 0.0)
    )
    # Last names that are forms of one first name: one girl, written the other way round twice.
    assert not rules.both_the_other_way_round(
        girl("dobre", "elizabeth"), girl("dobre", "beth"), lambda n: seen_first(n, 0.0), lambda n: seen_last(n, 0.0)
    )
    levels = {**SAME_HOME, "given_name": "exact", "family_name": "else", "dob": "null"}
    assert rules.relative_guard(levels) is None
    assert rules.relative_guard(levels, both_swapped=True) == rules.BOTH_THE_OTHER_WAY_ROUND
    assert rules.relative_guard({**levels, "nhs_number": "exact"}, both_swapped=True) is None


def _record(given: str, family: str = "bird", postcode: str | None = "W0 4SQ") -> Features:
    return Features(
        given_name=given,
        given_forms=names.name_forms(given) or None,
        given_sound=names.sounds_like(given),
        family_name=family,
        postcode=postcode,
    )


def test_names_a_typing_error_apart_each_written_on_several_records_of_one_family_are_two_peoples() -> None:
    """Twins Mia and Mila Bird each have several records; 'Milla' is written once, a typing error."""
    records = [_record("mia"), _record("mia", postcode=None), _record("mila"), _record("mila", postcode="N2 1PS")]
    records += [_record("milla"), _record("oliver", "jones"), _record("olivr", "jones")]
    twins = rules.two_peoples_names(records)
    assert twins.hold(_record("mia", postcode=None), _record("mila", family="bir", postcode="N2 1PS"))
    assert not twins.hold(_record("mila"), _record("milla"))  # 'milla' is written once
    assert not twins.hold(_record("oliver", "jones"), _record("olivr", "jones"))
    # Elsewhere, in another family at another home, 'Mila' may still be 'Mia' mistyped.
    assert not twins.hold(_record("mia", "ahmed", "B1 1AA"), _record("mila", "ahmed", "B1 1AA"))
    levels = {**SAME_HOME, "given_name": "typo"}
    assert rules.relative_guard(levels) is None
    assert rules.relative_guard(levels, two_people=True) == rules.TWO_PEOPLES_NAMES


def test_spellings_of_one_name_written_several_times_each_are_not_two_peoples() -> None:
    """Zayn and Zain sound the same: one boy, written one way by some agencies and the other by others."""
    records = [_record("zayn"), _record("zayn"), _record("zain"), _record("zain")]
    assert not rules.two_peoples_names(records).hold(_record("zayn"), _record("zain"))


def test_names_that_are_forms_of_a_third_each_written_on_several_records_of_one_home_are_two_peoples() -> None:
    """Twins Lewis and Louie, both forms of Louis: two boys when each name is written on two records of one
    home; a single 'Meg' beside Daisy's records may still be a form written once."""
    records = [_record("lewis"), _record("lewis"), _record("louie"), _record("louie", postcode=None)]
    records += [_record("daisy"), _record("daisy"), _record("meg")]
    twins = rules.two_peoples_names(records)
    assert twins.hold(_record("lewis"), _record("louie", postcode=None))
    assert not twins.hold(_record("daisy"), _record("meg"))
    # A name and its own form (Lewis and Louis) are one boy however often each is written.
    one_boy = [_record("lewis"), _record("lewis"), _record("louis"), _record("louis")]
    assert not rules.two_peoples_names(one_boy).hold(_record("lewis"), _record("louis"))
