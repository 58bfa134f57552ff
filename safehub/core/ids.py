"""Record ids that arrive as text (a posted field, a button's name, a query string), turned into
numbers safely: the one place that decides what counts as an id.

`str.isdigit()` is not the test: it is true of '²' and '١', which `int()` refuses or reads as
another number. And a number may be longer than any database integer: 30 digits overflow SQLite
and PostgreSQL alike. Neither is an id of anything, so both are None here: the caller treats it as
it treats an id it does not know."""

from __future__ import annotations

from collections.abc import Iterable

MAX_ID = 2**63 - 1  # the largest key a 64-bit integer column holds (BigAutoField, on both databases)
_MAX_DIGITS = len(str(MAX_ID))


def whole_number(text: object) -> int | None:
    """The number `text` writes in plain ASCII digits (spaces either side allowed), if it has no
    more digits than `MAX_ID`; else None."""
    if not isinstance(text, str):
        return None
    digits = text.strip()
    if not digits or len(digits) > _MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return int(digits)


def parse_id(text: object) -> int | None:
    """The id in `text`, or None when it is not a whole number from 1 to `MAX_ID`."""
    number = whole_number(text)
    return number if number is not None and 0 < number <= MAX_ID else None


def parse_ids(texts: Iterable[object]) -> list[int]:
    """The ids among `texts`, in order, leaving out any that are not ids."""
    return [number for number in map(parse_id, texts) if number is not None]


def parse_index(text: object, *, below: int) -> int | None:
    """A position in a list of `below` items (0 upwards) from `text`, or None when it is not one."""
    number = whole_number(text)
    return number if number is not None and number < below else None
