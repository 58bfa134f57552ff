"""What a measure hands the dashboard: a tile with its heading, a one-sentence summary and its figures,
each figure a table (the figures themselves, with a caption and headers) and a chart of the same
numbers. Plain data: the page draws the table and the chart (reports.charts); the download writes the
table (reports.downloads). Rates carry their numerator and denominator, never a percentage alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from safehub.core.presenters import how_many


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
        share = self.share
        return "–" if share is None else f"{share:.0%}"

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
    BARS = "bars"  # one bar per row, its value and name written beside it
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
        """Something to draw: a value other than nothing or zero in some series."""
        return any(value for series in self.series for value in series.values)


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
