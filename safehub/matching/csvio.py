"""People CSV files for batch linkage: read with every problem reported by line, written atomically.

Columns (header required, any value but `id` may be blank):
    id, given_name, family_name, dob, sex, address, postcode, nhs_number

A value that cannot be read (a date such as FEBRL's `1966-00-91`, a sex that is none of the known
ones, an NHS number that fails its check) refuses the whole file unless the caller asks for such
values to be treated as not known (`BadValues.BLANK`): then each is listed, by line, in a report
written beside the output. In that mode a date that can be read only with its day and month the other
way round (`1980-24-06`, `06/24/1980`: there is no 24th month) is read so, and listed too. A file whose shape is wrong (header, ids, columns, encoding) is always refused.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO

import pandas as pd

from safehub.core import csvfiles
from safehub.core.csvfiles import UnreadableCsv
from safehub.matching.features import COLUMNS, PersonDetails, features_of
from safehub.people.identifiers import is_valid_nhs_number, normalise_nhs_number

REQUIRED = ("id", "given_name", "family_name", "dob", "sex", "address", "postcode", "nhs_number")
SEXES = {"", "f", "female", "m", "male", "u", "unknown", "not known"}
MAX_ERRORS = 50
REPORT_HEADER = ("file", "line", "id", "column", "value", "problem")


class BadValues(StrEnum):
    """What reading does with a value it cannot read."""

    REFUSE = "refuse"  # refuse the whole file, listing every such value (the default)
    BLANK = "blank"  # treat it as not known, and list it in a report beside the output


class CsvRefused(Exception):  # noqa: N818 - reads as "the CSV was refused"
    def __init__(self, path: Path, errors: list[str]) -> None:
        super().__init__(f"{path}: {len(errors)} problem(s)")
        self.path = path
        self.errors = errors


@dataclass(frozen=True)
class PersonRow:
    id: str
    details: PersonDetails


@dataclass(frozen=True)
class UnreadableValue:
    """A value read as not known, and why."""

    path: Path
    line: int
    id: str
    column: str
    value: str
    problem: str
    swapped: bool = False  # a date read with its day and month the other way round, not taken as not known


@dataclass(frozen=True)
class PeopleFile:
    rows: list[PersonRow]
    unreadable: list[UnreadableValue]


_DATE_PATTERNS = ("%Y-%m-%d", "%d/%m/%Y")
# The same patterns with the day and the month the other way round (an American date in a British file).
_SWAPPED_PATTERNS = ("%Y-%d-%m", "%m/%d/%Y")


def _date(value: str, patterns: Sequence[str] = _DATE_PATTERNS) -> date:
    for pattern in patterns:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValueError


def _swapped_date(value: str) -> date | None:
    """The date, when it can be read only with its day and month the other way round: `1980-24-06` has no
    24th month, so it is 24 June 1980. A date readable either way is read as written (and a day–month swap
    is then found by comparing it with the person's other records); `1966-00-91` cannot be read at all."""
    try:
        return _date(value, _SWAPPED_PATTERNS)
    except ValueError:
        return None


def read_people(path: Path) -> list[PersonRow]:
    """Every row, or CsvRefused listing each problem with its line number (and nothing returned)."""
    return read_people_file(path).rows


def _value_problems(row: dict[str, str]) -> list[tuple[str, str]]:
    """(column, problem) for each value in the row that cannot be read."""
    problems = []
    if row["dob"]:
        try:
            _date(row["dob"])
        except ValueError:
            problems.append(("dob", f"dob {row['dob']!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
    if row["sex"].lower() not in SEXES:
        problems.append(("sex", f"sex {row['sex']!r} is not one of F, M or blank"))
    nhs = normalise_nhs_number(row["nhs_number"])
    if nhs and not is_valid_nhs_number(nhs):
        problems.append(("nhs_number", f"nhs_number {row['nhs_number']!r} is not a valid NHS number"))
    return problems


def read_people_file(path: Path, *, bad_values: BadValues = BadValues.REFUSE) -> PeopleFile:
    """Every row, with the values read as not known (BadValues.BLANK only); or CsvRefused listing each
    problem with its line number (and nothing returned)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CsvRefused(path, [f"No file at {path}"]) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise CsvRefused(
            path, [f"Line {line}: the file is not UTF-8 text; save it as CSV UTF-8 and try again"]
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(path, reader, bad_values=bad_values)
    except UnreadableCsv as error:
        raise CsvRefused(path, [error.message]) from None


def _read_rows(path: Path, reader: csv.DictReader[str], *, bad_values: BadValues) -> PeopleFile:
    header = [h.strip() for h in csvfiles.header(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(header) if header else "nothing"
        raise CsvRefused(
            path, [f"Line 1: the header must name {', '.join(REQUIRED)}; missing {', '.join(missing)} (found {found})"]
        )
    reader.fieldnames = header
    rows: list[PersonRow] = []
    unreadable: list[UnreadableValue] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(csvfiles.rows(reader), start=2):
        if None in raw:
            errors.append(f"Line {number}: more values than columns in the header")
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        problems = []
        if not row["id"]:
            problems.append("id is blank")
        elif row["id"] in seen:
            problems.append(f"id {row['id']!r} appears more than once")
        born: date | None = None
        for column, problem in _value_problems(row):
            if bad_values == BadValues.REFUSE:
                problems.append(problem)
                continue
            read_as = _swapped_date(row["dob"]) if column == "dob" else None
            if read_as:
                born = read_as
            said = (
                f"{problem}; read as {read_as:%-d %B %Y}, with its day and month the other way round"
                if read_as
                else problem
            )
            unreadable.append(
                UnreadableValue(path, number, row["id"], column, row[column], said, swapped=read_as is not None)
            )
            row[column] = ""
        if problems:
            errors.append(f"Line {number}: {'; '.join(problems)}")
            if len(errors) >= MAX_ERRORS:
                errors.append(f"Stopped after {MAX_ERRORS} problems")
                break
            continue
        seen.add(row["id"])
        details = PersonDetails(
            given_name=row["given_name"],
            family_name=row["family_name"],
            date_of_birth=_date(row["dob"]) if row["dob"] else born,
            sex=row["sex"],
            address=row["address"],
            postcode=row["postcode"],
            nhs_number=normalise_nhs_number(row["nhs_number"]),
        )
        rows.append(PersonRow(row["id"], details))
    if errors:
        raise CsvRefused(path, errors)
    if not rows:
        raise CsvRefused(path, ["The file has a header but no rows"])
    return PeopleFile(rows, unreadable)


def feature_frame(rows: list[PersonRow]) -> pd.DataFrame:
    data = [{"unique_id": r.id, **features_of(r.details).as_row()} for r in rows]
    return pd.DataFrame(data, columns=["unique_id", *COLUMNS])


def _write_whole(out: Path, write: Callable[[IO[str]], None]) -> None:
    """Write a file through a temporary one beside it, so that it appears whole or not at all."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".csv", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            write(file)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_pairs(pairs: pd.DataFrame, out: Path) -> None:
    """Write left_id, right_id, match_probability, found_by; the file appears whole or not at all."""
    _write_whole(
        out,
        lambda file: pairs.to_csv(
            file, index=False, columns=["left_id", "right_id", "match_probability", "found_by"], float_format="%.6f"
        ),
    )


def report_path(out: Path) -> Path:
    """Where the values read as not known are listed: beside the output, `pairs.csv` → `pairs-unreadable.csv`."""
    return out.with_name(f"{out.stem}-unreadable.csv")


def write_unreadable(values: Sequence[UnreadableValue], out: Path) -> None:
    """One row per value read as not known: file, line, id, column, value, problem (a header alone when none)."""

    def write(file: IO[str]) -> None:
        writer = csv.writer(file)
        writer.writerow(REPORT_HEADER)
        for v in values:
            writer.writerow([v.path.name, v.line, v.id, v.column, v.value, v.problem])

    _write_whole(out, write)
