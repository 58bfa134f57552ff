"""The person index for matching: each person's features and retrieval keys, kept in the database.

`record_people` is the one way people are added (from screening, the involvements import, the demo
and the benchmarks): it stores them and indexes them together, so the index never misses anyone.

Retrieval keys are chosen so that the true person shares at least one key with a search despite
the errors real records carry: a misspelt name still shares the date of birth; a wrong date of
birth still shares name and postcode; a nickname still shares its formal form; swapped names and
a day-month swap are tried on the search side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import QuerySet

from safehub.matching import names
from safehub.matching.features import EPOCH, Features, PersonDetails, features_of
from safehub.matching.models import BlockingKey, PersonIndexEntry
from safehub.people import search_terms
from safehub.people.models import Address, Person, PersonKind, Relationship, RelationshipKind

PARENT_KINDS = (RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.CARER)
BATCH = 2000
MAX_KEY = BlockingKey._meta.get_field("key").max_length or 0


def details_of(person: Person, parent_given_names: Iterable[str] = ()) -> PersonDetails:
    return PersonDetails(
        given_name=person.given_name,
        family_name=person.family_name,
        middle_names=person.middle_names,
        date_of_birth=person.date_of_birth,
        expected_date_of_delivery=person.expected_date_of_delivery if person.kind == PersonKind.UNBORN else None,
        sex=person.sex,
        address=person.address.line_1 if person.address else "",
        postcode=person.address.postcode if person.address else "",
        nhs_number=person.nhs_number,
        parent_given_names=tuple(parent_given_names),
    )


def record_keys(f: Features) -> set[str]:
    """The keys stored for a person, each cut to the length the key column holds (a hundred-letter
    first name makes a longer one): searches make their keys here too, so they are cut alike."""
    return {key[:MAX_KEY] for key in _record_keys(f)}


def _record_keys(f: Features) -> set[str]:
    keys = set()
    family_codes = {names.soundex(part) for part in (f.family_parts or [])} | {names.soundex(f.family_name)}
    family_codes.discard(None)
    if f.nhs_number:
        keys.add(f"n:{f.nhs_number}")
    if f.dob:
        keys.add(f"d:{f.dob}")
        for code in family_codes:
            keys.add(f"fy:{code}:{f.dob[:4]}")
    for form in f.given_forms or []:
        for code in family_codes:
            keys.add(f"gf:{form}:{code}")
    if f.postcode:
        if f.given_name:
            keys.add(f"pg:{f.postcode}:{f.given_name[0]}")
        for code in family_codes:
            keys.add(f"pf:{f.postcode}:{code}")
    return keys


def search_keys(f: Features) -> set[str]:
    """The keys a search looks up: the record's own, and those of its likely mistakes."""
    keys = record_keys(f)
    if f.given_name and f.family_name:
        swapped = features_of(PersonDetails(given_name=f.family_name, family_name=f.given_name))
        name_fields = ("given_name", "given_forms", "family_name", "family_parts")
        keys |= record_keys(replace(f, **{field: getattr(swapped, field) for field in name_fields}))
    if f.dob_swapped:
        keys.add(f"d:{f.dob_swapped}")
    if f.dob_days is not None:
        for shift in (-1, 1):
            keys.add(f"d:{(EPOCH + timedelta(days=f.dob_days + shift)).isoformat()}")
    return keys


def _people(ids: Iterable[int] | None = None) -> QuerySet[Person]:
    people = Person.objects.filter(merged_into__isnull=True).select_related("address")
    return people.filter(pk__in=list(ids)) if ids is not None else people


def _parent_names(person_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = Relationship.objects.filter(relative_id__in=person_ids, kind__in=PARENT_KINDS).values_list(
        "relative_id", "person__given_name"
    )
    for child_id, given in rows:
        found.setdefault(child_id, []).append(given)
    return found


def _chunks(people: QuerySet[Person]) -> Iterator[list[Person]]:
    chunk: list[Person] = []
    for person in people.order_by("pk").iterator(chunk_size=BATCH):
        chunk.append(person)
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def record_people(people: Sequence[Person], *, relationships: Sequence[Relationship] = ()) -> list[Person]:
    """Store new people (unsaved, with their unsaved addresses, which may be shared), the relationships
    between them, and their index entries, in one transaction. The caller records the audit event."""
    with transaction.atomic():
        addresses: dict[int, Address] = {}
        for person in people:
            if person.address is not None and person.address._state.adding:
                addresses.setdefault(id(person.address), person.address)
        Address.objects.bulk_create(list(addresses.values()), batch_size=BATCH)
        stored = Person.objects.bulk_create(people, batch_size=BATCH)
        Relationship.objects.bulk_create(relationships, batch_size=BATCH)
        index_people([p.pk for p in stored])
    return stored


def index_people(ids: Iterable[int] | None = None) -> int:
    """(Re)build the index entries and keys of these people (all when ids is None); returns how many."""
    count = 0
    with transaction.atomic():
        if ids is None:
            PersonIndexEntry.objects.all().delete()
            BlockingKey.objects.all().delete()
        else:
            ids = list(ids)
            PersonIndexEntry.objects.filter(person_id__in=ids).delete()
            BlockingKey.objects.filter(person_id__in=ids).delete()
        search_terms.forget(ids)  # the People search's exact terms are kept with the index
        for chunk in _chunks(_people(ids)):
            parents = _parent_names([p.pk for p in chunk])
            entries: list[PersonIndexEntry] = []
            keys: list[BlockingKey] = []
            for person in chunk:
                f = features_of(details_of(person, parents.get(person.pk, ())))
                entries.append(PersonIndexEntry(person=person, features=f.as_row()))
                keys.extend(BlockingKey(key=key, person=person) for key in sorted(record_keys(f)))
            _insert(entries, keys)
            search_terms.write(chunk)
            count += len(chunk)
    return count


def _insert(entries: list[PersonIndexEntry], keys: list[BlockingKey]) -> None:
    """Bulk insert; on PostgreSQL with COPY, which is what makes indexing a million people practical."""
    if connection.vendor != "postgresql":
        PersonIndexEntry.objects.bulk_create(entries, batch_size=500)
        BlockingKey.objects.bulk_create(keys, batch_size=500)
        return
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {PersonIndexEntry._meta.db_table} (person_id, features) FROM STDIN") as copy:
            for entry in entries:
                copy.write_row((entry.person_id, json.dumps(entry.features)))
        with raw.copy(f"COPY {BlockingKey._meta.db_table} (key, person_id) FROM STDIN") as copy:
            for key in keys:
                copy.write_row((key.key, key.person_id))
