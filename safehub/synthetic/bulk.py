"""Writing generated rows in bulk: a year of a hub's work is hundreds of thousands of rows, and the
services write one at a time (a few contacts a second)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models

BATCH = 5000

Row = TypeVar("Row", bound=models.Model)


def batches(rows: Iterable[Row], model: type[Row], *, size: int = BATCH) -> int:
    """Insert rows in batches of `size`; returns how many. On PostgreSQL (and SQLite) each row gets
    its primary key back."""
    count = 0
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            model._default_manager.bulk_create(chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        model._default_manager.bulk_create(chunk)
        count += len(chunk)
    return count
