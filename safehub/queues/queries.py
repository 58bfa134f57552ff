"""The work queues: which contacts each queue holds, in due-time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Prefetch, QuerySet

from safehub.accounts.models import User
from safehub.checks.queries import open_checks_rating
from safehub.contacts.models import Contact, ContactQuerySet, ContactSubject
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


# What a queue's row shows (queues.presenters.rows): only these columns are read, not the whole
# contact (its narrative and referrer details); its subjects come as a plain list and its latest
# rating as a column, without a queryset made for every row.
ROW_FIELDS = ("pk", "reference", "received_at", "state", "current_due_at", "concern_categories")
SUBJECT_FIELDS = ("pk", "contact_id", "role", "kind", "given_name", "family_name", "order")


def queue_contacts(user: User, queue: Queue, *, at: datetime) -> QuerySet[Contact]:
    """The queue's contacts, soonest due first, each with `listed_subjects` (in order) and
    `latest_rating` (the newest recommendation's BRAG rating, or None) and `checks_rating` (the
    risk level of its open MASH checks, or None)."""
    base = Contact.objects.visible_to(user)
    return (
        queue.select(base, at)
        .only(*ROW_FIELDS)
        .annotate(latest_rating=latest_rating(), checks_rating=open_checks_rating())
        .order_by(F("current_due_at").asc(nulls_last=True), "received_at")
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=ContactSubject.objects.only(*SUBJECT_FIELDS).order_by("order"),
                to_attr="listed_subjects",
            )
        )
    )


def queue_counts(user: User, *, at: datetime) -> dict[str, int]:
    """How many contacts each queue holds: one query counts them by state, one the overdue ones.
    Only the queues' states are counted: a year's closed contacts would be a hundred thousand rows
    read and sorted on every page (the state index finds the few hundred open ones)."""
    base = Contact.objects.visible_to(user)
    queued = [state for queue in QUEUES for state in queue.states]
    by_state = dict(
        base.filter(state__in=queued).order_by().values_list("state").annotate(n=Count("pk", distinct=True))
    )
    return {
        queue.slug: sum(by_state.get(state, 0) for state in queue.states)
        if queue.states
        else queue.select(base, at).count()
        for queue in QUEUES
    }
