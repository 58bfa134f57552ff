"""A dashboard table as CSV: the same rows and columns the page shows, a rate as its percentage to one
decimal place, a number a spreadsheet can sum and chart, its column's header saying "(%)" (the numerator
and denominator are columns of their own beside it)."""

from __future__ import annotations

import csv
import io

from safehub.core.csvfiles import spreadsheet_safe
from safehub.reports.measures.tiles import Cell, Rate, Table


def _value(cell: Cell) -> str | int | float:
    if isinstance(cell, Rate):
        share = cell.share
        return "" if share is None else round(share * 100, 1)
    if isinstance(cell, str):
        return spreadsheet_safe(cell)
    return cell


def _header(table: Table) -> list[str]:
    """The table's columns, each column of rates named as a percentage ("In time (%)")."""
    rates = {index for row in table.rows for index, cell in enumerate(row.cells, start=1) if isinstance(cell, Rate)}
    return [
        f"{column} (%)" if index in rates and "%" not in column else column
        for index, column in enumerate(table.columns)
    ]


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(column) for column in _header(table)])
    for row in table.rows:
        writer.writerow([spreadsheet_safe(row.label), *(_value(cell) for cell in row.cells)])
    return out.getvalue()
