"""The worker's part: hand each queued message to GOV.UK Notify or the mail server, once, and record
what happened to it — delivered, or not, in Notify's words — from Notify's callbacks or by asking.

A message is claimed, handed over and marked in one transaction (rows other workers skip, on
PostgreSQL): a worker killed before the commit leaves it queued, to be sent again with the same
reference, which Notify shows beside both (ADR 0006). Notify away or busy (no answer, 429, 5xx) is
tried again later, five times at most; a refusal (400, 403) is final and shown with Notify's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction

from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core import lifecycle
from safehub.core.notify import NotifyClient, NotifyError
from safehub.letters.models import Channel, Message
from safehub.letters.pdf import letter_pdf
from safehub.letters.workflow import MessageEvent, MessageState
from safehub.protocols.models import LocalProtocol

NOTIFY_EMAIL_BACKEND = "safehub.core.notify.NotifyEmailBackend"
# After each failed attempt to reach Notify or the mail server, the next is this much later.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A message Notify has not reported on after this long is asked about.
ASK_AFTER = timedelta(minutes=10)

# Notify's statuses (its API documentation, "Get message status"), as the hub reads them.
DELIVERED = {
    "delivered": "Delivered",
    "received": "Printed and posted by GOV.UK Notify",  # a letter
}
NOT_DELIVERED = {
    "permanent-failure": "The address does not exist or does not accept messages",
    "temporary-failure": "The recipient's inbox was full or their mail system was unavailable",
    "technical-failure": "GOV.UK Notify could not send it (a technical failure on its side)",
    "validation-failed": "GOV.UK Notify could not print it: the letter or its address was not valid",
    "virus-scan-failed": "GOV.UK Notify found something harmful in the letter and did not print it",
    "cancelled": "The letter was cancelled before it was printed",
}
STILL_GOING = frozenset({"created", "sending", "pending", "pending-virus-check", "accepted", "sent"})


def reference(message: Message) -> str:
    """The same on every attempt, so a repeat after a crash can be recognised."""
    return f"safehub-message-{message.pk}"


def _claim(at: datetime) -> Message | None:
    due = Message.objects.filter(state=MessageState.QUEUED).exclude(next_attempt_at__gt=at).order_by("created_at", "pk")
    if connection.vendor == "postgresql":
        due = due.select_for_update(skip_locked=True, of=("self",))
    return due.select_related("contact", "consultation", "sent_by").first()


def _active_protocol() -> LocalProtocol | None:
    return LocalProtocol.objects.filter(is_active=True).first()


def _hand_over(message: Message) -> tuple[MessageEvent, str]:
    """Give the message to Notify or the mail server; the event that follows and Notify's id."""
    if message.channel == Channel.NOTIFY_LETTER:
        answer = NotifyClient().send_letter(
            pdf=letter_pdf(message, protocol=_active_protocol()), reference=reference(message)
        )
        return MessageEvent.HAND_TO_NOTIFY, str(answer.get("id", ""))
    if settings.EMAIL_BACKEND == NOTIFY_EMAIL_BACKEND:
        answer = NotifyClient().send_email(
            to=message.email, subject=message.subject, body=message.body, reference=reference(message)
        )
        return MessageEvent.HAND_TO_NOTIFY, str(answer.get("id", ""))
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    email = EmailMessage(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.email],
        headers={"Message-ID": f"<{reference(message)}@{domain}>"},
    )
    if get_connection(fail_silently=False).send_messages([email]) != 1:
        raise ConnectionError("The mail server did not accept the message")
    return MessageEvent.HAND_TO_MAIL_SERVER, ""


