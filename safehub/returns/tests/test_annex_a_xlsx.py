"""The Annex A workbook: Ofsted's sheets, headers and labels, real dates shown dd/mm/yyyy, and only
rows of the six months before the as-at date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from safehub.returns.annex_a_codes import Source, YesNo
from safehub.returns.annex_a_xlsx import AnnexA, ContactRow, age_in_years, to_xlsx, window
from safehub.returns.tests import sample_annex
from safehub.returns.tests.sample_annex import AS_AT, child, clean_annex

pytestmark = pytest.mark.database_independent

# Ofsted's template, written out here rather than read from annex_a_codes, so that a change there shows.
OFSTED_HEADERS = {
    "List 1": [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Contact",
        "Contact Source",
    ],
    "List 2": [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ],
    "List 3": [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        "Allocated Team",
        "Allocated Worker",
    ],
    "List 4": [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Does the Child have a Disability",
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        "Allocated Team",
        "Allocated Worker",
    ],
    "List 5": [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Does the Child have a Disability",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        "Allocated Team",
        "Allocated Worker",
    ],
}
GENDERS = {"a) Male", "b) Female", "c) Not stated/recorded", "d) Neither"}
ETHNICITIES = {
    "a) WBRI",
    "b) WIRI",
    "c) WIRT",
    "d) WOTH",
    "e) WROM",
    "f) MWBC",
    "g) MWBA",
    "h) MWAS",
    "i) MOTH",
    "j) AIND",
    "k) APKN",
    "l) ABAN",
    "m) AOTH",
    "n) BCRB",
    "o) BAFR",
    "p) BOTH",
    "q) CHNE",
    "r) OOTH",
    "s) REFU",
    "s) NOBT",
}
SOURCES = {
    "a) 1A: Individual",
    "b) 1B: Individual",
    "c) 1C: Individual",
    "d) 1D: Individual",
    "e) 2A: Schools",
    "f) 2B: Education services",
    "g) 3A: Health services",
    "h) 3B: Health services",
    "i) 3C: Health services",
    "j) 3D: Health services",
    "k) 3E: Health services",
    "l) 3F: Health services",
    "m) 4: Housing",
    "n) 5A: LA services",
    "o) 5B: LA services",
    "p) 5C: LA services",
    "q) 6: Police",
    "r) 7: Other legal agency",
    "s) 8: Other",
    "t) 9: Anonymous",
    "u) 10: Unknown",
}
YES_NO = {"a) Yes", "b) No"}
YES_NO_UNKNOWN = {"a) Yes", "b) No", "c) Unknown"}
ALLOWED = {
    "Gender": GENDERS,
    "Ethnicity": ETHNICITIES,
    "Contact Source": SOURCES,
    "Referral Source": SOURCES,
    "Referral NFA?": YES_NO,
    "Does the Child have a Disability": YES_NO_UNKNOWN,
    "Child Seen During Continuous Assessment": YES_NO_UNKNOWN,
    "Was the child assessed as requiring LA children's social care support?": YES_NO,
    "Was an Initial Child Protection Conference deemed unnecessary?": YES_NO,
    "Did the Initial Child Protection Conference Result in a Child Protection Plan": YES_NO,
}
DATES = {
    "Date of Birth",
    "Date of Contact",
    "Assessment start date",
    "Assessment completion date",
    "Date of Referral",
    "Continuous Assessment Start Date",
    "Continuous Assessment Date of Authorisation",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Date of Initial Child Protection Conference",
}
COUNTS = {
    "List 3": ["Number of Referrals in Last 12 Months"],
    "List 5": ["Number of Section 47 Enquiries in the last 12 months", "Number of ICPCs in the last 12 months"],
}


def _columns(annex: AnnexA) -> dict[str, dict[str, list[Any]]]:
    """Each sheet's cells by header: {"List 1": {"Gender": [...], ...}}."""
    book = load_workbook(io.BytesIO(to_xlsx(annex)))
    found = {}
    for sheet in book.worksheets:
        headers, *rows = list(sheet.iter_rows())
        found[sheet.title] = {header.value: [row[n] for row in rows] for n, header in enumerate(headers)}
    return found


@pytest.fixture(scope="module")
def written() -> dict[str, dict[str, list[Any]]]:
    return _columns(clean_annex())


def test_the_sheets_are_lists_1_to_5_in_order() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(clean_annex())), read_only=True)
    assert book.sheetnames == ["List 1", "List 2", "List 3", "List 4", "List 5"]


@pytest.mark.parametrize("sheet", OFSTED_HEADERS)
def test_each_sheet_has_ofsteds_header_row_exactly(sheet: str) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(clean_annex())), read_only=True)
    header = next(book[sheet].iter_rows(max_row=1, values_only=True))
    assert list(header) == OFSTED_HEADERS[sheet]


