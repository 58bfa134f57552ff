"""Reminders for overdue consultation summaries (002 §5–6: the summary is sent "within 48 hours"):
each round the worker makes one for every consultation whose summary is now overdue, and emails
whoever recorded it, once (core.mail_batches). The email names no child and no consultee."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage

from safehub.consultations.models import Consultation, SummaryReminder
from safehub.core.links import link_line
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, lock_for_sending
from safehub.core.presenters import shown_london_time

BATCH = 50


def queue_summary_reminders(at: datetime) -> int:
    """A reminder for each consultation whose summary became overdue; how many were made."""
    overdue = list(
        Consultation.objects.summary_overdue(at=at).filter(reminder__isnull=True).values_list("pk", flat=True)[:500]
    )
    made = SummaryReminder.objects.bulk_create(
        [SummaryReminder(consultation_id=pk, created_at=at) for pk in overdue], ignore_conflicts=True
    )
    return len(made)


def message_id(reminder: SummaryReminder) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-summary-reminder-{reminder.pk}@{domain}>"


def email_for(reminder: SummaryReminder) -> EmailMessage | None:
    consultation = reminder.consultation
    address = consultation.recorded_by.email
    if not address:
        return None
    due = shown_london_time(consultation.summary_due_at) if consultation.summary_due_at else "48 hours after it"
    body = (
        f"The summary of a consultation you recorded on {shown_london_time(consultation.received_at)} was due"
        f" {due} and has not been sent.\n\nSign in to Safehub and open Consultations to write and send it."
        " This email holds no personal details." + link_line("consultations:consultation", consultation.pk)
    )
    return EmailMessage(
        "Safehub: a consultation summary is overdue",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"Message-ID": message_id(reminder), "Auto-Submitted": "auto-generated"},
    )


def _claim(batch: int) -> list[SummaryReminder]:
    pending = lock_for_sending(SummaryReminder.objects.filter(sent_at__isnull=True).order_by("created_at", "pk"))
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        SummaryReminder.objects.filter(pk__in=ids)
        .select_related("consultation__recorded_by")
        .order_by("created_at", "pk")
    )


def deliver_summary_reminders(at: datetime, *, limit: int = 10_000, batch: int = BATCH) -> int:
    """Email every reminder not yet sent, each exactly once; a summary sent since is not reminded."""

    def mark_sent(claimed: Sequence[SummaryReminder]) -> tuple[int, list[EmailMessage]]:
        ids = [reminder.pk for reminder in claimed]
        if SummaryReminder.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=at) != len(claimed):
            raise OvertakenError()
        still_due = [r for r in claimed if r.consultation.summary_sent_at is None]
        messages = [email_for(reminder) for reminder in still_due]
        return len(claimed), [message for message in messages if message is not None]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)
