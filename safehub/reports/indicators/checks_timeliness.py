"""Timeliness of partner agencies' answers to MASH checks, per agency and month (sent in that month,
London time): the first indicator."""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from safehub.checks.models import AgencyRequest, RequestState
from safehub.core.csvfiles import spreadsheet_safe
from safehub.core.stats import percentile
from safehub.core.working_time import LONDON

HEADER = (
    "agency",
    "month",
    "requests",
    "answered_on_time",
    "answered_late",
    "outstanding",
    "outstanding_overdue",
    "median_hours",
    "p90_hours",
)


@dataclass(frozen=True)
class TimelinessRow:
    agency: str
    month: date
    requests: int
    answered_on_time: int
    answered_late: int
    outstanding: int
    outstanding_overdue: int  # not answered, and past the time it was due by
    median_hours: float | None
    p90_hours: float | None

    @property
    def known(self) -> int:
        """The requests whose timeliness is settled: answered (on time or late), or not answered
        and already overdue. One still waiting within its time could yet go either way."""
        return self.answered_on_time + self.answered_late + self.outstanding_overdue

    @property
    def on_time_percent(self) -> str:
        """Answered on time, out of the requests whose timeliness is known."""
        return f"{self.answered_on_time / self.known:.0%}" if self.known else "–"


def timeliness(
    *, since: datetime | None = None, until: datetime | None = None, now: datetime | None = None
) -> list[TimelinessRow]:
    """An unanswered request past its due time is late already: it is counted as outstanding and overdue,
    so a month whose agencies have not answered does not read as a month with nothing late."""
    now = now or timezone.now()
    requests = AgencyRequest.objects.exclude(state=RequestState.WITHDRAWN)
    if since is not None:
        requests = requests.filter(sent_at__gte=since)
    if until is not None:
        requests = requests.filter(sent_at__lt=until)
    groups: dict[tuple[str, date], list[tuple[datetime, datetime, datetime | None]]] = defaultdict(list)
    for agency, sent, due, answered in requests.values_list(
        "agency__name", "sent_at", "due_at", "answered_at"
    ).iterator(chunk_size=5000):
        local = sent.astimezone(LONDON)
        groups[(agency, date(local.year, local.month, 1))].append((sent, due, answered))
    rows = []
    for (agency, month), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        hours = [(answered - sent).total_seconds() / 3600 for sent, _, answered in items if answered]
        on_time = sum(1 for _, due, answered in items if answered and answered <= due)
        late = sum(1 for _, due, answered in items if answered and answered > due)
        overdue = sum(1 for _, due, answered in items if answered is None and due < now)
        rows.append(
            TimelinessRow(
                agency,
                month,
                len(items),
                on_time,
                late,
                len(items) - on_time - late,
                overdue,
                round(statistics.median(hours), 2) if hours else None,
                round(percentile(hours, 0.9), 2) if hours else None,
            )
        )
    return rows


def as_csv(rows: list[TimelinessRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow(
            [
                spreadsheet_safe(r.agency),
                r.month.strftime("%Y-%m"),
                r.requests,
                r.answered_on_time,
                r.answered_late,
                r.outstanding,
                r.outstanding_overdue,
                "" if r.median_hours is None else r.median_hours,
                "" if r.p90_hours is None else r.p90_hours,
            ]
        )
    return out.getvalue()
