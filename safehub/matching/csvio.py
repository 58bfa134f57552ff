"""People CSV files for batch linkage: read with every problem reported by line, written atomically.

Columns (header required, any value but `id` may be blank):
    id, given_name, family_name, dob, sex, address, postcode, nhs_number
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from safehub.matching.features import COLUMNS, PersonDetails, features_of
from safehub.people.identifiers import is_valid_nhs_number, normalise_nhs_number

REQUIRED = ("id", "given_name", "family_name", "dob", "sex", "address", "postcode", "nhs_number")
SEXES = {"", "f", "female", "m", "male", "u", "unknown", "not known"}
MAX_ERRORS = 50


class CsvRefused(Exception):  # noqa: N818 - reads as "the CSV was refused"
    def __init__(self, path: Path, errors: list[str]) -> None:
        super().__init__(f"{path}: {len(errors)} problem(s)")
        self.path = path
        self.errors = errors


@dataclass(frozen=True)
class PersonRow:
    id: str
    details: PersonDetails


def _date(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValueError


def read_people(path: Path) -> list[PersonRow]:
    """Every row, or CsvRefused listing each problem with its line number (and nothing returned)."""
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
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(header) if header else "nothing"
        raise CsvRefused(
            path, [f"Line 1: the header must name {', '.join(REQUIRED)}; missing {', '.join(missing)} (found {found})"]
        )
    reader.fieldnames = header
    rows: list[PersonRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            errors.append(f"Line {number}: more values than columns in the header")
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        problems = []
        if not row["id"]:
            problems.append("id is blank")
        elif row["id"] in seen:
            problems.append(f"id {row['id']!r} appears more than once")
        born = None
        if row["dob"]:
            try:
                born = _date(row["dob"])
            except ValueError:
                problems.append(f"dob {row['dob']!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
        if row["sex"].lower() not in SEXES:
            problems.append(f"sex {row['sex']!r} is not one of F, M or blank")
        nhs = normalise_nhs_number(row["nhs_number"])
        if nhs and not is_valid_nhs_number(nhs):
            problems.append(f"nhs_number {row['nhs_number']!r} is not a valid NHS number")
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
            date_of_birth=born,
            sex=row["sex"],
            address=row["address"],
            postcode=row["postcode"],
            nhs_number=nhs,
        )
        rows.append(PersonRow(row["id"], details))
    if errors:
        raise CsvRefused(path, errors)
    if not rows:
        raise CsvRefused(path, ["The file has a header but no rows"])
    return rows


def feature_frame(rows: list[PersonRow]) -> pd.DataFrame:
    data = [{"unique_id": r.id, **features_of(r.details).as_row()} for r in rows]
    return pd.DataFrame(data, columns=["unique_id", *COLUMNS])


def write_pairs(pairs: pd.DataFrame, out: Path) -> None:
    """Write left_id, right_id, match_probability; the file appears whole or not at all."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".pairs-", suffix=".csv", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            pairs.to_csv(file, index=False, columns=["left_id", "right_id", "match_probability"], float_format="%.6f")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
