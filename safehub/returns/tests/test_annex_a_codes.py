"""Safehub's own codes become Annex A's labels: every one of them, by what it means."""

from __future__ import annotations

import pytest

from safehub.contacts.models import ReferralSource
from safehub.people.models import Ethnicity, Sex
from safehub.returns import annex_a_codes
from safehub.returns.annex_a_codes import ETHNICITY, GENDER_OF_SEX, SOURCE, AnnexAEthnicity, Gender, Source

pytestmark = pytest.mark.database_independent

# Early help (the census's 5D) is newer than Annex A's list: it is written as another internal service.
NOT_IN_ANNEX_A = {ReferralSource.EARLY_HELP}


def _code(label: str) -> str:
    """The census code in a label: "q) 6: Police" -> "6", "a) WBRI" -> "WBRI"."""
    return label.split(") ", 1)[1].split(":", 1)[0]


def test_every_sex_ethnicity_and_source_has_a_label() -> None:
    assert set(GENDER_OF_SEX) == set(Sex)
    assert set(ETHNICITY) == set(Ethnicity)
    assert set(SOURCE) == set(ReferralSource)


@pytest.mark.parametrize(
    ("sex", "label"), [("male", "a) Male"), ("female", "b) Female"), ("unknown", "c) Not stated/recorded")]
)
def test_sex_is_written_as_annex_a_gender(sex: str, label: str) -> None:
    assert annex_a_codes.gender(sex) == label


def test_ethnicity_labels_carry_safehubs_census_code() -> None:
    for ethnicity, label in ETHNICITY.items():
        expected = "OOTH" if ethnicity is Ethnicity.ARAB else ethnicity.value
        assert _code(label) == expected, ethnicity


def test_no_recorded_ethnicity_is_information_not_yet_obtained() -> None:
    assert annex_a_codes.ethnicity("") is AnnexAEthnicity.NOBT
    assert annex_a_codes.ethnicity("REFU") is AnnexAEthnicity.REFU


def test_source_labels_carry_the_census_code() -> None:
    for source, label in SOURCE.items():
        if source not in NOT_IN_ANNEX_A:
            assert _code(label) == source.value, source


def test_social_care_is_5a_housing_4_and_early_help_an_internal_service() -> None:
    assert annex_a_codes.source(ReferralSource.LA_SOCIAL_CARE) == "n) 5A: LA services"
    assert annex_a_codes.source(ReferralSource.LA_HOUSING) == "m) 4: Housing"
    assert annex_a_codes.source(ReferralSource.EARLY_HELP) == "o) 5B: LA services"


def test_each_annex_a_label_is_reached_from_safehub_but_neither_gender() -> None:
    assert set(Gender) - set(GENDER_OF_SEX.values()) == {Gender.NEITHER}
    assert set(AnnexAEthnicity) == set(ETHNICITY.values())
    assert set(Source) == set(SOURCE.values())
