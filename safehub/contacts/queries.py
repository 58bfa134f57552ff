"""Scoped reads of contacts: the entry points views use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower, Replace
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import CHILD_ROLES, Contact, ContactSubject
from safehub.core.queries import by_pk
from safehub.people.identifiers import is_valid_postcode, normalise_postcode
from safehub.people.models import SearchTerm
from safehub.people.search_terms import GIVEN, SURNAME, words


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


# A contact's reference as typed: "C2026-000123", "c2026-123", "c2026000123", "2026/123".
_REFERENCE = re.compile(r"^(?:c\s*(\d{4})\s*[-/ ]?|(\d{4})\s*[-/])\s*(\d{1,9})$", re.IGNORECASE)
# What separates words in a name, an agency or an address, besides spaces.
_SEPARATORS = "-,./()&;:"
_APOSTROPHES = "'’‘`"


@dataclass(frozen=True)
class ContactQuery:
    """What 'Find a contact' looks for, from one line of text: a reference, a postcode, or words
    (a name of someone on the contact, the referrer's name or agency, an address)."""

    reference: str = ""
    postcode: str = ""
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> ContactQuery:
        text = text.strip()
        found = _REFERENCE.match(text)
        if found:
            return cls(reference=f"C{found[1] or found[2]}-{int(found[3]):06d}")
        if is_valid_postcode(text):
            return cls(postcode=normalise_postcode(text))
        return cls(words=tuple(dict.fromkeys(_typed_words(text))))

    @property
    def kind(self) -> str:
        return "reference" if self.reference else "postcode" if self.postcode else "words"

    @property
    def is_empty(self) -> bool:
        return not (self.reference or self.postcode or self.words)


def _typed_words(text: str) -> list[str]:
    """Lower-case words as they are written (accents kept, apostrophes out), to compare with the
    contact's fields folded the same way in the database (`_folded`)."""
    lowered = text.lower()
    for apostrophe in _APOSTROPHES:
        lowered = lowered.replace(apostrophe, "")
    return [word for word in re.split(r"[\W_]+", lowered) if word]


def _folded(*fields: str) -> Any:
    """' mia o donnell ' from 'Mia', "O'Donnell": the fields lower-cased, apostrophes taken out and
    other punctuation made a space, between spaces, so that a whole word is ' word '."""
    expression: Any = Lower(Concat(*[part for field in fields for part in (Value(" "), F(field))], Value(" ")))
    for apostrophe in _APOSTROPHES:
        expression = Replace(expression, Value(apostrophe), Value(""))
    for separator in _SEPARATORS:
        expression = Replace(expression, Value(separator), Value(" "))
    return expression


def _has_words(expression: str, words: tuple[str, ...]) -> Q:
    return Q(*[Q(**{f"{expression}__contains": f" {word} "}) for word in words])


def find_contacts(user: User, query: ContactQuery) -> QuerySet[Contact]:
    """The contacts `user` may see (`visible_to`, so another team's or a restricted contact never
    shows) that `query` finds, newest first: by reference exactly; by a postcode of someone on the
    contact; or with every word in the name of someone on it (as typed, or as the person index
    holds the person it is linked to), in the referrer's name or agency, or in an address on it.
    Each comes with the children it names (`children`)."""
    children = Prefetch("subjects", queryset=ContactSubject.objects.filter(role__in=CHILD_ROLES), to_attr="children")
    contacts = (
        Contact.objects.visible_to(user)
        .only("pk", "reference", "received_at", "state", "concern_categories")
        .prefetch_related(children)
        .order_by("-received_at", "-pk")
    )
    if query.reference:
        return contacts.filter(reference=query.reference)
    subjects = ContactSubject.objects.filter(contact=OuterRef("pk"))
    if query.postcode:
        return contacts.filter(Exists(subjects.filter(postcode=query.postcode)))
    if not query.words:
        return contacts.none()
    # Linked to a person in the index with every word as a given name or a surname (folded there:
    # accents aside), or named on the contact with every word, or living at an address with them.
    linked = [
        Q(person__in=SearchTerm.objects.filter(term__in=[SURNAME + word, GIVEN + word]).values("person_id"))
        for word in words(" ".join(query.words))
    ]
    matches = _has_words("name", query.words) | _has_words("place", query.words)
    if linked:
        matches |= Q(*linked)
    found_subjects = subjects.alias(name=_folded("given_name", "family_name"), place=_folded("address")).filter(matches)
    referrer = contacts.alias(referrer=_folded("referrer_name"), agency=_folded("referrer_agency"))
    return referrer.filter(
        _has_words("referrer", query.words) | _has_words("agency", query.words) | Exists(found_subjects)
    )
