"""The periods the dashboard counts over: a week, a month, the financial year to date, or a chosen
range of days. Every period is whole days in England (Europe/London), from midnight at its start to
midnight after its last day, and is shown broken into days, weeks or months as fits its length.

The year runs from 1 April, as the Department for Education counts children in need ("Characteristics
of children in need", each year to 31 March)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property

from safehub.core.working_time import LONDON, UTC


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


PERIOD_LABELS = {
    PeriodKind.WEEK: "This week",
    PeriodKind.MONTH: "This month",
    PeriodKind.YEAR: "Financial year to date (from 1 April)",
    PeriodKind.RANGE: "Dates you choose",
}
# A chosen range up to this many days is shown day by day, then week by week, then month by month.
DAYS_SHOWN_BY_DAY = 31
DAYS_SHOWN_BY_WEEK = 26 * 7
# The longest range the dashboard counts over: five financial years.
LONGEST_RANGE_DAYS = 5 * 366


def midnight(day: date) -> datetime:
    """Midnight in England at the start of `day`, in UTC."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def financial_year_start(day: date) -> date:
    """1 April on or before `day`."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included."""

    kind: PeriodKind
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("A period ends on or after the day it starts")

    @property
    def start_at(self) -> datetime:
        """Midnight in England at the start of `first`, in UTC."""
        return midnight(self.first)

    @property
    def end_at(self) -> datetime:
        """Midnight in England after `last` (not included), in UTC."""
        return midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7

    @property
    def grain(self) -> Grain:
        if self.kind in (PeriodKind.WEEK, PeriodKind.MONTH) or self.days <= DAYS_SHOWN_BY_DAY:
            return Grain.DAY
        if self.kind == PeriodKind.RANGE and self.days <= DAYS_SHOWN_BY_WEEK:
            return Grain.WEEK
        return Grain.MONTH

    def buckets(self) -> list[date]:
        """The first day of each day, week (from Monday) or month the period is shown in, as the
        database truncates them: the first week or month may start before the period does."""
        if self.grain == Grain.DAY:
            return [self.first + timedelta(days=n) for n in range(self.days)]
        if self.grain == Grain.WEEK:
            monday = self.first - timedelta(days=self.first.weekday())
            return [monday + timedelta(weeks=n) for n in range((self.last - monday).days // 7 + 1)]
        found, month = [], _month_start(self.first)
        while month <= self.last:
            found.append(month)
            month = _next_month(month)
        return found

    @cached_property
    def bucket_days(self) -> tuple[date, ...]:
        return tuple(self.buckets())

    def bucket_edges(self) -> list[datetime]:
        """Where each bucket after the first starts: midnight in England, in UTC."""
        return [midnight(day) for day in self.bucket_days[1:]]

    def bucket_label(self, bucket: date) -> str:
        """'Tue 4 Nov', 'Week from 3 Nov', 'November 2025'."""
        if self.grain == Grain.DAY:
            return f"{bucket:%a} {bucket.day} {bucket:%b}"
        if self.grain == Grain.WEEK:
            return f"Week from {bucket.day} {bucket:%b}"
        return f"{bucket:%B %Y}"

    @property
    def grain_noun(self) -> str:
        return {Grain.DAY: "Day", Grain.WEEK: "Week", Grain.MONTH: "Month"}[self.grain]

    @property
    def label(self) -> str:
        """'1 April 2026 to 24 November 2026' (or one day)."""
        if self.first == self.last:
            return f"{self.first.day} {self.first:%B %Y}"
        return f"{self.first.day} {self.first:%B %Y} to {self.last.day} {self.last:%B %Y}"

    @property
    def slug(self) -> str:
        """For a download's name: '2026-04-01-to-2026-11-24'."""
        return f"{self.first.isoformat()}-to-{self.last.isoformat()}"


def period_for(kind: PeriodKind, *, today: date, first: date | None = None, last: date | None = None) -> Period:
    """This week (from Monday), this month, the financial year to date, or the range chosen."""
    if kind == PeriodKind.WEEK:
        return Period(kind, today - timedelta(days=today.weekday()), today)
    if kind == PeriodKind.MONTH:
        return Period(kind, _month_start(today), today)
    if kind == PeriodKind.YEAR:
        return Period(kind, financial_year_start(today), today)
    if first is None or last is None:
        raise ValueError("A range needs its first and last days")
    return Period(kind, first, last)
