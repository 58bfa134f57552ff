from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.contacts.models import SubjectRole
from safehub.contacts.presenters import concern_labels
from safehub.contacts.workflow import ContactState
from safehub.core.ages import age_on
from safehub.core.presenters import record_links, shown_day
from safehub.people.models import Involvement, Person, PersonKind, RelationshipKind, Service
from safehub.protocols.models import Brag

# What the other person is to this one, when this person is `kind` to them ('Sam is parent to
# Mia': on Sam's page, Mia is Sam's child).
_INVERSE = {
    RelationshipKind.PARENT: "Child",
    RelationshipKind.CARER: "Cared for by this person",
    RelationshipKind.STEP_PARENT: "Stepchild",
    RelationshipKind.SIBLING: "Sibling",
    RelationshipKind.HOUSEHOLD_MEMBER: "Household member",
    RelationshipKind.ALLEGED_PERPETRATOR: "Alleged to have been harmed by this person",
    RelationshipKind.OTHER_RELATIVE: "Other relative",
}


def age(person: Person, *, today: date) -> str:
    """'9 years old', 'Under 1 year old', 'Unborn, expected 20 January 2027', or 'Not known'."""
    if person.kind == PersonKind.UNBORN:
        expected = person.expected_date_of_delivery
        return f"Unborn, expected {shown_day(expected)}" if expected else "Unborn"
    if person.date_of_birth is None:
        return "Not known"
    years = age_on(person.date_of_birth, today)
    if years < 1:
        return "Under 1 year old"
    return f"{years} year{'s' if years != 1 else ''} old"


@dataclass(frozen=True)
class Flag:
    text: str
    tag_class: str


def flags(person: Person) -> list[Flag]:
    """What a worker must know before anything else, from what the index holds: an open child
    protection plan, a child in care (involvements), missing from home or care, and a warning for
    workers' safety (the person's warnings)."""
    open_services = {i.service for i in person.involvements.all() if i.is_open}
    shown = []
    if Service.CHILD_PROTECTION_PLAN in open_services:
        shown.append(Flag("Child protection plan", "govuk-tag govuk-tag--red"))
    if Service.CHILD_IN_CARE in open_services:
        shown.append(Flag("Child in care", "govuk-tag govuk-tag--purple"))
    if person.missing_since is not None:
        shown.append(Flag(f"Missing since {shown_day(person.missing_since)}", "govuk-tag govuk-tag--red"))
    if person.worker_safety_warning:
        shown.append(Flag("Worker safety warning", "govuk-tag govuk-tag--orange"))
    return shown


@dataclass(frozen=True)
class RelativeRow:
    person: Person
    description: str  # what the relative is to this person: 'Parent', 'Child', 'Sibling'…
    born: str
    responsibility: str  # who has parental responsibility between them, or ""


def _responsibility(kind: str, has_it: bool, *, this_has_it: bool) -> str:
    if not has_it or kind not in (RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.CARER):
        return ""
    return "This person has parental responsibility" if this_has_it else "Has parental responsibility"


def relatives(person: Person) -> list[RelativeRow]:
    """Every relationship the index holds, in both directions, each as what the relative is to
    this person ('Sam is parent to Mia': Mia's page lists Sam as 'Parent', Sam's lists Mia as
    'Child'), with their date of birth and who has parental responsibility."""
    rows = [
        RelativeRow(
            r.relative,
            _INVERSE.get(RelationshipKind(r.kind), r.get_kind_display()),
            born(r.relative),
            _responsibility(r.kind, r.has_parental_responsibility, this_has_it=True),
        )
        for r in person.relationships.all()
    ]
    rows += [
        RelativeRow(
            r.person,
            r.get_kind_display(),
            born(r.person),
            _responsibility(r.kind, r.has_parental_responsibility, this_has_it=False),
        )
        for r in person.relationships_in.all()
    ]
    if person.mother is not None:
        rows.append(RelativeRow(person.mother, "Mother", born(person.mother), ""))
    rows += [RelativeRow(child, "Unborn child", born(child), "") for child in person.unborn.all()]
    return rows


@dataclass(frozen=True)
class ChronologyRow:
    """One contact about the person, as the person page's chronology lists it."""

    reference: str
    href: str
    received: str
    role: str
    concerns: str
    rating: str
    outcome: str


def chronology(contacts: Iterable[Mapping[str, Any]]) -> list[ChronologyRow]:
    """Every contact about the person the user may see (decisions.queries.contacts_about), newest
    first: when it came, the person's part in it, the concern, the rating (the newest
    recommendation's, or the initial rating) and the outcome the manager approved (or where the
    contact is, before one)."""
    link = record_links("contacts:contact")
    rows = []
    for row in contacts:
        if row["rating"]:
            rating = Brag(row["rating"]).label
        elif row["initial_rating"]:
            rating = f"{Brag(row['initial_rating']).label} (initial)"
        else:
            rating = "Not rated"
        outcome = row["outcome"] or f"Not decided yet: {ContactState(row['state']).label.lower()}"
        rows.append(
            ChronologyRow(
                reference=row["reference"],
                href=link(row["pk"]),
                received=shown_day(row["received_at"]),
                role=SubjectRole(row["role"]).label if row["role"] else "",
                concerns=", ".join(concern_labels(row["concern_categories"])),
                rating=rating,
                outcome=outcome,
            )
        )
    return rows


def open_since(involvement: Involvement) -> str:
    """'Early help, open since 5 January 2026, Family wellbeing.' (the team if known)."""
    team = f", {involvement.team}" if involvement.team else ""
    return f"{involvement.get_service_display()}, open since {shown_day(involvement.started_on)}{team}."


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
        return shown_day(person.date_of_birth)
    if person.expected_date_of_delivery:
        return f"Expected {shown_day(person.expected_date_of_delivery)}"
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
