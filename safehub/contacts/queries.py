"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact
from safehub.core.queries import by_pk


def contact_read(contact_id: int, *, purpose: str, exists: bool = True, restricted: bool = False) -> Read:
    contact = contact_id if exists else None
    return Read(Verb.CONTACT_VIEWED, "contact", contact_id, purpose, contact_id=contact, restricted=restricted)


def get_contact_for(user: User, pk: int, *, purpose: str, related: Sequence[str] = ()) -> Contact:
    """The contact, if `user` may see it, its read recorded for `purpose` (the page that shows
    it); otherwise 404, so its existence does not leak, and the refusal recorded. `related` adds
    one-to-one rows to fetch in the same query (select_related paths)."""
    contact = by_pk(
        Contact.objects.visible_to(user).select_related(
            "team", "recorded_by", "restricted_by", "screening__screened_by", *related
        ),
        pk,
    )
    if contact is None:
        note_refusal(user, contact_read(pk, purpose=purpose, exists=Contact.objects.filter(pk=pk).exists()))
        raise Http404("No contact found")
    note_read(user, contact_read(contact.pk, purpose=purpose, restricted=contact.is_restricted))
    return contact
