"""A worker's caseload: the contacts handed to them and the children on them, and what to do next.

The worker a contact is sent to (an open case's allocated worker, the previous social worker under
the three-month rule, the social worker allocated with the outcome) is not on the MASH team and has
no queue of their own at the front door. Their caseload is where the hand-off arrives: those not
yet marked received first (the in-app alert), the children, and partner agencies' answers that
came after the decision (000: "sent to the allocated social worker").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from safehub.accounts.models import User
from safehub.checks.models import AlertKind
from safehub.checks.queries import unread_alerts
from safehub.contacts.models import CHILD_ROLES, Contact, ContactSubject
from safehub.decisions.models import ChildAction
from safehub.decisions.queries import child_outcomes
from safehub.handoffs.models import Handoff
from safehub.handoffs.queries import handoffs_to
from safehub.screening.models import ScreeningRoute

# The most contacts the page lists (newest first); a worker's caseload is far smaller.
SHOWN = 200


@dataclass(frozen=True)
class CaseloadChild:
    name: str
    born: date | None
    contact_id: int
    reference: str
    received: datetime
    outcome: str  # the approved outcome, or where screening sent the contact


def caseload_contacts(user: User) -> list[dict[str, Any]]:
    """The contacts handed or allocated to `user` that they may see, newest first."""
    handed = Handoff.objects.filter(contact=OuterRef("pk"), recipient=user)
    rows = (
        Contact.objects.visible_to(user)
        .filter(Q(outcome_action__allocated_worker=user) | Exists(handed))
        .order_by("-received_at", "-pk")
        .values("pk", "reference", "received_at", "screening__route")[:SHOWN]
    )
    return [dict(row) for row in rows]


def children_of(contacts: list[dict[str, Any]], user: User) -> list[CaseloadChild]:
    """The children on these contacts who came to `user`: on an outcome actioned per child, those
    whose own place (`ChildAction`) is with them, not a sibling sent elsewhere or to no one; on a
    contact forwarded at screening, every child."""
    by_contact = {row["pk"]: row for row in contacts}
    placed: dict[int, set[int]] = {}
    email = user.email.strip().lower()
    for contact_id, subject_id, worker_id, worker_email in ChildAction.objects.filter(
        action__contact_id__in=list(by_contact)
    ).values_list("action__contact_id", "subject_id", "allocated_worker_id", "worker_email"):
        mine = placed.setdefault(contact_id, set())
        if worker_id == user.pk or (email and worker_email.strip().lower() == email):
            mine.add(subject_id)
    subjects = [
        subject
        for subject in ContactSubject.objects.filter(contact_id__in=list(by_contact), role__in=CHILD_ROLES).order_by(
            "contact_id", "order"
        )
        if subject.contact_id not in placed or subject.pk in placed[subject.contact_id]
    ]
    # Each child's own approved outcome (decisions per child), or where screening sent the contact.
    decided = {
        child.subject: child.outcome.label
        for outcomes in child_outcomes(list(by_contact)).values()
        for child in outcomes
        if child.approved
    }
    children = []
    for subject in subjects:
        contact = by_contact[subject.contact_id]
        route = contact["screening__route"]
        children.append(
            CaseloadChild(
                name=subject.display_name,
                born=subject.date_of_birth,
                contact_id=subject.contact_id,
                reference=str(contact["reference"]),
                received=contact["received_at"],
                outcome=decided.get(subject.pk) or (ScreeningRoute(route).label if route else ""),
            )
        )
    return sorted(children, key=lambda c: (-c.received.timestamp(), c.contact_id))


def late_answers(user: User) -> list[dict[str, Any]]:
    """Partner agencies' answers that came after the decision, sent to this worker and not yet read."""
    return list(unread_alerts(user, limit=50, kinds=[AlertKind.LATE_ANSWER]))


def waiting_handoffs(user: User) -> QuerySet[Handoff]:
    """The hand-offs to `user` not yet marked received: Red first, then the longest waiting."""
    return (
        handoffs_to(user)
        .not_received()
        .select_related("recipient", "contact", "sent_by")
        .order_by("-urgent", "sent_at", "pk")
    )
