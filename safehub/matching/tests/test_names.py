from __future__ import annotations

import pytest

from safehub.matching import names


def test_tokens_fold_accents_apostrophes_and_hyphens() -> None:
    assert names.tokens("Zoë O'Brien-Smith") == ["zoe", "obrien", "smith"]
    assert names.tokens("  ") == []
    assert names.tokens(None) == []


@pytest.mark.parametrize("placeholder", ["Baby", "UNBORN", "baby of", "Twin", "Not known", "NK"])
def test_placeholder_first_names_are_not_names(placeholder: str) -> None:
    assert names.first_given_name(placeholder) is None


def test_the_first_given_name_is_the_first_word() -> None:
    assert names.first_given_name("Mary-Jane") == "mary"
    assert names.given_names("Mary-Jane", "Baby Rose") == ["mary", "jane", "rose"]


def test_family_names_join_their_parts_and_keep_them() -> None:
    assert names.family_name("Smith-Jones") == "smithjones"
    assert names.family_name_parts("Smith Jones") == ["smith", "jones"]
    assert names.family_name("Unknown") is None
    assert names.family_name_parts("Unknown") == []


@pytest.mark.parametrize(
    ("short", "formal"),
    [
        ("alfie", "alfred"),
        ("kasia", "katarzyna"),
        ("charlie", "charlotte"),
        ("charlie", "charles"),
        ("mo", "mohammed"),
        ("muhammad", "mohammed"),
        ("seun", "oluwaseun"),
        ("evie", "evelyn"),
        ("ollie", "oliver"),
        ("kuba", "jakub"),
    ],
)
def test_diminutives_share_a_form_with_the_formal_name(short: str, formal: str) -> None:
    assert set(names.name_forms(short)) & set(names.name_forms(formal))


@pytest.mark.parametrize(("one", "other"), [("charles", "charlotte"), ("oliver", "olivia"), ("samuel", "samantha")])
def test_a_brother_and_sister_do_not_share_a_form(one: str, other: str) -> None:
    assert not set(names.name_forms(one)) & set(names.name_forms(other))


def test_an_unknown_name_has_only_itself() -> None:
    assert names.name_forms("zebedeus") == ["zebedeus"]
    assert names.name_forms(None) == []


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("robert", "r163"),
        ("rupert", "r163"),
        ("smith", "s530"),
        ("smyth", "s530"),
        ("ashcraft", "a261"),
        ("lee", "l000"),
    ],
)
def test_soundex(word: str, code: str) -> None:
    assert names.soundex(word) == code


@pytest.mark.parametrize(
    ("one", "other"),
    [("szymon", "simon"), ("keira", "ciara"), ("kieran", "ciaran"), ("philip", "filip"), ("zofia", "sophia")],
)
def test_other_spellings_of_a_name_sound_alike(one: str, other: str) -> None:
    assert names.sounds_like(one) == names.sounds_like(other)


@pytest.mark.parametrize(
    ("one", "other"), [("lily", "lola"), ("harry", "harvey"), ("ava", "eva"), ("thea", "theo"), ("jack", "jake")]
)
def test_names_that_rhyme_or_differ_in_a_vowel_do_not_sound_alike(one: str, other: str) -> None:
    assert names.sounds_like(one) != names.sounds_like(other)


def test_no_name_has_no_sound() -> None:
    assert names.sounds_like(None) is None
    assert names.sounds_like("") is None


@pytest.mark.parametrize(
    ("pet", "name"),
    [("Ossie", "Oscar"), ("Florrie", "Florence"), ("Kimmy", "Kimberley"), ("Ceri", "Cerys"), ("Artie", "Arthur")],
)
def test_a_pet_form_made_from_the_start_of_a_name_is_found(pet: str, name: str) -> None:
    assert names.is_pet_form(pet.lower(), name.lower())
    assert not names.is_pet_form(name.lower(), pet.lower())


@pytest.mark.parametrize(
    ("one", "other"),
    [("Harry", "Harvey"), ("Ellie", "Elsie"), ("Emmy", "Emma"), ("Kai", "Kacper"), ("Millie", "Mila")],
)
def test_names_of_their_own_are_not_taken_for_pet_forms(one: str, other: str) -> None:
    assert not names.is_pet_form(one.lower(), other.lower())
    assert not names.is_pet_form(other.lower(), one.lower())
