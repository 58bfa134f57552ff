"""Reminders before a strategy discussion's action is due and escalations once it is overdue, each
exactly once, as the MASH checks' alerts are (ADR 0006): `queue_action_alerts` inserts the rows due
now (a unique constraint stops a second worker, or a restarted one, adding them again), and
`deliver_action_alerts` claims unsent rows, marks them sent and emails them in one transaction.

The reminder goes to the owning agency's professionals; the escalation to them, their agency's
leads, the discussion's chair and the coordinators of its team (000: "Each agency is responsible for
their own actions"; the hub monitors them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage

from safehub.accounts.models import Role, User
from safehub.core.links import link_line
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, insert_new_alerts, lock_for_sending
from safehub.core.presenters import shown_london_time
from safehub.strategy.models import ActionAlert, ActionAlertKind, StrategyAction
from safehub.strategy.permissions import sees_as_an_invited_agency
from safehub.strategy.workflow import ActionState

REMINDER_LEAD = timedelta(hours=24)  # an action is reminded of a day before it is due
BATCH = 50


def _agency_people(agency_id: int, roles: Sequence[Role]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__team__agency_id=agency_id, memberships__role__in=roles)
        .distinct()
        .order_by("pk")
    )


def _coordinators(team_id: int) -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__team_id=team_id, memberships__role=Role.STRATEGY_COORDINATOR)
        .distinct()
        .order_by("pk")
    )


def _owners(action: StrategyAction, cache: dict[int, list[User]]) -> list[User]:
    """Who does the action: the owning agency's professionals (or, for the hub's own actions, its workers)."""
    if action.agency_id not in cache:
        cache[action.agency_id] = _agency_people(
            action.agency_id, [Role.PARTNER_PROFESSIONAL, Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER]
        )
    return cache[action.agency_id]


def queue_action_alerts(at: datetime) -> int:
    """Insert every reminder and escalation now due; returns how many rows this call added."""
    open_actions = StrategyAction.objects.filter(state=ActionState.OPEN).select_related("discussion")
    soon = list(open_actions.filter(due_at__gt=at, due_at__lte=at + REMINDER_LEAD))
    overdue = list(open_actions.filter(due_at__lte=at))
    owners: dict[int, list[User]] = {}
    rows = [
        ActionAlert(action=action, kind=ActionAlertKind.REMINDER, recipient=user, created_at=at)
        for action in soon
        for user in _owners(action, owners)
    ]
    for action in overdue:
        people = [
            *_owners(action, owners),
            *_agency_people(action.agency_id, [Role.TEAM_MANAGER]),
            *([action.discussion.chair] if action.discussion.chair is not None else []),
            *_coordinators(action.discussion.team_id),
        ]
        rows += [
            ActionAlert(action=action, kind=ActionAlertKind.OVERDUE, recipient=user, created_at=at)
            for user in {p.pk: p for p in people if p.is_active}.values()
        ]
    return insert_new_alerts(ActionAlert, rows, about="action")


def settle_alerts(action: StrategyAction, *, at: datetime) -> None:
    """Once an action is closed its reminders and escalations stop showing (inside the closing transaction)."""
    ActionAlert.objects.filter(action=action, read_at__isnull=True).update(read_at=at)


def message_id(alert: ActionAlert) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-action-alert-{alert.pk}@{domain}>"


def email_for(alert: ActionAlert) -> EmailMessage:
    """Subject and body name the action's number, agency and due time, never a child."""
    action = alert.action
    due = shown_london_time(action.due_at)
    if alert.kind == ActionAlertKind.REMINDER:
        subject = f"Safehub: strategy discussion action {action.pk} for {action.agency} is due at {due}"
    else:
        subject = f"Safehub: strategy discussion action {action.pk} for {action.agency} is overdue"
    body = (
        f"{alert.get_kind_display()}.\n\nAction {action.pk}, owned by {action.owner} ({action.agency}), from"
        f" strategy discussion {action.discussion_id}, was due at {due}. Sign in to Safehub to see it and"
        " close it with a note when it is done. This email holds no personal details."
    )
    if sees_as_an_invited_agency(alert.recipient):
        body += link_line("strategy:invitations")
    else:
        body += link_line("strategy:discussion", action.discussion_id)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [alert.recipient.email],
        headers={"Message-ID": message_id(alert), "Auto-Submitted": "auto-generated"},
    )


def _claim(batch: int) -> list[ActionAlert]:
    pending = lock_for_sending(ActionAlert.objects.filter(sent_at__isnull=True).order_by("created_at", "pk"))
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        ActionAlert.objects.filter(pk__in=ids)
        .select_related("action__agency", "recipient")
        .order_by("created_at", "pk")
    )


def deliver_action_alerts(at: datetime, *, limit: int = 100_000, batch: int = BATCH) -> int:
    """Send unsent action alerts, a batch to a transaction; an alert about an action closed since it was
    queued is dropped, not sent. Returns how many this call marked sent."""

    def mark_sent(claimed: Sequence[ActionAlert]) -> tuple[int, list[EmailMessage]]:
        stale = [a.pk for a in claimed if a.action.state != ActionState.OPEN]
        if stale:
            ActionAlert.objects.filter(pk__in=stale).delete()
        due = [a for a in claimed if a.pk not in stale]
        if ActionAlert.objects.filter(pk__in=[a.pk for a in due], sent_at__isnull=True).update(sent_at=at) != len(due):
            raise OvertakenError()
        return len(due), [email_for(alert) for alert in due if alert.recipient.email]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)


def run_once(at: datetime) -> int:
    """One round for the background worker: queue what is due, send what is unsent. Returns how many were sent."""
    queue_action_alerts(at)
    return deliver_action_alerts(at)