def test_an_empty_return_still_has_every_sheet_and_header() -> None:
    found = _columns(AnnexA(as_at=AS_AT))
    assert {sheet: list(columns) for sheet, columns in found.items()} == OFSTED_HEADERS
    assert all(cells == [] for columns in found.values() for cells in columns.values())


def test_every_coded_cell_holds_one_of_ofsteds_labels(written: dict[str, dict[str, list[Any]]]) -> None:
    checked = 0
    for columns in written.values():
        for header, allowed in ALLOWED.items():
            for cell in columns.get(header, []):
                if cell.value is not None:
                    assert cell.value in allowed, (header, cell.value)
                    checked += 1
    assert checked > 50


def test_the_rows_use_every_gender_ethnicity_and_source_label(written: dict[str, dict[str, list[Any]]]) -> None:
    contacts = written["List 1"]
    assert {cell.value for cell in contacts["Gender"]} == GENDERS
    assert {cell.value for cell in contacts["Ethnicity"]} == ETHNICITIES
    assert {cell.value for cell in contacts["Contact Source"]} == SOURCES


def test_dates_are_real_dates_shown_dd_mm_yyyy(written: dict[str, dict[str, list[Any]]]) -> None:
    seen = 0
    for columns in written.values():
        for header in DATES & set(columns):
            for cell in columns[header]:
                if cell.value is None:
                    continue
                assert cell.is_date, (header, cell.value)
                assert isinstance(cell.value, dt.datetime)
                assert cell.number_format == "dd/mm/yyyy"
                seen += 1
    assert seen > 40
    first_contact = written["List 1"]["Date of Contact"][0]
    assert first_contact.value.date() == dt.date(2026, 6, 1)


def test_an_unborn_child_has_no_date_of_birth_or_age(written: dict[str, dict[str, list[Any]]]) -> None:
    contacts = written["List 1"]
    unborn = next(n for n, cell in enumerate(contacts["Child Unique ID"]) if cell.value == "SH000090")
    assert contacts["Date of Birth"][unborn].value is None
    assert contacts["Age of Child (Years)"][unborn].value is None


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2015, 3, 14), dt.date(2026, 3, 13), 10),
        (dt.date(2015, 3, 14), dt.date(2026, 3, 14), 11),
        (dt.date(2024, 2, 29), dt.date(2026, 2, 28), 1),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 1), 0),
        (dt.date(2026, 7, 1), dt.date(2026, 6, 1), None),  # a contact before the birth
        (None, dt.date(2026, 6, 1), None),
    ],
)
def test_age_is_whole_years_on_the_day(born: dt.date | None, on: dt.date, age: int | None) -> None:
    assert age_in_years(born, on) == age


def test_ages_are_on_each_rows_first_date(written: dict[str, dict[str, list[Any]]]) -> None:
    referrals = written["List 3"]
    # Born 14 March 2015: 11 at each referral (June to November 2026).
    assert [cell.value for cell in referrals["Age of Child (Years)"]] == [11, 11, 11]


@pytest.mark.parametrize("sheet", COUNTS)
def test_the_last_12_months_counts_are_whole_numbers(written: dict[str, dict[str, list[Any]]], sheet: str) -> None:
    for header in COUNTS[sheet]:
        values = [cell.value for cell in written[sheet][header]]
        assert values
        assert all(isinstance(value, int) and value >= 0 for value in values), (header, values)
    assert [cell.value for cell in written["List 3"]["Number of Referrals in Last 12 Months"]] == [0, 2, 1]


@pytest.mark.parametrize(
    ("as_at", "start", "end"),
    [
        (dt.date(2026, 12, 1), dt.date(2026, 6, 1), dt.date(2026, 11, 30)),
        (dt.date(2027, 1, 1), dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 8, 31), dt.date(2026, 2, 28), dt.date(2026, 8, 30)),
        (dt.date(2024, 8, 31), dt.date(2024, 2, 29), dt.date(2024, 8, 30)),
        (dt.date(2026, 3, 15), dt.date(2025, 9, 15), dt.date(2026, 3, 14)),
    ],
)
def test_the_window_is_the_six_months_before_the_as_at_date(as_at: dt.date, start: dt.date, end: dt.date) -> None:
    assert window(as_at) == (start, end)


