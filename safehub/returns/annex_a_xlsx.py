"""Ofsted's Annex A, lists 1 to 5, as an Excel workbook: rows in, bytes out, no database.

The rows are what the export's queries found (docs/annex-a.md); this module only checks them against
the six months the return covers and against what the template and liiatools' cleaner accept, and
writes them. A row that the return cannot hold is refused with a ValueError naming the list, the child
and the date, never dropped: choosing rows is the queries' job, and a wrong choice should be loud.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NoReturn

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]

from safehub.core.working_time import months_before
from safehub.returns.annex_a_codes import (
    DATE_COLUMNS,
    HEADERS,
    AnnexAEthnicity,
    AnnexAList,
    Gender,
    Source,
    YesNo,
    YesNoUnknown,
)

DATE_FORMAT: Final = "dd/mm/yyyy"
MONTHS_COVERED: Final = 6
# ILACS, the framework whose data request Annex A is, began in January 2018.
EARLIEST_AS_AT: Final = dt.date(2018, 1, 1)

Value = str | int | dt.date | None


def window(as_at: dt.date) -> tuple[dt.date, dt.date]:
    """The six months a return as at this date covers, both ends included: from the same day six
    months earlier (the month's last day where that month is shorter) to the day before the as-at
    date, which is not over yet. As at 2026-12-01: 2026-06-01 to 2026-11-30."""
    if isinstance(as_at, dt.datetime) or not isinstance(as_at, dt.date):
        raise ValueError(f"The as-at date must be a date, without a time: {as_at!r}")
    if as_at < EARLIEST_AS_AT:
        raise ValueError(f"An Annex A as at {as_at:%d/%m/%Y} is before ILACS began (January 2018)")
    return months_before(as_at, MONTHS_COVERED), as_at - dt.timedelta(days=1)


@dataclass(frozen=True)
class Child:
    """Who a row is about, as every list starts."""

    child_id: str
    gender: Gender
    ethnicity: AnnexAEthnicity
    date_of_birth: dt.date | None  # none for an unborn child


@dataclass(frozen=True)
class ContactRow:
    """List 1: a contact about a child."""

    child: Child
    date_of_contact: dt.date
    source: Source


@dataclass(frozen=True)
class EarlyHelpRow:
    """List 2: an early help assessment."""

    child: Child
    started: dt.date
    completed: dt.date | None
    organisation: str


@dataclass(frozen=True)
class ReferralRow:
    """List 3: a referral to children's social care. The count is of the child's other referrals in the
    12 months before this one."""

    child: Child
    date_of_referral: dt.date
    source: Source
    no_further_action: YesNo
    referrals_in_last_12_months: int
    allocated_team: str
    allocated_worker: str


@dataclass(frozen=True)
class AssessmentRow:
    """List 4: a children's social care (continuous) assessment."""

    child: Child
    disability: YesNoUnknown
    started: dt.date
    child_seen: YesNoUnknown
    authorised: dt.date | None
    requires_support: YesNo | None  # answered once the assessment is authorised
    allocated_team: str
    allocated_worker: str


@dataclass(frozen=True)
class Section47Row:
    """List 5: a section 47 enquiry, from the strategy discussion that began it, and its conference."""

    child: Child
    disability: YesNoUnknown
    strategy_discussion: dt.date
    conference_unnecessary: YesNo | None
    conference_date: dt.date | None
    conference_made_plan: YesNo | None
    section_47s_in_last_12_months: int
    conferences_in_last_12_months: int
    allocated_team: str
    allocated_worker: str


Row = ContactRow | EarlyHelpRow | ReferralRow | AssessmentRow | Section47Row


class RowRefused(ValueError):  # noqa: N818 (a statement of what happened)
    """A row Ofsted's template cannot take (a date after the six months, an empty team): the data, not
    the code, is wrong, and the message says which list, child and field."""


class _Checker:
    """One row's checks, with messages that say which list, child and field."""

    def __init__(self, annex_list: AnnexAList, child: Child, start: dt.date, end: dt.date) -> None:
        self.where = f"{annex_list} ({annex_list.description}), child {child.child_id!r}"
        self.start, self.end = start, end

    def refuse(self, problem: str) -> NoReturn:
        raise RowRefused(f"{self.where}: {problem}")

    def dates(self, **dates: dt.date | None) -> None:
        for name, day in dates.items():
            if day is not None and day > self.end:
                self.refuse(
                    f"{_words(name)} {day:%d/%m/%Y} is after {self.end:%d/%m/%Y}, the last day the return covers"
                )

    def in_window(self, **dates: dt.date | None) -> None:
        """At least one of these dates is in the six months."""
        if not any(day is not None and self.start <= day <= self.end for day in dates.values()):
            given = ", ".join(f"{_words(name)} {day:%d/%m/%Y}" for name, day in dates.items() if day is not None)
            self.refuse(f"{given}: not in the six months {self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}")

    def order(self, earlier: str, first: dt.date, later: str, second: dt.date | None) -> None:
        if second is not None and second < first:
            self.refuse(f"{_words(later)} {second:%d/%m/%Y} is before {_words(earlier)} {first:%d/%m/%Y}")

    def filled(self, **texts: str) -> None:
        for name, text in texts.items():
            if not text.strip():
                self.refuse(f"{_words(name)} is empty (the template needs one: name it, or write 'Unallocated')")

    def counts(self, **counts: int) -> None:
        for name, count in counts.items():
            if type(count) is not int or count < 0:  # a bool is an int to isinstance
                self.refuse(f"{_words(name)} must be a whole number of 0 or more, not {count!r}")


def _words(name: str) -> str:
    return name.replace("_", " ")


def _check_child(check: _Checker, child: Child) -> None:
    check.filled(child_id=child.child_id)
    check.dates(date_of_birth=child.date_of_birth)


def _check_contact(check: _Checker, row: ContactRow) -> None:
    check.dates(date_of_contact=row.date_of_contact)
    check.in_window(date_of_contact=row.date_of_contact)


def _check_early_help(check: _Checker, row: EarlyHelpRow) -> None:
    check.dates(started=row.started, completed=row.completed)
    check.in_window(started=row.started, completed=row.completed)
    check.order("started", row.started, "completed", row.completed)
    check.filled(organisation=row.organisation)


def _check_referral(check: _Checker, row: ReferralRow) -> None:
    check.dates(date_of_referral=row.date_of_referral)
    check.in_window(date_of_referral=row.date_of_referral)
    check.counts(referrals_in_last_12_months=row.referrals_in_last_12_months)
    check.filled(allocated_team=row.allocated_team, allocated_worker=row.allocated_worker)


def _check_assessment(check: _Checker, row: AssessmentRow) -> None:
    check.dates(started=row.started, authorised=row.authorised)
    check.in_window(started=row.started, authorised=row.authorised)
    check.order("started", row.started, "authorised", row.authorised)
    if row.requires_support is not None and row.authorised is None:
        check.refuse("whether the child requires support is known only once the assessment is authorised")
    check.filled(allocated_team=row.allocated_team, allocated_worker=row.allocated_worker)


def _check_section_47(check: _Checker, row: Section47Row) -> None:
    check.dates(strategy_discussion=row.strategy_discussion, conference_date=row.conference_date)
    check.in_window(strategy_discussion=row.strategy_discussion, conference_date=row.conference_date)
    check.order("strategy_discussion", row.strategy_discussion, "conference_date", row.conference_date)
    if row.conference_date is not None and row.conference_unnecessary is YesNo.YES:
        check.refuse("a conference was held, so it cannot also have been deemed unnecessary")
    if row.conference_made_plan is not None and row.conference_date is None:
        check.refuse("whether the conference made a plan is known only once it has a date")
    check.counts(
        section_47s_in_last_12_months=row.section_47s_in_last_12_months,
        conferences_in_last_12_months=row.conferences_in_last_12_months,
    )
    check.filled(allocated_team=row.allocated_team, allocated_worker=row.allocated_worker)


def _check(check: _Checker, row: Row) -> None:
    _check_child(check, row.child)
    match row:
        case ContactRow():
            _check_contact(check, row)
        case EarlyHelpRow():
            _check_early_help(check, row)
        case ReferralRow():
            _check_referral(check, row)
        case AssessmentRow():
            _check_assessment(check, row)
        case Section47Row():
            _check_section_47(check, row)


@dataclass(frozen=True)
class AnnexA:
    """Lists 1 to 5 as at a date. Making one checks every row: see `window` for the six months."""

    as_at: dt.date
    contacts: Sequence[ContactRow] = ()
    early_help: Sequence[EarlyHelpRow] = ()
    referrals: Sequence[ReferralRow] = ()
    assessments: Sequence[AssessmentRow] = ()
    section47s: Sequence[Section47Row] = ()
    start: dt.date = field(init=False)
    end: dt.date = field(init=False)

    def __post_init__(self) -> None:
        start, end = window(self.as_at)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        for annex_list, rows in self.lists().items():
            for row in rows:
                _check(_Checker(annex_list, row.child, start, end), row)

    def lists(self) -> Mapping[AnnexAList, Sequence[Row]]:
        return {
            AnnexAList.CONTACTS: tuple(self.contacts),
            AnnexAList.EARLY_HELP: tuple(self.early_help),
            AnnexAList.REFERRALS: tuple(self.referrals),
            AnnexAList.ASSESSMENTS: tuple(self.assessments),
            AnnexAList.SECTION_47: tuple(self.section47s),
        }


def age_in_years(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    """Whole years of age on a day; none for an unborn child, or one born after that day."""
    if date_of_birth is None or date_of_birth > on:
        return None
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def _child_cells(child: Child, on: dt.date) -> list[Value]:
    return [child.child_id, child.gender, child.ethnicity, child.date_of_birth, age_in_years(child.date_of_birth, on)]


def _cells(row: Row) -> list[Value]:
    """A row's cells in its list's column order (annex_a_codes.HEADERS); the age is on the row's first date."""
    match row:
        case ContactRow():
            return [*_child_cells(row.child, row.date_of_contact), row.date_of_contact, row.source]
        case EarlyHelpRow():
            return [*_child_cells(row.child, row.started), row.started, row.completed, row.organisation]
        case ReferralRow():
            return [
                *_child_cells(row.child, row.date_of_referral),
                row.date_of_referral,
                row.source,
                row.no_further_action,
                row.referrals_in_last_12_months,
                row.allocated_team,
                row.allocated_worker,
            ]
        case AssessmentRow():
            return [
                *_child_cells(row.child, row.started),
                row.disability,
                row.started,
                row.child_seen,
                row.authorised,
                row.requires_support,
                row.allocated_team,
                row.allocated_worker,
            ]
        case Section47Row():
            return [
                *_child_cells(row.child, row.strategy_discussion),
                row.disability,
                row.strategy_discussion,
                row.conference_unnecessary,
                row.conference_date,
                row.conference_made_plan,
                row.section_47s_in_last_12_months,
                row.conferences_in_last_12_months,
                row.allocated_team,
                row.allocated_worker,
            ]


def _write_sheet(sheet: WriteOnlyWorksheet, annex_list: AnnexAList, rows: Iterable[Row]) -> None:
    headers = HEADERS[annex_list]
    for number, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = 14 if header in DATE_COLUMNS else 24
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        cells: list[WriteOnlyCell] = []
        for header, value in zip(headers, _cells(row), strict=True):
            cell = WriteOnlyCell(sheet, value=str(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                # Text is text: a team or worker imported as "=HYPERLINK(…)" is written as those characters,
                # never as a formula the inspectors' spreadsheet would run.
                cell.data_type = "s"
            if header in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)


def to_xlsx(annex: AnnexA) -> bytes:
    """The workbook: one sheet a list, named and headed as Ofsted's template, dates as Excel dates
    shown dd/mm/yyyy."""
    book = Workbook(write_only=True)
    for annex_list, rows in annex.lists().items():
        _write_sheet(book.create_sheet(str(annex_list)), annex_list, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
