"""Reminders before a request is due and escalations when it is overdue, each exactly once.

Two steps, both safe to run from any number of workers at once and to repeat after a crash:

1. `queue_alerts(at)` inserts the alert rows that are due now. The unique constraint on
   (request, kind, recipient) means a second worker, or the same one after a restart, inserts
   nothing new.
2. `deliver_alerts(at)` takes a batch of unsent alerts with row locks that other workers skip,
   marks them sent and emails them in the same transaction. A worker killed before the commit
   leaves them unsent (they are sent once, later); the in-app alert is the row itself.

Once a request is answered or withdrawn, `settle_alerts` marks its reminders and escalations read,
and `deliver_alerts` drops the ones not yet sent.

Email cannot be part of a database transaction: a worker killed after the mail server accepted a
message but before the commit sends that message (and the rest of its batch) again after the restart. Each alert's email
therefore carries a Message-ID made from the alert, the same on every attempt, so that the
receiving mail system can drop the repeat (docs/adr/0006-alerts-exactly-once.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage

from safehub.accounts.models import Role, User
from safehub.accounts.permissions import can_answer_for_an_agency
from safehub.checks.models import AgencyRequest, Alert, AlertKind, RequestState
from safehub.core.links import link_line
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, insert_new_alerts, lock_for_sending
from safehub.core.presenters import shown_london_time
from safehub.handoffs.services import deliver_handoff_emails

REMINDER_LEAD = timedelta(hours=1)  # at most this long before the due time
REMINDER_SHARE = 0.25  # or, for short timescales, when a quarter of the time is left
BATCH = 50  # alerts claimed and sent in one transaction
STILL_TRUE_WHILE_SENT = frozenset({AlertKind.REMINDER, AlertKind.BREACH})


@dataclass(frozen=True)
class Delivery:
    queued: int
    sent: int


def _partners(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__team__agency_id=agency_id,
            memberships__role=Role.PARTNER_PROFESSIONAL,
        ).distinct()
    )


def _agency_leads(agency_id: int) -> list[User]:
    """The agency's lead: its partner professionals who also manage (a team manager membership)."""
    leads = User.objects.filter(
        is_active=True, memberships__team__agency_id=agency_id, memberships__role=Role.TEAM_MANAGER
    ).distinct()
    return list(leads)


class _PerAgency(dict[int, list[User]]):
    """Who to tell at each agency, looked up once per round."""

    def __init__(self, find: Callable[[int], list[User]]) -> None:
        super().__init__()
        self.find = find

    def __missing__(self, agency_id: int) -> list[User]:
        self[agency_id] = people = self.find(agency_id)
        return people


def queue_alerts(at: datetime) -> int:
    """Insert every alert now due; returns how many rows this call added."""
    outstanding = AgencyRequest.objects.filter(state=RequestState.SENT).select_related("checks__coordinator")
    soon = [
        request
        for request in outstanding.filter(due_at__gt=at, due_at__lte=at + REMINDER_LEAD)
        if request.due_at - min(REMINDER_LEAD, (request.due_at - request.sent_at) * REMINDER_SHARE) <= at
    ]
    overdue = outstanding.filter(due_at__lte=at)
    rows: list[Alert] = []
    partners = _PerAgency(_partners)
    leads = _PerAgency(_agency_leads)
    for request in soon:
        for user in partners[request.agency_id]:
            rows.append(Alert(request=request, kind=AlertKind.REMINDER, recipient=user, created_at=at))
    for request in overdue:
        people = [request.checks.coordinator, *leads[request.agency_id], *partners[request.agency_id]]
        for user in {p.pk: p for p in people}.values():
            rows.append(Alert(request=request, kind=AlertKind.BREACH, recipient=user, created_at=at))
    return insert_new_alerts(Alert, rows, about="request")


def settle_alerts(request: AgencyRequest, *, at: datetime) -> None:
    """Reminders and escalations about a request stop showing once it is answered or withdrawn.
    Called by the services that answer and withdraw a request, inside their transaction."""
    Alert.objects.filter(request=request, kind__in=STILL_TRUE_WHILE_SENT, read_at__isnull=True).update(read_at=at)


def _message(alert: Alert) -> tuple[str, str]:
    """Subject and body, naming the request and its contact's reference (no personal details), with
    the due time in London time, saying GMT or BST."""
    request = alert.request
    contact = request.checks.contact.reference
    due = shown_london_time(request.due_at)
    if alert.kind == AlertKind.REMINDER:
        subject = f"Safehub: MASH check request {request.pk} (contact {contact}) is due at {due}"
    elif alert.kind == AlertKind.LATE_ANSWER:
        subject = (
            f"Safehub: {request.agency} answered request {request.pk} (contact {contact}) after the checks went"
            " for decision"
        )
    else:
        subject = f"Safehub: MASH check request {request.pk} (contact {contact}) to {request.agency} is overdue"
    body = (
        f"{alert.get_kind_display()}.\n\nRequest {request.pk} to {request.agency} about contact {contact} was due"
        f" at {due}. Sign in to Safehub to see it. This email holds no personal details."
    )
    if can_answer_for_an_agency(alert.recipient):
        body += link_line("checks:request", request.pk)
    else:
        body += link_line("checks:checks", request.checks_id)
    return subject, body


def message_id(alert: Alert) -> str:
    """The same for every attempt to email this alert, so a repeat after a crash can be recognised."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-alert-{alert.pk}@{domain}>"


def email_for(alert: Alert) -> EmailMessage:
    subject, body = _message(alert)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [alert.recipient.email],
        headers={"Message-ID": message_id(alert), "Auto-Submitted": "auto-generated"},
    )


def _claim(batch: int) -> list[Alert]:
    """The oldest unsent alerts, locked against other workers (who skip them and take the next).
    The lock is taken on the alert rows alone (a narrow query the partial index answers), then
    what the emails need is read for those rows."""
    pending = lock_for_sending(Alert.objects.filter(sent_at__isnull=True).order_by("created_at", "pk"))
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        Alert.objects.filter(pk__in=ids)
        .select_related("request__agency", "request__checks__contact", "recipient")
        .order_by("created_at", "pk")
    )


def deliver_alerts(at: datetime, *, limit: int = 100_000, batch: int = BATCH) -> int:
    """Send unsent alerts over one mail connection, a batch to a transaction; returns how many this call sent.

    Each batch is claimed, marked sent and emailed in one transaction: if the worker dies, the
    whole batch stays unsent and is sent once, later (emails again with the same Message-IDs)."""

    def mark_sent(claimed: Sequence[Alert]) -> tuple[int, list[EmailMessage]]:
        stale = [a.pk for a in claimed if a.kind in STILL_TRUE_WHILE_SENT and a.request.state != RequestState.SENT]
        if stale:  # answered or withdrawn since they were queued: no longer true, never shown
            Alert.objects.filter(pk__in=stale).delete()
        due = [a for a in claimed if a.pk not in stale]
        # A second worker that read the same rows before our lock finds them changed.
        if Alert.objects.filter(pk__in=[a.pk for a in due], sent_at__isnull=True).update(sent_at=at) != len(due):
            raise OvertakenError()
        return len(due), [email_for(alert) for alert in due if alert.recipient.email]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)


def run_once(at: datetime) -> Delivery:
    """One round of the background worker: the alerts due now, then every email not yet sent
    (alerts, and contacts handed to a worker)."""
    queued = queue_alerts(at)
    return Delivery(queued, deliver_alerts(at) + deliver_handoff_emails(at))
