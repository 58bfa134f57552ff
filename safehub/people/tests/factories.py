from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from safehub.people.models import Address, Involvement, Person, PersonKind, Relationship, RelationshipKind, Service, Sex


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Bexleyheath"
    postcode = "DA6 7AT"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    kind = PersonKind.CHILD
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    sex = Sex.FEMALE
    date_of_birth = dt.date(2016, 5, 17)
    # Not in the P0000001 space Safehub numbers its own records in, nor the fixed IDs tests give.
    local_id = factory.Sequence(lambda n: f"TF{n:07d}")
    address = factory.SubFactory(AddressFactory)


class AdultFactory(PersonFactory):
    kind = PersonKind.ADULT
    date_of_birth = dt.date(1988, 2, 3)


class UnbornFactory(PersonFactory):
    kind = PersonKind.UNBORN
    given_name = ""
    date_of_birth = None
    expected_date_of_delivery = dt.date(2027, 1, 20)
    mother = factory.SubFactory(AdultFactory)


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(AdultFactory)
    relative = factory.SubFactory(PersonFactory)
    kind = RelationshipKind.PARENT
    has_parental_responsibility = True


class InvolvementFactory(DjangoModelFactory):
    class Meta:
        model = Involvement

    person = factory.SubFactory(PersonFactory)
    service = Service.CHILD_IN_NEED
    started_on = dt.date(2026, 1, 5)
    ended_on = None
    allocated_worker = "Sam Okafor"
    worker_email = "sam.okafor@example.org"
    team = "Assessment team 2"


class OpenInvolvementFactory(InvolvementFactory):
    pass


class RecentlyClosedInvolvementFactory(InvolvementFactory):
    """Closed less than three months before 2026-11-24 (the suite's usual pinned day)."""

    started_on = dt.date(2026, 3, 2)
    ended_on = dt.date(2026, 10, 1)
