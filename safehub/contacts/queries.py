"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.known import added_after_the_decision
from safehub.contacts.models import (
    CHILD_ROLES,
    AmendmentKind,
    Contact,
    ContactQuerySet,
    ContactSearchTerm,
    ContactSubject,
    subject_name,
)
from safehub.contacts.search_terms import POSTCODE, WORD
from safehub.core.queries import by_pk
from safehub.people.identifiers import is_valid_postcode, normalise_postcode
from safehub.people.models import SearchTerm
from safehub.people.search_terms import GIVEN, SURNAME, word_forms, words


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


def person_added_after_the_decision(user: User, contact_pk: int, amendment_pk: int) -> dict[str, Any] | None:
    """The person an addendum added to a decided contact, as it recorded them, to start a new
    contact about them with: read through the contact (404 unless the user may see it; the read
    recorded). None when that contact has no such addendum."""
    contact = get_contact_for(user, contact_pk, purpose="record-contact-from-addendum")
    amendment = contact.amendments.filter(pk=amendment_pk, kind=AmendmentKind.PERSON_ADDED, after_decision=True).first()
    return added_after_the_decision(amendment) if amendment is not None else None


def contacts_naming(user: User, person_ids: Iterable[int]) -> ContactQuerySet:
    """The contacts that name any of these people (by their person index records) that `user` may
    see: a person's chronology, the screening page's family history, and the previous MASH enquiries
    a GP practice's request for information lists (003 App. 5 §5) all read a person's contacts here."""
    named = ContactSubject.objects.filter(person_id__in=list(person_ids)).values("contact_id")
    return Contact.objects.visible_to(user).filter(pk__in=named)


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


# A contact's reference as typed: "C2026-000123", "c2026-123", "c2026000123", "2026/123".
_REFERENCE = re.compile(r"^(?:c\s*(\d{4})\s*[-/ ]?|(\d{4})\s*[-/])\s*(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class ContactQuery:
    """What 'Find a contact' looks for, from one line of text: a reference, a postcode, or words
    (of a name of someone on the contact, the referrer's name or agency, an address), folded as
    contacts.search_terms stores them."""

    reference: str = ""
    postcode: str = ""
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> ContactQuery:
        text = text.strip()
        found = _REFERENCE.match(text)
        if found:
            return cls(reference=f"C{found[1] or found[2]}-{int(found[3]):06d}")
        if text.isascii() and text.isdigit() and 3 <= len(text) <= 9:
            # The number of a reference without its year ("001576" or "1576"): numbers never repeat.
            return cls(reference=f"-{int(text):06d}")
        if is_valid_postcode(text):
            return cls(postcode=normalise_postcode(text))
        return cls(words=tuple(dict.fromkeys(words(text))))

    @property
    def kind(self) -> str:
        return "reference" if self.reference else "postcode" if self.postcode else "words"

    @property
    def is_empty(self) -> bool:
        return not (self.reference or self.postcode or self.words)


def _having(terms: list[str]) -> QuerySet[ContactSearchTerm, int]:
    """The ids of the contacts that have one of these terms (as a subquery)."""
    return ContactSearchTerm.objects.filter(term__in=terms).order_by().values_list("contact_id", flat=True)


def find_contacts(user: User, query: ContactQuery) -> QuerySet[Contact]:
    """The contacts `user` may see (`visible_to`, so another team's or a restricted contact never
    shows) that `query` finds, newest first: by reference exactly; by the postcode of someone on
    the contact; or with every word somewhere in the names of the people on it, their addresses,
    the referrer's name or agency (contacts.search_terms), or in the name the person index holds
    for someone on it. Each comes with the children it names (`children`)."""
    children = Prefetch("subjects", queryset=ContactSubject.objects.filter(role__in=CHILD_ROLES), to_attr="children")
    contacts = (
        Contact.objects.visible_to(user)
        .only("pk", "reference", "received_at", "state", "concern_categories")
        .prefetch_related(children)
        .order_by("-received_at", "-pk")
    )
    if query.reference.startswith("-"):
        return contacts.filter(reference__endswith=query.reference)
    if query.reference:
        return contacts.filter(reference=query.reference)
    if query.postcode:
        return contacts.filter(pk__in=_having([POSTCODE + query.postcode]))
    if not query.words:
        return contacts.none()
    on_contact = _having([WORD + form for form in word_forms(query.words[0])])
    for word in query.words[1:]:
        on_contact = on_contact.filter(contact_id__in=_having([WORD + form for form in word_forms(word)]))
    linked = ContactSubject.objects.order_by()
    for word in query.words:
        named = SearchTerm.objects.filter(term__in=[SURNAME + word, GIVEN + word])
        linked = linked.filter(person__in=named.values("person_id"))
    # One subquery of ids, so that the database starts from the terms' index, not from every contact.
    return contacts.filter(pk__in=on_contact.union(linked.values_list("contact_id", flat=True)))
