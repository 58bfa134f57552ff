"""Ofsted's Annex A (the ILACS data request), lists 1 to 5: sheet names, column headers and code labels
as Ofsted's template writes them and liiatools' Annex A cleaner reads them (its `annex-a-merge.yml`
and `data-map.yml`), and Safehub's own codes (`people.Sex`, `people.Ethnicity`,
`contacts.ReferralSource`) as Annex A labels.

The labels are what a cell holds, letter and all ("b) Female", "q) 6: Police"): the cleaner accepts
other spellings and rewrites them to these, so writing these is writing what it keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.contacts.models import ReferralSource
from safehub.people.models import Ethnicity, Sex


class AnnexAList(StrEnum):
    """The lists Safehub writes, by the sheet names of Ofsted's template."""

    CONTACTS = "List 1"
    EARLY_HELP = "List 2"
    REFERRALS = "List 3"
    ASSESSMENTS = "List 4"
    SECTION_47 = "List 5"

    @property
    def description(self) -> str:
        return LIST_DESCRIPTIONS[self]


LIST_DESCRIPTIONS: Final[Mapping[AnnexAList, str]] = {
    AnnexAList.CONTACTS: "contacts",
    AnnexAList.EARLY_HELP: "early help assessments",
    AnnexAList.REFERRALS: "referrals",
    AnnexAList.ASSESSMENTS: "assessments",
    AnnexAList.SECTION_47: "section 47 enquiries and initial child protection conferences",
}


class Column(StrEnum):
    """Column headers, exactly (case and punctuation) as the template has them."""

    CHILD_ID = "Child Unique ID"
    GENDER = "Gender"
    ETHNICITY = "Ethnicity"
    DATE_OF_BIRTH = "Date of Birth"
    AGE = "Age of Child (Years)"
    # List 1
    DATE_OF_CONTACT = "Date of Contact"
    CONTACT_SOURCE = "Contact Source"
    # List 2
    EARLY_HELP_STARTED = "Assessment start date"
    EARLY_HELP_COMPLETED = "Assessment completion date"
    EARLY_HELP_ORGANISATION = "Organisation completing assessment"
    # List 3
    DATE_OF_REFERRAL = "Date of Referral"
    REFERRAL_SOURCE = "Referral Source"
    REFERRAL_NFA = "Referral NFA?"
    REFERRALS_IN_LAST_12_MONTHS = "Number of Referrals in Last 12 Months"
    ALLOCATED_TEAM = "Allocated Team"
    ALLOCATED_WORKER = "Allocated Worker"
    # Lists 4 and 5
    DISABILITY = "Does the Child have a Disability"
    ASSESSMENT_STARTED = "Continuous Assessment Start Date"
    CHILD_SEEN = "Child Seen During Continuous Assessment"
    ASSESSMENT_AUTHORISED = "Continuous Assessment Date of Authorisation"
    REQUIRES_SUPPORT = "Was the child assessed as requiring LA children's social care support?"
    STRATEGY_DISCUSSION = "Strategy discussion initiating Section 47 Enquiry Start Date"
    ICPC_UNNECESSARY = "Was an Initial Child Protection Conference deemed unnecessary?"
    ICPC_DATE = "Date of Initial Child Protection Conference"
    ICPC_PLAN = "Did the Initial Child Protection Conference Result in a Child Protection Plan"
    SECTION_47S_IN_LAST_12_MONTHS = "Number of Section 47 Enquiries in the last 12 months"
    ICPCS_IN_LAST_12_MONTHS = "Number of ICPCs in the last 12 months"


_CHILD = (Column.CHILD_ID, Column.GENDER, Column.ETHNICITY, Column.DATE_OF_BIRTH, Column.AGE)
_ALLOCATED = (Column.ALLOCATED_TEAM, Column.ALLOCATED_WORKER)

HEADERS: Final[Mapping[AnnexAList, tuple[Column, ...]]] = {
    AnnexAList.CONTACTS: (*_CHILD, Column.DATE_OF_CONTACT, Column.CONTACT_SOURCE),
    AnnexAList.EARLY_HELP: (
        *_CHILD,
        Column.EARLY_HELP_STARTED,
        Column.EARLY_HELP_COMPLETED,
        Column.EARLY_HELP_ORGANISATION,
    ),
    AnnexAList.REFERRALS: (
        *_CHILD,
        Column.DATE_OF_REFERRAL,
        Column.REFERRAL_SOURCE,
        Column.REFERRAL_NFA,
        Column.REFERRALS_IN_LAST_12_MONTHS,
        *_ALLOCATED,
    ),
    AnnexAList.ASSESSMENTS: (
        *_CHILD,
        Column.DISABILITY,
        Column.ASSESSMENT_STARTED,
        Column.CHILD_SEEN,
        Column.ASSESSMENT_AUTHORISED,
        Column.REQUIRES_SUPPORT,
        *_ALLOCATED,
    ),
    AnnexAList.SECTION_47: (
        *_CHILD,
        Column.DISABILITY,
        Column.STRATEGY_DISCUSSION,
        Column.ICPC_UNNECESSARY,
        Column.ICPC_DATE,
        Column.ICPC_PLAN,
        Column.SECTION_47S_IN_LAST_12_MONTHS,
        Column.ICPCS_IN_LAST_12_MONTHS,
        *_ALLOCATED,
    ),
}

