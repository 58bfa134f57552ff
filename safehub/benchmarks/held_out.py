"""A harder multi-agency population, kept aside for checking person matching and never for training it.

`safehub.matching.population` makes the population the shipped model is trained on and the matcher
was developed against. This module is written separately, with its own names, nicknames, households,
error model and seed, so that a matcher fitted to that population is not measured on it. It lives in
the benchmarks app, which the layer contract keeps out of the product: nothing in `matching` can
import it. All of it is made up.

What makes it harder than the training population, and the rates (per agency record unless it says
otherwise). They were set before the matcher was changed; after the first measurement the nickname table
was corrected (forms that are not forms of the name taken out, the most used form made the likeliest),
brothers and sisters were no longer given two spellings of one name (Olivia and Oliwia), and the old
matcher was measured again on the corrected set; nothing has been changed to suit the matcher.

- Households: one or two parents (some step-parents and a grandparent), one to five children born a
  year or more apart, twins in one birth in 25 (triplets rarely), the twins' names beginning with the
  same letter one time in three, half-siblings with another surname, a son given his father's first
  name (one in 25 of the sons born singly where there is a father), and common surnames (Khan, Smith,
  Begum…) shared by unrelated families. A quarter of households have moved, and their records carry
  either address.
- First names: a nickname, short form or other spelling in 14% of the records of a person whose
  name has one (its own table, below: some forms are in the matcher's tables and some are not;
  sisters and brothers never have forms of one name), a typing error in 6%, a second name typed into
  the first-name field in 3%; the last name has a typing error in 5%, half of a double-barrelled name in 35% of its
  records, another surname for a child (a step-parent's) in 2%; names the wrong way round in 3%.
- Typing errors are a neighbouring key, two letters swapped, a letter dropped or doubled, or an extra
  letter, anywhere in the word; the first letter is hit a third as often as the others, as studies of
  misspellings find.
- Dates of birth: missing in 9%, day and month swapped in 3% (written as an impossible date when the
  day is past 12, which `safehub dedupe --unreadable-values blank` reads as not known), one day or one
  digit out in 3%, the year one out in 1%; written `DD/MM/YYYY` by some agencies and ISO by others.
- Addresses: an old address while the household has moved (two records in five), another address
  in 4% (a placement or the other parent's), written with abbreviations (Rd, St, Flat 3 → 3/) in 20%,
  no postcode in 6% and a postcode typing error in 2%, no address at all in 4%.
- Sex missing in 10%; NHS numbers only on health and social care records, and not all of those.
- No middle-name column (people CSV format), and an agency holds a person twice in 4% of cases.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from safehub.matching.csvio import REQUIRED
from safehub.people.identifiers import random_nhs_number

DEFAULT_SEED = 90210  # the checking seed; develop against another one
TODAY = date(2026, 12, 5)

# Formal name → the everyday forms it is recorded as, the most used first. Written for this set, from
# common English usage.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "alexander": ("alex", "xander"),
    "alexandra": ("alex", "lexi", "ali"),
    "amelia": ("millie", "mia"),
    "anthony": ("tony", "ant"),
    "abigail": ("abby", "abi"),
    "benjamin": ("ben", "benji", "benny"),
    "catherine": ("cat", "cathy", "kate", "katie"),
    "charlotte": ("lottie", "charlie", "lotti"),
    "christopher": ("chris", "kit"),
    "daniel": ("dan", "danny"),
    "daniella": ("dani", "ella"),
    "elizabeth": ("liz", "lizzie", "beth", "eliza", "libby", "betty"),
    "eleanor": ("ellie", "nell", "nora", "elle"),
    "frederick": ("fred", "freddie", "freddy"),
    "gabriella": ("gabby", "ella"),
    "harrison": ("harry", "harri"),
    "henry": ("harry", "hal"),
    "isabella": ("bella", "izzy", "issy", "isa"),
    "isabelle": ("belle", "izzy", "issy"),
    "jacob": ("jake", "jay"),
    "james": ("jamie", "jim", "jimmy", "jay"),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey", "jo"),
    "joshua": ("josh", "joss"),
    "katarzyna": ("kasia", "kasha"),
    "jakub": ("kuba",),
    "aleksander": ("olek", "alek"),
    "małgorzata": ("gosia", "małgosia"),
    "lucas": ("luke", "luca"),
    "margaret": ("maggie", "meg", "peggy"),
    "matilda": ("tilly", "tilda", "mattie"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mikey", "mick"),
    "mohammed": ("mo", "muhammad"),
    "muhammad": ("mo", "muhammed"),
    "nathaniel": ("nate", "nathan", "nat"),
    "nicholas": ("nick", "nicky", "nico"),
    "olivia": ("liv", "livvy", "ollie", "libby"),
    "oliver": ("ollie", "olly", "oli"),
    "penelope": ("penny", "poppy"),
    "rebecca": ("becky", "becca", "bex"),
    "robert": ("rob", "robbie", "bob", "bobby"),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam", "sammie"),
    "sebastian": ("seb",),
    "sophia": ("sophie", "soph"),
    "stephanie": ("steph", "stevie"),
    "theodore": ("theo", "teddy", "ted"),
    "thomas": ("tom", "tommy"),
    "victoria": ("vicky", "tori", "vic"),
    "william": ("will", "billy", "bill"),
    "zachary": ("zach", "zack", "zac"),
    "archibald": ("archie", "arch"),
    "florence": ("flo", "florrie", "flossie"),
    "josephine": ("josie", "jo", "jojo"),
    "ibrahim": ("ibby", "ibi"),
    "oluwaseun": ("seun",),
    "oluwadamilare": ("dami",),
    "babatunde": ("tunde",),
    "adebayo": ("bayo",),
    "chukwuemeka": ("emeka", "chuks"),
    "harriet": ("hattie", "harri"),
    "evelyn": ("evie", "eve"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "georgina": ("georgie", "gina"),
    "jessica": ("jess", "jessie"),
    "madison": ("maddie", "maddy"),
    "natalia": ("nat", "talia"),
    "valentina": ("val", "tina"),
    "dominic": ("dom", "nico"),
    "gregory": ("greg",),
    "kimberley": ("kim", "kimmy"),
    # Other spellings and transliterations, recorded as a different name by whoever typed it.
    "maryam": ("mariam", "miriam"),
    "aisha": ("ayesha", "aysha"),
    "yusuf": ("yousef", "yusef"),
    "fatima": ("fatimah", "fatma"),
    "zainab": ("zaynab",),
    "hamza": ("hamzah",),
    "idris": ("idrees",),
    "omar": ("umar",),
    "zayn": ("zain",),
    "ayaan": ("ayan",),
    "hanna": ("hannah",),
    "maya": ("maia", "mya"),
    "sofia": ("sophia", "sophie"),
    "niamh": ("neve", "neeve"),
    "ciara": ("kiara", "keira"),
    "rhys": ("reece", "reese"),
    "dylan": ("dillon",),
    "louie": ("louis", "lou"),
    "ciaran": ("kieran",),
    "kacper": ("casper",),
    "szymon": ("simon",),
    "filip": ("philip", "phil"),
    "zofia": ("zosia", "sophia"),
    # More everyday forms.
    "imogen": ("immy", "imi"),
    "arabella": ("bella", "bel"),
    "elijah": ("eli",),
    "finley": ("finn", "fin"),
    "arthur": ("art", "artie"),
    "oscar": ("ossie",),
    "isaac": ("zac",),
    "george": ("georgie",),
    "emily": ("em", "emmy", "millie"),
    "emilia": ("millie", "emmy"),
    "eliza": ("liza", "lizzie"),
    "delilah": ("lila",),
    "grace": ("gracie",),
    "alice": ("ali", "allie"),
    "julia": ("jules",),
    "leah": ("lea",),
    "temitope": ("temi", "tope"),
    "folake": ("fola",),
    "chiamaka": ("amaka", "chi"),
    "adaeze": ("ada",),
    "callum": ("cal",),
    "marcus": ("marc",),
    "nathan": ("nate", "nat"),
    "megan": ("meg",),
    "cerys": ("ceri",),
    "simran": ("simmi",),
    "harjit": ("harj",),
    "tyrone": ("ty",),
}

GIRLS = (
    "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy Sienna Poppy Elsie"
    " Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Maya Sophie Alice Emilia Isabelle Ruby Luna"
    " Maisie Aria Penelope Mila Bonnie Eva Hallie Eliza Ada Violet Esme Arabella Imogen Jessica Delilah Thea Harriet"
    " Georgina Elizabeth Eleanor Abigail Zara Aisha Maryam Fatima Hafsa Khadija Amira Zainab Hana Anaya Inaya Aleena"
    " Katarzyna Zofia Julia Natalia Oliwia Lena Hanna Amara Adaeze Chiamaka Oluwaseun Temitope Folake Precious Blessing"
    " Kimberley Madison Jade Chloe Megan Leah Rebecca Samantha Stephanie Victoria Gabriella Daniella Josephine"
    " Valentina Catherine Margaret Aoife Siobhan Niamh Ciara Roisin Tegan Cerys Seren Nia Priya Simran Jasleen Kiran"
)
BOYS = (
    "Muhammad Noah Oliver George Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo Alfie Jacob"
    " Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca Edward James Joshua Albie Elijah Max"
    " Mohammed Reggie Ezra Rory Mason Jude Louie Hugo Harrison Sebastian Ronnie Frederick Benjamin Samuel Daniel"
    " Joseph Matthew Nathaniel Nicholas Zachary Jonathan Michael Anthony Christopher Robert Dominic Gregory Ibrahim"
    " Yusuf Ayaan Zayn Hamza Bilal Omar Idris Jakub Aleksander Szymon Filip Kacper Babatunde Adebayo Chukwuemeka"
    " Oluwadamilare Tobi Kwame Kofi Callum Kieran Connor Liam Conor Ciaran Oisin Rhys Dylan Gethin Arjun Rohan"
    " Harjit Gurpreet Aarav Dev Marcus Tyler Jayden Kai Tyrone Andre Ryan Nathan Lewis Owen Ethan"
)
# Weighted towards the surnames most common in England, so that unrelated families share them.
COMMON_SURNAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker"
    " White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris"
    " Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young"
    " Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan"
    " Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali"
    " Hussain Ahmed Kaur Rahman Islam Akhtar Mahmood Iqbal Nowak Kowalska Kowalski Wisniewski Okafor Adeyemi"
    " Mensah Owusu Osei Murray Reid O'Brien McCarthy O'Connor Doherty Kennedy MacDonald Campbell Stewart Henderson"
)
LOCALES = ("en_GB", "en_GB", "en_GB", "en_IE", "pl_PL", "yo_NG", "en_IN", "ro_RO")


@dataclass(frozen=True)
class Person:
    key: str
    household: int
    role: str  # mother, father, step_parent, grandparent, child, twin, namesake_son
    given_name: str
    family_name: str
    sex: str
    born: date
    nhs_number: str
    homes: tuple[tuple[str, str], ...]  # (address, postcode): now, then before the move if any


@dataclass(frozen=True)
class Record:
    """One agency's record of a person, as it would reach `safehub dedupe` (people CSV columns)."""

    id: str
    person_key: str
    household: int
    agency: str
    given_name: str
    family_name: str
    dob: str  # as written: ISO, DD/MM/YYYY, an impossible date, or blank
    sex: str
    address: str
    postcode: str
    nhs_number: str
    errors: frozenset[str] = field(default_factory=frozenset)


