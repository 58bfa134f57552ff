"""Working days and hours in England: bank holidays, weekends, out-of-hours contacts, clock changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from safehub.core.working_time import (
    LONDON,
    UTC,
    ClockUnit,
    WorkingHours,
    add_working_days,
    add_working_hours,
    due_at,
    end_of_working_day,
    is_working_day,
    london_date,
    months_before,
    next_working_moment,
)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Thursday 2 April 2026, 16:30: the last half hour before the Easter weekend.
BEFORE_EASTER = london(2026, 4, 2, 16, 30)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 12, 24), 1, date(2025, 12, 29)),  # Christmas Day, Boxing Day, weekend
        (date(2025, 12, 24), 2, date(2025, 12, 30)),
        (date(2025, 12, 31), 1, date(2026, 1, 2)),  # New Year's Day, across the year end
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Good Friday, weekend, Easter Monday
        (date(2026, 3, 27), 1, date(2026, 3, 30)),  # an ordinary weekend
        (date(2026, 3, 27), 4, date(2026, 4, 2)),
        (date(2026, 3, 27), 5, date(2026, 4, 7)),  # Easter sits inside the count
        (date(2026, 3, 27), 0, date(2026, 3, 27)),
        (date(2026, 4, 4), 1, date(2026, 4, 7)),  # from a Saturday
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 12, 25), False),  # Christmas Day
        (date(2025, 12, 26), False),  # Boxing Day
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday (England, not Scotland)
        (date(2026, 5, 4), False),  # early May bank holiday
        (date(2026, 8, 31), False),  # summer bank holiday (England)
        (date(2026, 8, 3), True),  # Scotland's summer bank holiday is not England's
        (date(2026, 11, 28), False),  # a Saturday
        (date(2026, 11, 29), False),  # a Sunday
        (date(2026, 11, 24), True),
    ],
)
def test_is_working_day_follows_england_bank_holidays(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_extra_holidays_are_not_working_days() -> None:
    closure = frozenset({date(2026, 11, 25)})

    assert is_working_day(date(2026, 11, 25), extra_holidays=closure) is False
    assert add_working_days(date(2026, 11, 24), 1, extra_holidays=closure) == date(2026, 11, 26)


def test_add_working_days_refuses_a_negative_number() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 11, 24), -1)


def test_four_working_hours_from_before_easter_end_on_tuesday_at_half_past_twelve() -> None:
    # 30 minutes on Thursday, then Good Friday, the weekend and Easter Monday are skipped.
    assert add_working_hours(BEFORE_EASTER, 4) == london(2026, 4, 7, 12, 30)


def test_one_working_day_from_before_easter_is_tuesday_at_the_same_time() -> None:
    assert due_at(BEFORE_EASTER, 1, ClockUnit.WORKING_DAYS) == london(2026, 4, 7, 16, 30)


def test_forty_eight_elapsed_hours_from_before_easter_end_on_saturday() -> None:
    assert due_at(BEFORE_EASTER, 48, ClockUnit.ELAPSED_HOURS) == london(2026, 4, 4, 16, 30)


def test_working_hours_that_fit_in_the_day_end_the_same_day() -> None:
    assert add_working_hours(BEFORE_EASTER, 0.5) == london(2026, 4, 2, 17, 0)
    assert add_working_hours(london(2026, 11, 24, 9, 0), 8) == london(2026, 11, 24, 17, 0)
    assert add_working_hours(london(2026, 11, 24, 9, 0), 8.25) == london(2026, 11, 25, 9, 15)


def test_the_result_does_not_depend_on_the_timezone_of_the_start() -> None:
    start_in_utc = BEFORE_EASTER.astimezone(UTC)  # 15:30 UTC in British Summer Time

    assert add_working_hours(start_in_utc, 4) == london(2026, 4, 7, 12, 30)


class TestClocksGoingForward:
    """Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST."""

    def test_elapsed_hours_are_real_hours(self) -> None:
        saturday_noon = london(2026, 3, 28, 12, 0)  # 12:00 GMT

        due = due_at(saturday_noon, 24, ClockUnit.ELAPSED_HOURS)

        assert due == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
        assert due.astimezone(LONDON).hour == 13  # 13:00 BST on the wall clock
        assert due - saturday_noon == timedelta(hours=24)

    def test_working_hours_stay_on_the_wall_clock(self) -> None:
        friday = london(2026, 3, 27, 16, 0)  # 16:00 GMT

        due = due_at(friday, 4, ClockUnit.WORKING_HOURS)

        assert due.astimezone(LONDON) == london(2026, 3, 30, 12, 0)  # 1 hour Friday, 3 hours Monday
        assert due == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)

    def test_working_days_keep_the_wall_clock_time(self) -> None:
        friday = london(2026, 3, 27, 10, 0)  # 10:00 GMT = 10:00 UTC

        due = due_at(friday, 1, ClockUnit.WORKING_DAYS)

        assert due.astimezone(LONDON) == london(2026, 3, 30, 10, 0)
        assert due == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


class TestClocksGoingBack:
    """Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT."""

    def test_elapsed_hours_are_real_hours(self) -> None:
        saturday_noon = london(2026, 10, 24, 12, 0)  # 12:00 BST = 11:00 UTC

        due = due_at(saturday_noon, 24, ClockUnit.ELAPSED_HOURS)

        assert due == datetime(2026, 10, 25, 11, 0, tzinfo=UTC)
        assert due.astimezone(LONDON).hour == 11  # 11:00 GMT on the wall clock
        assert due - saturday_noon == timedelta(hours=24)

    def test_working_hours_stay_on_the_wall_clock(self) -> None:
        friday = london(2026, 10, 23, 16, 0)  # 16:00 BST

        due = due_at(friday, 4, ClockUnit.WORKING_HOURS)

        assert due.astimezone(LONDON) == london(2026, 10, 26, 12, 0)
        assert due == datetime(2026, 10, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("received", "expected_start"),
    [
        (london(2026, 11, 28, 10, 0), london(2026, 11, 30, 9, 0)),  # Saturday
        (london(2026, 11, 24, 20, 0), london(2026, 11, 25, 9, 0)),  # 20:00 on a Tuesday
        (london(2026, 11, 24, 7, 0), london(2026, 11, 24, 9, 0)),  # 07:00 on a Tuesday
        (london(2026, 11, 24, 17, 0), london(2026, 11, 25, 9, 0)),  # the moment the office closes
        (london(2026, 11, 24, 9, 0), london(2026, 11, 24, 9, 0)),  # the moment it opens
        (london(2026, 11, 24, 13, 45), london(2026, 11, 24, 13, 45)),
        (london(2026, 4, 3, 11, 0), london(2026, 4, 7, 9, 0)),  # Good Friday
    ],
)
def test_out_of_hours_contacts_start_at_the_next_working_moment(received: datetime, expected_start: datetime) -> None:
    assert next_working_moment(received) == expected_start
    assert add_working_hours(received, 2) == expected_start + timedelta(hours=2)


def test_a_working_day_from_a_saturday_counts_from_monday_morning() -> None:
    saturday = london(2026, 11, 28, 10, 0)

    assert due_at(saturday, 1, ClockUnit.WORKING_DAYS) == london(2026, 12, 1, 9, 0)


def test_local_working_hours_are_used() -> None:
    early = WorkingHours(time(8, 30), time(16, 30))

    assert add_working_hours(london(2026, 11, 24, 16, 0), 1, hours=early) == london(2026, 11, 25, 9, 0)
    assert next_working_moment(london(2026, 11, 24, 8, 0), hours=early) == london(2026, 11, 24, 8, 30)


def test_extra_holidays_shift_working_hours() -> None:
    closure = frozenset({date(2026, 11, 25)})

    due = add_working_hours(london(2026, 11, 24, 16, 0), 2, extra_holidays=closure)

    assert due == london(2026, 11, 26, 10, 0)


@pytest.mark.parametrize("unit", list(ClockUnit))
def test_naive_datetimes_are_refused(unit: ClockUnit) -> None:
    naive = datetime(2026, 11, 24, 10, 0)  # noqa: DTZ001 (the point of the test)

    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(naive, 1, unit)


def test_naive_datetimes_are_refused_by_working_hours() -> None:
    naive = datetime(2026, 11, 24, 10, 0)  # noqa: DTZ001 (the point of the test)

    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_working_moment(naive)


@pytest.mark.parametrize("unit", list(ClockUnit))
def test_negative_amounts_are_refused(unit: ClockUnit) -> None:
    with pytest.raises(ValueError, match="negative"):
        due_at(london(2026, 11, 24, 10, 0), -1, unit)


def test_negative_working_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_hours(london(2026, 11, 24, 10, 0), -0.5)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 000, "Same day responses are required from partners": asked on a Friday afternoon, due that Friday.
        (london(2026, 11, 27, 13, 0), 1, london(2026, 11, 27, 17, 0)),
        (london(2026, 11, 27, 8, 0), 1, london(2026, 11, 27, 17, 0)),  # before the day starts: that day
        (london(2026, 11, 27, 17, 0), 1, london(2026, 11, 30, 17, 0)),  # at the day's end: the next working day
        (london(2026, 11, 28, 10, 0), 1, london(2026, 11, 30, 17, 0)),  # a Saturday: Monday
        (BEFORE_EASTER, 1, london(2026, 4, 2, 17, 0)),
        (BEFORE_EASTER, 2, london(2026, 4, 7, 17, 0)),  # Good Friday to Easter Monday skipped
        (london(2026, 12, 24, 18, 0), 1, london(2026, 12, 29, 17, 0)),  # Christmas, the weekend, Boxing Day
    ],
)
def test_end_of_working_day_is_the_same_working_day_unless_asked_after_it(
    start: datetime, days: int, expected: datetime
) -> None:
    assert end_of_working_day(start, days) == expected
    assert due_at(start, days, ClockUnit.WORKING_DAY_END) == expected


def test_end_of_working_day_follows_local_hours_and_closures() -> None:
    hours = WorkingHours(time(8, 30), time(16, 0))
    closure = frozenset({date(2026, 11, 27)})

    assert end_of_working_day(london(2026, 11, 26, 15, 0), hours=hours) == london(2026, 11, 26, 16, 0)
    assert end_of_working_day(london(2026, 11, 26, 16, 30), hours=hours, extra_holidays=closure) == london(
        2026, 11, 30, 16, 0
    )


def test_end_of_working_day_counts_at_least_the_same_day() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        due_at(london(2026, 11, 24, 10, 0), 0, ClockUnit.WORKING_DAY_END)
    with pytest.raises(ValueError, match="whole number"):
        due_at(london(2026, 11, 24, 10, 0), 1.5, ClockUnit.WORKING_DAY_END)


def test_working_days_must_be_whole() -> None:
    with pytest.raises(ValueError, match="whole number"):
        due_at(london(2026, 11, 24, 10, 0), 1.5, ClockUnit.WORKING_DAYS)


@pytest.mark.parametrize(("start", "end"), [(time(17, 0), time(9, 0)), (time(9, 0), time(9, 0))])
def test_the_working_day_must_end_after_it_starts(start: time, end: time) -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        WorkingHours(start, end)


@pytest.mark.parametrize("unit", list(ClockUnit))
def test_due_at_returns_utc(unit: ClockUnit) -> None:
    due = due_at(BEFORE_EASTER, 1, unit)

    assert due.tzinfo == UTC
    assert due.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 24), 3, date(2026, 8, 24)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),  # February is shorter: its last day
        (date(2028, 5, 31), 3, date(2028, 2, 29)),  # a leap year
        (date(2027, 1, 15), 3, date(2026, 10, 15)),  # across the year end
        (date(2026, 11, 24), 0, date(2026, 11, 24)),
    ],
)
def test_months_before_counts_calendar_months(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_london_date_is_englands_day() -> None:
    assert london_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)  # BST
    assert london_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)  # GMT