@pytest.mark.parametrize(
    ("as_at", "message"),
    [
        (dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), "without a time"),
        ("2026-12-01", "must be a date"),
        (None, "must be a date"),
        (dt.date(2017, 12, 31), "before ILACS began"),
        (dt.date(226, 12, 1), "before ILACS began"),
    ],
)
def test_a_nonsensical_as_at_date_is_refused(as_at: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        window(as_at)
    with pytest.raises(ValueError, match=message):
        AnnexA(as_at=as_at)


def test_rows_on_the_first_and_last_days_are_in() -> None:
    first = ContactRow(child(1), dt.date(2026, 6, 1), Source.POLICE)
    last = ContactRow(child(2), dt.date(2026, 11, 30), Source.POLICE)
    assert len(AnnexA(as_at=AS_AT, contacts=[first, last]).contacts) == 2


def _contact(day: dt.date) -> AnnexA:
    return AnnexA(as_at=AS_AT, contacts=[ContactRow(child(7), day, Source.POLICE)])


def _with(rows: list[Any], **changes: Any) -> list[Any]:
    return [dataclasses.replace(rows[0], **changes), *rows[1:]]


REFUSED: list[tuple[str, Callable[[], object], str]] = [
    (
        "the day before the six months",
        lambda: _contact(dt.date(2026, 5, 31)),
        "List 1 .*SH000007.*not in the six months 01/06/2026 to 30/11/2026",
    ),
    ("the as-at day itself", lambda: _contact(AS_AT), "after 30/11/2026"),
    (
        "a birth after the six months",
        lambda: AnnexA(
            AS_AT, contacts=[ContactRow(child(8, born=dt.date(2026, 12, 2)), dt.date(2026, 7, 1), Source.POLICE)]
        ),
        "date of birth 02/12/2026 is after",
    ),
    (
        "early help started and completed before the six months",
        lambda: AnnexA(
            AS_AT,
            early_help=_with(sample_annex.early_help(), started=dt.date(2026, 1, 5), completed=dt.date(2026, 5, 1)),
        ),
        "List 2 .*not in the six months",
    ),
    (
        "early help completed before it started",
        lambda: AnnexA(AS_AT, early_help=_with(sample_annex.early_help(), completed=dt.date(2026, 5, 30))),
        "completed 30/05/2026 is before started 01/06/2026",
    ),
    (
        "an assessment completed after the as-at date",
        lambda: AnnexA(AS_AT, assessments=_with(sample_annex.assessments(), authorised=dt.date(2026, 12, 3))),
        "authorised 03/12/2026 is after",
    ),
    (
        "an assessment's outcome before it is authorised",
        lambda: AnnexA(AS_AT, assessments=_with(sample_annex.assessments(), authorised=None)),
        "only once the assessment is authorised",
    ),
    (
        "a conference held and deemed unnecessary",
        lambda: AnnexA(AS_AT, section47s=_with(sample_annex.section47s(), conference_unnecessary=YesNo.YES)),
        "cannot also have been deemed unnecessary",
    ),
    (
        "a conference's plan without the conference",
        lambda: AnnexA(AS_AT, section47s=_with(sample_annex.section47s(), conference_date=None)),
        "only once it has a date",
    ),
    (
        "a negative count",
        lambda: AnnexA(AS_AT, referrals=_with(sample_annex.referrals(), referrals_in_last_12_months=-1)),
        "referrals in last 12 months must be a whole number",
    ),
    (
        "a yes for a count",
        lambda: AnnexA(AS_AT, section47s=_with(sample_annex.section47s(), conferences_in_last_12_months=True)),
        "conferences in last 12 months must be a whole number",
    ),
    (
        "no allocated worker",
        lambda: AnnexA(AS_AT, referrals=_with(sample_annex.referrals(), allocated_worker=" ")),
        "allocated worker is empty",
    ),
    (
        "no child ID",
        lambda: AnnexA(
            AS_AT, contacts=[ContactRow(dataclasses.replace(child(9), child_id=""), dt.date(2026, 7, 1), Source.POLICE)]
        ),
        "child id is empty",
    ),
]


@pytest.mark.parametrize(
    ("build", "message"), [(build, message) for _, build, message in REFUSED], ids=[name for name, _, _ in REFUSED]
)
def test_the_writer_refuses_a_row_the_return_cannot_hold(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_rows_that_start_before_the_six_months_are_in_when_they_end_within_them() -> None:
    annex = clean_annex()
    assert annex.early_help[1].started < annex.start <= annex.early_help[1].completed  # type: ignore[operator]
    assert annex.assessments[1].started < annex.start <= annex.assessments[1].authorised  # type: ignore[operator]


def test_text_that_looks_like_a_formula_is_written_as_text() -> None:
    referral = sample_annex.referrals()[0]
    hostile = dataclasses.replace(
        referral, allocated_team="=1+2", allocated_worker='=HYPERLINK("https://example.invalid","x")'
    )
    book = load_workbook(io.BytesIO(to_xlsx(AnnexA(as_at=AS_AT, referrals=[hostile]))))
    row = list(book["List 3"][2])
    assert [cell.value for cell in row[-2:]] == ["=1+2", '=HYPERLINK("https://example.invalid","x")']
    assert [cell.data_type for cell in row[-2:]] == ["s", "s"]  # a string, never a formula ("f")
