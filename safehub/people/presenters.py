from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safehub.core.presenters import record_links, shown_date
from safehub.people.models import Involvement, Person


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


@dataclass(frozen=True)
class RelativeRow:
    person: Person
    description: str


def relatives(person: Person) -> list[RelativeRow]:
    """Relationships in both directions, in words: 'Parent of', 'Child of'…"""
    rows = [RelativeRow(r.relative, f"{r.get_kind_display()} of this person") for r in person.relationships.all()]
    rows += [RelativeRow(r.person, r.get_kind_display()) for r in person.relationships_in.all()]
    return rows


def worker_and_team(involvement: Involvement) -> str:
    """'Jo Bloggs, Team A', or 'Not allocated' and the team."""
    team = f", {involvement.team}" if involvement.team else ""
    return f"{involvement.allocated_worker or 'Not allocated'}{team}"


@dataclass(frozen=True)
class FoundPerson:
    """A row of the People search's exact results."""

    name: str
    href: str
    local_id: str
    born: str
    address: str


def born(person: Person) -> str:
    """'9 March 2016', 'Expected 20 January 2027' for an unborn child, or 'Not known'."""
    if person.date_of_birth:
        return shown_date(person.date_of_birth, "j F Y")
    if person.expected_date_of_delivery:
        return f"Expected {shown_date(person.expected_date_of_delivery, 'j F Y')}"
    return "Not known"


def found_people(people: Iterable[Person]) -> list[FoundPerson]:
    """The rows of a page of exact results (the people come with their addresses)."""
    link = record_links("people:person")
    return [
        FoundPerson(
            person.full_name, link(person.pk), person.local_id, born(person), str(person.address or "Not known")
        )
        for person in people
    ]


def people_found(count: int) -> str:
    """'12 people found', '1 person found'."""
    return f"{count:,} {'person' if count == 1 else 'people'} found"
