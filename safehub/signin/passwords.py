"""A password check for the common words people dress up to pass length rules: a season, a month, a
day or a well-known password with a year and symbols round it (`Summer2026!!`, `P@ssw0rd-2025`,
`2026December!`). Django's list of common passwords has the bare words, not every such dressing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.accounts.models import User
from safehub.audit import services as audit
from safehub.audit.models import Verb

SEASONS = ("spring", "summer", "autumn", "fall", "winter")
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Words people reach for at work that the general lists rank lower than they deserve here.
WORKPLACE = [
    "password",
    "passw0rd",
    "welcome",
    "letmein",
    "changeme",
    "qwerty",
    "qwertyuiop",
    "admin",
    "administrator",
    "login",
    "secret",
    "safehub",
    "mash",
    "council",
    "children",
    "social",
    "police",
    "hello",
    "iloveyou",
]
WORDS = frozenset((*SEASONS, *MONTHS, *DAYS, *WORKPLACE))

# Characters that stand in for letters in the middle of a word.
LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
# Digits, spaces and symbols at either end (a year, `!!`, `#1`).
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_NOT_LETTERS = re.compile(r"[^a-z]")


def core_word(password: str) -> str:
    """The password without the digits and symbols round it, with look-alike characters read as
    letters and anything else that is not a letter dropped: `Summer2026!!` gives `summer`."""
    middle = _EDGES.sub("", password.strip().lower())
    return _NOT_LETTERS.sub("", middle.translate(LEET))


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(password_validation.CommonPasswordValidator().passwords)


class GuessablePatternValidator:
    """Refuse a common word with numbers or symbols added."""

    def validate(self, password: str, user: Any = None) -> None:
        core = core_word(password)
        if core in WORDS or (len(core) >= 4 and core in _common_passwords()):
            raise ValidationError(
                "This password is a common word with numbers or symbols added, which is easy to guess. "
                "Try three or four random words instead.",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be a common word with numbers or symbols added, like Summer2026!!"


# Django's own rules, refused in the product's words, each saying what to do instead.
TRY_INSTEAD = "Try three or four random words instead."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"This password is too short: use at least {self.min_length} characters. {TRY_INSTEAD}"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "This password is too like your %(verbose_name)s, so someone who knows you could guess it."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return f"This password is one of the most common passwords. {TRY_INSTEAD}"


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return f"This password is only numbers. {TRY_INSTEAD}"


@transaction.atomic
def change_own_password(user: User, password: str) -> None:
    """`user` changes their own password (checked by the form: the current one, the rules), audited
    without either password. Their other sessions end at their next request (Django's session hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(Verb.PASSWORD_CHANGED, by=user, data={"user_id": user.pk, "username": user.username})
