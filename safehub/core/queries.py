"""Query helpers shared by the apps' audited fetches (`get_<noun>_for`)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def by_pk(queryset: QuerySet[M], pk: object) -> M | None:
    """The row of `queryset` with this primary key, or None.

    Unordered, unlike `.filter(pk=pk).first()`: for a query that joins many tables, Django matches
    an ordering (the key that `first()` adds, or the model's default) against every selected column,
    which was a third of the contact's fetch (docs/benchmarks.md). At most one row comes back, so
    there is nothing to order."""
    rows = list(queryset.filter(pk=pk).order_by())
    return rows[0] if rows else None
