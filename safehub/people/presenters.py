from __future__ import annotations

from dataclasses import dataclass

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
