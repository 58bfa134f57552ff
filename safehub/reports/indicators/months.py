"""Figures counted by the London month each thing happened in, the latest month first: the shape of
the monthly reports (consent, telling people)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from safehub.core.working_time import LONDON

HOUR_MS = 3_600_000


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
        self._hours: dict[int, date] = {}  # each hour's month, for times given as numbers (add_ms)

    def add(self, at: datetime, measure: str, amount: int = 1) -> None:
        month = month_of(at)
        row = self.rows.setdefault(month, MonthRow(month, dict.fromkeys(self.measures, 0)))
        row.counts[measure] += amount

    def add_ms(self, at: int, measure: str, amount: int = 1) -> None:
        """`add` for a time in milliseconds since 1970: London's months start on the hour, so an hour's
        month is worked out once."""
        hour = at // HOUR_MS
        if hour not in self._hours:
            self._hours[hour] = month_of(datetime.fromtimestamp(hour * HOUR_MS / 1000, UTC))
        month = self._hours[hour]
        if month not in self.rows:
            self.rows[month] = MonthRow(month, dict.fromkeys(self.measures, 0))
        self.rows[month].counts[measure] += amount

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
