"""Our Annex A workbooks through liiatools' real Annex A cleaner, in its own environment: a clean one
passes untouched, a broken one has each broken cell reported. Each run of the cleaner takes a couple of
seconds, so the two workbooks are checked once for the module and the tests read the results."""

from __future__ import annotations

import io
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from safehub.returns import external
from safehub.returns.annex_a_check import AnnexAProblem, AnnexAValidation, ProblemKind, validate
from safehub.returns.annex_a_codes import HEADERS, AnnexAEthnicity, AnnexAList, Gender, Source, YesNo, YesNoUnknown
from safehub.returns.annex_a_xlsx import to_xlsx
from safehub.returns.tests.sample_annex import clean_annex

pytestmark = pytest.mark.database_independent

UNFORMATTABLE = "Number of cells that have been made blank because they could not be formatted correctly"
BLANK = "Number of blank cells that should have contained data"

# Broken after writing, as a hand-edited workbook would be: the writer itself refuses such values.
BREAKAGES = {
    ("List 1", "B2"): "Boy",  # not a gender label
    ("List 1", "F3"): "31/02/2026",  # a date that does not exist
    ("List 1", "A4"): None,  # no child ID
    ("List 1", "G5"): "Carrier pigeon",  # not a source
    ("List 3", "G2"): "Neighbourhood gossip",  # not a source
    ("List 5", "K3"): "several",  # not a count
}


def _timed_validate(path: Path) -> tuple[AnnexAValidation, float]:
    started = time.perf_counter()
    found = validate(path)
    return found, time.perf_counter() - started


@pytest.fixture(scope="module")
def installed() -> external.Validator:
    return external.install("annex_a")


@pytest.fixture(scope="module")
def clean(installed: external.Validator, tmp_path_factory: pytest.TempPathFactory) -> tuple[AnnexAValidation, float]:
    path = tmp_path_factory.mktemp("annex-a") / "clean.xlsx"
    path.write_bytes(to_xlsx(clean_annex()))
    return _timed_validate(path)


@pytest.fixture(scope="module")
def broken(installed: external.Validator, tmp_path_factory: pytest.TempPathFactory) -> tuple[AnnexAValidation, float]:
    book = load_workbook(io.BytesIO(to_xlsx(clean_annex())))
    for (sheet, cell), value in BREAKAGES.items():
        book[sheet][cell] = value
    path = tmp_path_factory.mktemp("annex-a") / "broken.xlsx"
    book.save(path)
    return _timed_validate(path)


def test_a_clean_return_passes_the_cleaner_untouched(clean: tuple[AnnexAValidation, float]) -> None:
    found, seconds = clean
    assert found.errors == [], found.raw_log
    assert found.recoded == []  # every label written is the code the cleaner keeps
    assert found.is_clean
    # Safehub writes lists 1 to 5; the cleaner, expecting all eleven, says so, and nothing else.
    assert found.lists_not_written == ["List 6", "List 7", "List 8", "List 9", "List 10", "List 11"]
    assert [line for line in found.raw_log.splitlines() if line] == [
        line for line in found.raw_log.splitlines() if line.startswith("The following sheets are missing:")
    ]
    assert seconds < 60


def test_the_cleaner_reports_each_broken_cell(broken: tuple[AnnexAValidation, float]) -> None:
    found, _ = broken
    reported = {(p.kind, p.list_name, p.column, p.row, p.value, p.message) for p in found.errors}
    assert reported == {
        (ProblemKind.UNFORMATTABLE, "List 1", "Gender", 2, "Boy", UNFORMATTABLE),
        (ProblemKind.UNFORMATTABLE, "List 1", "Date of Contact", 3, "31/02/2026", UNFORMATTABLE),
        (ProblemKind.BLANK, "List 1", "Child Unique ID", 4, None, BLANK),
        (ProblemKind.UNFORMATTABLE, "List 1", "Contact Source", 5, "Carrier pigeon", UNFORMATTABLE),
        (ProblemKind.UNFORMATTABLE, "List 3", "Referral Source", 2, "Neighbourhood gossip", UNFORMATTABLE),
        (
            ProblemKind.UNFORMATTABLE,
            "List 5",
            "Number of Section 47 Enquiries in the last 12 months",
            3,
            "several",
            UNFORMATTABLE,
        ),
    }
    assert "'Gender': 1, 'Date of Contact': 1, 'Contact Source': 1" in found.raw_log
    assert "'Child Unique ID': 1" in found.raw_log
    assert str(found.errors[0]).startswith("List 1, column 'Gender', row 2, value 'Boy': Number of cells")


def test_an_unreadable_file_is_refused_with_the_reason(installed: external.Validator, tmp_path: Path) -> None:
    path = tmp_path / "annex-a.xlsx"
    path.write_text("Child Unique ID,Gender\n")
    with pytest.raises(external.ValidatorUnavailable, match="cannot be read as an Excel workbook"):
        validate(path)


SPEC = """
import json, pathlib, yaml, liiatools.spec.annex_a as spec
folder = pathlib.Path(spec.__file__).parent
print(json.dumps({name: yaml.safe_load((folder / name).read_text()) for name in ("annex-a-merge.yml", "data-map.yml")}))
"""


def _codes(spec: dict[str, Any], annex_list: AnnexAList, column: str) -> set[str]:
    return {str(entry["code"]) for entry in spec["data-map.yml"]["data_config"][str(annex_list)][column]}


def test_our_headers_and_labels_are_the_cleaners(installed: external.Validator) -> None:
    done = subprocess.run([str(installed.python), "-c", SPEC], capture_output=True, text=True, check=True)  # noqa: S603
    spec = json.loads(done.stdout)
    columns = spec["annex-a-merge.yml"]["datasources"]
    for annex_list, headers in HEADERS.items():
        # The cleaner matches headers whatever their case; its own spelling has "Date of referral".
        assert [str(header).lower() for header in headers] == [name.lower() for name in columns[str(annex_list)]]
        assert _codes(spec, annex_list, "Gender") == set(Gender)
        assert _codes(spec, annex_list, "Ethnicity") == set(AnnexAEthnicity)
    assert _codes(spec, AnnexAList.CONTACTS, "Contact Source") == set(Source)
    assert _codes(spec, AnnexAList.REFERRALS, "Referral Source") == set(Source)
    assert _codes(spec, AnnexAList.REFERRALS, "Referral NFA?") == set(YesNoUnknown)
    assert set(YesNo) < set(YesNoUnknown)
    for column in (
        "Does the Child have a Disability",
        "Was an Initial Child Protection Conference deemed unnecessary?",
    ):
        assert _codes(spec, AnnexAList.SECTION_47, column) == set(YesNoUnknown)


@pytest.mark.parametrize(("count", "cells"), [(1, "1 cell"), (2, "2 cells")])
def test_a_problem_whose_rows_were_not_found_counts_its_cells_in_words_that_agree(count: int, cells: str) -> None:
    problem = AnnexAProblem(ProblemKind.BLANK, "List 1", "Gender", BLANK, count=count)

    assert str(problem) == f"List 1, column 'Gender', {cells}: {BLANK}"
