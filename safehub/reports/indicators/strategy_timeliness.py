"""Timeliness and partner participation of strategy discussions (000: "Timeliness and partner
participation of strategy meetings is monitored as part of the ongoing performance data"; issue 13),
by the month each discussion started (London time), and attendance by agency. Each measure is the one
the discussion's own page shows (strategy.timeliness), counted."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from safehub.core.csvfiles import spreadsheet_safe
from safehub.core.working_time import LONDON
from safehub.strategy.models import Attendance, Invitation, StrategyDiscussion
from safehub.strategy.timeliness import conference, held, record_sent
from safehub.strategy.workflow import DiscussionState

MONTH_HEADER = (
    "month",
    "started",
    "cancelled",
    "held",
    "held_in_time",
    "held_late",
    "not_held_overdue",
    "exceptions",
    "records_sent_in_time",
    "records_late",
    "enquiries_started",
    "conferences_in_time",
    "conferences_late",
    "conferences_not_required",
)
AGENCY_HEADER = ("agency", "invited", *(a.value for a in Attendance), "not_recorded")


@dataclass
class MonthRow:
    month: date
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MONTH_HEADER[1:], 0))

    @property
    def held_in_time_percent(self) -> str:
        """Held in time, of those whose timeliness is known (held, or overdue and not held)."""
        known = self.counts["held_in_time"] + self.counts["held_late"] + self.counts["not_held_overdue"]
        return f"{self.counts['held_in_time'] / known:.0%}" if known else "–"


@dataclass
class AgencyRow:
    agency: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGENCY_HEADER[1:], 0))

    @property
    def took_part_percent(self) -> str:
        recorded = self.counts["invited"] - self.counts["not_recorded"]
        took_part = self.counts[Attendance.ATTENDED] + self.counts[Attendance.SENT_INFORMATION]
        return f"{took_part / recorded:.0%}" if recorded else "–"


@dataclass(frozen=True)
class Report:
    months: list[MonthRow]
    agencies: list[AgencyRow]


def _count(row: MonthRow, in_time: bool | None, good: str, bad: str) -> None:
    """In time or late; not yet known (a record still within its time) is neither."""
    if in_time is not None:
        row.counts[good if in_time else bad] += 1


def report(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
    attendance: bool = True,
) -> Report:
    """The months' figures and, unless `attendance` is False (the dashboard's tile shows none), each
    agency's attendance."""
    now = now or timezone.now()
    today = now.astimezone(LONDON).date()
    discussions = StrategyDiscussion.objects.select_related("record")
    if attendance:
        discussions = discussions.prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.select_related("agency"))
        )
    if since is not None:
        discussions = discussions.filter(started_at__gte=since)
    if until is not None:
        discussions = discussions.filter(started_at__lt=until)
    months: dict[date, MonthRow] = {}
    agencies: dict[str, AgencyRow] = defaultdict(lambda: AgencyRow(""))
    for discussion in discussions.order_by("started_at", "pk").iterator(chunk_size=2000):
        local = discussion.started_at.astimezone(LONDON)
        month = date(local.year, local.month, 1)
        row = months.setdefault(month, MonthRow(month))
        row.counts["started"] += 1
        if discussion.on_exception:
            row.counts["exceptions"] += 1
        if discussion.state == DiscussionState.CANCELLED:
            row.counts["cancelled"] += 1
            continue
        kept = getattr(discussion, "record", None)
        if kept is None:
            late = held(discussion, None, at=now).in_time is False
            row.counts["not_held_overdue"] += int(late)
        else:
            row.counts["held"] += 1
            _count(row, held(discussion, kept, at=now).in_time, "held_in_time", "held_late")
            _count(row, record_sent(kept, at=now).in_time, "records_sent_in_time", "records_late")
            after = conference(kept, today=today)
            if after is not None:
                row.counts["enquiries_started"] += 1
                if kept.conference_not_required:
                    row.counts["conferences_not_required"] += 1
                else:
                    _count(row, after.in_time, "conferences_in_time", "conferences_late")
        for invitation in discussion.invitations.all() if attendance else ():
            if invitation.agency is None:
                continue
            agency = agencies[invitation.agency.name]
            agency.agency = invitation.agency.name
            agency.counts["invited"] += 1
            agency.counts[invitation.attendance or "not_recorded"] += 1
    return Report(
        months=[months[m] for m in sorted(months)],
        agencies=sorted(agencies.values(), key=lambda a: a.agency),
    )


def months_csv(found: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MONTH_HEADER)
    for row in found.months:
        writer.writerow([row.month.strftime("%Y-%m"), *(row.counts[name] for name in MONTH_HEADER[1:])])
    return out.getvalue()


def agencies_csv(found: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AGENCY_HEADER)
    for row in found.agencies:
        writer.writerow([spreadsheet_safe(row.agency), *(row.counts[name] for name in AGENCY_HEADER[1:])])
    return out.getvalue()
