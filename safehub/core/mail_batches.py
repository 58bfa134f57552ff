"""Emails that must leave exactly once, sent in batches from rows that say whether they were sent.

Each batch is claimed (row locks other workers skip, on PostgreSQL), marked sent and emailed in one
transaction: a worker killed before the commit leaves the whole batch unsent, to be sent once,
later. The caller's `mark_sent` marks the claimed rows and returns how many it marked and the messages; it raises
`OvertakenError` when another worker marked some of them first, and the batch is claimed again.
Each message should carry a Message-ID made from its row, the same on every attempt, so that a
repeat after a crash can be recognised (docs/adr/0006-alerts-exactly-once.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection, transaction
from django.db.models import Model, QuerySet

BUSY_RETRIES = 500
Row = TypeVar("Row")
M = TypeVar("M", bound=Model)


class OvertakenError(Exception):
    """Another worker sent part of this batch first: roll back and claim again."""


def deliver_in_batches(
    claim: Callable[[int], Sequence[Row]],
    mark_sent: Callable[[Sequence[Row]], tuple[int, Sequence[EmailMessage]]],
    *,
    limit: int,
    batch: int,
) -> int:
    """Claim, mark and email batches until nothing is left or `limit` rows were sent, over one mail
    connection; returns how many rows this call marked sent."""
    sent = 0
    busy = 0
    mail = get_connection(fail_silently=False)
    try:
        while sent < limit:
            try:
                with transaction.atomic():
                    claimed = claim(min(batch, limit - sent))
                    if not claimed:
                        break
                    marked, messages = mark_sent(claimed)
                    for message in messages:
                        _send(mail, message)
                    sent += marked
            except OvertakenError:
                continue
            except OperationalError as error:
                # SQLite has one writer at a time: another worker holds the lock. Wait and try again.
                busy += 1
                if connection.vendor != "sqlite" or "locked" not in str(error) or busy > BUSY_RETRIES:
                    raise
                time.sleep(0.02)
    finally:
        mail.close()
    return sent


def _alert_key(row: Model, key: str) -> tuple[Any, Any, Any]:
    """What an alert row is unique by: what it is about, its kind, its recipient (any alert model)."""
    return getattr(row, key), row.__dict__["kind"], row.__dict__["recipient_id"]


def insert_new_alerts(model: type[M], rows: Sequence[M], *, about: str) -> int:
    """Insert the alert rows (`about`: the field naming what each alerts about; each has a kind and a
    recipient) that do not exist yet; returns how many this call added. Most rounds nearly all exist
    already, so they are left out before inserting; the table's unique constraint on (about, kind,
    recipient) still settles a race with another worker inserting the same row."""
    key = f"{about}_id"
    made = set(
        model._default_manager.filter(**{f"{about}__in": {getattr(row, key) for row in rows}}).values_list(
            key, "kind", "recipient_id"
        )
    )
    new = [row for row in rows if _alert_key(row, key) not in made]
    model._default_manager.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def lock_for_sending(rows: QuerySet[M]) -> QuerySet[M]:
    """The queryset of unsent rows, locked against other workers where the database can (PostgreSQL)."""
    if connection.vendor == "postgresql":
        return rows.select_for_update(skip_locked=True)
    return rows


def _send(mail: BaseEmailBackend, message: EmailMessage) -> None:
    """Hand one message to the mail backend; raises if it was not accepted (the row stays unsent)."""
    mail.open()  # once per connection: SMTP keeps it open between messages
    if mail.send_messages([message]) != 1:
        raise ConnectionError(f"The mail server did not accept {message.extra_headers['Message-ID']}")
