"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import Http404

from safehub.accounts.models import User
from safehub.contacts.models import Contact


def get_contact_for(user: User, pk: int) -> Contact:
    """The contact, if `user` may see it; otherwise 404, so its existence does not leak."""
    contact = (
        Contact.objects.visible_to(user)
        .select_related("team", "recorded_by", "screening__screened_by")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise Http404("No contact found")
    return contact


def load_history(contact: Contact) -> Contact:
    """Fetch everything the contact page shows in a fixed number of queries."""
    prefetch_related_objects(
        [contact],
        "subjects__person",
        "recommendations__recommended_by",
        "recommendations__level",
        "decisions__decided_by",
        "state_changes__by",
        "mash_checks__requests__agency",
        "outcome_action__actioned_by",
        "outcome_action__allocated_worker",
    )
    return contact
