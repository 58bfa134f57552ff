"""What every CSV import shares (the involvements import, the casework import): all or nothing, every
bad row reported with its line number, values quoted short, dates in the two forms case systems write."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from safehub.core import csvfiles
from safehub.core.csvfiles import UnreadableCsv

SHOWN = 30  # characters of a bad value quoted in a problem
MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 200


class ImportRefused(Exception):  # noqa: N818 (a statement of what happened)
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD or DD/MM/YYYY; ValueError for anything else or a day that never was."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError


def quoted(text: str) -> str:
    """A bad value as a problem quotes it: no longer than SHOWN characters, controls shown as �."""
    shown = "".join(c if c.isprintable() else "\ufffd" for c in text[:SHOWN])
    return f"'{shown}…'" if len(text) > SHOWN else f"'{shown}'"


def read_rows(
    raw: bytes,
    *,
    columns: Sequence[str],
    problems: Callable[[dict[str, Any]], list[str]],
    optional: Collection[str] = (),
) -> list[Row]:
    """The file's rows, each value stripped and `problems` run on it (which may convert values in
    place); ImportRefused naming every problem by line, or a file that is empty, too big, not UTF-8,
    not CSV or missing a column (a column in `optional` may be left out: its values are blank)."""
    if not raw.strip():
        raise ImportRefused(["The file is empty"])
    if len(raw) > MAX_BYTES:
        raise ImportRefused(["The file is larger than 20 MB: split it into smaller files"])
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a zip (.xlsx, .ods) or an old .xls
        raise ImportRefused(
            ["This is a spreadsheet, not a CSV file: in Excel choose File, Save As, 'CSV UTF-8 (Comma delimited)'"]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [
                f"The file must be saved as UTF-8 (byte {error.start + 1:,} is not): in Excel choose File, Save As,"
                " 'CSV UTF-8 (Comma delimited)'"
            ]
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in csvfiles.header(reader)]
        reader.fieldnames = header  # " family_name" is the column family_name
        missing = [name for name in columns if name not in header and name not in optional]
        if missing:
            raise ImportRefused([f"Line 1: the header is missing the column(s) {', '.join(missing)}"])
        errors: list[str] = []
        rows: list[Row] = []
        for values in csvfiles.rows(reader):
            line = reader.line_num
            clean: dict[str, Any] = {name: (values.get(name) or "").strip() for name in columns}
            nul = [name for name in columns if "\x00" in clean[name]]
            found = [f"{name} contains a NUL character (byte 0), which cannot be stored: remove it" for name in nul]
            for name in nul:
                clean[name] = ""  # reported: checked no further
            found += problems(clean)
            errors += [f"Line {line}: {problem}" for problem in found]
            if len(errors) >= MAX_ERRORS:
                errors.append("Too many errors: the rest of the file was not checked")
                break
            rows.append(Row(line, clean))
    except UnreadableCsv as error:
        raise ImportRefused([error.message]) from None
    if not rows and not errors:
        errors.append("The file has a header but no rows")
    if errors:
        raise ImportRefused(errors)
    return rows
