"""The Children in Need census's code lists (the 2025 to 2026 collection), and Safehub's values in them.

Each list is a `TextChoices` whose values are the census's own codes, written as they are into the
return. The lists Safehub stores are kept where it stores them and named here: what happens after a
referral in `safehub.casework.codes`, the referral source in `safehub.contacts.models.ReferralSource`
(its values are the census codes), and the ethnicity in `safehub.people.models.Ethnicity`, whose
values `census_ethnicity` turns into the census's main codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from django.db import models

from safehub.casework.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    Disability,
    PrimaryNeed,
    ReasonForClosure,
    UpnUnknown,
)
from safehub.contacts.models import ReferralSource
from safehub.people.models import Ethnicity, Sex

__all__ = [
    "AssessmentFactor",
    "CategoryOfAbuse",
    "CensusSex",
    "Disability",
    "PrimaryNeed",
    "ReasonForClosure",
    "ReferralSource",
    "UpnUnknown",
    "census_ethnicity",
    "census_sex",
]


class CensusSex(models.TextChoices):
    """<Sex> (N00783), which replaced <GenderCurrent> from the 2024 to 2025 collection. An unborn child is U."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known, or not yet born"


# Safehub's ethnic groups are the census's codes, but for one: the census's main codes have no Arab
# group, which the 2021 Census added, so an Arab child is sent under "any other ethnic group".
_ETHNICITY: Mapping[str, str] = MappingProxyType(
    {value: value for value in Ethnicity.values} | {Ethnicity.ARAB.value: Ethnicity.OTHER.value}
)

_SEX: Mapping[str, str] = MappingProxyType(
    {
        Sex.MALE.value: CensusSex.MALE.value,
        Sex.FEMALE.value: CensusSex.FEMALE.value,
        Sex.UNKNOWN.value: CensusSex.UNKNOWN.value,
    }
)


def census_ethnicity(ethnicity: str | None) -> str:
    """The census's <Ethnicity> for Safehub's value: "not yet obtained" when none was recorded."""
    if not ethnicity:
        return Ethnicity.NOT_OBTAINED.value
    return _ETHNICITY[Ethnicity(ethnicity).value]


def census_sex(sex: str | None, *, unborn: bool) -> str:
    """The census's <Sex> for Safehub's value. An unborn child's is U whatever was recorded (rule 8750)."""
    if unborn or not sex:
        return CensusSex.UNKNOWN.value
    return _SEX[Sex(sex).value]
