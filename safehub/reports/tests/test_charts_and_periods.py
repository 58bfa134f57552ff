"""The palette's contrast, the periods' days and buckets, the charts' shapes, and the clocks' shortcut."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from safehub.core.working_time import ClockUnit, due_at
from safehub.reports import charts
from safehub.reports.measures.clocks import InTime, ms
from safehub.reports.measures.tiles import Rate, count_bar_groups, count_bars, rate_bars, rate_lines
from safehub.reports.palette import PALETTE, WHITE, contrast_ratio, relative_luminance
from safehub.reports.periods import Grain, Period, PeriodKind, financial_year_start, period_for

pytestmark = pytest.mark.database_independent
ASCENT, DESCENT = 13, 3  # how far 16-unit figures reach above and below the line they stand on


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


def test_a_chart_of_zeros_counted_is_drawn_and_one_of_nothing_counted_is_not() -> None:
    days = ["Mon 1 Dec", "Tue 2 Dec", "Wed 3 Dec"]
    none_in_time = rate_lines("In time", "Each day's share.", days, [("In time", [Rate(0, 5), Rate(0, 2), Rate(0, 0)])])
    assert none_in_time.has_values  # 0% of 7 decisions is a line along the bottom
    nothing = rate_lines("In time", "Each day's share.", days, [("In time", [Rate(0, 0)] * 3)])
    assert not nothing.has_values
    assert not rate_lines("In time", "Each day's share.", [], [("In time", [])]).has_values
    assert rate_bars("Steps", "Each step.", [("Held", Rate(0, 3))]).has_values
    assert not rate_bars("Steps", "Each step.", [("Held", Rate(0, 0))]).has_values
    assert not count_bars("Contacts", "Each day's.", [(day, 0) for day in days]).has_values  # empty axes
    assert not count_bars("Contacts", "Each day's.", []).has_values


def _months(count: int) -> list[str]:
    return [f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][n % 6]} {2022 + n // 12}" for n in range(count)]


def _point_labels(drawing: charts.Drawing) -> list[charts.Text]:
    return [text for text in drawing.texts if text.halo]


def _assert_readable(drawing: charts.Drawing) -> None:
    """No two values written on the chart closer than their widths, none over the axis's values, and
    every text within the drawing."""
    labels = _point_labels(drawing)
    for n, first in enumerate(labels):
        assert first.left >= charts.LEFT, first  # right of the axis's values ("100%90%")
        assert first.right <= drawing.width - charts.RIGHT_MARGIN, first
        for second in labels[n + 1 :]:
            apart = abs(first.x - second.x) >= (charts.text_width(first.text) + charts.text_width(second.text)) / 2
            assert apart or abs(first.y - second.y) >= ASCENT + DESCENT, (first, second)
    for text in drawing.texts:
        assert text.left >= 0, text
        assert text.right <= drawing.width, text
        assert text.y - ASCENT >= 0, text
        assert text.y + DESCENT <= drawing.height, text


def test_a_line_chart_is_drawn_wider_for_more_points_within_limits() -> None:
    def width(points: int) -> float:
        spec = rate_lines("In time", "Each share.", _months(points), [("In time", [Rate(1, 2)] * points)])
        return charts.drawing(spec).width

    assert width(7) == charts.WIDTH
    assert charts.WIDTH < width(31) < width(61)  # a month of days; five years of months
    assert width(61) == charts.LEFT + charts.MOST_PLOT_WIDTH + charts.RIGHT_MARGIN
    assert (width(61) - charts.LEFT - charts.RIGHT_MARGIN) / 60 >= 10  # points still apart
    assert (
        charts.drawing(rate_lines("In time", "Each share.", _months(61), [("In time", [Rate(1, 2)] * 61)])).shown_width
        <= 970
    )


def test_five_years_of_months_has_its_key_values_written_none_over_another() -> None:
    rng = random.Random(3)
    rates = [Rate(rng.randrange(0, 11), 10) for _ in range(61)]
    drawing = charts.drawing(rate_lines("In time", "Each month's share.", _months(61), [("In time", rates)]))
    _assert_readable(drawing)
    written = {text.text for text in _point_labels(drawing)}
    shares = [rate.share or 0 for rate in rates]
    assert {rates[-1].percent, f"{max(shares):.0%}", f"{min(shares):.0%}"} <= written
    assert len(_point_labels(drawing)) <= 4  # the last, highest, lowest and first


def test_a_value_beside_the_axis_is_written_clear_of_it() -> None:
    """The first point at 90% was written over the axis's '100%' ('100%90%')."""
    spec = rate_lines("In time", "Each day's share.", _months(3), [("In time", [Rate(9, 10), Rate(1, 1), Rate(1, 2)])])
    drawing = charts.drawing(spec)
    _assert_readable(drawing)
    assert [text.text for text in _point_labels(drawing)] == ["90%", "100%", "50%"]  # every one, with room


