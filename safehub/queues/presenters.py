from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from safehub.checks.presenters import short_time
from safehub.contacts.models import Contact
from safehub.contacts.presenters import concern_labels
from safehub.contacts.workflow import STATES, ContactState
from safehub.core.presenters import Due, brag_tag_class, due
from safehub.protocols.models import Brag
from safehub.queues.queries import Queue


@dataclass(frozen=True)
class QueueRow:
    contact: Contact
    href: str
    received: str
    children: str
    concerns: str
    rating: str
    rating_tag: str
    state: str
    state_tag: str
    due: Due | None


def rows(contacts: Iterable[Contact], *, at: datetime) -> list[QueueRow]:
    result = []
    for contact in contacts:
        subjects = contact.listed_subjects  # type: ignore[attr-defined]  # queues.queries.queue_contacts
        state = STATES[ContactState(contact.state)]
        # Rated by a recommendation; before that, under MASH checks, the risk level the checks follow.
        rating = contact.latest_rating or contact.checks_rating  # type: ignore[attr-defined]
        suffix = "" if contact.latest_rating or not rating else " (MASH checks)"  # type: ignore[attr-defined]
        result.append(
            QueueRow(
                contact=contact,
                href=reverse("contacts:contact", args=[contact.pk]),
                received=short_time(contact.received_at),
                children=", ".join(s.display_name for s in subjects if s.is_child) or "Not recorded",
                concerns=", ".join(concern_labels(contact.concern_categories)),
                rating=f"{Brag(rating).label}{suffix}" if rating else "",
                rating_tag=brag_tag_class(rating) if rating else "",
                state=state.label,
                state_tag=state.tag_class,
                due=due(contact.current_due_at, at=at),
            )
        )
    return result


@dataclass(frozen=True)
class QueueLink:
    label: str  # "Screening (3)"
    href: str  # "" for the queue being shown


def queue_links(queues: Iterable[Queue], *, current: Queue, counts: Mapping[str, int]) -> list[QueueLink]:
    """The queues to move between, each with how many contacts it holds."""
    links = []
    for queue in queues:
        count = f" ({counts[queue.slug]})" if queue.slug in counts else ""
        href = "" if queue.slug == current.slug else reverse("queues:queue", args=[queue.slug])
        links.append(QueueLink(f"{queue.title}{count}", href))
    return links