def _deliver(message: Message, *, at: datetime) -> None:
    try:
        event, provider_id = _hand_over(message)
    except (NotifyError, OSError) as error:
        retry = error.worth_retrying if isinstance(error, NotifyError) else True
        attempts = message.attempts + 1
        if retry and attempts < MAX_ATTEMPTS:
            Message.objects.filter(pk=message.pk).update(
                attempts=attempts, next_attempt_at=at + RETRY_AFTER[attempts - 1], failure=str(error)[:1000]
            )
            return
        lifecycle.transition(
            message,
            MessageEvent.FAIL,
            by=message.sent_by,
            at=at,
            note=str(error)[:1000],
            fields={"attempts": attempts, "failure": str(error)[:1000], "next_attempt_at": None},
        )
        record(
            Verb.MESSAGE_NOT_DELIVERED,
            system_process="letters worker",
            contact_id=message.contact_id,
            at=at,
            data={"message": message.pk, "attempts": attempts},
        )
        return
    lifecycle.transition(
        message,
        event,
        by=message.sent_by,
        at=at,
        fields={"handed_over_at": at, "provider_id": provider_id, "attempts": message.attempts + 1, "failure": ""},
    )
    record(
        Verb.MESSAGE_HANDED_OVER,
        system_process="letters worker",
        contact_id=message.contact_id,
        at=at,
        data={"message": message.pk, "notify": bool(provider_id)},
    )


def deliver_messages(at: datetime, *, limit: int = 200) -> int:
    """Hand every queued message that is due to Notify or the mail server; how many were tried."""
    tried = 0
    while tried < limit:
        with transaction.atomic():
            message = _claim(at)
            if message is None:
                break
            _deliver(message, at=at)
        tried += 1
    return tried


@dataclass(frozen=True)
class Report:
    """What Notify said of one message: its status, and when."""

    status: str
    at: datetime


def apply_report(message: Message, report: Report) -> bool:
    """Record Notify's status for a message it was handed (inside a transaction); whether it changed
    anything. A report for a message already delivered or failed, or still on its way, changes nothing."""
    if message.state != MessageState.SENT:
        return False
    status = report.status
    if status in DELIVERED:
        lifecycle.transition(
            message,
            MessageEvent.DELIVER,
            by=message.sent_by,
            at=report.at,
            note=DELIVERED[status],
            fields={"delivered_at": report.at, "provider_status": status},
        )
        verb = Verb.MESSAGE_DELIVERED
    elif status in NOT_DELIVERED:
        words = f"{NOT_DELIVERED[status]} (GOV.UK Notify: {status})"
        lifecycle.transition(
            message,
            MessageEvent.FAIL,
            by=message.sent_by,
            at=report.at,
            note=words,
            fields={"provider_status": status, "failure": words},
        )
        verb = Verb.MESSAGE_NOT_DELIVERED
    else:
        if status not in STILL_GOING and status != message.provider_status:
            Message.objects.filter(pk=message.pk).update(provider_status=status[:40])
        return False
    record(
        verb,
        system_process="GOV.UK Notify",
        contact_id=message.contact_id,
        at=report.at,
        data={"message": message.pk, "status": status},
    )
    return True


def ask_notify(at: datetime, *, limit: int = 100) -> int:
    """Ask Notify about messages it has not reported on (its callbacks may not be set up, or lost);
    how many changed."""
    if not getattr(settings, "NOTIFY_API_KEY", ""):
        return 0
    waiting = list(
        Message.objects.filter(state=MessageState.SENT, handed_over_at__lte=at - ASK_AFTER)
        .exclude(provider_id="")
        .select_related("sent_by")
        .order_by("handed_over_at", "pk")[:limit]
    )
    client = NotifyClient()
    changed = 0
    for message in waiting:
        try:
            answer = client.notification(message.provider_id)
        except NotifyError:
            continue  # asked again next round
        with transaction.atomic():
            fresh = Message.objects.select_for_update().select_related("sent_by").get(pk=message.pk)
            changed += apply_report(fresh, Report(str(answer.get("status", "")), at))
    return changed


@transaction.atomic
def report_from_notify(notification_id: str, report: Report) -> bool:
    """Notify's callback: record its report on the message it names (an id Safehub does not know
    changes nothing); whether it changed anything."""
    found = (
        Message.objects.select_for_update().select_related("sent_by").filter(provider_id=notification_id[:64]).first()
    )
    return found is not None and apply_report(found, report)
