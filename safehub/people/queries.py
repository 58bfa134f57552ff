"""Finding people already in the index (exact and near-exact; probabilistic matching comes later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.people.identifiers import normalise_nhs_number
from safehub.people.models import Person


@dataclass(frozen=True)
class PersonQuery:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""


@dataclass(frozen=True)
class Candidate:
    person: Person
    reasons: tuple[str, ...]

    @property
    def strength(self) -> int:
        return len(self.reasons)


def _swapped(day: date) -> date | None:
    try:
        return date(day.year, day.day, day.month) if day.day <= 12 and day.day != day.month else None
    except ValueError:
        return None


def find_candidates(query: PersonQuery, *, within: QuerySet[Person], limit: int = 20) -> list[Candidate]:
    """People matching on NHS number, or on date of birth plus either name, or on both names.

    Near-exact: names compare case-insensitively and ignoring spaces and hyphens at the ends;
    a date of birth with day and month swapped also counts.
    """
    given = query.given_name.strip()
    family = query.family_name.strip()
    nhs = normalise_nhs_number(query.nhs_number)
    conditions = Q()
    if nhs:
        conditions |= Q(nhs_number=nhs)
    dates = [d for d in (query.date_of_birth, _swapped(query.date_of_birth) if query.date_of_birth else None) if d]
    if dates:
        same_birth = Q(date_of_birth__in=dates)
        if family:
            conditions |= same_birth & Q(family_name__iexact=family)
        if given:
            conditions |= same_birth & Q(given_name__iexact=given)
    if given and family:
        conditions |= Q(given_name__iexact=given, family_name__iexact=family)
    if not conditions:
        return []
    candidates = []
    for person in within.filter(conditions).select_related("address")[: limit * 2]:
        reasons = []
        if nhs and person.nhs_number == nhs:
            reasons.append("NHS number")
        if given and person.given_name.lower() == given.lower():
            reasons.append("first name")
        if family and person.family_name.lower() == family.lower():
            reasons.append("last name")
        if query.date_of_birth and person.date_of_birth == query.date_of_birth:
            reasons.append("date of birth")
        elif person.date_of_birth in dates:
            reasons.append("date of birth with day and month swapped")
        candidates.append(Candidate(person, tuple(reasons)))
    candidates.sort(key=lambda c: (-c.strength, c.person.family_name, c.person.given_name))
    return candidates[:limit]


def get_person_for(user: User, pk: int) -> Person:
    """The person, if `user` may see the person index; otherwise 404."""
    person = (
        Person.objects.visible_to(user)
        .select_related("address", "mother")
        .prefetch_related("involvements", "relationships__relative", "relationships_in__person")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("No person found")
    return person