# One name spelt in several ways, all of them in the pools of first names: never two children of a family.
SPELLINGS = (
    {"olivia", "oliwia"},
    {"sophia", "sophie", "sofia", "zofia"},
    {"isabella", "isabelle"},
    {"hana", "hanna", "hannah"},
    {"connor", "conor"},
    {"lucas", "luca"},
    {"alexander", "aleksander"},
    {"muhammad", "mohammed"},
    {"nathan", "nathaniel"},
)


def _forms(name: str) -> set[str]:
    """The name, its forms and its other spellings, lower case: names a brother and sister never share."""
    lower = name.lower()
    forms = {lower, *NICKNAMES.get(lower, ())}
    forms |= {formal for formal, nicknames in NICKNAMES.items() if lower in nicknames}
    for spellings in SPELLINGS:
        if lower in spellings:
            forms |= spellings
    return forms


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(letter: str) -> str:
    for row_number, row in enumerate(_KEYBOARD):
        column = row.find(letter)
        if column >= 0:
            near = row[max(column - 1, 0) : column] + row[column + 1 : column + 2]
            for other in (row_number - 1, row_number + 1):
                if 0 <= other < len(_KEYBOARD):
                    near += _KEYBOARD[other][max(column - 1, 0) : column + 1]
            return near
    return "aeiou"


