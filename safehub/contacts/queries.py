"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact


def contact_read(contact_id: int, *, purpose: str, exists: bool = True) -> Read:
    return Read(Verb.CONTACT_VIEWED, "contact", contact_id, purpose, contact_id=contact_id if exists else None)


def get_contact_for(user: User, pk: int, *, purpose: str) -> Contact:
    """The contact, if `user` may see it, its read recorded for `purpose` (the page that shows
    it); otherwise 404, so its existence does not leak, and the refusal recorded."""
    contact = (
        Contact.objects.visible_to(user)
        .select_related("team", "recorded_by", "restricted_by", "screening__screened_by")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        note_refusal(user, contact_read(pk, purpose=purpose, exists=Contact.objects.filter(pk=pk).exists()))
        raise Http404("No contact found")
    note_read(user, contact_read(contact.pk, purpose=purpose))
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
    if contact.is_restricted:
        prefetch_related_objects([contact], "restricted_access__user")
    return contact
