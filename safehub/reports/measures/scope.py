"""What every measure counts within: the period (London days, reports.periods), the filters chosen (a
team, a referral source, a rating) and the moment the figures are taken (`at`). Each measure counts
things about contacts, so a filter narrows the contacts it counts from: a referral is counted when its
contact is the chosen team's, from the chosen source, with the chosen rating.

The database does the counting: the helpers here give a measure its contacts (or a related model's rows)
narrowed by the filters, and the day, week or month each row falls in, in Europe/London, as the database
truncates it (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek

from safehub.contacts.models import Contact
from safehub.core.working_time import LONDON
from safehub.queues.filters import rating_of_row
from safehub.reports.periods import Grain, Period

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


def contact_rating() -> Any:
    """A contact's BRAG rating, as the work queues show it: the newest recommendation's rating, else
    its MASH checks' level of risk, else the initial rating; null when it has none."""
    return rating_of_row()


def filtered_contacts(filters: Filters) -> QuerySet[Contact]:
    """Every contact that passes the filters, whenever it was received (no order)."""
    contacts = Contact.objects.order_by()
    if filters.team:
        contacts = contacts.filter(team_id=filters.team)
    if filters.source:
        contacts = contacts.filter(source=filters.source)
    if filters.rating:
        contacts = contacts.alias(dashboard_rating=contact_rating())
        rated = Q(dashboard_rating__isnull=True) if filters.rating == NOT_RATED else Q(dashboard_rating=filters.rating)
        contacts = contacts.filter(rated)
    return contacts


def received(scope: Scope) -> QuerySet[Contact]:
    """The contacts received in the period that pass the filters."""
    return filtered_contacts(scope.filters).filter(received_at__gte=scope.start, received_at__lt=scope.end)


def of_contacts(rows: QuerySet[M], filters: Filters, *, through: str = "contact") -> QuerySet[M]:
    """`rows` (of a model with a foreign key to a contact, `through`) whose contact passes the filters."""
    if not filters.in_use:
        return rows.order_by()
    return rows.order_by().filter(**{f"{through}__in": filtered_contacts(filters).values("pk")})


def within(field: str, scope: Scope) -> Q:
    """`field` (a time) falls in the period."""
    return Q(**{f"{field}__gte": scope.start, f"{field}__lt": scope.end})


def bucket(field: str, period: Period) -> Any:
    """The start of the day, week (from Monday) or month `field` falls in, in England."""
    if period.grain == Grain.DAY:
        return TruncDate(field, tzinfo=LONDON)
    if period.grain == Grain.WEEK:
        return TruncWeek(field, tzinfo=LONDON)
    return TruncMonth(field, tzinfo=LONDON)


def as_day(value: date | datetime) -> date:
    """A bucket as the database gave it (a date, or a midnight in London) as its day."""
    if isinstance(value, datetime):
        return value.astimezone(LONDON).date()
    return value


def by_bucket(rows: Iterable[dict[str, Any]], period: Period, names: Iterable[str]) -> dict[date, dict[str, int]]:
    """Counts keyed by each bucket of the period (zero where the database found none), from rows of
    `{"bucket": …, name: count, …}`."""
    wanted = tuple(names)
    found = {day: dict.fromkeys(wanted, 0) for day in period.buckets()}
    for row in rows:
        day = as_day(row["bucket"])
        counts = found.setdefault(day, dict.fromkeys(wanted, 0))
        for name in wanted:
            counts[name] += int(row.get(name) or 0)
    return found
