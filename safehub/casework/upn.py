"""Unique pupil numbers (the DfE's UPN guidance): 13 characters, a check letter and 12 more, the last
of which is a letter in a temporary UPN. The check letter is the weighted sum of characters 2 to 13
(weights 2 to 13) modulo 23, read as a letter of CHECK_LETTERS; a letter in place 13 counts as its
place in the same alphabet."""

from __future__ import annotations

import re

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
SHAPE = re.compile(rf"[{CHECK_LETTERS}][0-9]{{11}}[0-9{CHECK_LETTERS}]")


def check_letter(rest: str) -> str:
    """The check letter for the 12 characters after it."""
    total = 0
    for weight, char in enumerate(rest, start=2):
        value = int(char) if char.isdigit() else CHECK_LETTERS.index(char)
        total += weight * value
    return CHECK_LETTERS[total % 23]


def is_valid_upn(text: str) -> bool:
    return bool(SHAPE.fullmatch(text)) and check_letter(text[1:]) == text[0]


def normalise_upn(text: str) -> str:
    return "".join(text.split()).upper()