DATE_COLUMNS: Final = frozenset(
    {
        Column.DATE_OF_BIRTH,
        Column.DATE_OF_CONTACT,
        Column.EARLY_HELP_STARTED,
        Column.EARLY_HELP_COMPLETED,
        Column.DATE_OF_REFERRAL,
        Column.ASSESSMENT_STARTED,
        Column.ASSESSMENT_AUTHORISED,
        Column.STRATEGY_DISCUSSION,
        Column.ICPC_DATE,
    }
)
COUNT_COLUMNS: Final = frozenset(
    {
        Column.AGE,
        Column.REFERRALS_IN_LAST_12_MONTHS,
        Column.SECTION_47S_IN_LAST_12_MONTHS,
        Column.ICPCS_IN_LAST_12_MONTHS,
    }
)


class Gender(StrEnum):
    MALE = "a) Male"
    FEMALE = "b) Female"
    NOT_STATED = "c) Not stated/recorded"
    NEITHER = "d) Neither"


class AnnexAEthnicity(StrEnum):
    """The template's ethnicity labels: a letter and the census code. REFU and NOBT share the letter
    s), as the cleaner's code list has them."""

    WBRI = "a) WBRI"
    WIRI = "b) WIRI"
    WIRT = "c) WIRT"
    WOTH = "d) WOTH"
    WROM = "e) WROM"
    MWBC = "f) MWBC"
    MWBA = "g) MWBA"
    MWAS = "h) MWAS"
    MOTH = "i) MOTH"
    AIND = "j) AIND"
    APKN = "k) APKN"
    ABAN = "l) ABAN"
    AOTH = "m) AOTH"
    BCRB = "n) BCRB"
    BAFR = "o) BAFR"
    BOTH = "p) BOTH"
    CHNE = "q) CHNE"
    OOTH = "r) OOTH"
    REFU = "s) REFU"
    NOBT = "s) NOBT"


class Source(StrEnum):
    """Contact source (list 1) and referral source (list 3): the CIN census codes, lettered. In the
    census, and here, 4 is housing and 5A the local authority's social care."""

    INDIVIDUAL_FAMILY = "a) 1A: Individual"
    INDIVIDUAL_ACQUAINTANCE = "b) 1B: Individual"
    INDIVIDUAL_SELF = "c) 1C: Individual"
    INDIVIDUAL_OTHER = "d) 1D: Individual"
    SCHOOLS = "e) 2A: Schools"
    EDUCATION_SERVICES = "f) 2B: Education services"
    HEALTH_GP = "g) 3A: Health services"
    HEALTH_VISITOR = "h) 3B: Health services"
    HEALTH_SCHOOL_NURSE = "i) 3C: Health services"
    HEALTH_OTHER_PRIMARY = "j) 3D: Health services"
    HEALTH_A_AND_E = "k) 3E: Health services"
    HEALTH_OTHER = "l) 3F: Health services"
    HOUSING = "m) 4: Housing"
    LA_SOCIAL_CARE = "n) 5A: LA services"
    LA_OTHER_INTERNAL = "o) 5B: LA services"
    LA_EXTERNAL = "p) 5C: LA services"
    POLICE = "q) 6: Police"
    OTHER_LEGAL = "r) 7: Other legal agency"
    OTHER = "s) 8: Other"
    ANONYMOUS = "t) 9: Anonymous"
    UNKNOWN = "u) 10: Unknown"


class YesNo(StrEnum):
    YES = "a) Yes"
    NO = "b) No"


class YesNoUnknown(StrEnum):
    YES = "a) Yes"
    NO = "b) No"
    UNKNOWN = "c) Unknown"


GENDER_OF_SEX: Final[Mapping[Sex, Gender]] = {
    Sex.MALE: Gender.MALE,
    Sex.FEMALE: Gender.FEMALE,
    Sex.UNKNOWN: Gender.NOT_STATED,
}

