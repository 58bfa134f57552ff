"""The work queues: which contacts each queue holds, in due-time order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Prefetch, QuerySet

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactQuerySet, ContactSubject
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Recommendation


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    description: str
    select: Callable[[ContactQuerySet, datetime], QuerySet[Contact]]


QUEUES: list[Queue] = [
    Queue(
        "screening",
        "To screen",
        "New contacts and contacts in basic screening.",
        lambda qs, at: qs.filter(state__in=[ContactState.RECEIVED, ContactState.SCREENING]),
    ),
    Queue(
        "threshold",
        "Awaiting threshold decision",
        "Screened contacts waiting for a MASH social worker's rating and recommendation.",
        lambda qs, at: qs.filter(state=ContactState.AWAITING_THRESHOLD),
    ),
    Queue(
        "approval",
        "Awaiting approval",
        "Recommendations waiting for a team manager.",
        lambda qs, at: qs.filter(state=ContactState.AWAITING_APPROVAL),
    ),
    Queue(
        "outcomes",
        "Outcome to action",
        "Approved decisions whose outcome has not been carried out yet.",
        lambda qs, at: qs.filter(state=ContactState.APPROVED),
    ),
    Queue(
        "overdue",
        "Overdue",
        "Every open contact past its due time, most overdue first.",
        lambda qs, at: qs.overdue(at=at),
    ),
]
QUEUE_BY_SLUG = {queue.slug: queue for queue in QUEUES}


def queue_contacts(user: User, queue: Queue, *, at: datetime) -> QuerySet[Contact]:
    base = Contact.objects.visible_to(user)
    return (
        queue.select(base, at)
        .order_by(F("current_due_at").asc(nulls_last=True), "received_at")
        .prefetch_related(
            Prefetch("subjects", queryset=ContactSubject.objects.order_by("order")),
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("recommended_at", "pk")),
        )
    )


def queue_counts(user: User, *, at: datetime) -> dict[str, int]:
    base = Contact.objects.visible_to(user)
    return {queue.slug: queue.select(base, at).count() for queue in QUEUES}
