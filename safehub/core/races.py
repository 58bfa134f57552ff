"""Two people acting on one record at the same moment: exactly one wins, the other is told.

A view reads the record, checks the form, then calls the service. Two requests can both read the
record before either writes: each sees the version its form carries, and each service would go on
to write, the second colliding with a unique constraint (a database error, a server error) or
writing a second time. So a service checks the version again inside its own transaction, against
the row itself, locked: `claim()`.

- PostgreSQL: `SELECT … FOR UPDATE` makes the second transaction wait for the first to end, and
  then read the version the first wrote.
- SQLite: transactions begin IMMEDIATE (settings), so the second cannot begin until the first has
  committed; it then reads the new version. The lock clause is left out there (Django drops it).

The refusal is `ConcurrentChange`, which every form page shows in its error summary (409).
"""

from __future__ import annotations

from django.db import models

from safehub.core.errors import ConcurrentChange


def claim(record: models.Model, version: int, *, noun: str = "contact") -> None:
    """Inside a service's transaction: lock `record`'s row and refuse with ConcurrentChange unless
    the row, the record as the view read it, and the form (`version`) all agree on its version."""
    current = (
        type(record)._base_manager.select_for_update().filter(pk=record.pk).values_list("version", flat=True).first()
    )
    if current is None or current != version or getattr(record, "version", None) != version:
        raise ConcurrentChange(noun)
