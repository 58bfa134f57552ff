"""Safehub's values as the census's codes."""

from __future__ import annotations

import pytest

from safehub.contacts.models import ReferralSource as ContactReferralSource
from safehub.people.models import Ethnicity, Sex
from safehub.returns import cin_codes
from safehub.returns.cin_codes import CensusSex, census_ethnicity, census_sex

pytestmark = pytest.mark.database_independent

# The census's main ethnicity codes, as its rule 4220 lists them.
CENSUS_ETHNICITIES = {
    "ABAN", "AIND", "AOTH", "APKN", "BAFR", "BCRB", "BOTH", "CHNE", "MOTH", "MWAS",
    "MWBA", "MWBC", "NOBT", "OOTH", "REFU", "WBRI", "WIRI", "WIRT", "WOTH", "WROM",
}  # fmt: skip


@pytest.mark.parametrize("ethnicity", Ethnicity.values)
def test_every_safehub_ethnicity_is_a_census_code(ethnicity: str) -> None:
    assert census_ethnicity(ethnicity) in CENSUS_ETHNICITIES


def test_an_arab_child_is_sent_under_any_other_ethnic_group() -> None:
    assert census_ethnicity(Ethnicity.ARAB) == "OOTH"
    assert census_ethnicity(Ethnicity.WHITE_BRITISH) == "WBRI"


def test_no_recorded_ethnicity_is_not_yet_obtained() -> None:
    assert census_ethnicity(None) == "NOBT"
    assert census_ethnicity("") == "NOBT"


@pytest.mark.parametrize(
    ("sex", "unborn", "code"),
    [
        (Sex.FEMALE, False, "F"),
        (Sex.MALE, False, "M"),
        (Sex.UNKNOWN, False, "U"),
        (None, False, "U"),
        (Sex.FEMALE, True, "U"),
    ],
)
def test_sex_is_m_f_or_u_and_u_for_an_unborn_child(sex: str | None, unborn: bool, code: str) -> None:
    assert census_sex(sex, unborn=unborn) == code
    assert code in CensusSex.values


def test_an_unknown_value_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="not a valid Ethnicity"):
        census_ethnicity("XXXX")


def test_the_referral_sources_are_the_front_doors_own() -> None:
    assert cin_codes.ReferralSource is ContactReferralSource


def test_the_code_lists_have_the_census_codes() -> None:
    assert cin_codes.PrimaryNeed.values == [f"N{number}" for number in range(10)]
    assert cin_codes.ReasonForClosure.values == [f"RC{number}" for number in range(1, 10)]
    assert set(cin_codes.CategoryOfAbuse.values) == {"NEG", "PHY", "EMO", "SAB", "MUL"}
    assert cin_codes.UpnUnknown.values == [f"UN{number}" for number in range(1, 11)]
    assert {"NONE", "AUT", "DDA"} <= set(cin_codes.Disability.values)
    assert {"21", "18B", "19C", "24A"} <= set(cin_codes.AssessmentFactor.values)
