"""Reading an uploaded or named CSV file's rows so that a file Python's `csv` module cannot read
(a value longer than its limit of 131,072 characters, most often an opening quote never closed, so
that the rest of the file reads as one value) is refused with the line it starts on, never raised
as an error the page or command does not expect."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any


class UnreadableCsv(Exception):  # noqa: N818 - reads as "the CSV is unreadable"
    """The file stops being CSV at `line`; `message` says so, naming the line."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.message = f"Line {line}: {problem}"
        super().__init__(self.message)


def _problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a value is longer than {csv.field_size_limit():,} characters, the most a value can be: "
            "check that each value's opening quote is closed"
        )
    return f"the line cannot be read as CSV ({error})"


def header(reader: csv.DictReader[str]) -> list[str]:
    """The names in the file's first line, as written (UnreadableCsv if it cannot be read)."""
    try:
        return list(reader.fieldnames or [])
    except csv.Error as error:
        raise UnreadableCsv(1, _problem(error)) from None


def rows(reader: csv.DictReader[str]) -> Iterator[dict[str, Any]]:
    """The file's rows, each as `reader` reads it; UnreadableCsv at the first row it cannot read,
    naming the line that row starts on."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableCsv(start, _problem(error)) from None
        yield row


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading quote
    keeps one that starts like a formula as text."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