class HeldOutPopulation:
    """Households, and their records at several agencies, deterministic for a seed."""

    AGENCIES_FOR_CHILDREN = ("school", "health", "gp", "police", "childrens_social_care", "early_help", "ambulance")
    AGENCIES_FOR_ADULTS = ("health", "gp", "police", "childrens_social_care", "housing", "probation", "ambulance")
    NHS_AGENCIES = {"health": 0.9, "gp": 0.95, "childrens_social_care": 0.6, "ambulance": 0.5}
    UK_DATES = frozenset({"school", "housing", "early_help"})

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - generated data, not security
        self.fakers = {locale: Faker(locale) for locale in sorted(set(LOCALES))}
        for number, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed + number)
        self.girls, self.boys = GIRLS.split(), BOYS.split()
        self.common = COMMON_SURNAMES.split()
        self._people = 0
        self._records = 0

    # People ------------------------------------------------------------------------------------

    def _surname(self) -> str:
        if self.rng.random() < 0.45:
            return self.rng.choice(self.common)
        return self.fakers[self.rng.choice(LOCALES)].last_name()

    def _adult_given(self, sex: str) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(self.girls if sex == "female" else self.boys)
        faker = self.fakers[self.rng.choice(LOCALES)]
        return faker.first_name_female() if sex == "female" else faker.first_name_male()

    def _child_given(self, sex: str, taken: set[str], *, initial: str = "") -> str:
        """A name no brother or sister has, nor a form of one (`taken` holds lower-case names and forms)."""
        pool = [n for n in (self.girls if sex == "female" else self.boys) if not _forms(n) & taken]
        choices = [n for n in pool if not initial or n.startswith(initial)] or pool
        name = self.rng.choice(choices)
        taken |= _forms(name)
        return name

    def _home(self) -> tuple[str, str]:
        faker = self.fakers["en_GB"]
        address = faker.street_address().replace("\n", ", ")
        if self.rng.random() < 0.2:
            address = f"Flat {self.rng.randint(1, 40)}, {address}"
        return address, faker.postcode()

    def _person(self, household: int, role: str, **fields: object) -> Person:
        self._people += 1
        return Person(
            key=f"H{self._people:08d}",
            household=household,
            role=role,
            nhs_number=random_nhs_number(self.rng),
            **fields,  # type: ignore[arg-type]
        )

    def household(self, number: int) -> list[Person]:
        rng = self.rng
        homes = (self._home(), self._home()) if rng.random() < 0.25 else (self._home(),)
        mother_family, father_family = self._surname(), self._surname()
        mother_born = TODAY - timedelta(days=rng.randint(19 * 365, 46 * 365))
        people: list[Person] = []
        has_mother = rng.random() < 0.95
        if has_mother:
            people.append(
                self._person(
                    number,
                    "mother",
                    given_name=self._adult_given("female"),
                    family_name=mother_family if rng.random() < 0.5 else father_family,
                    sex="female",
                    born=mother_born,
                    homes=homes,
                )
            )
        father = None
        if not has_mother or rng.random() < 0.6:
            father = self._person(
                number,
                "father" if rng.random() < 0.8 else "step_parent",
                given_name=self._adult_given("male"),
                family_name=father_family,
                sex="male",
                born=mother_born - timedelta(days=rng.randint(-4 * 365, 9 * 365)),
                homes=homes,
            )
            people.append(father)
        if rng.random() < 0.05:
            people.append(
                self._person(
                    number,
                    "grandparent",
                    given_name=self._adult_given("female"),
                    family_name=mother_family,
                    sex="female",
                    born=mother_born - timedelta(days=rng.randint(19 * 365, 30 * 365)),
                    homes=homes,
                )
            )
        roll = rng.random()
        if roll < 0.55:
            children_family = father_family
        elif roll < 0.85:
            children_family = mother_family
        else:
            children_family = f"{father_family}-{mother_family}"
        other_family = self._surname()  # a previous partner's, for half-siblings
        taken: set[str] = set()
        earliest = max(mother_born + timedelta(days=18 * 365), TODAY - timedelta(days=17 * 365))
        born = earliest + timedelta(days=rng.randint(0, max(0, (TODAY - earliest).days - 365)))
        for birth in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5])):
            if birth:
                born += timedelta(days=rng.randint(365, 4 * 365))
            if born > TODAY:
                break
            family = other_family if birth == 0 and rng.random() < 0.12 else children_family
            roll = rng.random()
            size = 3 if roll < 0.002 else 2 if roll < 0.04 else 1
            same_sex = rng.random() < 0.66
            first_sex = rng.choice(["female", "male"])
            initial = ""
            for place in range(size):
                sex = first_sex if same_sex or place == 0 else rng.choice(["female", "male"])
                role = "twin" if size > 1 else "child"
                if (
                    father
                    and size == 1
                    and sex == "male"
                    and rng.random() < 0.04
                    and not _forms(father.given_name) & taken
                ):
                    given, role = father.given_name, "namesake_son"
                    taken |= _forms(given)
                else:
                    given = self._child_given(sex, taken, initial=initial)
                if size > 1 and place == 0 and rng.random() < 0.33:
                    initial = given[0]
                people.append(
                    self._person(number, role, given_name=given, family_name=family, sex=sex, born=born, homes=homes)
                )
        return people

    def people(self, households: int) -> list[Person]:
        return [p for number in range(households) for p in self.household(number)]

    # Agency records ----------------------------------------------------------------------------

    def typo(self, word: str) -> str:
        """One typing error, anywhere in the word; the first letter is hit a third as often."""
        if len(word) < 2:
            return word
        weights = [1 / 3] + [1.0] * (len(word) - 1)
        i = self.rng.choices(range(len(word)), weights)[0]
        letter = word[i].lower()
        kind = self.rng.random()
        near = self.rng.choice(_neighbours(letter))
        if word[i].isupper():
            near = near.upper()
        if kind < 0.35:
            return word[:i] + near + word[i + 1 :]
        if kind < 0.55 and i < len(word) - 1:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind < 0.75 and len(word) > 3:
            return word[:i] + word[i + 1 :]
        if kind < 0.9:
            return word[:i] + word[i] + word[i:]
        return word[:i] + near + word[i:]

    def _nickname(self, given: str) -> str | None:
        """One of the name's everyday forms: the most used one half the time, the others share the rest."""
        forms = NICKNAMES.get(given.lower())
        if not forms:
            return None
        return (forms[0] if len(forms) == 1 or self.rng.random() < 0.5 else self.rng.choice(forms[1:])).title()

    def _dob(self, born: date, agency: str, errors: set[str]) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.09:
            errors.add("dob_missing")
            return ""
        uk = agency in self.UK_DATES
        year, month, day = born.year, born.month, born.day
        if roll < 0.12 and day != month:
            errors.add("dob_swapped")
            month, day = day, month
        elif roll < 0.15:
            errors.add("dob_near")
            if rng.random() < 0.5:
                shifted = born + timedelta(days=rng.choice([-1, 1]))
                year, month, day = shifted.year, shifted.month, shifted.day
            else:
                day = int(str(day).zfill(2)[0] + rng.choice("0123456789"))
                day = day if 1 <= day <= 28 else born.day
        elif roll < 0.16:
            errors.add("dob_year")
            year += rng.choice([-1, 1])
        return f"{day:02d}/{month:02d}/{year}" if uk else f"{year}-{month:02d}-{day:02d}"

    def _address(self, person: Person, errors: set[str]) -> tuple[str, str]:
        rng = self.rng
        address, postcode = person.homes[0]
        if len(person.homes) > 1 and rng.random() < 0.4:
            errors.add("moved")
            address, postcode = person.homes[1]
        elif rng.random() < 0.04:
            errors.add("elsewhere")
            address, postcode = self._home()
        if rng.random() < 0.2:
            address = address.replace(" Road", " Rd").replace(" Street", " St").replace(" Avenue", " Ave")
            if address.startswith("Flat "):
                flat, rest = address[5:].split(", ", 1)
                address = f"{flat}/{rest}"
        if rng.random() < 0.06:
            errors.add("no_postcode")
            postcode = ""
        elif rng.random() < 0.02:
            errors.add("postcode_typo")
            postcode = self.typo(postcode)
        if rng.random() < 0.04:
            errors.add("no_address")
            address = ""
        return address, postcode

    def record(self, person: Person, agency: str) -> Record:
        rng = self.rng
        errors: set[str] = set()
        given, family = person.given_name, person.family_name
        if rng.random() < 0.14 and (nickname := self._nickname(given)):
            errors.add("nickname")
            given = nickname
        if rng.random() < 0.06:
            errors.add("given_typo")
            given = self.typo(given)
        if rng.random() < 0.03:
            errors.add("second_name")
            given = f"{given} {self.rng.choice(self.girls if person.sex == 'female' else self.boys)}"
        if "-" in family and rng.random() < 0.35:
            errors.add("half_surname")
            family = rng.choice(family.split("-"))
        if rng.random() < 0.02 and person.role in ("child", "twin"):
            errors.add("other_surname")
            family = self._surname()
        if rng.random() < 0.05:
            errors.add("family_typo")
            family = self.typo(family)
        if rng.random() < 0.03:
            errors.add("swapped")
            given, family = family, given
        if rng.random() < 0.1:
            given, family = given.upper(), family.upper()
        dob = self._dob(person.born, agency, errors)
        address, postcode = self._address(person, errors)
        sex = {"female": "F", "male": "M"}[person.sex] if rng.random() < 0.9 else ""
        nhs = person.nhs_number if rng.random() < self.NHS_AGENCIES.get(agency, 0.0) else ""
        self._records += 1
        return Record(
            f"{agency[:3].upper()}{self._records:07d}",
            person.key,
            person.household,
            agency,
            given,
            family,
            dob,
            sex,
            address,
            postcode,
            nhs,
            frozenset(errors),
        )

    def records_of(self, person: Person) -> Iterator[Record]:
        child = person.role in ("child", "twin", "namesake_son")
        agencies = self.AGENCIES_FOR_CHILDREN if child else self.AGENCIES_FOR_ADULTS
        for agency in self.rng.sample(agencies, self.rng.choice([1, 1, 2, 2, 3, 4] if child else [1, 1, 1, 2, 3])):
            yield self.record(person, agency)
            if self.rng.random() < 0.04:
                yield self.record(person, agency)

    def records(self, people: Sequence[Person]) -> list[Record]:
        return [r for person in people for r in self.records_of(person)]


def write_csv(records: Sequence[Record], path: Path) -> Path:
    """The records as a people CSV file (docs/people-csv.md), as `safehub dedupe` reads it."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(REQUIRED)
        for r in records:
            writer.writerow([r.id, r.given_name, r.family_name, r.dob, r.sex, r.address, r.postcode, r.nhs_number])
    return path
