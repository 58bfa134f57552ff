"""The census leaves out what ended before its collection year: the last year's census returned it."""

from __future__ import annotations

import datetime as dt

import pytest

from safehub.casework.models import Assessment, CinPlan, Episode, ProtectionPlan, Section47
from safehub.contacts.models import ReferralSource
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.models import LocalProtocol
from safehub.returns import census_rows

pytestmark = pytest.mark.django_db

D = dt.date
MADE_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def test_what_ended_before_the_collection_year_is_left_out_and_what_went_on_into_it_kept() -> None:
    LocalProtocol.objects.filter(is_active=True).update(la_code="330")
    episode = Episode.objects.create(child=PersonFactory(), referral_date=D(2026, 1, 5), source=ReferralSource.POLICE)
    Assessment.objects.create(episode=episode, started_on=D(2026, 1, 6), authorised_on=D(2026, 3, 2))  # before
    Assessment.objects.create(episode=episode, started_on=D(2026, 3, 20), authorised_on=D(2026, 4, 20))  # into it
    CinPlan.objects.create(episode=episode, started_on=D(2026, 1, 10), ended_on=D(2026, 3, 1))
    CinPlan.objects.create(episode=episode, started_on=D(2026, 3, 2))
    Section47.objects.create(episode=episode, started_on=D(2026, 1, 6), conference_on=D(2026, 1, 27))
    Section47.objects.create(episode=episode, started_on=D(2026, 2, 2), conference_not_required=True)
    Section47.objects.create(episode=episode, started_on=D(2026, 3, 16), conference_on=D(2026, 4, 2))
    ProtectionPlan.objects.create(
        episode=episode,
        started_on=D(2026, 1, 27),
        ended_on=D(2026, 3, 30),
        initial_category="NEG",
        latest_category="NEG",
    )

    census, children = census_rows.build(2027, serial=0, made_at=MADE_AT)

    [child] = list(census.children)
    [returned] = child.episodes
    assert children == [child.la_child_id]
    assert [a.start for a in returned.assessments] == [D(2026, 3, 20)]
    assert [p.start for p in returned.cin_plans] == [D(2026, 3, 2)]
    assert [s.start for s in returned.section47s] == [D(2026, 3, 16)]
    # The DfE's schema (CIN_schema_2024.xsd): ICPCnotRequired in every enquiry, a serial of three digits.
    assert [s.icpc_not_required for s in returned.section47s] == [False]
    assert census.serial_no == "000"
    assert returned.protection_plans == ()
    # The year before's census had them all.
    census, _ = census_rows.build(2026, serial=0, made_at=MADE_AT)
    [earlier] = next(iter(census.children)).episodes
    assert len(earlier.assessments) == 2
    assert len(earlier.section47s) == 3
    assert len(earlier.protection_plans) == 1
