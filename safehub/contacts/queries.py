"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

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
