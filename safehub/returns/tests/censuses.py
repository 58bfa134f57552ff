"""Small census returns for the 2025 to 2026 collection (reference date 31 March 2026), built by hand.

The children are made up: their identifiers are `CIN…`/`BAD…` codes, and nobody is named.
`clean_children()` covers every module of the census once; `broken_children()` are each wrong in one
named way, for the census rules to find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safehub.returns.cin_codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    CensusSex,
    Disability,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    UpnUnknown,
)
from safehub.returns.cin_xml import (
    Assessment,
    Census,
    CensusChild,
    CinPlan,
    Episode,
    ProtectionPlan,
    Section47,
)

YEAR = 2026
LA_CODE = "201"
MADE_AT = dt.datetime(2026, 4, 14, 9, 30, tzinfo=dt.UTC)
D = dt.date
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la_code: str, serial: str) -> str:
    """A well-formed Unique Pupil Number: check letter, LA code, year digits and serial (12 digits)."""
    digits = f"{la_code}{serial}"
    if len(digits) != 12 or not digits.isdigit():
        raise ValueError(f"A UPN's LA code and serial are 12 digits, not {digits!r}")
    total = sum(int(digit) * weight for weight, digit in enumerate(digits, start=2))
    return UPN_CHECK_LETTERS[total % 23] + digits


def census(children: Iterable[CensusChild]) -> Census:
    return Census(
        year=YEAR,
        la_code=LA_CODE,
        software_code="Safehub",
        release="0.1.0",
        serial_no="001",
        made_at=MADE_AT,
        children=tuple(children),
    )


def nfa_referral() -> CensusChild:
    """A referral that went no further: no primary need, no assessment."""
    return CensusChild(
        la_child_id="CIN0001",
        upn=upn(LA_CODE, "140000001"),
        birth_date=D(2014, 7, 15),
        sex=CensusSex.FEMALE,
        ethnicity="WBRI",
        disabilities=(Disability.NONE,),
        episodes=(
            Episode(
                id="e1",
                referral_date=D(2025, 9, 8),
                referral_source=ReferralSource.SCHOOLS,
                referral_nfa=True,
            ),
        ),
    )


def assessed_and_closed() -> CensusChild:
    """Assessed, with factors, and closed after the assessment (RC8)."""
    return CensusChild(
        la_child_id="CIN0002",
        upn=upn(LA_CODE, "170000002"),
        birth_date=D(2017, 2, 3),
        sex=CensusSex.MALE,
        ethnicity="AIND",
        disabilities=(Disability.NONE,),
        episodes=(
            Episode(
                id="e2",
                referral_date=D(2025, 5, 12),
                referral_source=ReferralSource.HEALTH_GP,
                referral_nfa=False,
                primary_need=PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
                closure_date=D(2025, 6, 20),
                closure_reason=ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA,
                assessments=(
                    Assessment(
                        start=D(2025, 5, 13),
                        authorised=D(2025, 6, 20),
                        factors=(AssessmentFactor.DOMESTIC_ABUSE_PARENT, AssessmentFactor.MENTAL_HEALTH_PARENT),
                    ),
                ),
            ),
        ),
    )


def on_cin_plan() -> CensusChild:
    """Assessed and on a child in need plan, still open at the reference date."""
    return CensusChild(
        la_child_id="CIN0003",
        upn=upn(LA_CODE, "120000003"),
        birth_date=D(2012, 11, 20),
        sex=CensusSex.FEMALE,
        ethnicity="MWBC",
        disabilities=(Disability.LEARNING, Disability.COMMUNICATION),
        episodes=(
            Episode(
                id="e3",
                referral_date=D(2025, 4, 22),
                referral_source=ReferralSource.POLICE,
                referral_nfa=False,
                primary_need=PrimaryNeed.CHILD_DISABILITY,
                assessments=(
                    Assessment(
                        start=D(2025, 4, 23),
                        authorised=D(2025, 5, 30),
                        factors=(
                            AssessmentFactor.LEARNING_DISABILITY_CHILD,
                            AssessmentFactor.PHYSICAL_DISABILITY_CHILD,
                        ),
                    ),
                ),
                cin_plans=(CinPlan(start=D(2025, 6, 2)),),
            ),
        ),
    )


def section47_without_conference() -> CensusChild:
    """A section 47 enquiry that needed no initial conference, then a child in need plan."""
    return CensusChild(
        la_child_id="CIN0004",
        upn=upn(LA_CODE, "100000004"),
        birth_date=D(2010, 3, 9),
        sex=CensusSex.MALE,
        ethnicity="BCRB",
        disabilities=(Disability.NONE,),
        episodes=(
            Episode(
                id="e4",
                referral_date=D(2025, 10, 6),
                referral_source=ReferralSource.INDIVIDUAL_FAMILY,
                referral_nfa=False,
                primary_need=PrimaryNeed.FAMILY_DYSFUNCTION,
                assessments=(
                    Assessment(
                        start=D(2025, 10, 6), authorised=D(2025, 11, 14), factors=(AssessmentFactor.DRUGS_PARENT,)
                    ),
                ),
                section47s=(Section47(start=D(2025, 10, 7), icpc_target=D(2025, 10, 28), icpc_not_required=True),),
                cin_plans=(CinPlan(start=D(2025, 11, 17)),),
            ),
        ),
    )


def child_protection_plan() -> CensusChild:
    """A section 47 enquiry, its initial conference, and a protection plan from that day, reviewed twice."""
    return CensusChild(
        la_child_id="CIN0005",
        upn_unknown=UpnUnknown.UNDER_SIX,
        birth_date=D(2021, 6, 1),
        sex=CensusSex.FEMALE,
        ethnicity="WOTH",
        disabilities=(Disability.NONE,),
        episodes=(
            Episode(
                id="e5",
                referral_date=D(2025, 4, 7),
                referral_source=ReferralSource.HEALTH_VISITOR,
                referral_nfa=False,
                primary_need=PrimaryNeed.ABUSE_OR_NEGLECT,
                assessments=(
                    Assessment(
                        start=D(2025, 4, 8),
                        authorised=D(2025, 5, 16),
                        factors=(AssessmentFactor.NEGLECT, AssessmentFactor.DOMESTIC_ABUSE_PARENT),
                    ),
                ),
                section47s=(
                    Section47(
                        start=D(2025, 4, 9),
                        icpc_target=D(2025, 4, 30),
                        icpc_date=D(2025, 4, 29),
                        icpc_not_required=False,
                    ),
                ),
                protection_plans=(
                    ProtectionPlan(
                        id="p5",
                        start=D(2025, 4, 29),
                        initial_category=CategoryOfAbuse.NEGLECT,
                        latest_category=CategoryOfAbuse.NEGLECT,
                        previous_plans=0,
                        reviews=(D(2025, 7, 29), D(2026, 1, 27)),
                    ),
                ),
            ),
        ),
    )


def unborn() -> CensusChild:
    """An unborn child: an expected date of birth, sex U, ethnicity not yet obtained, assessment under way."""
    return CensusChild(
        la_child_id="CIN0006",
        expected_birth_date=D(2026, 5, 20),
        sex=CensusSex.UNKNOWN,
        ethnicity="NOBT",
        episodes=(
            Episode(
                id="e6",
                referral_date=D(2026, 2, 16),
                referral_source=ReferralSource.HEALTH_OTHER,
                referral_nfa=False,
                primary_need=PrimaryNeed.ABUSE_OR_NEGLECT,
                assessments=(Assessment(start=D(2026, 2, 17)),),
            ),
        ),
    )


def clean_children() -> list[CensusChild]:
    return [
        nfa_referral(),
        assessed_and_closed(),
        on_cin_plan(),
        section47_without_conference(),
        child_protection_plan(),
        unborn(),
    ]


def _assessed(la_child_id: str, serial: str, **episode: object) -> CensusChild:
    """A child who is otherwise like `assessed_and_closed`, with one thing about the episode changed."""
    fields: dict[str, object] = {
        "id": f"e-{la_child_id}",
        "referral_date": D(2025, 5, 12),
        "referral_source": ReferralSource.HEALTH_GP,
        "referral_nfa": False,
        "primary_need": PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
        "closure_date": D(2025, 6, 20),
        "closure_reason": ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA,
        "assessments": (Assessment(start=D(2025, 5, 13), authorised=D(2025, 6, 20), factors=("3B",)),),
    } | episode
    return CensusChild(
        la_child_id=la_child_id,
        upn=upn(LA_CODE, serial),
        birth_date=D(2016, 1, 4),
        sex=CensusSex.MALE,
        ethnicity="WBRI",
        disabilities=(Disability.NONE,),
        episodes=(Episode(**fields),),  # type: ignore[arg-type]
    )


# The broken children, each with the rules that must fire for it.
REFERRAL_AFTER_REFERENCE_DATE = "BAD0001"
NO_REFERRAL_SOURCE = "BAD0002"
PLAN_WITHOUT_CONFERENCE = "BAD0003"
AUTHORISED_BEFORE_START = "BAD0004"
TWICE = "BAD0005"
LATE_REVIEW_BEFORE_START = "BAD0006"


def broken_children() -> list[CensusChild]:
    return [
        _assessed(
            REFERRAL_AFTER_REFERENCE_DATE,
            "160000011",
            referral_date=D(2026, 4, 15),
            closure_date=None,
            closure_reason=None,
            assessments=(),
        ),
        _assessed(NO_REFERRAL_SOURCE, "160000012", referral_source=None),
        _assessed(
            PLAN_WITHOUT_CONFERENCE,
            "160000013",
            closure_date=None,
            closure_reason=None,
            protection_plans=(
                ProtectionPlan(
                    id="p-bad",
                    start=D(2025, 6, 23),
                    initial_category=CategoryOfAbuse.EMOTIONAL,
                    latest_category=CategoryOfAbuse.EMOTIONAL,
                    previous_plans=0,
                ),
            ),
        ),
        _assessed(
            AUTHORISED_BEFORE_START,
            "160000014",
            assessments=(Assessment(start=D(2025, 6, 2), authorised=D(2025, 5, 20), factors=("3B",)),),
            closure_date=D(2025, 6, 20),
        ),
        # The second of two reviews is before the plan started: only a reader that sees every
        # <CPPreviewDate> in the <Reviews> group finds it.
        _assessed(
            LATE_REVIEW_BEFORE_START,
            "160000017",
            closure_date=None,
            closure_reason=None,
            assessments=(Assessment(start=D(2025, 5, 13), authorised=D(2025, 6, 20), factors=("16A",)),),
            section47s=(
                Section47(
                    start=D(2025, 5, 14), icpc_target=D(2025, 6, 4), icpc_date=D(2025, 6, 3), icpc_not_required=False
                ),
            ),
            protection_plans=(
                ProtectionPlan(
                    id="p-late",
                    start=D(2025, 6, 3),
                    initial_category=CategoryOfAbuse.NEGLECT,
                    latest_category=CategoryOfAbuse.NEGLECT,
                    previous_plans=1,
                    reviews=(D(2025, 9, 2), D(2025, 6, 2)),
                ),
            ),
        ),
        _assessed(TWICE, "160000015"),
        _assessed(
            TWICE,
            "160000016",
            referral_date=D(2025, 7, 1),
            closure_date=D(2025, 8, 1),
            assessments=(Assessment(start=D(2025, 7, 2), authorised=D(2025, 8, 1), factors=("3B",)),),
        ),
    ]
