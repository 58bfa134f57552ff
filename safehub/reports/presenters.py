"""The dashboard's tiles as the page draws them: each figure's chart worked out (reports.charts), its
table's cells as text, and the address of each table's download with the period and filters chosen."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from safehub.reports.charts import Drawing, drawing
from safehub.reports.measures.tiles import Cell, Rate, Table, Tile


@dataclass(frozen=True)
class CellView:
    text: str
    numeric: bool


@dataclass(frozen=True)
class RowView:
    label: str
    cells: list[CellView]


@dataclass(frozen=True)
class FigureView:
    id: str
    table: Table
    rows: list[RowView]
    chart: Drawing | None
    download: str
    # A chart with nothing counted to draw (ChartSpec.has_values: no share of anything, or no count above
    # none) is not drawn: the page says so in words rather than showing empty axes. A share of 0% is drawn.
    nothing_to_chart: bool = False


@dataclass(frozen=True)
class TileView:
    tile: Tile
    figures: list[FigureView]


def cell_text(cell: Cell) -> CellView:
    if isinstance(cell, Rate):
        return CellView(cell.percent, True)
    if isinstance(cell, int):
        return CellView(f"{cell:,}", True)
    if isinstance(cell, float):
        return CellView(f"{cell:,.1f}", True)
    return CellView(cell, False)


def tile_views(tiles: list[Tile], *, query: str) -> list[TileView]:
    views = []
    for tile in tiles:
        figures = []
        for figure in tile.figures:
            table = figure.table
            address = reverse("reports:dashboard-csv", args=[tile.slug, table.slug])
            figures.append(
                FigureView(
                    id=f"{tile.slug}-{table.slug}",
                    table=table,
                    rows=[RowView(row.label, [cell_text(cell) for cell in row.cells]) for row in table.rows],
                    chart=drawing(figure.chart) if figure.chart is not None and figure.chart.has_values else None,
                    download=f"{address}?{query}" if query else address,
                    nothing_to_chart=figure.chart is not None and not figure.chart.has_values,
                )
            )
        views.append(TileView(tile, figures))
    return views
