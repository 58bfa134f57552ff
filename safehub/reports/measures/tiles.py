"""What a measure hands the dashboard: a tile with its heading, a one-sentence summary and its figures,
each figure a table (the figures themselves, with a caption and headers) and a chart of the same
numbers. Plain data: the page draws the table and the chart (reports.charts); the download writes the
table (reports.downloads). Rates carry their numerator and denominator, never a percentage alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from safehub.core.presenters import how_many, lower_first


@dataclass(frozen=True)
class Rate:
    """`part` of `whole`: shown '45%' with the two numbers beside it; '–' when there is no whole."""

    part: int
    whole: int

    @property
    def share(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> str:
        """'45%'; to one decimal place where a whole percentage would say none or all when it is not
        ('0.2%' for 1 of 523, '99.8%'), and 'less than 0.1%' or 'more than 99.9%' past that."""
        share = self.share
        if share is None:
            return "–"
        shown = f"{share:.0%}"
        if shown == "0%" and self.part:
            return "less than 0.1%" if f"{share:.1%}" == "0.0%" else f"{share:.1%}"
        if shown == "100%" and self.part < self.whole:
            return "more than 99.9%" if f"{share:.1%}" == "100.0%" else f"{share:.1%}"
        return shown

    @property
    def text(self) -> str:
        """'45% (9 of 20)', or 'none of 0'."""
        return f"{self.percent} ({self.part:,} of {self.whole:,})" if self.whole else "none to count"

    def __str__(self) -> str:
        return self.percent


Cell = int | float | str | Rate


def rate_of(part: int, whole: int) -> Rate:
    return Rate(part, whole)


NO_CONTACTS = "No contacts were received in the period."


def share(rate: Rate, one: str, many: str, verb: tuple[str, str] = ("was", "were")) -> str:
    """'9 of the 20 contacts received (45%) were', '1 of 1 contact received (100%) was': the verb agrees
    with the part. The caller says something else when there is nothing to count (`rate.whole` 0)."""
    whole = how_many(rate.whole, one, many) if rate.whole == 1 else f"the {rate.whole:,} {many}"
    return f"{rate.part:,} of {whole} ({rate.percent}) {verb[0] if rate.part == 1 else verb[1]}"


@dataclass(frozen=True)
class Row:
    label: str  # the row's header (a day, an agency, a source)
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """One table of figures. `columns` name the row header's column first, then each cell's."""

    slug: str  # its download's name within the tile
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns) - 1:
                raise ValueError(f"{self.slug}: row {row.label!r} has {len(row.cells)} cells for {self.columns}")


class ChartKind(StrEnum):
    BARS = "bars"  # one bar per row (a bar per series in each row), its value and name written beside it
    LINES = "lines"  # one line per series over the period, each labelled at its end


@dataclass(frozen=True)
class Series:
    """A chart's series: a value for each category (bars) or each point in time (lines), with the text
    written on the chart for it ('42', '45% (9 of 20)'); None where there is nothing to show."""

    name: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class ChartSpec:
    kind: ChartKind
    title: str
    description: str  # what the chart shows, in a sentence: its <desc>
    categories: tuple[str, ...]  # the bars' names, or the points in time
    series: tuple[Series, ...]
    percent: bool = False  # values are shares from 0 to 1
    # A line across the chart, labelled (the national figure beside a local one): (label, value).
    reference: tuple[str, float] | None = None

    @property
    def has_values(self) -> bool:
        """Something was counted to draw. A share is a value wherever it had something to be a share of,
        0% included (none of 38 decisions in time is a line along the bottom, not nothing); a count is
        one where it is more than none (bars of 0 are empty axes)."""
        values = [value for series in self.series for value in series.values]
        if self.percent:
            return any(value is not None for value in values)
        return any(values)


@dataclass(frozen=True)
class Figure:
    table: Table
    chart: ChartSpec | None = None


@dataclass(frozen=True)
class Tile:
    slug: str
    heading: str
    summary: str  # one sentence, with the headline figure
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = field(default=())  # what is counted, what is not, where figures come from

    def table(self, slug: str) -> Table | None:
        return next((figure.table for figure in self.figures if figure.table.slug == slug), None)


def bars(
    title: str, description: str, rows: list[tuple[str, float | None, str]], *, percent: bool = False
) -> ChartSpec:
    """A bar chart of (name, value, text written beside the bar)."""
    return ChartSpec(
        ChartKind.BARS,
        title,
        description,
        tuple(name for name, _, _ in rows),
        (Series(title, tuple(value for _, value, _ in rows), tuple(text for _, _, text in rows)),),
        percent=percent,
    )


def count_bars(title: str, description: str, counts: list[tuple[str, int]]) -> ChartSpec:
    return bars(title, description, [(name, count, f"{count:,}") for name, count in counts])


def count_bar_groups(
    title: str, description: str, categories: list[str], groups: list[tuple[str, list[int]]]
) -> ChartSpec:
    """Bars of counts, one for each group beside each category, each count written with its group's name
    ('9 received', '3 open now') so that no bar is told apart by its colour alone."""
    return ChartSpec(
        ChartKind.BARS,
        title,
        description,
        tuple(categories),
        tuple(
            Series(name, tuple(counts), tuple(f"{count:,} {lower_first(name)}" for count in counts))
            for name, counts in groups
        ),
    )


def rate_bars(title: str, description: str, rates: list[tuple[str, Rate]]) -> ChartSpec:
    return bars(title, description, [(name, rate.share, rate.text) for name, rate in rates], percent=True)


def rate_lines(
    title: str,
    description: str,
    points: list[str],
    lines: list[tuple[str, list[Rate]]],
    *,
    reference: tuple[str, float] | None = None,
) -> ChartSpec:
    return ChartSpec(
        ChartKind.LINES,
        title,
        description,
        tuple(points),
        tuple(
            Series(name, tuple(rate.share for rate in rates), tuple(rate.percent for rate in rates))
            for name, rates in lines
        ),
        percent=True,
        reference=reference,
    )
