"""The palette's contrast, the periods' days and buckets, the charts' shapes, and the clocks' shortcut."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from safehub.core.working_time import ClockUnit, due_at
from safehub.reports import charts
from safehub.reports.measures.clocks import InTime, ms
from safehub.reports.measures.tiles import Rate, count_bars, rate_lines
from safehub.reports.palette import PALETTE, WHITE, contrast_ratio, relative_luminance
from safehub.reports.periods import Grain, Period, PeriodKind, financial_year_start, period_for

pytestmark = pytest.mark.database_independent


def test_contrast_ratio_is_wcags() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


def test_every_colour_stands_out_from_the_page_and_from_its_neighbours() -> None:
    for colour in PALETTE:
        assert contrast_ratio(colour, WHITE) >= 3, colour
    for first, second in zip(PALETTE, (*PALETTE[1:], PALETTE[0]), strict=True):  # the last and the first too
        assert contrast_ratio(first, second) >= 3, (first, second)


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 11, 24), dt.date(2026, 4, 1)),
        (dt.date(2026, 3, 31), dt.date(2025, 4, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
    ],
)
def test_the_financial_year_starts_on_1_april(today: dt.date, start: dt.date) -> None:
    assert financial_year_start(today) == start
    assert period_for(PeriodKind.YEAR, today=today).first == start


def test_a_week_starts_on_monday_and_a_month_on_the_first() -> None:
    today = dt.date(2026, 11, 24)  # a Tuesday
    assert period_for(PeriodKind.WEEK, today=today).first == dt.date(2026, 11, 23)
    assert period_for(PeriodKind.MONTH, today=today).first == dt.date(2026, 11, 1)


def test_a_period_is_whole_london_days() -> None:
    summer = Period(PeriodKind.RANGE, dt.date(2026, 7, 1), dt.date(2026, 7, 1))
    assert summer.start_at == dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)  # midnight BST
    assert summer.end_at == dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)
    across = Period(PeriodKind.RANGE, dt.date(2026, 10, 24), dt.date(2026, 10, 25))  # the clocks go back
    assert across.end_at - across.start_at == dt.timedelta(hours=49)


def test_a_period_is_shown_in_days_weeks_or_months_as_fits() -> None:
    month = Period(PeriodKind.RANGE, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (month.grain, len(month.buckets())) == (Grain.DAY, 30)
    quarter = Period(PeriodKind.RANGE, dt.date(2026, 9, 2), dt.date(2026, 11, 24))  # a Wednesday
    assert quarter.grain == Grain.WEEK
    assert quarter.buckets()[0] == dt.date(2026, 8, 31)  # its week's Monday
    assert quarter.bucket_label(quarter.buckets()[0]) == "Week from 31 Aug"
    year = period_for(PeriodKind.YEAR, today=dt.date(2026, 11, 24))
    assert (year.grain, year.buckets()[0], year.buckets()[-1]) == (
        Grain.MONTH,
        dt.date(2026, 4, 1),
        dt.date(2026, 11, 1),
    )
    with pytest.raises(ValueError, match="ends on or after"):
        Period(PeriodKind.RANGE, dt.date(2026, 11, 2), dt.date(2026, 11, 1))


def test_bars_carry_their_names_and_values_and_fit_a_phone() -> None:
    spec = count_bars(
        "Contacts by source",
        "Contacts from each source.",
        [("Individual: acquaintance (including neighbours and friends)", 12), ("Police", 30)],
    )
    drawing = charts.drawing(spec)
    texts = [text.text for text in drawing.texts]
    assert texts == ["Individual: acquaintance (including", "neighbours and friends)", "12", "Police", "30"]
    assert all(rect.x + rect.width <= charts.WIDTH for rect in drawing.rects)
    assert max(rect.width for rect in drawing.rects) == drawing.rects[1].width


def test_lines_are_labelled_and_a_reference_line_carries_its_label() -> None:
    spec = rate_lines(
        "Re-referrals",
        "Each month's share.",
        ["April 2026", "May 2026", "June 2026"],
        [("Re-referrals", [Rate(1, 4), Rate(0, 0), Rate(3, 10)])],
        reference=("England 22%", 0.22),
    )
    drawing = charts.drawing(spec)
    texts = [text.text for text in drawing.texts]
    assert "England" in texts  # the reference line's label, "England 22%", on two lines
    assert "25%" in texts
    assert "30%" in texts
    assert "Re-" in texts
    assert "referrals" in texts
    assert "April 2026" in texts
    assert "June 2026" in texts
    assert len(drawing.dots) == 2  # May had nothing to count
    assert drawing.polylines == []  # and no line is drawn through it
    assert any(segment.dashed for segment in drawing.segments)


def test_the_clocks_shortcut_agrees_with_the_clock_for_every_start() -> None:
    """Working hours, working days, to the day's end and elapsed hours, over Christmas and the clocks
    changing: the hour's bounds never decide differently from the thing's own due time."""
    rng = random.Random(16)
    base = dt.datetime(2026, 10, 20, tzinfo=dt.UTC)
    for unit, amount in [
        (ClockUnit.WORKING_HOURS, 4),
        (ClockUnit.WORKING_DAYS, 1),
        (ClockUnit.WORKING_DAY_END, 1),
        (ClockUnit.ELAPSED_HOURS, 24),
    ]:

        def due(start: dt.datetime, unit: ClockUnit = unit, amount: int = amount) -> dt.datetime:
            return due_at(start, amount, unit)

        clock = InTime(due)
        for _ in range(1500):
            start = base + dt.timedelta(minutes=rng.randrange(0, 80 * 24 * 60))
            done = start + dt.timedelta(minutes=rng.randrange(0, 6 * 24 * 60))
            assert clock.done_in_time(done, start) is (done <= due(start)), (unit, start, done)
            assert clock.done_in_time_ms(ms(done), ms(start)) is (ms(done) <= ms(due(start))), (unit, start, done)
        assert clock.exact < 1500  # most were decided by their hour's or quarter's bounds
