"""Keeping the emails Safehub sends in demo mode: a row for each recipient, and a file for each email."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.core.mail import EmailMessage

from safehub.outbox.models import OutboxEmail


def keep_email(message: EmailMessage, *, at: datetime, folder: Path) -> list[OutboxEmail]:
    """Store `message` for each of its recipients and write it to `folder` as an .eml file (a mail
    client opens it; it is plain text too). Returns the rows, one for each recipient."""
    rows = OutboxEmail.objects.bulk_create(
        OutboxEmail(
            sent_at=at,
            sender=message.from_email,
            recipient=recipient,
            subject=str(message.subject),
            body=str(message.body),
            message_id=message.extra_headers.get("Message-ID", ""),
        )
        for recipient in message.recipients()
    )
    folder.mkdir(parents=True, exist_ok=True)
    first = rows[0].pk if rows else 0
    # Named by time and row, so that the folder lists the emails in the order they were sent.
    (folder / f"{at:%Y%m%d-%H%M%S}-{first:08d}.eml").write_bytes(message.message().as_bytes())
    return rows