ETHNICITY: Final[Mapping[Ethnicity, AnnexAEthnicity]] = {
    Ethnicity.WHITE_BRITISH: AnnexAEthnicity.WBRI,
    Ethnicity.WHITE_IRISH: AnnexAEthnicity.WIRI,
    Ethnicity.WHITE_TRAVELLER: AnnexAEthnicity.WIRT,
    Ethnicity.WHITE_ROMA: AnnexAEthnicity.WROM,
    Ethnicity.WHITE_OTHER: AnnexAEthnicity.WOTH,
    Ethnicity.MIXED_WHITE_CARIBBEAN: AnnexAEthnicity.MWBC,
    Ethnicity.MIXED_WHITE_AFRICAN: AnnexAEthnicity.MWBA,
    Ethnicity.MIXED_WHITE_ASIAN: AnnexAEthnicity.MWAS,
    Ethnicity.MIXED_OTHER: AnnexAEthnicity.MOTH,
    Ethnicity.ASIAN_INDIAN: AnnexAEthnicity.AIND,
    Ethnicity.ASIAN_PAKISTANI: AnnexAEthnicity.APKN,
    Ethnicity.ASIAN_BANGLADESHI: AnnexAEthnicity.ABAN,
    Ethnicity.ASIAN_CHINESE: AnnexAEthnicity.CHNE,
    Ethnicity.ASIAN_OTHER: AnnexAEthnicity.AOTH,
    Ethnicity.BLACK_CARIBBEAN: AnnexAEthnicity.BCRB,
    Ethnicity.BLACK_AFRICAN: AnnexAEthnicity.BAFR,
    Ethnicity.BLACK_OTHER: AnnexAEthnicity.BOTH,
    # Annex A has no Arab group of its own: the census's "any other ethnic group" holds it.
    Ethnicity.ARAB: AnnexAEthnicity.OOTH,
    Ethnicity.OTHER: AnnexAEthnicity.OOTH,
    Ethnicity.REFUSED: AnnexAEthnicity.REFU,
    Ethnicity.NOT_OBTAINED: AnnexAEthnicity.NOBT,
}

# Member to member. Annex A has no early help source (the census's 5D, added later): an internal
# local authority service, 5B.
SOURCE: Final[Mapping[ReferralSource, Source]] = {
    ReferralSource.INDIVIDUAL_FAMILY: Source.INDIVIDUAL_FAMILY,
    ReferralSource.INDIVIDUAL_ACQUAINTANCE: Source.INDIVIDUAL_ACQUAINTANCE,
    ReferralSource.INDIVIDUAL_SELF: Source.INDIVIDUAL_SELF,
    ReferralSource.INDIVIDUAL_OTHER: Source.INDIVIDUAL_OTHER,
    ReferralSource.SCHOOLS: Source.SCHOOLS,
    ReferralSource.EDUCATION_SERVICES: Source.EDUCATION_SERVICES,
    ReferralSource.HEALTH_GP: Source.HEALTH_GP,
    ReferralSource.HEALTH_VISITOR: Source.HEALTH_VISITOR,
    ReferralSource.HEALTH_SCHOOL_NURSE: Source.HEALTH_SCHOOL_NURSE,
    ReferralSource.HEALTH_OTHER_PRIMARY: Source.HEALTH_OTHER_PRIMARY,
    ReferralSource.HEALTH_A_AND_E: Source.HEALTH_A_AND_E,
    ReferralSource.HEALTH_OTHER: Source.HEALTH_OTHER,
    ReferralSource.LA_SOCIAL_CARE: Source.LA_SOCIAL_CARE,
    ReferralSource.LA_HOUSING: Source.HOUSING,
    ReferralSource.LA_OTHER: Source.LA_OTHER_INTERNAL,
    ReferralSource.LA_EXTERNAL: Source.LA_EXTERNAL,
    ReferralSource.EARLY_HELP: Source.LA_OTHER_INTERNAL,
    ReferralSource.POLICE: Source.POLICE,
    ReferralSource.OTHER_LEGAL: Source.OTHER_LEGAL,
    ReferralSource.OTHER: Source.OTHER,
    ReferralSource.ANONYMOUS: Source.ANONYMOUS,
    ReferralSource.UNKNOWN: Source.UNKNOWN,
}


def gender(sex: str) -> Gender:
    """A person's `sex` as Annex A's gender."""
    return GENDER_OF_SEX[Sex(sex)]


def ethnicity(code: str) -> AnnexAEthnicity:
    """A person's `ethnicity` (a census code, or blank when none was recorded) as Annex A's label."""
    return ETHNICITY[Ethnicity(code)] if code else AnnexAEthnicity.NOBT


def source(code: str) -> Source:
    """A contact's `source` as Annex A's contact or referral source."""
    return SOURCE[ReferralSource(code)]
