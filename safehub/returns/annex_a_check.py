"""Check an Annex A workbook with liiatools' Annex A cleaner, run in its own environment
(validators/annex_a, safehub/returns/external.py), and read what it found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from safehub.core.presenters import how_many
from safehub.returns import external
from safehub.returns.annex_a_codes import AnnexAList


class ProblemKind(StrEnum):
    """What the cleaner's error log can say (validators/annex_a/check.py reads it)."""

    UNFORMATTABLE = "unformattable"  # a cell it could not read as its column's code, number or date: blanked
    BLANK = "blank"  # a blank cell in a column that must be filled
    UNEXPECTED_COLUMN = "unexpected_column"
    DUPLICATE_COLUMN = "duplicate_column"
    UNRECOGNISED_SHEET = "unrecognised_sheet"  # headers that match no list
    MISSING_LIST = "missing_list"
    WRONG_FILE_TYPE = "wrong_file_type"
    UNPARSED = "unparsed"  # a line of the log that check.py does not know


@dataclass(frozen=True)
class AnnexAProblem:
    kind: ProblemKind
    list_name: str | None
    column: str | None
    message: str  # the cleaner's own words
    row: int | None = None  # as Excel numbers it: the header is row 1
    value: str | None = None  # what the refused cell held
    count: int | None = None  # how many cells, where their rows could not be found

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.list_name,
                self.column and f"column {self.column!r}",
                self.row and f"row {self.row}",
                self.value is not None and f"value {self.value!r}",
                self.count and how_many(self.count, "cell", "cells"),
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Recoded:
    """A cell the cleaner accepted but read as another code than the one written."""

    list_name: str
    column: str
    row: int
    value: str
    cleaned: str


@dataclass(frozen=True)
class AnnexAValidation:
    errors: list[AnnexAProblem]
    recoded: list[Recoded]
    # The cleaner expects all eleven lists; Safehub writes lists 1 to 5, so it reports 6 to 11 missing.
    lists_not_written: list[str]
    raw_log: str

    @property
    def is_clean(self) -> bool:
        return not self.errors and not self.recoded


def _problem(found: dict[str, Any]) -> AnnexAProblem:
    try:
        kind = ProblemKind(str(found.get("kind")))
    except ValueError:
        kind = ProblemKind.UNPARSED
    return AnnexAProblem(
        kind=kind,
        list_name=found.get("list"),
        column=found.get("column"),
        message=str(found.get("message", "")),
        row=found.get("row"),
        value=found.get("value"),
        count=found.get("count"),
    )


def validate(xlsx_path: Path | str) -> AnnexAValidation:
    """What the cleaner found in the workbook. Raises external.ValidatorUnavailable when its environment
    cannot be made, or the file cannot be read as a workbook."""
    found = external.check("annex_a", str(Path(xlsx_path).resolve()))
    problems = [_problem(entry) for entry in found["errors"]]

    def not_written(problem: AnnexAProblem) -> bool:
        return problem.kind is ProblemKind.MISSING_LIST and problem.list_name not in set(AnnexAList)

    return AnnexAValidation(
        errors=[problem for problem in problems if not not_written(problem)],
        recoded=[
            Recoded(
                list_name=entry["list"],
                column=entry["column"],
                row=entry["row"],
                value=entry["value"],
                cleaned=entry["cleaned"],
            )
            for entry in found["recoded"]
        ],
        lists_not_written=[str(problem.list_name) for problem in problems if not_written(problem)],
        raw_log=found["raw_log"],
    )
