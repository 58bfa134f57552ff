"""A synthetic English multi-agency population for training and measuring person matching.

Households of parents, step-parents and children (siblings, twins, double-barrelled surnames,
unborn babies), each person held by several agencies, each agency's record carrying the errors
real records carry: nicknames, typing errors, half a hyphenated surname, day and month swapped,
a date one day out, names the wrong way round, an old address, missing fields. All made up.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pandas as pd
from faker import Faker

from safehub.matching.features import COLUMNS, PersonDetails, features_of
from safehub.people.identifiers import random_nhs_number

AGENCIES = ("childrens_social_care", "police", "health", "education", "early_help", "housing")
DIMINUTIVES_CSV = Path(__file__).with_name("data") / "diminutives.csv"
EXTRA_GIVEN = {
    "female": ["Katarzyna", "Malgorzata", "Zofia", "Oluwaseun", "Ayesha", "Fatima", "Maryam", "Zainab", "Olufunmilayo"],
    "male": ["Mohammed", "Jakub", "Wojciech", "Babatunde", "Olusegun", "Chukwuemeka", "Ibrahim", "Yousef", "Tomasz"],
}


@dataclass(frozen=True)
class PersonTruth:
    key: str
    household: int
    role: str  # mother, father, step_parent, child, twin, unborn
    given_name: str
    middle_names: str
    family_name: str
    sex: str
    date_of_birth: date | None
    expected_date_of_delivery: date | None
    address: str
    postcode: str
    nhs_number: str
    parent_given_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyRecord:
    id: str
    person_key: str
    agency: str
    given_name: str
    middle_names: str
    family_name: str
    sex: str
    dob: date | None
    address: str
    postcode: str
    nhs_number: str
    dob_is_expected: bool = False
    parent_given_names: tuple[str, ...] = ()


@cache
def diminutives() -> dict[str, list[str]]:
    """Formal name → diminutives, from our own table, for 'Alfred recorded as Alfie'."""
    result: dict[str, list[str]] = {}
    with DIMINUTIVES_CSV.open(encoding="utf-8") as rows:
        for row in csv.DictReader(line for line in rows if not line.startswith("#")):
            result.setdefault(row["form"], []).append(row["name"])
    return result


class Population:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self._next = 0

    def _given(self, sex: str) -> str:
        if self.rng.random() < 0.12:
            return self.rng.choice(EXTRA_GIVEN[sex])
        if self.rng.random() < 0.2:
            formal = [f for f in diminutives() if f[0].isalpha()]
            return self.rng.choice(formal).title()
        return self.faker.first_name_female() if sex == "female" else self.faker.first_name_male()

    def _person(self, household: int, role: str, **fields: object) -> PersonTruth:
        self._next += 1
        base: dict[str, object] = {
            "key": f"P{self._next:08d}",
            "household": household,
            "role": role,
            "middle_names": "",
            "expected_date_of_delivery": None,
            "nhs_number": random_nhs_number(self.rng),
        }
        base.update(fields)
        return PersonTruth(**base)  # type: ignore[arg-type]

    def household(self, number: int, *, today: date) -> list[PersonTruth]:
        rng = self.rng
        address, postcode = self.faker.street_address().replace("\n", ", "), self.faker.postcode()
        mother_family = self.faker.last_name()
        father_family = self.faker.last_name()
        mother_born = today - timedelta(days=rng.randint(18 * 365, 45 * 365))
        people = [
            self._person(
                number,
                "mother",
                given_name=self._given("female"),
                family_name=mother_family,
                sex="female",
                date_of_birth=mother_born,
                address=address,
                postcode=postcode,
            )
        ]
        if rng.random() < 0.6:
            people.append(
                self._person(
                    number,
                    "father" if rng.random() < 0.75 else "step_parent",
                    given_name=self._given("male"),
                    family_name=father_family if rng.random() < 0.7 else mother_family,
                    sex="male",
                    date_of_birth=mother_born - timedelta(days=rng.randint(-5 * 365, 8 * 365)),
                    address=address,
                    postcode=postcode,
                )
            )
        if rng.random() < 0.1:
            children_family = f"{mother_family}-{father_family}"
        else:
            children_family = rng.choice([mother_family, father_family])
        parents = tuple(p.given_name for p in people)
        oldest = min(today - timedelta(days=17 * 365), mother_born + timedelta(days=17 * 365))
        taken: set[str] = set()  # brothers and sisters do not share a first name
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            born = oldest + timedelta(days=rng.randint(0, max(1, (today - oldest).days)))
            twins = 2 if rng.random() < 0.04 else 1
            sexes = [rng.choice(["female", "male"]) for _ in range(twins)]
            for sex in sexes:
                given = self._given(sex)
                while given in taken:
                    given = self._given(sex)
                taken.add(given)
                people.append(
                    self._person(
                        number,
                        "twin" if twins == 2 else "child",
                        given_name=given,
                        middle_names=self._given(sex) if rng.random() < 0.3 else "",
                        family_name=children_family,
                        sex=sex,
                        date_of_birth=born,
                        address=address,
                        postcode=postcode,
                        parent_given_names=parents,
                    )
                )
        if rng.random() < 0.04:
            people.append(
                self._person(
                    number,
                    "unborn",
                    given_name="Baby",
                    family_name=mother_family,
                    sex="",
                    date_of_birth=None,
                    expected_date_of_delivery=today + timedelta(days=rng.randint(10, 200)),
                    address=address,
                    postcode=postcode,
                    nhs_number="",
                )
            )
        return people

    def people(self, households: int, *, today: date = date(2026, 11, 24)) -> Iterator[PersonTruth]:
        for number in range(households):
            yield from self.household(number, today=today)

    # Agency records with errors -------------------------------------------------------------

    def _typo(self, word: str) -> str:
        if len(word) < 3:
            return word
        i = self.rng.randrange(1, len(word))
        kind = self.rng.random()
        letter = self.rng.choice("abcdefghijklmnopqrstuvwxyz")
        if kind < 0.33:
            return word[:i] + letter + word[i + 1 :]
        if kind < 0.66 and i < len(word) - 1:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + letter + word[i:]

    def record(self, person: PersonTruth, agency: str, number: int) -> AgencyRecord:
        rng = self.rng
        given, family, middle = person.given_name, person.family_name, person.middle_names
        dob = person.date_of_birth or person.expected_date_of_delivery
        address, postcode, nhs, sex = person.address, person.postcode, person.nhs_number, person.sex
        if rng.random() < 0.1 and given.lower() in diminutives():
            given = rng.choice(diminutives()[given.lower()]).title()
        if rng.random() < 0.03:
            given = self._typo(given)
        if rng.random() < 0.03:
            family = self._typo(family)
        if "-" in family and rng.random() < 0.3:
            family = rng.choice(family.split("-"))
        if dob and rng.random() < 0.015 and dob.day <= 12:
            dob = date(dob.year, dob.day, dob.month)
        elif dob and rng.random() < 0.02:
            dob = dob + timedelta(days=rng.choice([-1, 1]))
        if rng.random() < 0.03:
            dob = None
        if rng.random() < 0.01:
            given, family = family, given
        if rng.random() < 0.08:
            address, postcode = self.faker.street_address().replace("\n", ", "), self.faker.postcode()
        if rng.random() < 0.05:
            postcode = ""
        if agency not in ("health", "childrens_social_care") or rng.random() < 0.2:
            nhs = ""
        if rng.random() < 0.05:
            sex = ""
        if rng.random() < 0.5:
            middle = ""
        parents: tuple[str, ...] = ()
        if person.parent_given_names and rng.random() < 0.5:
            parents = tuple(rng.sample(person.parent_given_names, rng.randint(1, len(person.parent_given_names))))
        return AgencyRecord(
            f"{agency[:3].upper()}{number:08d}",
            person.key,
            agency,
            given,
            middle,
            family,
            sex,
            dob,
            address,
            postcode,
            nhs,
            person.date_of_birth is None,
            parents,
        )

    def records(self, people: list[PersonTruth]) -> Iterator[AgencyRecord]:
        number = 0
        for person in people:
            agencies = self.rng.sample(AGENCIES, self.rng.choice([1, 1, 2, 2, 3]))
            for agency in agencies:
                number += 1
                yield self.record(person, agency, number)


def details_of(record: AgencyRecord) -> PersonDetails:
    return PersonDetails(
        given_name=record.given_name,
        family_name=record.family_name,
        middle_names=record.middle_names,
        date_of_birth=None if record.dob_is_expected else record.dob,
        expected_date_of_delivery=record.dob if record.dob_is_expected else None,
        sex=record.sex,
        address=record.address,
        postcode=record.postcode,
        nhs_number=record.nhs_number,
        parent_given_names=record.parent_given_names,
    )


def feature_frame(records: list[AgencyRecord]) -> pd.DataFrame:
    """Records as a Splink feature table (unique_id = record id)."""
    rows = [{"unique_id": r.id, **features_of(details_of(r)).as_row()} for r in records]
    return pd.DataFrame(rows, columns=["unique_id", *COLUMNS])
