from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from safehub.contacts.models import Contact
from safehub.contacts.presenters import concern_labels
from safehub.contacts.workflow import STATES, ContactState
from safehub.core.presenters import Due, brag_tag_class, due
from safehub.decisions.queries import latest_recommendation


@dataclass(frozen=True)
class QueueRow:
    contact: Contact
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
        subjects = list(contact.subjects.all())
        state = STATES[ContactState(contact.state)]
        latest = latest_recommendation(contact)
        result.append(
            QueueRow(
                contact=contact,
                children=", ".join(s.display_name for s in subjects if s.is_child) or "Not recorded",
                concerns=", ".join(concern_labels(contact.concern_categories)),
                rating=latest.get_rating_display() if latest else "",
                rating_tag=brag_tag_class(latest.rating) if latest else "",
                state=state.label,
                state_tag=state.tag_class,
                due=due(contact.current_due_at, at=at),
            )
        )
    return result
