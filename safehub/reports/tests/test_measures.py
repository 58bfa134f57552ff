"""Each measure's figures for November 2026 (to the 24th), counted by hand from the hub in hub.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safehub.accounts.models import User
from safehub.accounts.tests.factories import TeamFactory
from safehub.contacts.models import ReferralSource
from safehub.core.presenters import how_many
from safehub.reports.indicators.checks_timeliness import TimelinessRow
from safehub.reports.indicators.months import MonthRow
from safehub.reports.indicators.strategy_timeliness import MonthRow as StrategyMonth
from safehub.reports.indicators.strategy_timeliness import Report
from safehub.reports.measures import (
    advice_and_guidance,
    brag_mix,
    checks_by_agency,
    children_and_contacts,
    consent_overrides,
    contact_to_referral,
    contacts_received,
    decision_timeliness,
    funnel,
    measures,
    re_referrals,
    referrals,
    screening_timeliness,
    strategy_and_conferences,
    strategy_discussions,
    telling_people,
    workload,
)
from safehub.reports.measures.scope import NOT_RATED, Filters, Scope
from safehub.reports.measures.tiles import Rate, Table, Tile, share
from safehub.reports.periods import Period, PeriodKind
from safehub.reports.tests import hub as hub_data
from safehub.reports.tests.hub import Hub, at

pytestmark = pytest.mark.django_db
NOVEMBER = Period(PeriodKind.MONTH, dt.date(2026, 11, 1), dt.date(2026, 11, 24))


@pytest.fixture
def hub(mash_team: Any, contact_officer: User, social_worker: User, manager: User, now: dt.datetime) -> Hub:
    return hub_data.build(mash_team, contact_officer=contact_officer, social_worker=social_worker, manager=manager)


def scope(filters: Filters | None = None, period: Period = NOVEMBER) -> Scope:
    return Scope(period, filters or Filters(), at(24, 10))


def rows(table: Table | None) -> dict[str, tuple[Any, ...]]:
    assert table is not None
    return {row.label: row.cells for row in table.rows}


def day(tile: Tile, label: str, table: str = "by-period") -> tuple[Any, ...]:
    return rows(tile.table(table))[label]


def test_contacts_received(hub: Hub) -> None:
    tile = contacts_received.contacts_received(scope())
    # C1, C2, C3, C4, C5, C7, C8, C9, C10: nine, in 24 days (3.4 weeks): 2.6 a week.
    assert tile.summary == "9 contacts were received, 3 a week on average."
    assert day(tile, "Mon 2 Nov") == (1,)
    assert day(tile, "Sun 1 Nov") == (0,)
    assert sum(cells[0] for cells in rows(tile.table("by-period")).values()) == 9
    assert rows(tile.table("by-channel")) == {
        "Phone": (5,),  # C1, C4, C5, C7, C8
        "Email": (1,),
        "Request for support form": (1,),
        "In person": (0,),
        "Police notification": (1,),
        "Letter": (1,),
    }
    assert rows(tile.table("by-source")) == {
        "Individual: family member, relative or carer": (1,),  # C10
        "Schools": (3,),  # C1, C3, C5
        "Health services: GP": (2,),  # C4, C8
        "Police": (3,),  # C2, C7, C9
    }


def test_a_period_shorter_than_a_week_has_no_weekly_average(hub: Hub) -> None:
    week = Period(PeriodKind.WEEK, dt.date(2026, 11, 23), dt.date(2026, 11, 24))  # Monday and Tuesday
    assert contacts_received.contacts_received(scope(period=week)).summary == "2 contacts were received."  # C9, C10


def test_a_contact_is_counted_on_its_day_in_england(hub: Hub) -> None:
    """23:30 on 30 June in UTC is 00:30 on 1 July in England (summer time)."""
    hub_data.contact(hub, "Summer", dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), children=["Sam"])
    days = Period(PeriodKind.RANGE, dt.date(2026, 6, 30), dt.date(2026, 7, 1))
    tile = contacts_received.contacts_received(scope(period=days))
    assert (day(tile, "Tue 30 Jun"), day(tile, "Wed 1 Jul")) == ((0,), (1,))
    weeks = Period(PeriodKind.RANGE, dt.date(2026, 5, 1), dt.date(2026, 7, 31))  # by week
    assert day(contacts_received.contacts_received(scope(period=weeks)), "Week from 29 Jun") == (1,)


def test_referrals(hub: Hub) -> None:
    tile = referrals.referrals(scope())
    # Ann (C1, 2 Nov), Ann again (C2, 3 Nov), Gus (C7, 12 Nov), Hal (C8, 13 Nov); not 2025's.
    assert tile.summary.startswith("4 children were referred to a statutory service")
    assert (day(tile, "Mon 2 Nov"), day(tile, "Tue 3 Nov"), day(tile, "Wed 4 Nov")) == ((1,), (1,), (0,))
    assert rows(tile.table("by-service")) == {
        "Section 17 assessment": (2,),
        "Children with disability": (1,),
        "Strategy discussion": (1,),
    }


def test_contact_to_referral(hub: Hub) -> None:
    tile = contact_to_referral.contact_to_referral(scope())
    # C1, C2, C7, C8 of the nine; C1 counts once for its two children.
    assert tile.summary == "4 of the 9 contacts received (44%) have become referrals so far."
    assert day(tile, "Mon 2 Nov") == (1, 1, Rate(1, 1))
    assert day(tile, "Tue 10 Nov") == (1, 0, Rate(0, 1))


def test_advice_and_guidance(hub: Hub) -> None:
    tile = advice_and_guidance.advice_and_guidance_tile(scope())
    # C3 signposted at screening; C4 no further action. C1 (Ben NFA, Ann s17) had a referral; C5 is open.
    assert tile.summary.startswith("2 of the 9 contacts received (22%)")
    assert day(tile, "Tue 10 Nov") == (1, 1, Rate(1, 1))
    assert day(tile, "Wed 11 Nov") == (1, 1, Rate(1, 1))
    assert day(tile, "Mon 2 Nov") == (1, 0, Rate(0, 1))


def test_strategy_discussions(hub: Hub) -> None:
    tile = strategy_discussions.strategy_discussions(scope())
    # C2's (arranged), C8's (cancelled), and the one from a child's record (held).
    assert "3 strategy discussions were started" in tile.summary
    assert "1 has been held and 1 was cancelled" in tile.summary
    assert day(tile, "Fri 13 Nov") == (1, 0, 1)
    # From schools (C1, C3, C5) none; the discussion with no contact has no source.
    schools = strategy_discussions.strategy_discussions(scope(Filters(source=ReferralSource.SCHOOLS)))
    assert schools.summary.startswith("No strategy discussions were started")


def test_re_referrals(hub: Hub) -> None:
    tile = re_referrals.re_referrals(scope())
    # Ann's second (a day after her first) and Hal's (365 days after, 13 Nov 2025: within 12 months);
    # not Gus's (366 days: 11 Nov 2025 is before 12 Nov 2025), nor Ann's first.
    assert tile.summary.startswith("2 of the 4 referrals (50%) were of a child referred in the 12 months before")
    assert "in England it was 22%" in tile.summary
    assert day(tile, "Tue 3 Nov") == (1, 1, Rate(1, 1))
    assert day(tile, "Thu 12 Nov") == (1, 0, Rate(0, 1))
    assert day(tile, "Fri 13 Nov") == (1, 1, Rate(1, 1))
    assert re_referrals.ENGLAND_RE_REFERRAL_RATE == 0.22


def test_a_re_referral_is_within_12_calendar_months() -> None:
    assert re_referrals.is_re_referral(dt.date(2026, 3, 1), dt.date(2025, 3, 1))
    assert not re_referrals.is_re_referral(dt.date(2026, 3, 1), dt.date(2025, 2, 28))
    assert re_referrals.is_re_referral(dt.date(2025, 2, 28), dt.date(2024, 2, 28))
    assert not re_referrals.is_re_referral(dt.date(2025, 2, 28), dt.date(2024, 2, 27))


def test_brag_mix(hub: Hub) -> None:
    tile = brag_mix.brag_mix(scope())
    # Recommendations: C2 red; C1, C4, C7, C8 amber. Initial ratings: C3 green, C9 blue. C5, C10 none.
    assert rows(tile.table("by-rating")) == {
        "Red": (1, Rate(1, 9)),
        "Amber": (4, Rate(4, 9)),
        "Green": (1, Rate(1, 9)),
        "Blue": (1, Rate(1, 9)),
        "Not rated yet": (2, Rate(2, 9)),  # C5 and C10, both open
        "Closed without a rating": (0, Rate(0, 9)),
    }
    assert tile.summary == "1 of the 9 contacts received (11%) is rated Red."
    amber = brag_mix.brag_mix(scope(Filters(rating="amber")))
    assert rows(amber.table("by-rating"))["Amber"] == (4, Rate(4, 4))
    unrated = brag_mix.brag_mix(scope(Filters(rating=NOT_RATED)))
    assert rows(unrated.table("by-rating"))["Not rated yet"] == (2, Rate(2, 2))


def test_a_contact_closed_without_a_rating_is_not_counted_as_not_rated_yet(hub: Hub) -> None:
    hub_data.contact(hub, "C12", at(16, 9), children=["Max"])  # closed, never rated
    tile = brag_mix.brag_mix(scope())
    found = rows(tile.table("by-rating"))
    assert found["Not rated yet"] == (2, Rate(2, 10))  # C5 and C10, still open
    assert found["Closed without a rating"] == (1, Rate(1, 10))
    unrated = brag_mix.brag_mix(scope(Filters(rating=NOT_RATED)))
    assert rows(unrated.table("by-rating"))["Closed without a rating"] == (1, Rate(1, 3))


def test_children_and_contacts(hub: Hub) -> None:
    tile = children_and_contacts.children_and_contacts(scope())
    # Children: C1 2 (Ann, Ben), C5 2 (Eve, Fay; not their mum), the other seven 1 each (not C3's Kit,
    # removed) = 11. Sibling groups: C1, C5. Referrals: Ann twice, Gus, Hal on C1, C2, C7, C8.
    assert day(tile, "All") == (9, 11, 2, 4, 4)
    assert day(tile, "Mon 2 Nov") == (1, 2, 1, 1, 1)
    assert tile.summary.startswith(
        "The 9 contacts received named 11 children (1.2 a contact); 2 were about sibling groups"
    )


def test_consent_overrides(hub: Hub) -> None:
    tile = consent_overrides.consent_overrides(scope())
    # C1 declined, C2 agreed, C4 withdrawn, C5 waiting: of the two decided, one agreed.
    assert tile.summary == (
        "4 requests to share without consent were made; of those decided, 1 of the 2 requests (50%) was agreed."
    )
    assert day(tile, "Tue 3 Nov") == (1, 1, 0, 0, 0, Rate(1, 1))
    assert day(tile, "Fri 20 Nov") == (1, 0, 0, 0, 1, Rate(0, 0))


def test_workload(hub: Hub, contact_officer: User, social_worker: User, manager: User) -> None:
    tile = workload.workload(scope())
    name = {user: f"{user.first_name} {user.last_name}" for user in (contact_officer, social_worker, manager)}
    # Screenings: C1, C2, C3, C4, C5. Recommendations and approvals: C1, C2, C4, C7, C8 (not 2025's).
    assert rows(tile.table("by-worker")) == {
        name[contact_officer]: (5, 0, 0, 5),
        name[social_worker]: (0, 5, 0, 5),
        name[manager]: (0, 0, 5, 5),
    }
    # Open now: C5, C9, C10.
    assert rows(tile.table("by-team")) == {"MASH": (9, 3)}
    assert tile.summary == (
        "3 people recorded 15 screenings, recommendations and approvals in the period; 3 contacts are open now."
    )
    chart = tile.figures[0].chart
    assert chart is not None  # both figures its title names
    assert chart.title == "Contacts per team: received in the period, and open now"
    assert [(s.name, s.values, s.texts) for s in chart.series] == [
        ("Received", (9,), ("9 received",)),
        ("Open now", (3,), ("3 open now",)),
    ]


def test_workload_says_plainly_when_nobody_recorded_anything(hub: Hub) -> None:
    empty = Period(PeriodKind.MONTH, dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    summary = workload.workload(scope(Filters(source=ReferralSource.INDIVIDUAL_SELF), period=empty)).summary
    assert summary == "Nobody recorded a screening, recommendation or approval in the period; no contact is open now."


def test_funnel(hub: Hub) -> None:
    tile = funnel.funnel(scope())
    table = rows(tile.table("by-source"))
    # Schools: C1 referred, C3, C5 not. Police: C2 (referred, strategy discussion), C7 (referred), C9.
    # GP: C4, C8 (referred; its discussion cancelled). Family: C10. No assessment is recorded in this hub,
    # so every step after the referral is none ("of which": test_casework_measures follows them on).
    none = (0, Rate(0, 3)) * 4
    assert table["Schools"] == (3, 1, Rate(1, 3), *none)
    assert table["Police"] == (3, 2, Rate(2, 3), *none)
    assert table["Health services: GP"] == (2, 1, Rate(1, 2), *((0, Rate(0, 2)) * 4))
    assert table["All sources"] == (9, 4, Rate(4, 9), *((0, Rate(0, 9)) * 4))
    assert tile.summary == (
        "Of 9 contacts, 4 (44%) became referrals, 0 (0%) assessments and 0 (0%) went on to an initial child"
        " protection conference."
    )


def test_screening_timeliness(hub: Hub) -> None:
    tile = screening_timeliness.screening_timeliness(scope())
    # In time: C1 (due 14:00), C4, C5. Late: C2 (Red, due 10:30, screened 11:00), C3 (received 14:00,
    # due 10:00 next working day, screened 10:30). Overdue: C9. Not counted: C10 (still in time), C7
    # and C8 (no screening recorded).
    assert tile.summary == "3 of the 6 contacts (50%) were screened within the local protocol's time."
    assert day(tile, "Tue 3 Nov") == (0, 1, 0, Rate(0, 1))
    assert day(tile, "Tue 10 Nov") == (0, 1, 0, Rate(0, 1))
    assert day(tile, "Mon 23 Nov") == (0, 0, 1, Rate(0, 1))
    assert day(tile, "Tue 24 Nov") == (0, 0, 0, Rate(0, 0))


def test_decision_timeliness(hub: Hub) -> None:
    tile = decision_timeliness.decision_timeliness(scope())
    # Within 24 hours of receipt (Red 4): C1, C2, C7, C8 in time; C4 (due 12 Nov 09:00, approved 10:00)
    # late; C5 waiting past its due time.
    assert tile.summary == "4 of the 6 threshold decisions (67%) were approved within the local protocol's time."
    assert day(tile, "Wed 11 Nov") == (0, 1, 0, Rate(0, 1))
    assert day(tile, "Fri 20 Nov") == (0, 0, 1, Rate(0, 1))


def test_filters_narrow_by_team_source_and_rating(hub: Hub) -> None:
    other = TeamFactory(name="Another MASH team")
    hub_data.contact(hub, "C11", at(5, 9), children=["Lou"], team=other)
    everyone = contacts_received.contacts_received(scope())
    assert everyone.summary.startswith("10 contacts")
    mine = contacts_received.contacts_received(scope(Filters(team=hub.team.pk)))
    assert mine.summary.startswith("9 contacts")
    police = referrals.referrals(scope(Filters(source=ReferralSource.POLICE)))
    assert police.summary.startswith("2 children")  # Ann on C2, Gus on C7
    red = referrals.referrals(scope(Filters(rating="red")))
    assert red.summary.startswith("1 child was referred")  # Ann on C2
    assert "0.3 a week on average" in red.summary


def test_checks_by_agency_adds_up_the_checks_report(monkeypatch: pytest.MonkeyPatch) -> None:
    october, november = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    found = [
        TimelinessRow("Police", october, 10, 6, 2, 2, 1, None, None),
        TimelinessRow("Police", november, 5, 4, 1, 0, 0, None, None),
        TimelinessRow("Health", november, 4, 1, 1, 2, 2, None, None),
    ]
    monkeypatch.setattr(checks_by_agency.checks_timeliness, "timeliness", lambda **kwargs: found)
    tile = checks_by_agency.checks_by_agency(scope())
    # Police: 15 requests, 10 on time, 3 late, 1 overdue: 10 of 14. Health: 1 of 4. All: 11 of 18.
    assert rows(tile.table("by-agency")) == {"Health": (4, 1, 1, 2, Rate(1, 4)), "Police": (15, 10, 3, 1, Rate(10, 14))}
    assert tile.summary.startswith("Partner agencies answered 11 of 18 MASH check requests (61%)")
    # The 19th (Police's in October) is neither answered nor due yet: said, not left to the table.
    assert tile.summary.endswith(" 1 more request sent in the period is not answered and still within time.")


def test_strategy_and_conferences_add_up_the_strategy_report(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = StrategyMonth(dt.date(2026, 10, 1)), StrategyMonth(dt.date(2026, 11, 1))
    first.counts.update(held_in_time=3, held_late=1, not_held_overdue=0, records_sent_in_time=2, records_late=2)
    second.counts.update(held_in_time=1, held_late=0, not_held_overdue=1, enquiries_started=2, conferences_in_time=1)
    monkeypatch.setattr(
        strategy_and_conferences.strategy_timeliness, "report", lambda **kwargs: Report([first, second], [])
    )
    tile = strategy_and_conferences.strategy_and_conferences(scope())
    assert rows(tile.table("timeliness")) == {
        "Held in time": (4, 2, Rate(4, 6)),
        "Record sent in time": (2, 2, Rate(2, 4)),
        "Conference within 15 working days": (1, 0, Rate(1, 1)),
    }
    assert "2 section 47 enquiries were started" in tile.summary


def test_telling_people_adds_up_the_telling_people_report(monkeypatch: pytest.MonkeyPatch) -> None:
    names = telling_people.telling.MEASURES
    first = MonthRow(dt.date(2026, 11, 1), dict.fromkeys(names, 0))
    first.counts.update(told_on_time=7, told_late=2, not_told=1, summaries_on_time=3, summaries_not_sent=1)
    second = MonthRow(dt.date(2026, 10, 1), dict.fromkeys(names, 0))
    second.counts.update(told_on_time=1, summaries_late=1)
    monkeypatch.setattr(telling_people.telling, "figures", lambda **kwargs: [first, second])
    tile = telling_people.telling_people(scope())
    assert rows(tile.table("in-time")) == {
        "Referrer told the outcome": (8, 2, 1, Rate(8, 11)),
        "Consultation summary sent": (3, 1, 1, Rate(3, 5)),
    }


def test_every_measure_is_found_once_in_order() -> None:
    found = measures()
    assert [m.order for m in found] == sorted(m.order for m in found)
    assert len({m.slug for m in found}) == len(found) == 17


def test_a_period_with_nothing_in_it_says_so_in_every_summary(hub: Hub) -> None:
    """No "(–)", no "none to count" in the middle of a sentence, no "0 of the 0": each summary says
    there was nothing (or counts the zeros in words that agree with them)."""
    empty = Period(PeriodKind.MONTH, dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    for measure in measures():
        summary = measure.compute(Scope(empty, Filters(), at(24, 10))).summary
        for unsaid in ("–", "none to count", "of the 0 ", " of 0 "):
            assert unsaid not in summary, (measure.slug, summary)


def test_a_share_of_something_is_never_shown_as_none_or_all_of_it() -> None:
    """1 of 523 is not '0%' beside a count of 1, and 522 of 523 is not '100%'."""
    assert Rate(1, 523).percent == "0.2%"
    assert Rate(1, 20_000).percent == "less than 0.1%"
    assert Rate(522, 523).percent == "99.8%"
    assert Rate(19_999, 20_000).percent == "more than 99.9%"
    assert (Rate(0, 523).percent, Rate(523, 523).percent, Rate(9, 20).percent, Rate(0, 0).percent) == (
        "0%",
        "100%",
        "45%",
        "–",
    )


def test_the_funnel_never_says_none_went_on_when_one_did(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(funnel, "funnel_counts", lambda scope: {"2A": [523, 100, 20, 5, 2, 1]})
    assert funnel.funnel(scope()).summary == (
        "Of 523 contacts, 100 (19%) became referrals, 20 (4%) assessments and 1 (0.2%) went on to an initial"
        " child protection conference."
    )


def test_one_of_anything_is_singular() -> None:
    assert share(Rate(1, 9), "contact received", "contacts received", ("is", "are")) == (
        "1 of the 9 contacts received (11%) is"
    )
    assert share(Rate(1, 1), "referral", "referrals") == "1 of 1 referral (100%) was"
    assert share(Rate(0, 3), "referral", "referrals") == "0 of the 3 referrals (0%) were"
    assert how_many(1, "strategy discussion was", "strategy discussions were") == "1 strategy discussion was"
    assert how_many(2_500, "child", "children") == "2,500 children"
