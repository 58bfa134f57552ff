"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import CHILD_ROLES, Contact, ContactSubject, subject_name
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


def children_named(contact_ids: Sequence[int]) -> dict[int, list[str]]:
    """The children each of these contacts names, in the contact's order. The ids come from a
    scoped query (a work queue, say), so only contacts the user may see are read."""
    names: dict[int, list[str]] = {pk: [] for pk in contact_ids}
    subjects = (
        ContactSubject.objects.filter(contact_id__in=contact_ids, role__in=CHILD_ROLES)
        .order_by("contact_id", "order")
        .values_list("contact_id", "given_name", "family_name", "kind")
    )
    for contact_id, given, family, kind in subjects:
        names[contact_id].append(subject_name(given, family, kind))
    return names
