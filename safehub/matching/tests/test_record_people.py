"""People enter the database one way, and are in the person index as soon as they are stored."""

from __future__ import annotations

import pytest

from safehub.matching.index import record_people
from safehub.matching.models import BlockingKey, PersonIndexEntry
from safehub.people.models import Address, Person, PersonKind, Relationship, RelationshipKind

pytestmark = pytest.mark.django_db


def test_a_household_is_stored_with_one_address_and_indexed_with_the_parents_names() -> None:
    home = Address(line_1="1 High Street", postcode="B1 1AA")
    mother = Person(kind=PersonKind.ADULT, given_name="Aisha", family_name="Khan", local_id="T1", address=home)
    child = Person(kind=PersonKind.CHILD, given_name="Zara", family_name="Khan", local_id="T2", address=home)
    stored = record_people(
        [mother, child], relationships=[Relationship(person=mother, relative=child, kind=RelationshipKind.PARENT)]
    )
    assert [p.pk for p in stored] == [mother.pk, child.pk]
    assert Address.objects.count() == 1
    assert Person.objects.get(pk=child.pk).address_id == home.pk
    entry = PersonIndexEntry.objects.get(person=child)
    assert entry.features["parent_names"] == ["aisha"]
    assert BlockingKey.objects.filter(person=child).exists()
