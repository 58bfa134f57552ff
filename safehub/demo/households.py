"""Synthetic households for the demo hub: people, relationships and involvements (all made up)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from faker import Faker

from safehub.core.ages import age_on
from safehub.matching.index import record_people
from safehub.matching.population import diminutives
from safehub.people.identifiers import is_valid_postcode, normalise_postcode, random_nhs_number
from safehub.people.models import (
    Address,
    Ethnicity,
    Involvement,
    Person,
    PersonKind,
    Relationship,
    RelationshipKind,
    Service,
    Sex,
)

ETHNICITY_WEIGHTS = [
    (Ethnicity.WHITE_BRITISH, 55),
    (Ethnicity.WHITE_OTHER, 6),
    (Ethnicity.ASIAN_PAKISTANI, 8),
    (Ethnicity.ASIAN_INDIAN, 5),
    (Ethnicity.ASIAN_BANGLADESHI, 3),
    (Ethnicity.BLACK_AFRICAN, 6),
    (Ethnicity.BLACK_CARIBBEAN, 3),
    (Ethnicity.MIXED_WHITE_CARIBBEAN, 4),
    (Ethnicity.MIXED_OTHER, 3),
    (Ethnicity.ARAB, 2),
    (Ethnicity.WHITE_ROMA, 1),
    (Ethnicity.NOT_OBTAINED, 4),
]
WORKERS = ["Assessment team 1", "Assessment team 2", "Children in care team", "Disabled children's team"]


@dataclass
class Household:
    address: Address
    adults: list[Person] = field(default_factory=list)
    children: list[Person] = field(default_factory=list)
    unborn: Person | None = None
    status: str = "not_known"  # open_case, recently_closed, known_closed, not_known
    worker: str = ""


def _postcode(fake: Faker) -> str:
    while True:
        code = normalise_postcode(fake.postcode())
        if is_valid_postcode(code):
            return code


def _birthday(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    return today - timedelta(days=rng.randint(min_age * 365 + 1, max_age * 365 + 364))


class PeopleBuilder:
    def __init__(self, rng: random.Random, fake: Faker, today: date) -> None:
        self.rng, self.fake, self.today = rng, fake, today
        self.next_id = 1

    def _local_id(self) -> str:
        value = f"P{self.next_id:07d}"
        self.next_id += 1
        return value

    def _person(self, kind: PersonKind, family: str, sex: Sex, born: date | None, ethnicity: str) -> Person:
        first = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        return Person(
            kind=kind,
            given_name=first,
            family_name=family,
            sex=sex,
            date_of_birth=born,
            local_id=self._local_id(),
            ethnicity=ethnicity,
            first_language="English"
            if self.rng.random() < 0.85
            else self.rng.choice(["Urdu", "Polish", "Punjabi", "Somali", "Romanian", "Arabic"]),
            nhs_number=random_nhs_number(self.rng) if self.rng.random() < 0.9 else "",
        )

    def household(self) -> Household:
        rng, fake = self.rng, self.fake
        family = fake.last_name()
        if rng.random() < 0.05:
            family = f"{family}-{fake.last_name()}"
        ethnicity = rng.choices([e for e, _ in ETHNICITY_WEIGHTS], [w for _, w in ETHNICITY_WEIGHTS])[0]
        house = Household(
            Address(line_1=fake.street_address().replace("\n", ", "), town=fake.city(), postcode=_postcode(fake))
        )
        mother = self._person(PersonKind.ADULT, family, Sex.FEMALE, _birthday(rng, self.today, 20, 45), ethnicity)
        house.adults.append(mother)
        if rng.random() < 0.7:
            partner_family = family if rng.random() < 0.8 else fake.last_name()
            house.adults.append(
                self._person(PersonKind.ADULT, partner_family, Sex.MALE, _birthday(rng, self.today, 21, 50), ethnicity)
            )
        mother_age = age_on(mother.date_of_birth, self.today) if mother.date_of_birth else 30
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            born = _birthday(rng, self.today, 0, max(0, min(17, mother_age - 17)))
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            child = self._person(PersonKind.CHILD, family, sex, born, ethnicity)
            child.school = fake.last_name() + rng.choice([" Primary School", " Academy", " Nursery", " High School"])
            house.children.append(child)
            if rng.random() < 0.03:  # twins: same birthday and surname, another first name
                twin = self._person(PersonKind.CHILD, family, rng.choice([Sex.FEMALE, Sex.MALE]), born, ethnicity)
                twin.school = child.school
                house.children.append(twin)
        if rng.random() < 0.05:
            unborn = Person(
                kind=PersonKind.UNBORN,
                family_name=family,
                local_id=self._local_id(),
                expected_date_of_delivery=self.today + timedelta(days=rng.randint(14, 200)),
                ethnicity=ethnicity,
            )
            house.unborn = unborn
        house.status = rng.choices(["open_case", "recently_closed", "known_closed", "not_known"], [8, 5, 15, 72])[0]
        house.worker = fake.name()
        return house


def _work_address(name: str) -> str:
    """A made-up work address for a locality worker outside Safehub (the hand-off emails them)."""
    return re.sub(r"[^a-z]+", ".", name.lower()).strip(".") + "@locality.demo.invalid"


def _involvements(house: Household, rng: random.Random, today: date) -> list[Involvement]:
    rows: list[Involvement] = []
    if not house.children:
        return rows
    child = house.children[0]
    team = rng.choice(WORKERS)
    if house.status == "open_case":
        service = rng.choices([Service.CHILD_IN_NEED, Service.CHILD_PROTECTION_PLAN, Service.CHILD_IN_CARE], [6, 3, 1])[
            0
        ]
        rows.append(
            Involvement(
                person=child,
                service=service,
                started_on=today - timedelta(days=rng.randint(20, 400)),
                allocated_worker=house.worker,
                worker_email=_work_address(house.worker),
                team=team,
            )
        )
    elif house.status == "recently_closed":
        ended = today - timedelta(days=rng.randint(5, 85))
        rows.append(
            Involvement(
                person=child,
                service=Service.CHILD_IN_NEED,
                started_on=ended - timedelta(days=rng.randint(30, 300)),
                ended_on=ended,
                allocated_worker=house.worker,
                worker_email=_work_address(house.worker),
                team=team,
            )
        )
    elif house.status == "known_closed":
        ended = today - timedelta(days=rng.randint(120, 1500))
        service = rng.choice([Service.CHILD_IN_NEED, Service.CSC_ASSESSMENT, Service.EARLY_HELP])
        rows.append(
            Involvement(
                person=child,
                service=service,
                started_on=ended - timedelta(days=rng.randint(20, 300)),
                ended_on=ended,
                allocated_worker=house.worker,
                worker_email=_work_address(house.worker),
                team=team,
            )
        )
    if rng.random() < 0.08:
        started = today - timedelta(days=rng.randint(10, 200))
        rows.append(
            Involvement(
                person=house.children[-1],
                service=Service.EARLY_HELP,
                started_on=started,
                allocated_worker="Family support worker",
                team="Early help hub",
            )
        )
    if rng.random() < 0.04:
        rows.append(
            Involvement(
                person=house.adults[0],
                service=Service.ADULT_SOCIAL_CARE,
                started_on=today - timedelta(days=rng.randint(30, 900)),
                allocated_worker="Adult social worker",
                team="Adult social care",
            )
        )
    return rows


@transaction.atomic
def create_households(count_people: int, *, rng: random.Random, fake: Faker, at: datetime) -> list[Household]:
    today = at.date()
    builder = PeopleBuilder(rng, fake, today)
    houses: list[Household] = []
    total = 0
    while total < count_people:
        house = builder.household()
        houses.append(house)
        total += len(house.adults) + len(house.children) + (1 if house.unborn else 0)
    for house in houses:
        for person in [*house.adults, *house.children]:
            person.address = house.address
        if house.unborn:
            house.unborn.address = house.address
    relationships: list[Relationship] = []
    for house in houses:
        mother, partner = house.adults[0], (house.adults[1] if len(house.adults) > 1 else None)
        for child in house.children:
            relationships.append(
                Relationship(
                    person=mother, relative=child, kind=RelationshipKind.PARENT, has_parental_responsibility=True
                )
            )
            if partner is not None:
                kind = (
                    RelationshipKind.PARENT
                    if partner.family_name == child.family_name
                    else RelationshipKind.STEP_PARENT
                )
                relationships.append(
                    Relationship(
                        person=partner,
                        relative=child,
                        kind=kind,
                        has_parental_responsibility=kind == RelationshipKind.PARENT,
                    )
                )
        for older, younger in zip(house.children, house.children[1:], strict=False):
            relationships.append(Relationship(person=older, relative=younger, kind=RelationshipKind.SIBLING))
    record_people([p for h in houses for p in [*h.adults, *h.children]], relationships=relationships)
    for house in houses:
        if house.unborn:
            house.unborn.mother = house.adults[0]
    record_people([h.unborn for h in houses if h.unborn])
    Involvement.objects.bulk_create([i for h in houses for i in _involvements(h, rng, today)], batch_size=1000)
    return houses


def create_duplicate_records(houses: list[Household], *, rng: random.Random, count: int) -> list[Person]:
    """Children recorded a second time, as an agency import or a hurried contact would: a nickname, a
    typing error or day and month swapped, sometimes with the NHS number. For the duplicate review."""
    children = [c for h in houses for c in h.children if c.date_of_birth]
    forms = diminutives()
    copies = []
    for number, child in enumerate(rng.sample(children, min(count, len(children))), start=1):
        given, family, born = child.given_name, child.family_name, child.date_of_birth
        change = rng.choice(["nickname", "typo", "swap"])
        if change == "nickname" and given.lower() in forms:
            given = rng.choice(forms[given.lower()]).title()
        elif change == "swap" and born and born.day <= 12 and born.day != born.month:
            born = date(born.year, born.day, born.month)
        elif len(family) > 3:
            i = rng.randrange(1, len(family) - 1)
            family = family[:i] + family[i + 1] + family[i] + family[i + 2 :]
        address = child.address
        copies.append(
            Person(
                kind=child.kind,
                given_name=given,
                family_name=family,
                sex=child.sex,
                date_of_birth=born,
                local_id=f"D{number:07d}",
                ethnicity=child.ethnicity,
                nhs_number=child.nhs_number if rng.random() < 0.4 else "",
                address=Address(line_1=address.line_1, town=address.town, postcode=address.postcode)
                if address
                else None,
            )
        )
    return record_people(copies)
