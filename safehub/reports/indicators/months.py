"""Figures counted by the London month each thing happened in, the latest month first: the shape of
the monthly reports (consent, telling people)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from safehub.core.working_time import LONDON


def month_of(at: datetime) -> date:
    return at.astimezone(LONDON).date().replace(day=1)


@dataclass
class MonthRow:
    month: date
    counts: dict[str, int] = field(default_factory=dict)


class Months:
    """A count of each measure (`measures`, the CSV's columns after "month") for each month."""

    def __init__(self, measures: Sequence[str]) -> None:
        self.measures = tuple(measures)
        self.rows: dict[date, MonthRow] = {}

    def add(self, at: datetime, measure: str, amount: int = 1) -> None:
        month = month_of(at)
        row = self.rows.setdefault(month, MonthRow(month, dict.fromkeys(self.measures, 0)))
        row.counts[measure] += amount

    def count(self, found: Iterable[tuple[datetime, str]]) -> None:
        for at, measure in found:
            self.add(at, measure)

    def latest_first(self) -> list[MonthRow]:
        return sorted(self.rows.values(), key=lambda row: row.month, reverse=True)


def as_csv(measures: Sequence[str], rows: Iterable[MonthRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("month", *measures))
    for row in rows:
        writer.writerow([row.month.strftime("%Y-%m"), *(row.counts[name] for name in measures)])
    return out.getvalue()
