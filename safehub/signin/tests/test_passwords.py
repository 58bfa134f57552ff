"""Passwords: at least 12 characters, and neither a common one nor a common word dressed up."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from safehub.accounts.demo import DEMO_PASSWORD
from safehub.accounts.models import User
from safehub.signin.passwords import GuessablePatternValidator, core_word

FACTORY_PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    "password",
    [
        "Summer2026!!",
        "summer2026!!",
        "Winter-2025!!",
        "2026December!!",
        "P@ssw0rd2026!",
        "Welcome12345!",
        "Safehub2026!!",
        "Monday!!2026",
        "Dragon2026!!!",  # a common password with a year and symbols
    ],
)
def test_a_common_word_with_numbers_and_symbols_is_refused(password: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password(password)

    assert "password_guessable" in [error.code for error in caught.value.error_list]


def test_summer2026_is_refused_by_the_configured_validators() -> None:
    with pytest.raises(ValidationError, match="common word with numbers or symbols added"):
        validate_password("Summer2026!!", User(username="someone.else"))


def test_a_short_password_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7#vLp2!kR")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Xq7#vLp2!kR", "This password is too short: use at least 12 characters. Try three or four random words"),
        ("priya.sharma.99", "This password is too like your username, so someone who knows you could guess it."),
        ("qwertyuiop123", "This password is one of the most common passwords. Try three or four random words"),
        ("492817365018", "This password is only numbers. Try three or four random words instead."),
    ],
)
def test_djangos_rules_refuse_in_our_words_and_say_what_to_do(password: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="priya.sharma.99"))
    assert message in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, FACTORY_PASSWORD, "kettle orbit maple 44", "Summer gravel lantern 2026", "tRuMp3t-Gl4ss-Fern"],
)
def test_good_passwords_pass(password: str) -> None:
    validate_password(password, User(username="someone.else"))


@pytest.mark.parametrize(
    ("password", "core"),
    [
        ("Summer2026!!", "summer"),
        ("!!2026 Autumn", "autumn"),
        ("P@ssw0rd1", "password"),
        ("safehub-demo-2026", "safehubdemo"),
    ],
)
def test_the_core_word_is_what_is_left_of_the_dressing(password: str, core: str) -> None:
    assert core_word(password) == core


def test_the_validator_explains_itself() -> None:
    assert "Summer2026!!" in GuessablePatternValidator().get_help_text()
