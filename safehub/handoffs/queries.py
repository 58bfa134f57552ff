"""Scoped reads of hand-offs: a worker's own, and the contact's (for its page)."""

from __future__ import annotations

from django.db.models import F
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.reads import note_refusal
from safehub.contacts.models import Contact
from safehub.contacts.queries import contact_read
from safehub.core.queries import by_pk
from safehub.handoffs.models import Handoff, HandoffQuerySet


def handoffs_to(user: User) -> HandoffQuerySet:
    """The contacts sent to `user`, those not yet received first, then newest first."""
    return (
        Handoff.objects.to(user)
        .filter(contact__in=Contact.objects.visible_to(user).values("pk"))
        .select_related("contact", "sent_by")
        .order_by(F("received_at").desc(nulls_first=True), "-sent_at", "-pk")
    )


def get_handoff_for(user: User, pk: int) -> Handoff:
    """A hand-off sent to `user` (to mark it received); anyone else's is a 404, and recorded."""
    handoff = by_pk(Handoff.objects.to(user).select_related("contact"), pk)
    if handoff is None:
        contact_id = Handoff.objects.filter(pk=pk).values_list("contact_id", flat=True).first()
        note_refusal(
            user,
            contact_read(contact_id or 0, purpose="handoff", exists=contact_id is not None),
        )
        raise Http404("No hand-off found")
    return handoff
