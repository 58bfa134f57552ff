"""The terms 'Find a contact' looks a contact up by, kept beside it (`ContactSearchTerm`):

- `w:<word>` for every word of the names of the people on it, of their addresses (the last word of
  each part also as the word it stands for: 'rd' and 'road'), and of the referrer's name and agency,
  folded as the People search folds them (people.search_terms.words: case, accents and apostrophes
  aside);
- `p:<postcode>` for the postcode of each person on it.

A search for words finds the contacts that have every word, in any of those places; for a postcode,
those with it. The terms are written when the contact is recorded (contacts.services.record_contact),
in the same transaction, and written again when an amendment changes the people or the referrer
(contacts.amendments).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from safehub.contacts.models import Contact, ContactSearchTerm, ContactSubject
from safehub.core.bulk import insert_rows
from safehub.people.identifiers import is_valid_postcode, normalise_postcode
from safehub.people.search_terms import address_words, words

WORD, POSTCODE = "w:", "p:"
MAX_TERM = ContactSearchTerm._meta.get_field("term").max_length or 0
BATCH = 2000


def _address_terms(address: str) -> set[str]:
    found: set[str] = set()
    for part in address.split(","):
        found.update(words(part))
        found.update(address_words(part)[-1:])
    return found


def terms_of(contact: Contact, subjects: Iterable[ContactSubject]) -> set[str]:
    found = set(words(contact.referrer_name)) | set(words(contact.referrer_agency))
    postcodes: set[str] = set()
    for subject in subjects:
        found.update(words(subject.given_name))
        found.update(words(subject.family_name))
        found.update(_address_terms(subject.address))
        if subject.postcode and is_valid_postcode(subject.postcode):
            postcodes.add(normalise_postcode(subject.postcode))
    return {f"{WORD}{word}"[:MAX_TERM] for word in found} | {f"{POSTCODE}{code}" for code in postcodes}


def write(contacts: Sequence[Contact], subjects: Iterable[ContactSubject]) -> None:
    """Store the terms of these contacts, named with all their subjects; none may have terms yet."""
    by_contact: dict[int, list[ContactSubject]] = defaultdict(list)
    for subject in subjects:
        by_contact[subject.contact_id].append(subject)
    rows = ((term, contact.pk) for contact in contacts for term in sorted(terms_of(contact, by_contact[contact.pk])))
    insert_rows(ContactSearchTerm, ("term", "contact_id"), rows)


def index_contacts(ids: Iterable[int] | None = None) -> int:
    """(Re)write the terms of these contacts (every contact's when ids is None); returns how many.
    For contacts stored other than through record_contact (a migration, the benchmarks' bulk loads)."""
    contacts = Contact.objects.order_by("pk").only("pk", "referrer_name", "referrer_agency")
    terms = ContactSearchTerm.objects.all()
    if ids is not None:
        ids = list(ids)
        contacts, terms = contacts.filter(pk__in=ids), terms.filter(contact_id__in=ids)
    terms.delete()
    count = 0
    chunk: list[Contact] = []
    for contact in contacts.iterator(chunk_size=BATCH):
        chunk.append(contact)
        if len(chunk) == BATCH:
            count += _write_chunk(chunk)
            chunk = []
    return count + _write_chunk(chunk)


def _write_chunk(contacts: list[Contact]) -> int:
    subjects = ContactSubject.objects.filter(contact__in=contacts).only(
        "contact_id", "given_name", "family_name", "address", "postcode"
    )
    write(contacts, subjects)
    return len(contacts)