def test_every_point_is_written_when_they_all_have_room_zeros_too() -> None:
    days = [f"Day {n}" for n in range(1, 6)]
    spec = rate_lines("In time", "Each day's share.", days, [("In time", [Rate(0, 5)] * 5)])
    drawing = charts.drawing(spec)
    _assert_readable(drawing)
    assert [text.text for text in _point_labels(drawing)] == ["0%"] * 5
    week = rate_lines("In time", "Each day's share.", [*days, "Day 6", "Day 7"], [("In time", [Rate(0, 5)] * 7)])
    drawing = charts.drawing(week)  # a week's values would crowd each other: the last and the first
    _assert_readable(drawing)
    assert [(text.text, text.x) for text in _point_labels(drawing)] == [("0%", 222.8), ("0%", 65.2)]
    assert len(drawing.dots) == 7


def test_a_lines_name_is_not_written_over_the_reference_lines_label() -> None:
    spec = rate_lines(
        "Re-referrals",
        "Each month's share.",
        _months(4),
        [("Re-referrals", [Rate(9, 10), Rate(1, 1), Rate(1, 2), Rate(3, 10)])],
        reference=("England 22%", 0.22),  # just below the last value
    )
    drawing = charts.drawing(spec)
    _assert_readable(drawing)
    margin = [text for text in drawing.texts if text.x > drawing.width - charts.RIGHT_MARGIN]
    assert [text.text for text in margin] == ["England", "22%", "Re-", "referrals"]
    assert not any(charts.crowds(a, b) for n, a in enumerate(margin) for b in margin[n + 1 :])


def test_two_lines_values_never_crowd_each_other() -> None:
    spec = rate_lines(
        "Re-referrals",
        "Each month's share.",
        _months(12),
        [("Here", [Rate(n % 3, 4) for n in range(12)]), ("There", [Rate(n % 3, 4) for n in range(12)])],
    )
    _assert_readable(charts.drawing(spec))


def test_a_short_name_in_capitals_is_clear_of_its_bar() -> None:
    """'MASH' is 46 units wide in Arial at 16 units: the bars start after it, not under it."""
    drawing = charts.drawing(count_bars("Contacts per team", "Each team's.", [("MASH", 9), ("Assessment 1", 0)]))
    names = [text for text in drawing.texts if not text.bold]
    assert all(rect.x >= 47 + 4 for rect in drawing.rects)
    assert all(name.right < drawing.rects[0].x for name in names)


def test_bars_of_two_series_each_carry_their_values_name() -> None:
    spec = count_bar_groups(
        "Contacts per team", "Each team's.", ["MASH", "East"], [("Received", [9, 2]), ("Open now", [3, 0])]
    )
    drawing = charts.drawing(spec)
    assert [text.text for text in drawing.texts] == [
        "MASH",
        "9 received",
        "3 open now",
        "East",
        "2 received",
        "0 open now",
    ]
    assert [rect.fill for rect in drawing.rects] == [PALETTE[0], PALETTE[1]] * 2
    assert all(rect.x + rect.width <= charts.WIDTH for rect in drawing.rects)
    assert drawing.rects[0].y + drawing.rects[0].height < drawing.rects[1].y  # one under the other


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
