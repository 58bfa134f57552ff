from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.timezone import localtime

from safehub.accounts.models import User
from safehub.checks.models import (
    AgencyRequest,
    AgencyResponse,
    Alert,
    LateAnswerRecipients,
    MashChecks,
    RequestState,
    ResponseStatus,
)
from safehub.checks.permissions import can_start_checks
from safehub.contacts.models import Contact
from safehub.core.presenters import Action, Due, Panel, due


@dataclass(frozen=True)
class RequestRow:
    request: AgencyRequest
    due: Due | None
    current: AgencyResponse | None  # the latest submitted response, corrections included
    history: list[AgencyResponse]  # earlier, superseded responses
    late: bool  # answered after its due time, or after the checks were submitted

    @property
    def withdrawn(self) -> bool:
        return self.request.state == RequestState.WITHDRAWN

    @property
    def status(self) -> str:
        if self.withdrawn:
            return "Withdrawn"
        if self.current is None:
            return "Outstanding"
        return "Nothing known" if self.current.nothing_known else "Information held"


def request_rows(checks: MashChecks, *, at: datetime) -> list[RequestRow]:
    rows = []
    for request in checks.requests.all():
        submitted = [r for r in request.responses.all() if r.status == ResponseStatus.SUBMITTED]
        current = submitted[-1] if submitted else None
        answered = request.answered_at
        late = answered is not None and (
            answered > request.due_at or (checks.submitted_at is not None and answered > checks.submitted_at)
        )
        rows.append(
            RequestRow(
                request,
                due(request.due_at, at=at) if request.state == RequestState.SENT else None,
                current,
                submitted[:-1],
                late,
            )
        )
    return rows


def short_time(when: datetime | None) -> str:
    """'24 Nov, 10:05' in London time, as the queues show times."""
    if when is None:
        return ""
    local = localtime(when)
    return f"{local.day} {local:%b, %H:%M}"


@dataclass(frozen=True)
class QueueRow:
    """One request on a partner's queue, worked out once in Python (the queue is the page partners
    load most; a template looking each part up is several times slower)."""

    pk: int
    href: str
    people: str
    risk: str
    agency: str
    sent: str
    answered: str
    due: Due | None


def queue_rows(requests: Iterable[AgencyRequest], *, at: datetime) -> list[QueueRow]:
    """Outstanding requests with their risk, agency and due time (the checks and agency joined in);
    answered ones with when (nothing joined)."""
    rows = []
    for request in requests:
        outstanding = request.state == RequestState.SENT
        rows.append(
            QueueRow(
                pk=request.pk,
                href=reverse("checks:request", args=[request.pk]),
                people=request.people,
                risk=request.checks.get_rating_display() if outstanding else "",
                agency=str(request.agency) if outstanding else "",
                sent=short_time(request.sent_at),
                answered=short_time(request.answered_at),
                due=due(request.due_at, at=at) if outstanding else None,
            )
        )
    return rows


@dataclass(frozen=True)
class AlertRow:
    pk: int
    kind: str
    request_id: int
    href: str  # the request, for its agency's partner; the set of checks, for the hub
    agency: str
    due: str


def alert_rows(alerts: Iterable[Alert], *, for_partner: bool) -> list[AlertRow]:
    """The alerts banner's lines (checks/_alerts.html): each alert's links and times made once here,
    not by template tags on every page that shows the banner."""
    return [
        AlertRow(
            pk=alert.pk,
            kind=alert.get_kind_display(),
            request_id=alert.request_id,
            href=reverse("checks:request", args=[alert.request_id])
            if for_partner
            else reverse("checks:checks", args=[alert.request.checks_id]),
            agency=str(alert.request.agency),
            due=short_time(alert.request.due_at),
        )
        for alert in alerts
    ]


class ContactPanel(Panel):
    """The contact's MASH checks, with a warning for each answer that came after they went for
    decision and, once the outcome names one, the allocated social worker it was sent to."""

    template_name = "checks/_contact_panel.html"
    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = (
        Prefetch(
            "mash_checks",
            queryset=MashChecks.objects.prefetch_related(
                Prefetch("requests", queryset=AgencyRequest.objects.select_related("agency"))
            ),
        ),
        Prefetch("late_answer_recipients", queryset=LateAnswerRecipients.objects.select_related("allocated_worker")),
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        checks = list(contact.mash_checks.all())
        if not checks:
            return None
        recipients = getattr(contact, "late_answer_recipients", None)
        return {
            "checks": checks,
            "late": [request for each in checks for request in each.late_requests()],
            "allocated_worker": recipients.allocated_worker if recipients is not None else None,
        }

    def actions(self, record: Contact, *, user: User) -> list[Action]:
        if not can_start_checks(user, record):
            return []
        return [Action("Start MASH checks", reverse("checks:start", args=[record.pk]))]
