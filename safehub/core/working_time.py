"""Working days and working hours in England (pure Python, no Django).

Bank holidays come from the `holidays` package, which ships its data: no network at run time.
All functions take and return timezone-aware datetimes; the arithmetic happens on the
Europe/London wall clock, so clocks changing in spring and autumn do not shift due times.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


class ClockUnit(StrEnum):
    ELAPSED_HOURS = "elapsed_hours"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    # To the end of a working day: 1 is the end of the working day the clock starts in (the next
    # working day's, when it starts after the day's end or on a day off), 2 the end of the day after.
    # 000, "Same day responses are required from partners": due the same working day, not 8 working
    # hours later (which runs into the next day for anything asked after 09:00).
    WORKING_DAY_END = "working_day_end"


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(17, 0)

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("The working day must end after it starts.")


OFFICE_HOURS = WorkingHours()


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date, *, extra_holidays: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in extra_holidays


def add_working_days(start: date, days: int, *, extra_holidays: frozenset[date] = frozenset()) -> date:
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current, extra_holidays=extra_holidays):
            days -= 1
    return current


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` calendar months before `day`, or that month's last day where
    it is shorter (three months before 31 May is 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def london_date(at: datetime) -> date:
    """The day `at` falls on in England (Europe/London), not in UTC."""
    return _local(at).date()


def _local(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("A timezone-aware datetime is required.")
    return at.astimezone(LONDON)


def _wall(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)


def next_working_moment(
    at: datetime, *, hours: WorkingHours = OFFICE_HOURS, extra_holidays: frozenset[date] = frozenset()
) -> datetime:
    """`at` itself if it falls in working hours, otherwise the start of the next working period."""
    local = _local(at)
    day = local.date()
    if is_working_day(day, extra_holidays=extra_holidays):
        if local.timetz().replace(tzinfo=None) < hours.start:
            return _wall(day, hours.start)
        if local.timetz().replace(tzinfo=None) < hours.end:
            return local
    return _wall(add_working_days(day, 1, extra_holidays=extra_holidays), hours.start)


def add_working_hours(
    at: datetime,
    amount: float,
    *,
    hours: WorkingHours = OFFICE_HOURS,
    extra_holidays: frozenset[date] = frozenset(),
) -> datetime:
    """`amount` hours later, counting only working hours on working days."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    remaining = timedelta(hours=amount)
    current = next_working_moment(at, hours=hours, extra_holidays=extra_holidays)
    while True:
        end_of_day = _wall(current.date(), hours.end)
        available = end_of_day - current
        if remaining <= available:
            return current + remaining
        remaining -= available
        current = _wall(add_working_days(current.date(), 1, extra_holidays=extra_holidays), hours.start)


def add_working_days_at(
    at: datetime,
    days: int,
    *,
    hours: WorkingHours = OFFICE_HOURS,
    extra_holidays: frozenset[date] = frozenset(),
) -> datetime:
    """The same wall-clock time `days` working days later (from the next working moment)."""
    start = next_working_moment(at, hours=hours, extra_holidays=extra_holidays)
    day = add_working_days(start.date(), days, extra_holidays=extra_holidays)
    return _wall(day, start.timetz().replace(tzinfo=None))


def end_of_working_day(
    at: datetime,
    days: int = 1,
    *,
    hours: WorkingHours = OFFICE_HOURS,
    extra_holidays: frozenset[date] = frozenset(),
) -> datetime:
    """The end of the `days`-th working day counting the one `at` falls in: 1 is that working day's
    end, or the next working day's when `at` is at or after the day's end or not on a working day."""
    if days < 1:
        raise ValueError("A clock to the end of the working day counts at least 1 day (the same day)")
    start = next_working_moment(at, hours=hours, extra_holidays=extra_holidays)
    day = add_working_days(start.date(), days - 1, extra_holidays=extra_holidays)
    return _wall(day, hours.end)


def due_at(
    start: datetime,
    amount: float,
    unit: ClockUnit,
    *,
    hours: WorkingHours = OFFICE_HOURS,
    extra_holidays: frozenset[date] = frozenset(),
) -> datetime:
    """When something that started at `start` is due, `amount` `unit`s later (returned in UTC)."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if unit is ClockUnit.ELAPSED_HOURS:
        result = _local(start).astimezone(UTC) + timedelta(hours=amount)
    elif unit is ClockUnit.WORKING_HOURS:
        result = add_working_hours(start, amount, hours=hours, extra_holidays=extra_holidays)
    else:
        if amount != int(amount):
            raise ValueError("Working days must be a whole number.")
        if unit is ClockUnit.WORKING_DAY_END:
            result = end_of_working_day(start, int(amount), hours=hours, extra_holidays=extra_holidays)
        else:
            result = add_working_days_at(start, int(amount), hours=hours, extra_holidays=extra_holidays)
    return result.astimezone(UTC)
