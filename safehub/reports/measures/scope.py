"""What every measure counts within: the period (London days, reports.periods), the filters chosen (a
team, a referral source, a rating) and the moment the figures are taken (`at`). Each measure counts
things about contacts, so a filter narrows the contacts it counts from: a referral is counted when its
contact is the chosen team's, from the chosen source, with the chosen rating.

The database does the counting: the helpers here give a measure its contacts (or a related model's rows)
narrowed by the filters, and the day, week or month each row falls in, in Europe/London (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import models
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from safehub.contacts.models import Contact
from safehub.queues.filters import rating_of_row
from safehub.reports.periods import Period

M = TypeVar("M", bound=models.Model)
NOT_RATED = "none"


@dataclass(frozen=True)
class Filters:
    team: int | None = None  # a team's id
    source: str = ""  # a CIN census referral source code
    rating: str = ""  # a BRAG rating, or NOT_RATED

    @property
    def in_use(self) -> bool:
        return bool(self.team or self.source or self.rating)


@dataclass(frozen=True)
class Scope:
    period: Period
    filters: Filters
    at: datetime  # when the figures are taken: what is overdue, what is still in time

    @property
    def start(self) -> datetime:
        return self.period.start_at

    @property
    def end(self) -> datetime:
        return self.period.end_at


def contact_rating(through: str = "") -> Any:
    """A contact's BRAG rating, as the work queues show it: the newest recommendation's rating, else
    its MASH checks' level of risk, else the initial rating; null when it has none. Of a contacts query,
    or of another model's rows through their contact (`through`)."""
    return rating_of_row(through)


def narrowed(rows: QuerySet[M], filters: Filters, *, through: str = "") -> QuerySet[M]:
    """`rows` (contacts, or another model's rows with a foreign key to a contact, `through`) whose contact
    passes the filters. The rating is worked out for the contact of each row counted rather than for every
    contact the hub has had (docs/benchmarks.md: a small gain; a stored rating is still to come)."""
    prefix = f"{through}__" if through else ""
    if filters.team:
        rows = rows.filter(**{f"{prefix}team_id": filters.team})
    if filters.source:
        rows = rows.filter(**{f"{prefix}source": filters.source})
    if filters.rating:
        rows = rows.alias(dashboard_rating=contact_rating(through))
        rated = Q(dashboard_rating__isnull=True) if filters.rating == NOT_RATED else Q(dashboard_rating=filters.rating)
        rows = rows.filter(rated)
    return rows


def filtered_contacts(filters: Filters) -> QuerySet[Contact]:
    """Every contact that passes the filters, whenever it was received (no order)."""
    return narrowed(Contact.objects.order_by(), filters)


def received(scope: Scope) -> QuerySet[Contact]:
    """The contacts received in the period that pass the filters."""
    return filtered_contacts(scope.filters).filter(received_at__gte=scope.start, received_at__lt=scope.end)


def of_contacts(rows: QuerySet[M], filters: Filters, *, through: str = "contact") -> QuerySet[M]:
    """`rows` (of a model with a foreign key to a contact, `through`) whose contact passes the filters."""
    return narrowed(rows.order_by(), filters, through=through)


def within(field: str, scope: Scope) -> Q:
    """`field` (a time) falls in the period."""
    return Q(**{f"{field}__gte": scope.start, f"{field}__lt": scope.end})


def bucket(field: str, period: Period) -> Case:
    """Which of the period's days, weeks (from Monday) or months (in England) `field`, a time within the
    period, falls in: its number, counting from 0 (as_day gives its first day). Compared with the
    buckets' edges, midnights in England worked out here: the same on SQLite and PostgreSQL, and much
    cheaper than converting every row's time to London's (a year's contacts took a quarter of a second
    a query to truncate with TruncDate, TruncWeek or TruncMonth)."""
    edges = period.bucket_edges()
    return Case(
        *(When(**{f"{field}__lt": edge}, then=Value(index)) for index, edge in enumerate(edges)),
        default=Value(len(edges)),
        output_field=IntegerField(),
    )


def as_day(index: int, period: Period) -> date:
    """A bucket's number (bucket) as its first day."""
    return period.bucket_days[index]


def by_bucket(rows: Iterable[dict[str, Any]], period: Period, names: Iterable[str]) -> dict[date, dict[str, int]]:
    """Counts keyed by each bucket of the period (zero where the database found none), from rows of
    `{"bucket": …, name: count, …}`."""
    wanted = tuple(names)
    found = {day: dict.fromkeys(wanted, 0) for day in period.buckets()}
    for row in rows:
        day = as_day(row["bucket"], period)
        counts = found.setdefault(day, dict.fromkeys(wanted, 0))
        for name in wanted:
            counts[name] += int(row.get(name) or 0)
    return found
