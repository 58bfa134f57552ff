"""The work queues: which contacts each queue holds, in due-time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Prefetch, QuerySet

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactQuerySet, ContactSubject
from safehub.contacts.workflow import STATES, ContactState
from safehub.decisions.models import Recommendation


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    description: str
    states: tuple[ContactState, ...]  # the states whose contacts it holds; none for "Overdue"

    def select(self, contacts: ContactQuerySet, at: datetime) -> QuerySet[Contact]:
        if not self.states:
            return contacts.overdue(at=at)
        return contacts.filter(state__in=self.states)


def _holding(slug: str, title: str, description: str) -> Queue:
    """A queue of the contacts whose state the lifecycle puts on it (contacts.workflow.STATES)."""
    return Queue(slug, title, description, tuple(state for state, info in STATES.items() if info.queue == slug))


QUEUES: list[Queue] = [
    _holding("screening", "To screen", "New contacts and contacts in basic screening."),
    _holding(
        "threshold",
        "Awaiting threshold decision",
        "Screened contacts waiting for a MASH social worker's rating and recommendation.",
    ),
    _holding(
        "checks",
        "MASH checks",
        "Contacts whose partner agencies are being asked what they hold, until the checks go for decision.",
    ),
    _holding("approval", "Awaiting approval", "Recommendations waiting for a team manager."),
    _holding("outcomes", "Outcome to action", "Approved decisions whose outcome has not been carried out yet."),
    Queue("overdue", "Overdue", "Every open contact past its due time, most overdue first.", states=()),
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
    """How many contacts each queue holds: one query counts them by state, one the overdue ones."""
    base = Contact.objects.visible_to(user)
    by_state = dict(base.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    return {
        queue.slug: sum(by_state.get(state, 0) for state in queue.states)
        if queue.states
        else queue.select(base, at).count()
        for queue in QUEUES
    }
