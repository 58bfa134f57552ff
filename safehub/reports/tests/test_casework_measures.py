"""The measures that read what happened after the front door (the casework app), counted by hand on the
hub in hub.py with an assessment, an enquiry and a conference added (001 tables b and d; 004 §9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safehub.accounts.models import User
from safehub.casework.models import Assessment, Episode, Section47
from safehub.casework.services import follow_front_door
from safehub.contacts.models import ReferralSource
from safehub.people.models import Person
from safehub.reports.measures import assessments, funnel
from safehub.reports.measures.scope import Filters
from safehub.reports.measures.tiles import Rate
from safehub.reports.tests import hub as hub_data
from safehub.reports.tests.hub import Hub
from safehub.reports.tests.test_measures import rows, scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(mash_team: Any, contact_officer: User, social_worker: User, manager: User, now: dt.datetime) -> Hub:
    """hub.py's November, and since: Ann (referred by C1, again by C2: one episode) assessed from 3 to 24
    November and under a section 47 enquiry from 3 November with a conference on 20 November; Cat, in an
    episode the case system imported, assessed from 1 September to 20 November (more than 45 working days)."""
    built = hub_data.build(mash_team, contact_officer=contact_officer, social_worker=social_worker, manager=manager)
    follow_front_door()
    ann = Episode.objects.get(referral_links__referral__contact=built.contacts["C1"])
    Assessment.objects.create(episode=ann, started_on=dt.date(2026, 11, 3), authorised_on=dt.date(2026, 11, 24))
    Section47.objects.create(episode=ann, started_on=dt.date(2026, 11, 3), conference_on=dt.date(2026, 11, 20))
    cat = Person.objects.get(given_name="Cat")
    imported = Episode.objects.create(
        child=cat, referral_date=dt.date(2026, 8, 28), source=ReferralSource.SCHOOLS, imported=True
    )
    Assessment.objects.create(episode=imported, started_on=dt.date(2026, 9, 1), authorised_on=dt.date(2026, 11, 20))
    return built


def test_the_funnel_follows_the_referrals_into_assessments_enquiries_and_conferences(hub: Hub) -> None:
    table = rows(funnel.funnel(scope()).table("by-source"))
    # Police: C2 (Ann: referred, assessed, discussed, enquiry, conference), C7 (Gus: referred; his episode
    # from a year ago has no assessment), C9. Schools: C1 (Ann: referred, assessed; no discussion on C1).
    assert table["Police"] == (3, 2, Rate(2, 3), 1, Rate(1, 3), 1, Rate(1, 3), 1, Rate(1, 3), 1, Rate(1, 3))
    assert table["Schools"] == (3, 1, Rate(1, 3), 1, Rate(1, 3), 0, Rate(0, 3), 0, Rate(0, 3), 0, Rate(0, 3))
    assert table["All sources"] == (9, 4, Rate(4, 9), 2, Rate(2, 9), 1, Rate(1, 9), 1, Rate(1, 9), 1, Rate(1, 9))


def test_assessments_completed_in_timescale(hub: Hub) -> None:
    tile = assessments.assessments(scope())
    table = rows(tile.table("in-timescale"))
    # Ann's: 3 to 24 November, 15 working days. Cat's: 1 September to 20 November, 58 working days.
    assert table["Tue 24 Nov"] == (1, 1, Rate(1, 1))
    assert table["Fri 20 Nov"] == (1, 0, Rate(0, 1))
    assert table["Mon 2 Nov"] == (0, 0, Rate(0, 0))
    assert tile.summary == "2 assessments were completed; 50% (1 of 2) within 45 working days."
    # A filter counts only the episodes a contact that passes it started: Cat's was imported.
    schools = assessments.assessments(scope(Filters(source=ReferralSource.SCHOOLS)))
    assert schools.summary == "1 assessment was completed; 100% (1 of 1) within 45 working days."
    police = assessments.assessments(scope(Filters(source=ReferralSource.POLICE)))
    assert police.summary == "No assessment was completed in the period."


def test_45_working_days_leave_out_weekends_and_bank_holidays() -> None:
    index = assessments._working_day_index(dt.date(2026, 12, 1), dt.date(2027, 3, 1))
    # From Tuesday 1 December 2026: Christmas Day, Boxing Day (a Saturday: Monday 28th) and New Year's Day out.
    # December 22 weekdays after the 1st, less 2; January 21, less 1; February's first five.
    assert assessments.working_days_between(dt.date(2026, 12, 1), dt.date(2027, 2, 5), index=index) == 45
    assert assessments.working_days_between(dt.date(2026, 12, 1), dt.date(2027, 2, 8), index=index) == 46
