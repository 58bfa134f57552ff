"""The work queues: which contacts each queue holds, in due-time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, QuerySet

from safehub.accounts.models import User
from safehub.checks.queries import checks_rating
from safehub.contacts.models import Contact, ContactQuerySet, overdue_at
from safehub.contacts.workflow import STATES, ContactState
from safehub.decisions.queries import latest_rating


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


# What a queue's row shows (queues.presenters.rows): a row of plain values per contact, not a
# model instance: only these columns, the newest rating and the newest checks' risk level as
# columns of the same query, and the children's names from one query for the whole page.
ROW_FIELDS = ("pk", "reference", "received_at", "state", "current_due_at", "concern_categories", "initial_rating")


def queue_contacts(user: User, queue: Queue, *, at: datetime) -> QuerySet[Contact, dict[str, Any]]:
    """The queue's contacts, soonest due first, each a dict of ROW_FIELDS with `latest_rating`
    (the newest recommendation's BRAG rating, or None) and `checks_rating` (the risk level of its
    newest MASH checks, or None)."""
    contacts: QuerySet[Contact, dict[str, Any]] = (
        queue.select(Contact.objects.visible_to(user), at)
        .order_by(F("current_due_at").asc(nulls_last=True), "received_at")
        .values(*ROW_FIELDS, latest_rating=latest_rating(), checks_rating=checks_rating())
    )
    return contacts


# The states a queue holds, and every open state for "Overdue": counted in one query.
OPEN_STATES = tuple(state for state in ContactState if state != ContactState.CLOSED)


def queue_counts(user: User, *, at: datetime) -> dict[str, int]:
    """How many contacts each queue holds, from one query that counts the open contacts by state,
    and those past their due time. Only open states are counted: a year's closed contacts would be
    a hundred thousand rows read on every page (the state index finds the few hundred open ones)."""
    by_state = {
        state: (count, overdue)
        for state, count, overdue in Contact.objects.visible_to(user)
        .filter(state__in=OPEN_STATES)
        .order_by()
        .values_list("state")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=overdue_at(at)))
    }
    return {
        queue.slug: sum(by_state.get(state, (0, 0))[0] for state in queue.states)
        if queue.states
        else sum(overdue for _, overdue in by_state.values())
        for queue in QUEUES
    }
