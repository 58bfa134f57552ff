"""Reminders before a request is due and escalations when it is overdue, each exactly once.

Two steps, both safe to run from any number of workers at once and to repeat after a crash:

1. `queue_alerts(at)` inserts the alert rows that are due now. The unique constraint on
   (request, kind, recipient) means a second worker, or the same one after a restart, inserts
   nothing new.
2. `deliver_alerts(at)` takes one unsent alert at a time with a row lock that other workers skip,
   sends its email and marks it sent in the same transaction. A worker killed before the commit
   leaves the alert unsent (it is sent once, later); the in-app alert is the row itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError, connection, transaction

from safehub.accounts.models import Role, User
from safehub.checks.models import AgencyRequest, Alert, AlertKind, RequestState

REMINDER_LEAD = timedelta(hours=1)  # at most this long before the due time
REMINDER_SHARE = 0.25  # or, for short timescales, when a quarter of the time is left
BUSY_RETRIES = 500


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


def queue_alerts(at: datetime) -> int:
    """Insert every alert now due; returns how many rows this call added."""
    outstanding = AgencyRequest.objects.filter(state=RequestState.SENT).select_related("checks")
    soon = [
        request
        for request in outstanding.filter(due_at__gt=at, due_at__lte=at + REMINDER_LEAD)
        if request.due_at - min(REMINDER_LEAD, (request.due_at - request.sent_at) * REMINDER_SHARE) <= at
    ]
    overdue = outstanding.filter(due_at__lte=at)
    rows: list[Alert] = []
    partners: dict[int, list[User]] = {}
    for request in soon:
        for user in partners.setdefault(request.agency_id, _partners(request.agency_id)):
            rows.append(Alert(request=request, kind=AlertKind.REMINDER, recipient=user, created_at=at))
    leads: dict[int, list[User]] = {}
    for request in overdue:
        people = [request.checks.coordinator, *leads.setdefault(request.agency_id, _agency_leads(request.agency_id))]
        people += partners.setdefault(request.agency_id, _partners(request.agency_id))
        for user in {p.pk: p for p in people}.values():
            rows.append(Alert(request=request, kind=AlertKind.BREACH, recipient=user, created_at=at))
    before = Alert.objects.count()
    Alert.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Alert.objects.count() - before


def _message(alert: Alert) -> tuple[str, str]:
    request = alert.request
    if alert.kind == AlertKind.REMINDER:
        subject = f"Safehub: MASH check request {request.pk} is due at {request.due_at:%H:%M on %d %B}"
    elif alert.kind == AlertKind.LATE_ANSWER:
        subject = f"Safehub: {request.agency} answered request {request.pk} after the checks went for decision"
    else:
        subject = f"Safehub: MASH check request {request.pk} to {request.agency} is overdue"
    body = (
        f"{alert.get_kind_display()}.\n\nRequest {request.pk} to {request.agency} was due at "
        f"{request.due_at:%H:%M on %d %B %Y}. Sign in to Safehub to see it. This email holds no personal details."
    )
    return subject, body


def _next_unsent() -> Alert | None:
    pending = Alert.objects.filter(sent_at__isnull=True).select_related("request__agency", "recipient")
    if connection.vendor == "postgresql":
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    return pending.order_by("created_at", "pk").first()


def deliver_alerts(at: datetime, *, limit: int = 10_000) -> int:
    """Send unsent alerts, one transaction each; returns how many this call sent."""
    sent = 0
    busy = 0
    while sent < limit:
        try:
            with transaction.atomic():
                alert = _next_unsent()
                if alert is None:
                    break
                # Claim it: a second worker that read the same row before our lock finds it changed.
                if Alert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(sent_at=at) != 1:
                    continue
                if alert.recipient.email:
                    subject, body = _message(alert)
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [alert.recipient.email])
                sent += 1
        except OperationalError as error:
            # SQLite has one writer at a time: another worker holds the lock. Wait and try again.
            busy += 1
            if connection.vendor != "sqlite" or "locked" not in str(error) or busy > BUSY_RETRIES:
                raise
            time.sleep(0.02)
    return sent


def run_once(at: datetime) -> Delivery:
    return Delivery(queue_alerts(at), deliver_alerts(at))
