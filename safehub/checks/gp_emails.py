"""Requests for information emailed to GP practices, each with its form, sent exactly once by the
background worker (core.mail_batches; ADR 0006).

003 §2.6: the hub's form is "sent to a GP surgery's agreed email address". A request to a practice
with an agreed secure address is queued when it is sent (checks.gp_requests.queue_email); the worker
emails it while the request is still outstanding. The email says no more than which request it is,
from whom and when it is due; the form attached is drawn from the request's row of the sharing
ledger alone (checks.gp_form), so the practice is sent nothing the ledger did not record as sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage

from safehub.checks.gp_form import gp_form_filename, gp_form_pdf
from safehub.checks.models import AgencyRequest, PracticeEmail, RequestState
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, lock_for_sending
from safehub.core.presenters import shown_london_time

BATCH = 20  # each email carries a PDF drawn on the way


def message_id(email: PracticeEmail) -> str:
    """The same on every attempt to email this request, so that a repeat after a crash can be recognised."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-gp-request-{email.request_id}@{domain}>"


def email_for(email: PracticeEmail) -> EmailMessage:
    request = email.request
    sent = request.disclosure.content
    form = sent.get("gp_form") or {}
    requester = form.get("requester") or {}
    urgent = "URGENT: " if form.get("urgent") else ""
    due = shown_london_time(datetime.fromisoformat(sent["respond_by"]) if sent.get("respond_by") else request.due_at)
    back = requester.get("return_email") or requester.get("email")
    phone = f", or telephone {requester['telephone']}" if requester.get("telephone") else ""
    reply = f" Please reply to {back}{phone}." if back else ""
    body = (
        f"{urgent}{request.agency}: the Multi-Agency Safeguarding Hub asks what the practice holds about the"
        f" people named in the attached request for information (request {request.pk}). Please respond by"
        f" {due}.{reply}\n\nThe attachment is official-sensitive. It was sent to the practice's agreed secure"
        " email address: please keep it within the practice's safeguarding records."
    )
    message = EmailMessage(
        f"{urgent}Request for information from the Multi-Agency Safeguarding Hub (request {request.pk})",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email.address],
        reply_to=[back] if back else None,
        headers={"Message-ID": message_id(email), "Auto-Submitted": "auto-generated"},
    )
    message.attach(gp_form_filename(request), gp_form_pdf(request), "application/pdf")
    return message


def _claim(batch: int) -> list[PracticeEmail]:
    # Only a request still outstanding is emailed: one answered by phone or withdrawn meanwhile is not.
    # The outstanding requests as a subquery, not a join: the row locks are the emails' alone.
    outstanding = AgencyRequest.objects.filter(state=RequestState.SENT).values("pk")
    pending = lock_for_sending(
        PracticeEmail.objects.filter(emailed_at__isnull=True, request_id__in=outstanding).order_by("queued_at", "pk")
    )
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        PracticeEmail.objects.filter(pk__in=ids)
        .select_related("request__agency", "request__checks")
        .order_by("queued_at", "pk")
    )


def deliver_practice_emails(at: datetime, *, limit: int = 100_000, batch: int = BATCH) -> int:
    """Email every queued request to its practice, each exactly once."""

    def mark_sent(claimed: Sequence[PracticeEmail]) -> tuple[int, list[EmailMessage]]:
        marked = PracticeEmail.objects.filter(pk__in=[e.pk for e in claimed], emailed_at__isnull=True).update(
            emailed_at=at
        )
        if marked != len(claimed):
            raise OvertakenError()
        return len(claimed), [email_for(email) for email in claimed]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)
