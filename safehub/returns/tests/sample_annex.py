"""Generated Annex A rows for the tests: made-up child IDs, teams and workers, no real person."""

from __future__ import annotations

import datetime as dt
import itertools

from safehub.returns.annex_a_codes import AnnexAEthnicity, Gender, Source, YesNo, YesNoUnknown
from safehub.returns.annex_a_xlsx import (
    AnnexA,
    AssessmentRow,
    Child,
    ContactRow,
    EarlyHelpRow,
    ReferralRow,
    Section47Row,
)

AS_AT = dt.date(2026, 12, 1)  # the six months: 1 June to 30 November 2026
TEAM = "Assessment Team 2"
WORKER = "Robin Example"


def child(number: int, *, born: dt.date | None = dt.date(2015, 3, 14)) -> Child:
    genders = list(Gender)
    ethnicities = list(AnnexAEthnicity)
    return Child(
        child_id=f"SH{number:06d}",
        gender=genders[number % len(genders)],
        ethnicity=ethnicities[number % len(ethnicities)],
        date_of_birth=born,
    )


def contacts() -> list[ContactRow]:
    """One contact from every source, the children between them of every gender and ethnicity; one unborn."""
    days = itertools.cycle(dt.date(2026, 6, 1) + dt.timedelta(days=9 * n) for n in range(20))
    rows = [
        ContactRow(child=child(number), date_of_contact=next(days), source=source)
        for number, source in enumerate(Source, start=1)
    ]
    rows.append(
        ContactRow(child=child(90, born=None), date_of_contact=dt.date(2026, 11, 30), source=Source.HEALTH_VISITOR)
    )
    return rows


def early_help() -> list[EarlyHelpRow]:
    return [
        EarlyHelpRow(child(101), dt.date(2026, 6, 1), dt.date(2026, 7, 15), "Family Hub North"),
        EarlyHelpRow(child(102), dt.date(2026, 5, 20), dt.date(2026, 6, 10), "Example Primary School"),
        EarlyHelpRow(child(103), dt.date(2026, 11, 2), None, "Family Hub South"),
    ]


def referrals() -> list[ReferralRow]:
    return [
        ReferralRow(child(201), dt.date(2026, 6, 3), Source.POLICE, YesNo.NO, 0, TEAM, WORKER),
        ReferralRow(child(202), dt.date(2026, 8, 19), Source.SCHOOLS, YesNo.YES, 2, "MASH", "Unallocated"),
        ReferralRow(child(203), dt.date(2026, 11, 30), Source.HEALTH_A_AND_E, YesNo.NO, 1, TEAM, "Sam Placeholder"),
    ]


def assessments() -> list[AssessmentRow]:
    return [
        AssessmentRow(
            child(301),
            YesNoUnknown.NO,
            dt.date(2026, 6, 4),
            YesNoUnknown.YES,
            dt.date(2026, 7, 20),
            YesNo.YES,
            TEAM,
            WORKER,
        ),
        # Started before the six months, authorised within them.
        AssessmentRow(
            child(302),
            YesNoUnknown.YES,
            dt.date(2026, 5, 11),
            YesNoUnknown.YES,
            dt.date(2026, 6, 30),
            YesNo.NO,
            TEAM,
            WORKER,
        ),
        AssessmentRow(
            child(303),
            YesNoUnknown.UNKNOWN,
            dt.date(2026, 11, 9),
            YesNoUnknown.UNKNOWN,
            None,
            None,
            TEAM,
            "Sam Placeholder",
        ),
    ]


def section47s() -> list[Section47Row]:
    return [
        Section47Row(
            child(401),
            YesNoUnknown.NO,
            dt.date(2026, 6, 8),
            YesNo.NO,
            dt.date(2026, 6, 29),
            YesNo.YES,
            1,
            1,
            TEAM,
            WORKER,
        ),
        Section47Row(child(402), YesNoUnknown.YES, dt.date(2026, 9, 1), YesNo.YES, None, None, 2, 0, TEAM, WORKER),
        Section47Row(
            child(403),
            YesNoUnknown.UNKNOWN,
            dt.date(2026, 9, 14),
            YesNo.NO,
            dt.date(2026, 10, 5),
            YesNo.NO,
            1,
            1,
            TEAM,
            WORKER,
        ),
        # Still going: no decision about a conference yet.
        Section47Row(child(404), YesNoUnknown.NO, dt.date(2026, 11, 27), None, None, None, 1, 0, "MASH", "Unallocated"),
    ]


def clean_annex() -> AnnexA:
    return AnnexA(
        as_at=AS_AT,
        contacts=contacts(),
        early_help=early_help(),
        referrals=referrals(),
        assessments=assessments(),
        section47s=section47s(),
    )
