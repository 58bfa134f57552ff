"""The contact page's hand-offs panel: who the contact was sent to, when, and whether it arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import Panel
from safehub.handoffs.models import Handoff
from safehub.handoffs.permissions import can_mark_received
from safehub.handoffs.services import is_urgent


@dataclass(frozen=True)
class HandoffRow:
    pk: int
    contact_id: int
    reference: str
    kind: str
    to: str  # "Sam Okafor, Locality team 2", and "(not a Safehub user)" for a worker only emailed
    in_safehub: bool
    sent: datetime
    sent_by: str
    emailed: datetime | None
    email: str  # the address it went to, or ""
    received: datetime | None
    mark_received_href: str  # for the recipient, until they have marked it
    urgent: bool  # rated Red: the row and the email say so


def row(handoff: Handoff, *, user: User) -> HandoffRow:
    team = f", {handoff.team}" if handoff.team else ""
    outside = "" if handoff.recipient_id is not None else " (not a Safehub user)"
    return HandoffRow(
        pk=handoff.pk,
        contact_id=handoff.contact_id,
        reference=handoff.contact.reference,
        kind=handoff.get_kind_display(),
        to=f"{handoff.recipient_name}{team}{outside}",
        in_safehub=handoff.recipient_id is not None,
        sent=handoff.sent_at,
        sent_by=handoff.sent_by.get_full_name() or handoff.sent_by.username,
        emailed=handoff.emailed_at,
        email=handoff.recipient.email if handoff.recipient is not None else handoff.recipient_email,
        received=handoff.received_at,
        urgent=handoff.urgent or is_urgent(handoff.contact),
        mark_received_href=(
            reverse("handoffs:mark-received", args=[handoff.pk])
            if handoff.received_at is None and can_mark_received(user, handoff)
            else ""
        ),
    )


class ContactPanel(Panel):
    """Each worker the contact was handed to, with when it was emailed and when they received it."""

    template_name = "handoffs/_contact_panel.html"
    lookups = (Prefetch("handoffs", queryset=Handoff.objects.select_related("recipient", "sent_by")),)

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        handoffs = list(contact.handoffs.all())
        if not handoffs:
            return None
        action = getattr(contact, "outcome_action", None)
        placed = list(action.children.all()) if action is not None else []  # prefetched with the decisions panel
        return {"rows": [(row(handoff, user=user), children_for(handoff, placed)) for handoff in handoffs]}


def children_for(handoff: Handoff, placed: list[Any]) -> str:
    """The children an outcome sent to this hand-off's worker (`decisions.ChildAction` rows), by
    name: "Ann Harlow", so that a page with siblings sent to two workers says who went where. ""
    when the hand-off came from screening (the whole family) or no child's place names the worker."""
    email = handoff.recipient_email.strip().lower()
    names = [
        child.subject.display_name
        for child in placed
        if (child.allocated_worker_id is not None and child.allocated_worker_id == handoff.recipient_id)
        or (email and child.worker_email.strip().lower() == email)
        or (child.worker and child.worker == handoff.recipient_name)
    ]
    return ", ".join(dict.fromkeys(names))
