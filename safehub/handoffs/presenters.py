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
        return {"rows": [row(handoff, user=user) for handoff in handoffs]}
