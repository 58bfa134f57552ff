"""Late Operation Encompass notices (issue 15, "Late notifications alert"): when a child's school has
not been told by the start of the next school day, the worker makes one alert for the child and the
notification and emails the front door's managers, once (core.mail_batches): the team managers of the
host agency's MASH team that holds the contact, who may open it. The email names the contact's
reference and says the school has not been told; it never names the child (emails leave the system)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage

from safehub.accounts.models import Role, User
from safehub.core.links import link_line
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, lock_for_sending
from safehub.core.presenters import shown_london_time
from safehub.domestic_abuse.models import Notification
from safehub.letters import encompass
from safehub.letters.models import EncompassAlert
from safehub.protocols.policy import active_protocol

BATCH = 50


def queue_encompass_alerts(at: datetime) -> int:
    """An alert for each school-age child of a recent notification whose school was due to be told by
    now and was not; how many were made."""
    protocol = active_protocol()
    holidays = protocol.extra_holidays()
    recent = (
        Notification.objects.filter(contact__received_at__gte=at - encompass.LOOK_BACK)
        .select_related("contact")
        .prefetch_related("contact__subjects__person", "contact__messages")
    )
    alerted = set(
        EncompassAlert.objects.filter(notification__in=[n.pk for n in recent]).values_list(
            "notification_id", "child_id"
        )
    )
    made = []
    for notification in recent:
        due = encompass.due(notification, protocol, holidays=holidays)
        if at <= due:
            continue
        for child in encompass.children_to_tell(notification):
            if (notification.pk, child.pk) in alerted or encompass.notice_for(notification, child) is not None:
                continue
            made.append(EncompassAlert(notification=notification, child=child, due_at=due, created_at=at))
    return len(EncompassAlert.objects.bulk_create(made, ignore_conflicts=True))


def managers(team_id: int) -> list[User]:
    """The front door's managers: the host agency's team managers in the MASH team holding the contact."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__team_id=team_id,
            memberships__team__agency__is_host=True,
            memberships__role=Role.TEAM_MANAGER,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def message_id(alert: EncompassAlert) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-encompass-alert-{alert.pk}@{domain}>"


def email_for(alert: EncompassAlert) -> EmailMessage | None:
    contact = alert.notification.contact
    addresses = [user.email for user in managers(contact.team_id)]
    if not addresses:
        return None
    body = (
        f"Contact {contact.reference}: a child's school has not been told of the police's domestic abuse"
        f" notification (Operation Encompass). The school was due to be told by {shown_london_time(alert.due_at)},"
        " the start of the next school day.\n\nSign in to Safehub and open the contact, or Letters, to tell the"
        " school now. This email holds no personal details." + link_line("contacts:contact", contact.pk)
    )
    return EmailMessage(
        f"Safehub: an Operation Encompass notice is late ({contact.reference})",
        body,
        settings.DEFAULT_FROM_EMAIL,
        addresses,
        headers={"Message-ID": message_id(alert), "Auto-Submitted": "auto-generated"},
    )


def _claim(batch: int) -> list[EncompassAlert]:
    pending = lock_for_sending(EncompassAlert.objects.filter(sent_at__isnull=True).order_by("created_at", "pk"))
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        EncompassAlert.objects.filter(pk__in=ids)
        .select_related("notification__contact", "child")
        .prefetch_related("notification__contact__messages")
        .order_by("created_at", "pk")
    )


def deliver_encompass_alerts(at: datetime, *, limit: int = 10_000, batch: int = BATCH) -> int:
    """Email every alert not yet sent, each exactly once; a school told since is not alerted about."""

    def mark_sent(claimed: Sequence[EncompassAlert]) -> tuple[int, list[EmailMessage]]:
        ids = [alert.pk for alert in claimed]
        if EncompassAlert.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=at) != len(claimed):
            raise OvertakenError()
        still_late = [a for a in claimed if encompass.notice_for(a.notification, a.child) is None]
        # A school told since the alert was made: no alert was sent, and none is shown.
        EncompassAlert.objects.filter(pk__in=[a.pk for a in claimed if a not in still_late]).delete()
        messages = [email_for(alert) for alert in still_late]
        return len(claimed), [message for message in messages if message is not None]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)
