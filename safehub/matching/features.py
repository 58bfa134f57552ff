"""A person's details turned into the normalised fields that matching compares.

The same fields feed Splink (as table columns, for training and batch linkage) and the interactive
search (as `Features`, scored in Python), so both sides see identical values.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from safehub.matching import names
from safehub.people.identifiers import is_valid_postcode, normalise_postcode, postcode_district, postcode_sector

EPOCH = date(1900, 1, 1)
_ADDRESS_WORDS = re.compile(r"[a-z0-9]+")
_SEXES = {"f": "female", "female": "female", "girl": "female", "m": "male", "male": "male", "boy": "male"}


@dataclass(frozen=True)
class PersonDetails:
    """What is known about someone, as typed or imported; every field may be missing."""

    given_name: str = ""
    family_name: str = ""
    middle_names: str = ""
    date_of_birth: date | None = None
    expected_date_of_delivery: date | None = None
    sex: str = ""
    address: str = ""
    postcode: str = ""
    nhs_number: str = ""
    parent_given_names: tuple[str, ...] = ()


@dataclass(slots=True)
class Features:
    """Normalised values; None means 'not known' and never counts as agreement or disagreement."""

    given_name: str | None = None
    given_forms: list[str] | None = None
    given_all: list[str] | None = None
    given_sound: str | None = None
    given_stem: str | None = None  # the start a pet form keeps ('ossie' → 'os'), when the name looks like one
    family_name: str | None = None
    family_parts: list[str] | None = None
    family_forms: list[str] | None = None  # the forms of the last name read as a first name, for names swapped
    dob: str | None = None
    dob_swapped: str | None = None
    dob_days: int | None = None
    dob_expected: bool | None = None
    sex: str | None = None
    postcode: str | None = None
    postcode_sector: str | None = None
    postcode_district: str | None = None
    address: str | None = None
    address_tokens: list[str] | None = None
    house_number: str | None = None
    nhs_number: str | None = None
    parent_names: list[str] | None = field(default=None)

    def as_row(self) -> dict[str, object]:
        return asdict(self)


COLUMNS: tuple[str, ...] = tuple(Features.__slots__)


def _swapped(day: date) -> str | None:
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month).isoformat()


def _postcode(value: str) -> tuple[str | None, str | None, str | None]:
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return None, None, None
    if is_valid_postcode(compact):
        return normalise_postcode(compact), postcode_sector(compact), postcode_district(compact)
    return compact, None, None


def _address(value: str) -> str | None:
    words = _ADDRESS_WORDS.findall((value or "").lower())
    return " ".join(words) or None


_HOUSE_NUMBER = re.compile(r"\b(\d+[a-z]?)\b")


def _house_number(value: str) -> str | None:
    """The first number in the address ('Flat 3, 12 Elm Road' gives '3': flats count as the number)."""
    found = _HOUSE_NUMBER.search((value or "").lower())
    return found[1] if found else None


def _nhs(value: str) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    return digits if len(digits) == 10 else None


def _or_none(values: list[str]) -> list[str] | None:
    return values or None


def features_of(details: PersonDetails) -> Features:
    given = names.first_given_name(details.given_name)
    family = names.family_name(details.family_name)
    born = details.date_of_birth or details.expected_date_of_delivery
    postcode, sector, district = _postcode(details.postcode)
    parents = sorted({n for p in details.parent_given_names if (n := names.first_given_name(p))})
    return Features(
        given_name=given,
        given_forms=_or_none(names.name_forms(given)),
        given_all=_or_none(names.given_names(details.given_name, details.middle_names)),
        given_sound=names.sounds_like(given),
        given_stem=names.pet_stem(given),
        family_name=family,
        family_parts=_or_none(names.family_name_parts(details.family_name)),
        family_forms=_or_none(names.name_forms(names.first_given_name(details.family_name) if family else None)),
        dob=born.isoformat() if born else None,
        dob_swapped=_swapped(born) if born else None,
        dob_days=(born - EPOCH).days if born else None,
        dob_expected=None if born is None else details.date_of_birth is None,
        sex=_SEXES.get((details.sex or "").strip().lower()),
        postcode=postcode,
        postcode_sector=sector,
        postcode_district=district,
        address=_address(details.address),
        house_number=_house_number(details.address),
        address_tokens=_or_none(sorted(set(_ADDRESS_WORDS.findall((details.address or "").lower())))),
        nhs_number=_nhs(details.nhs_number),
        parent_names=_or_none(parents),
    )


def features_from_row(row: dict[str, object]) -> Features:
    """A stored row (from the person index or a Splink table) back into `Features`."""
    return Features(**{name: row.get(name) for name in COLUMNS})  # type: ignore[arg-type]
