"""The census return's XML: element names and order, dates, flags, escaping, and what is left out."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from safehub.returns.cin_xml import (
    Assessment,
    Census,
    CensusChild,
    CinPlan,
    Episode,
    ProtectionPlan,
    Section47,
    collection_period,
    ruleset_for,
    to_xml,
    write_xml,
)
from safehub.returns.tests.censuses import MADE_AT, census

pytestmark = pytest.mark.database_independent
D = dt.date


def tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def parsed(*children: CensusChild) -> ET.Element:
    return ET.fromstring(to_xml(census(children)))  # noqa: S314 (our own output)


def only_child(root: ET.Element) -> ET.Element:
    (child,) = root.findall("Children/Child")
    return child


def everything() -> CensusChild:
    """A child with every element the census has."""
    return CensusChild(
        la_child_id="CIN0100",
        upn="A201150000101",
        former_upn="B201150000102",
        upn_unknown="UN5",
        birth_date=D(2015, 1, 2),
        expected_birth_date=D(2015, 1, 9),
        sex="F",
        death_date=D(2026, 1, 5),
        ethnicity="WBRI",
        disabilities=("HEAR", "VIS"),
        episodes=(
            Episode(
                id="e",
                referral_date=D(2025, 4, 1),
                referral_source="1A",
                referral_nfa=False,
                primary_need="N1",
                closure_date=D(2026, 1, 5),
                closure_reason="RC2",
                date_of_initial_cpc=D(2025, 4, 20),
                assessments=(
                    Assessment(
                        start=D(2025, 4, 2),
                        internal_review=D(2025, 4, 9),
                        authorised=D(2025, 4, 30),
                        factors=("16A", "3B"),
                    ),
                ),
                cin_plans=(CinPlan(start=D(2025, 5, 1), end=D(2025, 6, 1)),),
                section47s=(
                    Section47(
                        start=D(2025, 4, 3),
                        icpc_target=D(2025, 4, 24),
                        icpc_date=D(2025, 4, 22),
                        icpc_not_required=False,
                    ),
                ),
                protection_plans=(
                    ProtectionPlan(
                        id="p",
                        start=D(2025, 6, 2),
                        end=D(2026, 1, 5),
                        initial_category="NEG",
                        latest_category="MUL",
                        previous_plans=2,
                        reviews=(D(2025, 9, 1), D(2025, 12, 1)),
                    ),
                ),
            ),
        ),
    )


def test_the_census_year_is_the_year_of_its_reference_date() -> None:
    assert collection_period(2026) == (D(2025, 4, 1), D(2026, 3, 31))
    assert ruleset_for(2026) == "cin2025_26"
    assert ruleset_for(2025) == "cin2024_25"
    assert ruleset_for(2027) == "cin2026_27"


@pytest.mark.parametrize(
    ("year", "says"),
    [
        (26, "Give the census year in full: 2026"),
        (2024, "this export writes 2025 to 2027"),
        (2126, "such as 2026 for 1 April 2025 to 31 March 2026"),
        ("2026", "not '2026'"),
        (True, "not True"),
        (2026.0, "not 2026.0"),
    ],
)
def test_nonsensical_years_are_refused_with_a_reason(year: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        collection_period(year)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=says):
        ruleset_for(year)  # type: ignore[arg-type]


def test_the_header_names_the_collection_and_when_it_was_made_in_english_time() -> None:
    root = parsed()

    assert root.tag == "Message"
    assert tags(root) == ["Header", "Children"]
    header = root.find("Header")
    assert header is not None
    assert tags(header) == ["CollectionDetails", "Source"]
    assert [(item.tag, item.text) for item in header.find("CollectionDetails") or []] == [
        ("Collection", "CIN"),
        ("Year", "2026"),
        ("ReferenceDate", "2026-03-31"),
    ]
    assert [(item.tag, item.text) for item in header.find("Source") or []] == [
        ("SourceLevel", "L"),
        ("LEA", "201"),
        ("SoftwareCode", "Safehub"),
        ("Release", "0.1.0"),
        ("SerialNo", "001"),
        ("DateTime", "2026-04-14T10:30:00"),  # 09:30 UTC in British Summer Time
    ]


def test_a_census_made_at_a_time_with_no_timezone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Census(
            year=2026,
            la_code="201",
            software_code="Safehub",
            release="1",
            serial_no="001",
            made_at=MADE_AT.replace(tzinfo=None),
        )


def test_every_element_is_written_in_the_specifications_order() -> None:
    child = only_child(parsed(everything()))

    assert tags(child) == ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"]
    identifiers, characteristics, episode = child
    assert tags(identifiers) == [
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
    ]
    assert tags(characteristics) == ["Ethnicity", "Disabilities"]
    assert [(item.tag, item.text) for item in characteristics.find("Disabilities") or []] == [
        ("Disability", "HEAR"),
        ("Disability", "VIS"),
    ]
    assert tags(episode) == [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ]
    assessment = episode.find("Assessments")
    assert assessment is not None
    assert tags(assessment) == [
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        "FactorsIdentifiedAtAssessment",
    ]
    assert [factor.text for factor in assessment.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")] == [
        "16A",
        "3B",
    ]
    assert tags(episode.find("CINPlanDates")) == ["CINPlanStartDate", "CINPlanEndDate"]  # type: ignore[arg-type]
    assert tags(episode.find("Section47")) == [  # type: ignore[arg-type]
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
    ]
    plan = episode.find("ChildProtectionPlans")
    assert plan is not None
    assert tags(plan) == [
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "Reviews",
    ]


def test_dates_are_written_as_year_month_day_and_flags_as_true_or_false() -> None:
    episode = only_child(parsed(everything())).find("CINdetails")
    assert episode is not None

    assert episode.findtext("CINreferralDate") == "2025-04-01"
    assert episode.findtext("Assessments/AssessmentInternalReviewDate") == "2025-04-09"
    assert episode.findtext("ReferralNFA") == "false"
    assert episode.findtext("Section47/ICPCnotRequired") == "false"
    assert episode.findtext("ChildProtectionPlans/NumberOfPreviousCPP") == "2"


def test_a_plans_reviews_are_one_group_of_dates() -> None:
    plan = only_child(parsed(everything())).find("CINdetails/ChildProtectionPlans")
    assert plan is not None

    (reviews,) = plan.findall("Reviews")
    assert [(item.tag, item.text) for item in reviews] == [
        ("CPPreviewDate", "2025-09-01"),
        ("CPPreviewDate", "2025-12-01"),
    ]


def test_elements_and_groups_with_nothing_in_them_are_left_out() -> None:
    child = CensusChild(
        la_child_id="CIN0101",
        upn="",
        birth_date=D(2022, 2, 2),
        sex="M",
        ethnicity="NOBT",
        episodes=(
            Episode(
                id="e",
                referral_date=D(2025, 11, 3),
                referral_source=None,
                referral_nfa=None,
                assessments=(Assessment(start=D(2025, 11, 4)),),
                cin_plans=(CinPlan(start=None),),
                protection_plans=(
                    ProtectionPlan(
                        id="p", start=D(2025, 12, 1), initial_category="PHY", latest_category="PHY", previous_plans=0
                    ),
                ),
            ),
        ),
    )

    written = only_child(parsed(child))

    assert tags(written.find("ChildIdentifiers")) == ["LAchildID", "PersonBirthDate", "Sex"]  # type: ignore[arg-type]
    assert tags(written.find("ChildCharacteristics")) == ["Ethnicity"]  # type: ignore[arg-type]
    episode = written.find("CINdetails")
    assert episode is not None
    assert tags(episode) == ["CINreferralDate", "Assessments", "ChildProtectionPlans"]
    assert tags(episode.find("Assessments")) == ["AssessmentActualStartDate"]  # type: ignore[arg-type]
    assert episode.find("ChildProtectionPlans/Reviews") is None
    assert b"<UPN" not in to_xml(census([child]))


def test_text_is_escaped() -> None:
    child = CensusChild(la_child_id="A&B<C>", sex="M", ethnicity="WBRI")

    written = to_xml(census([child]))

    assert b"<LAchildID>A&amp;B&lt;C&gt;</LAchildID>" in written
    assert only_child(ET.fromstring(written)).findtext("ChildIdentifiers/LAchildID") == "A&B<C>"  # noqa: S314


def test_characters_xml_cannot_carry_are_refused_rather_than_written() -> None:
    with pytest.raises(ValueError, match="XML cannot carry"):
        to_xml(census([CensusChild(la_child_id="CIN\x07", sex="M", ethnicity="WBRI")]))


def test_a_date_and_time_is_not_a_census_date() -> None:
    child = CensusChild(la_child_id="CIN0102", sex="M", ethnicity="WBRI", birth_date=MADE_AT)  # type: ignore[arg-type]

    with pytest.raises(TypeError, match="date, not a date and time"):
        to_xml(census([child]))


def test_children_are_written_one_at_a_time_from_a_generator() -> None:
    taken: list[str] = []

    def children() -> Iterator[CensusChild]:
        for number in range(3):
            taken.append(f"CIN{number}")
            yield CensusChild(la_child_id=f"CIN{number}", sex="F", ethnicity="WBRI")

    out = io.BytesIO()
    written = write_xml(
        Census(
            year=2026,
            la_code="201",
            software_code="S",
            release="1",
            serial_no="001",
            made_at=MADE_AT,
            children=children(),
        ),
        out,
    )

    assert written == 3
    assert taken == ["CIN0", "CIN1", "CIN2"]
    root = ET.fromstring(out.getvalue())  # noqa: S314
    assert [child.findtext("ChildIdentifiers/LAchildID") for child in root.findall("Children/Child")] == taken
    assert out.getvalue().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n')
