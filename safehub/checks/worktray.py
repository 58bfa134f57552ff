"""The hub's side of MASH checks as a worktray: the checks a social worker coordinates, and for a
manager every set under way, soonest due first (issue: a contact under MASH checks must be on
someone's list, not only on the contact page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet

from safehub.accounts.models import User
from safehub.checks.models import ChecksState, MashChecks, RequestState
from safehub.contacts.models import Contact

# What a row shows: a dict per set of checks, with its requests counted in the same query.
ROW_FIELDS = ("pk", "contact_id", "contact__reference", "rating", "started_at", "coordinator_id")


@dataclass(frozen=True)
class Tray:
    slug: str
    title: str
    description: str


MINE = Tray("mine", "Checks I coordinate", "MASH checks you coordinate, the soonest due answer first.")
ALL = Tray("all", "MASH checks under way", "Every set of MASH checks not yet submitted for decision.")
TRAYS = {tray.slug: tray for tray in (MINE, ALL)}


def open_checks(user: User, tray: Tray, *, at: datetime) -> QuerySet[MashChecks, dict[str, Any]]:
    """Open checks on contacts the user may see (and, for "mine", that they coordinate), each a
    dict of ROW_FIELDS with `requests`, `outstanding`, `overdue` and `next_due` (the earliest due
    time of an unanswered request), soonest due first."""
    checks = MashChecks.objects.filter(
        state=ChecksState.OPEN, contact__in=Contact.objects.visible_to(user).values("pk")
    )
    if tray is MINE:
        checks = checks.filter(coordinator=user)
    outstanding = Q(requests__state=RequestState.SENT)
    rows: QuerySet[MashChecks, dict[str, Any]] = (
        checks.order_by()
        .values(*ROW_FIELDS)
        .annotate(
            requests_sent=Count("requests"),
            outstanding=Count("requests", filter=outstanding),
            overdue=Count("requests", filter=outstanding & Q(requests__due_at__lte=at)),
            next_due=Min("requests__due_at", filter=outstanding),
        )
        .order_by(F("next_due").asc(nulls_last=True), "started_at", "pk")
    )
    return rows
