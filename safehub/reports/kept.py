"""Dashboards kept once counted (ADR 0043). Counting every measure over a year at Birmingham's scale
(100,000 contacts) takes several seconds however the queries are written, and the figures move little
from one minute to the next. So a dashboard (a period with its filters) is counted once and kept: the
page shows the kept tiles, saying when they were counted, for up to KEEP_FOR; after that the next view
counts it again. The worker counts the dashboards the performance lead opens by default (this week,
this month, the financial year, unfiltered) again every REFRESH_EVERY, so that they are always kept.
A table downloaded as CSV is the one on the page, from the same kept count.

Tiles are kept as JSON (never pickled): `tiles_as_json` and `tiles_from_json` write and read every type a
tile is made of (reports.measures.tiles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from safehub.core.working_time import london_date
from safehub.reports.dashboard import dashboard_figures
from safehub.reports.measures.scope import Filters
from safehub.reports.measures.tiles import Cell, ChartKind, ChartSpec, Figure, Rate, Row, Series, Table, Tile
from safehub.reports.models import KeptDashboard
from safehub.reports.periods import Period, PeriodKind, period_for

KEEP_FOR = timedelta(minutes=10)
REFRESH_EVERY = timedelta(minutes=5)
# The dashboards the worker keeps counted: what the page shows before anything is chosen, and the other
# periods a click away.
STANDARD = (PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.YEAR)


@dataclass(frozen=True)
class Counted:
    tiles: list[Tile]
    counted_at: datetime


def dashboard_key(period: Period, filters: Filters) -> str:
    return (
        f"{period.kind}:{period.first.isoformat()}:{period.last.isoformat()}"
        f":team={filters.team or ''}:source={filters.source}:rating={filters.rating}"
    )


def counted(period: Period, filters: Filters, *, at: datetime) -> Counted:
    """The dashboard's tiles as kept, when counted within KEEP_FOR before `at`; else counted now and kept."""
    kept = KeptDashboard.objects.filter(key=dashboard_key(period, filters), counted_at__gt=at - KEEP_FOR).first()
    if kept is not None and kept.counted_at <= at:
        return Counted(tiles_from_json(kept.tiles), kept.counted_at)
    return count_and_keep(period, filters, at=at)


def count_and_keep(period: Period, filters: Filters, *, at: datetime) -> Counted:
    tiles = dashboard_figures(period, filters, at=at)
    # Two people counting the same dashboard at once both keep a true count: the later one stays.
    KeptDashboard.objects.update_or_create(
        key=dashboard_key(period, filters), defaults={"counted_at": at, "tiles": tiles_as_json(tiles)}
    )
    return Counted(tiles, at)


def keep_standard_dashboards(*, at: datetime) -> int:
    """Count again each standard dashboard counted more than REFRESH_EVERY ago (or never), and forget the
    dashboards no one can be shown any more; returns how many were counted."""
    today = london_date(at)
    periods = [period_for(kind, today=today) for kind in STANDARD]
    fresh = set(
        KeptDashboard.objects.filter(
            key__in=[dashboard_key(period, Filters()) for period in periods], counted_at__gt=at - REFRESH_EVERY
        ).values_list("key", flat=True)
    )
    stale = [period for period in periods if dashboard_key(period, Filters()) not in fresh]
    for period in stale:
        count_and_keep(period, Filters(), at=at)
    KeptDashboard.objects.filter(counted_at__lt=at - KEEP_FOR).delete()
    return len(stale)


def _cell_as_json(cell: Cell) -> Any:
    return {"part": cell.part, "whole": cell.whole} if isinstance(cell, Rate) else cell


def _cell_from_json(value: Any) -> Cell:
    if isinstance(value, dict):
        return Rate(int(value["part"]), int(value["whole"]))
    if isinstance(value, int | float | str):
        return value
    raise ValueError(f"Not a table cell: {value!r}")


def _table_as_json(table: Table) -> dict[str, Any]:
    return {
        "slug": table.slug,
        "caption": table.caption,
        "columns": list(table.columns),
        "rows": [[row.label, [_cell_as_json(cell) for cell in row.cells]] for row in table.rows],
    }


def _table_from_json(data: dict[str, Any]) -> Table:
    return Table(
        data["slug"],
        data["caption"],
        tuple(data["columns"]),
        tuple(Row(label, tuple(_cell_from_json(cell) for cell in cells)) for label, cells in data["rows"]),
    )


def _chart_as_json(chart: ChartSpec) -> dict[str, Any]:
    return {
        "kind": chart.kind.value,
        "title": chart.title,
        "description": chart.description,
        "categories": list(chart.categories),
        "series": [{"name": s.name, "values": list(s.values), "texts": list(s.texts)} for s in chart.series],
        "percent": chart.percent,
        "reference": list(chart.reference) if chart.reference else None,
    }


def _chart_from_json(data: dict[str, Any]) -> ChartSpec:
    reference = data["reference"]
    return ChartSpec(
        ChartKind(data["kind"]),
        data["title"],
        data["description"],
        tuple(data["categories"]),
        tuple(Series(s["name"], tuple(s["values"]), tuple(s["texts"])) for s in data["series"]),
        percent=data["percent"],
        reference=(reference[0], reference[1]) if reference else None,
    )


def tiles_as_json(tiles: list[Tile]) -> list[dict[str, Any]]:
    return [
        {
            "slug": tile.slug,
            "heading": tile.heading,
            "summary": tile.summary,
            "figures": [
                {
                    "table": _table_as_json(figure.table),
                    "chart": _chart_as_json(figure.chart) if figure.chart else None,
                }
                for figure in tile.figures
            ],
            "notes": list(tile.notes),
        }
        for tile in tiles
    ]


def tiles_from_json(data: list[dict[str, Any]]) -> list[Tile]:
    return [
        Tile(
            tile["slug"],
            tile["heading"],
            tile["summary"],
            tuple(
                Figure(
                    _table_from_json(figure["table"]),
                    _chart_from_json(figure["chart"]) if figure["chart"] else None,
                )
                for figure in tile["figures"]
            ),
            tuple(tile["notes"]),
        )
        for tile in data
    ]
