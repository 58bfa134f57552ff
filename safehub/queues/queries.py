"""The work queues: which contacts each queue holds, in due-time order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from safehub.accounts.models import User
from safehub.checks.queries import checks_asked_for, checks_rating
from safehub.contacts.models import Contact, ContactQuerySet, overdue_at
from safehub.contacts.permissions import ALLOCATABLE_STATES, can_allocate
from safehub.contacts.workflow import STATES, ContactState
from safehub.decisions.queries import latest_rating


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    description: str
    states: tuple[ContactState, ...]  # the states whose contacts it holds; none for "Overdue"
    # Whose contacts: any ("" — the state queues and Overdue), the user's own ("mine") or nobody's yet
    # ("unallocated"), from the manager's allocation at the front door (contacts.services.allocate).
    allocated: str = ""

    def select(self, contacts: ContactQuerySet, at: datetime, *, user: User | None = None) -> QuerySet[Contact]:
        if self.allocated == "mine":
            return contacts.filter(state__in=self.states, allocated_to=user)
        if self.allocated == "unallocated":
            return contacts.filter(state__in=self.states, allocated_to__isnull=True)
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
        "consent",
        "Awaiting consent",
        "Professionals' requests for a child in need assessment made without consent: the referrer is asking the family.",
    ),
    _holding(
        "checks",
        "MASH checks",
        "Contacts whose partner agencies are being asked what they hold, until the checks go for decision.",
    ),
    _holding(
        "approval",
        "Awaiting approval",
        "Recommendations waiting for approval by a team manager, or whoever the local protocol names.",
    ),
    _holding("outcomes", "Outcome to action", "Approved decisions whose outcome has not been carried out yet."),
    Queue("overdue", "Overdue", "Every open contact past its due time, most overdue first.", states=()),
]
# The state queues above hold every contact in their states; these hold a worker's own.
MY_WORK = Queue(
    "mine",
    "My work",
    "Contacts a manager has allocated to you, soonest due first.",
    tuple(state for state in ContactState if state != ContactState.CLOSED),
    allocated="mine",
)
UNALLOCATED = Queue(
    "unallocated",
    "Unallocated",
    "Contacts waiting for screening or a threshold decision that no one has been allocated yet.",
    tuple(sorted(ALLOCATABLE_STATES)),
    allocated="unallocated",
)
WORKER_QUEUES = [MY_WORK, UNALLOCATED]
QUEUE_BY_SLUG = {queue.slug: queue for queue in [*QUEUES, *WORKER_QUEUES]}


def queues_for(user: User) -> list[Queue]:
    """The queues the user moves between: their own work, the unallocated contacts for a manager
    (who allocates them), and the state queues."""
    return [MY_WORK, *([UNALLOCATED] if can_allocate(user) else []), *QUEUES]


# What a queue's row shows (queues.presenters.rows): a row of plain values per contact, not a
# model instance: only these columns, the newest rating and the newest checks' risk level as
# columns of the same query, and the children's names from one query for the whole page.
ROW_FIELDS = (
    "pk",
    "reference",
    "received_at",
    "state",
    "current_due_at",
    "concern_categories",
    "initial_rating",
    "allocated_to__first_name",
    "allocated_to__last_name",
)


def queue_contacts(
    user: User, queue: Queue, *, at: datetime, narrow: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None = None
) -> QuerySet[Contact, dict[str, Any]]:
    """The queue's contacts, soonest due first (or as `narrow` filters and orders them: the queue
    page's filters), each a dict of ROW_FIELDS with `latest_rating` (the newest recommendation's
    BRAG rating, or None) and `checks_rating` (the risk level of its newest MASH checks, or None)."""
    selected = queue.select(Contact.objects.visible_to(user), at, user=user)
    selected = (
        narrow(selected) if narrow else selected.order_by(F("current_due_at").asc(nulls_last=True), "received_at")
    )
    contacts: QuerySet[Contact, dict[str, Any]] = selected.values(
        *ROW_FIELDS,
        latest_rating=latest_rating(),
        checks_rating=checks_rating(),
        asked_for_checks=checks_asked_for(),
    )
    return contacts


# The states a queue holds, and every open state for "Overdue": counted in one query.
OPEN_STATES = tuple(state for state in ContactState if state != ContactState.CLOSED)


ASKED_FOR_CHECKS = "asked-for-checks"


def queue_counts(user: User, *, at: datetime) -> dict[str, int]:
    """How many contacts each queue holds, from one query that counts the open contacts by state,
    those past their due time, those allocated to the user and those allocated to no one. Only
    open states are counted: a year's closed contacts would be a hundred thousand rows read on
    every page (the state index finds the few hundred open ones)."""
    by_state = {
        state: counts
        for state, *counts in Contact.objects.visible_to(user)
        .filter(state__in=OPEN_STATES)
        .order_by()
        .values_list("state")
        .annotate(
            count=Count("pk"),
            overdue=Count("pk", filter=overdue_at(at)),
            mine=Count("pk", filter=Q(allocated_to=user)),
            unallocated=Count("pk", filter=Q(allocated_to__isnull=True)),
            asked=Count("pk", filter=Q(checks_asked_for())),
        )
    }
    column = {"": 0, "mine": 2, "unallocated": 3}

    def count(queue: Queue) -> int:
        if not queue.states:
            return sum(counts[1] for counts in by_state.values())
        return sum(by_state[state][column[queue.allocated]] for state in queue.states if state in by_state)

    counts = {queue.slug: count(queue) for queue in [*QUEUES, *WORKER_QUEUES]}
    # Contacts a social worker asked a manager to start MASH checks on (the managers' banner).
    counts[ASKED_FOR_CHECKS] = sum(state_counts[4] for state_counts in by_state.values())
    return counts
