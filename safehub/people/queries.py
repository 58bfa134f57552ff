"""Reading person records for a user: one person (`get_person_for`), and the exact lookups of the
People search (`find_people`). The probabilistic search for a person is safehub.matching.search."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.core.queries import by_pk
from safehub.people.identifiers import is_valid_postcode
from safehub.people.models import PARENTAL_KINDS, Person, Relationship, SearchTerm
from safehub.people.search_terms import address_term, given_terms, surname_term


def person_read(person_id: int, *, purpose: str, exists: bool = True) -> Read:
    return Read(Verb.PERSON_VIEWED, "person", person_id, purpose, person_id=person_id if exists else None)


def get_person_for(user: User, pk: int, *, purpose: str) -> Person:
    """The person, if `user` may see the person index, its read recorded for `purpose`;
    otherwise 404, and the refusal recorded."""
    person = by_pk(
        Person.objects.visible_to(user)
        .select_related("address", "mother")
        .prefetch_related("involvements", "relationships__relative", "relationships_in__person", "unborn"),
        pk,
    )
    if person is None:
        note_refusal(user, person_read(pk, purpose=purpose, exists=Person.objects.filter(pk=pk).exists()))
        raise Http404("No person found")
    note_read(user, person_read(person.pk, purpose=purpose))
    return person


MAX_MERGES = 10  # a chain of merges longer than this is a data error, not a record to follow


def merged_into_for(user: User, pk: int) -> tuple[Person, Person] | None:
    """For the address of a record merged into another (matching.duplicates.merge): the merged
    record and the live record it now lives on, if `user` may see that one, following later merges
    of the survivor too; None for any other address. The caller records that it sent the user on."""
    merged = Person.objects.filter(pk=pk, merged_into__isnull=False).first()
    if merged is None:
        return None
    target: int = merged.merged_into_id or merged.pk
    for _ in range(MAX_MERGES):
        later = Person.objects.filter(pk=target).values_list("merged_into_id", flat=True).first()
        if later is None:
            break
        target = later
    survivor = Person.objects.visible_to(user).filter(pk=target).first()
    return (merged, survivor) if survivor is not None else None


@dataclass(frozen=True)
class PersonCriteria:
    """What was typed into the People search, cleaned (people.forms.PersonSearchForm): every
    field may be empty; the postcode is normalised, the NHS number digits only."""

    given_name: str = ""
    family_name: str = ""
    parent_given_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    address: str = ""
    postcode: str = ""
    nhs_number: str = ""
    local_id: str = ""

    @property
    def is_identifying(self) -> bool:
        """Enough to rank candidates by how likely each is the person (safehub.matching.search): a
        name with an NHS number or a date of birth, or a first and a last name. Anything less (a
        surname alone, a postcode, a street) is looked up exactly by `find_people`, as is a local
        person ID, which names one record, and an NHS number alone: it names one person (its check
        digit refuses most mistypings), and a probability beside the one who has it ("73 %", with no
        name to compare) would only cast doubt on a certain answer."""
        if self.local_id:
            return False
        named = bool(self.given_name or self.family_name)
        return (named and (bool(self.nhs_number) or self.date_of_birth is not None)) or bool(
            self.given_name and self.family_name
        )

    @property
    def narrows(self) -> bool:
        """Whether an exact lookup has something that narrows the index down: a first name, a
        sex or a parent's first name alone would list a large part of it."""
        return any((self.family_name, self.address, self.postcode, self.date_of_birth, self.local_id, self.nhs_number))

    def used(self) -> list[str]:
        """The names of the fields given (for the audit trail, which never holds what was typed)."""
        return [field.name for field in fields(self) if getattr(self, field.name)]


def _with_term(people: QuerySet[Person], term: str) -> QuerySet[Person]:
    return people.filter(pk__in=SearchTerm.objects.filter(term=term).values("person_id"))


def find_people(criteria: PersonCriteria, *, within: QuerySet[Person]) -> QuerySet[Person]:
    """The people among `within` (the user's view of the index) who have every detail given, by
    surname, given name, date of birth. Names and the address are compared folded (case, accents
    and apostrophes aside; either part of a double-barrelled surname) through their indexed
    terms (people.search_terms); the rest must be equal."""
    terms = [*given_terms(criteria.given_name)]
    for typed, term_of in ((criteria.family_name, surname_term), (criteria.address, address_term)):
        if typed:
            found = term_of(typed)
            if found is None:  # nothing in it to look up, so nobody has it
                return within.none()
            terms.append(found)
    people = within
    for term in terms:
        people = _with_term(people, term)
    if criteria.parent_given_name:
        parents = Relationship.objects.filter(relative=OuterRef("pk"), kind__in=PARENTAL_KINDS)
        parent_terms = given_terms(criteria.parent_given_name)
        if not parent_terms:
            return within.none()
        for term in parent_terms:
            parents = parents.filter(person__in=SearchTerm.objects.filter(term=term).values("person_id"))
        people = people.filter(Exists(parents))
    exact = {
        "date_of_birth": criteria.date_of_birth,
        "sex": criteria.sex,
        "nhs_number": criteria.nhs_number,
    }
    people = people.filter(**{name: value for name, value in exact.items() if value})
    if criteria.postcode and is_valid_postcode(criteria.postcode):
        people = people.filter(address__postcode=criteria.postcode)
    elif " " in criteria.postcode:  # a sector, "DA6 8" (people.forms): everyone in it
        people = people.filter(address__postcode__startswith=criteria.postcode)
    elif criteria.postcode:  # its first part only, "DA6": everyone in that area
        people = people.filter(address__postcode__startswith=f"{criteria.postcode} ")
    if criteria.local_id:
        people = people.filter(local_id__in={criteria.local_id, criteria.local_id.upper()})
    return people.select_related("address").order_by(
        Lower("family_name"), Lower("given_name"), F("date_of_birth").asc(nulls_last=True), "pk"
    )
