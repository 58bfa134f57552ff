"""The families a year of contacts is about (`synthetic.year`): made-up people, each a person record
with what the DfE census asks of a child (sex, date of birth, ethnicity, the case system's ID).

Names come from short fixed lists, not a faker: a year at a large hub names a quarter of a million
people, and these are read only as names. No real person is described."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from safehub.people.models import Ethnicity, Person, PersonKind, Sex

GIRLS = (
    "Amelia", "Olivia", "Isla", "Ava", "Freya", "Aisha", "Lily", "Mia", "Sophia", "Grace", "Maryam", "Zara",
    "Ella", "Poppy", "Evie", "Hafsa", "Imani", "Ruby", "Layla", "Nia", "Chloe", "Amira", "Daisy", "Eva",
)  # fmt: skip
BOYS = (
    "Noah", "Oliver", "Muhammad", "Leo", "Harry", "Zain", "George", "Jack", "Ibrahim", "Theo", "Oscar", "Yusuf",
    "Arthur", "Charlie", "Adam", "Kai", "Jayden", "Reuben", "Ayaan", "Tyler", "Ethan", "Malik", "Finley", "Luca",
)  # fmt: skip
FAMILIES = (
    "Smith", "Jones", "Khan", "Ahmed", "Williams", "Taylor", "Brown", "Ali", "Patel", "Evans", "Davies", "Hussain",
    "Begum", "Wilson", "Thomas", "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Clarke", "Mahmood", "Iqbal", "Campbell", "Kaur", "Singh", "Nowak", "Okafor",
    "Mensah", "Murphy", "Kelly", "Shah", "Rahman", "Bennett", "Morris", "Cooper", "Ward", "Price", "Grant", "Reid",
)  # fmt: skip
STREETS = ("Church Road", "Station Road", "Park Avenue", "Victoria Street", "Mill Lane", "Grove Road", "Oak Close")
# A large city's children in need, by ethnicity (roughly Birmingham's, 001): most recorded, a few not yet.
ETHNICITIES = (
    (Ethnicity.WHITE_BRITISH, 44),
    (Ethnicity.ASIAN_PAKISTANI, 13),
    (Ethnicity.ASIAN_INDIAN, 4),
    (Ethnicity.ASIAN_BANGLADESHI, 3),
    (Ethnicity.ASIAN_OTHER, 2),
    (Ethnicity.BLACK_CARIBBEAN, 4),
    (Ethnicity.BLACK_AFRICAN, 5),
    (Ethnicity.BLACK_OTHER, 1),
    (Ethnicity.MIXED_WHITE_CARIBBEAN, 5),
    (Ethnicity.MIXED_WHITE_ASIAN, 2),
    (Ethnicity.MIXED_WHITE_AFRICAN, 1),
    (Ethnicity.MIXED_OTHER, 3),
    (Ethnicity.WHITE_OTHER, 4),
    (Ethnicity.WHITE_IRISH, 1),
    (Ethnicity.WHITE_ROMA, 1),
    (Ethnicity.ASIAN_CHINESE, 1),
    (Ethnicity.ARAB, 1),
    (Ethnicity.OTHER, 2),
    (Ethnicity.NOT_OBTAINED, 2),
    (Ethnicity.REFUSED, 1),
)
LOCAL_ID_PREFIX = "Y"  # the case system's person IDs of the year's people: Y0000001…


@dataclass
class Family:
    """A household: its children (oldest first) and the adults the referrer may name."""

    number: int
    family_name: str
    address: str
    postcode: str
    children: list[Person] = field(default_factory=list)
    adults: list[Person] = field(default_factory=list)
    contacts: int = 0  # how many contacts have been about it so far
    referred: bool = False  # a child of it has been referred
    last_strategy: datetime | None = None  # when its last contact went to a strategy discussion

    def born_by(self, day: date) -> list[Person]:
        return [child for child in self.children if child.date_of_birth is not None and child.date_of_birth <= day]


class People:
    """Makes families as a year's contacts come to need them, each person with its own local ID."""

    def __init__(self, rng: random.Random, *, first: date, last: date) -> None:
        self.rng, self.first, self.last = rng, first, last
        self.families: list[Family] = []
        self.people: list[Person] = []

    def _person(self, kind: PersonKind, family: Family, sex: Sex, born: date, ethnicity: str) -> Person:
        given = self.rng.choice(GIRLS if sex == Sex.FEMALE else BOYS)
        person = Person(
            kind=kind,
            given_name=given,
            family_name=family.family_name,
            sex=sex,
            date_of_birth=born,
            ethnicity=ethnicity,
            local_id=f"{LOCAL_ID_PREFIX}{len(self.people) + 1:07d}",
            first_language="English" if self.rng.random() < 0.85 else self.rng.choice(["Urdu", "Polish", "Punjabi"]),
        )
        self.people.append(person)
        return person

    def family(self) -> Family:
        """A new family with at least one child born before the year's first day."""
        rng = self.rng
        number = len(self.families) + 1
        family = Family(
            number=number,
            family_name=rng.choice(FAMILIES),
            address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
            postcode=f"B{rng.randint(1, 99)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        )
        ethnicity = rng.choices([e for e, _ in ETHNICITIES], [w for _, w in ETHNICITIES])[0]
        mother_born = self.last - timedelta(days=rng.randint(20 * 365, 46 * 365))
        family.adults.append(self._person(PersonKind.ADULT, family, Sex.FEMALE, mother_born, ethnicity))
        if rng.random() < 0.6:
            father_born = mother_born - timedelta(days=rng.randint(-3 * 365, 8 * 365))
            family.adults.append(self._person(PersonKind.ADULT, family, Sex.MALE, father_born, ethnicity))
        # Children aged up to sixteen and a half on the year's first day (under eighteen at its last), born
        # before it, and at least seventeen years after their mother.
        youngest_mother = (self.first - mother_born).days - 17 * 365
        oldest = max(30, min(16 * 365 + 180, youngest_mother))
        count = rng.choice([1, 1, 1, 2, 2, 2, 3, 3, 4])
        for age in sorted((rng.randint(7, oldest) for _ in range(count)), reverse=True):
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            born = self.first - timedelta(days=age)
            family.children.append(self._person(PersonKind.CHILD, family, sex, born, ethnicity))
        self.families.append(family)
        return family
