"""Due times under each seed hub's protocol (profiles.py), with rating-specific rows and local holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from safehub.accounts.models import User
from safehub.core.errors import DomainError
from safehub.core.working_time import LONDON
from safehub.protocols.models import Brag, Clock, LocalHoliday, LocalProtocol, Timescale
from safehub.protocols.policy import (
    Deadlines,
    active_protocol,
    approval_due_time,
    approver_roles,
    due_time,
    telephone_prompts,
    threshold_due_time,
)
from safehub.protocols.services import activate_protocol

pytestmark = pytest.mark.django_db


def london(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


# Friday 27 November 2026, 15:00 (GMT): two office hours left before the weekend.
START = london(11, 27, 15)

FRI_16 = london(11, 27, 16)  # 1 hour
FRI_17 = london(11, 27, 17)  # 2 hours
FRI_19 = london(11, 27, 19)  # 4 hours
SAT_15 = london(11, 28, 15)  # 24 hours
SUN_15 = london(11, 29, 15)  # 48 hours
MON_11 = london(11, 30, 11)  # 4 working hours: 2 on Friday, 2 on Monday
MON_15 = london(11, 30, 15)  # 1 working day, or 8 working hours
TUE_15 = london(12, 1, 15)  # 2 working days
WED_15 = london(12, 2, 15)  # 24 working hours: 2 + 8 + 8 + 6

ANY = ""
RED = Brag.RED.value
AMBER = Brag.AMBER.value

FRI_18 = london(11, 27, 18)
MON_16 = london(11, 30, 16)  # 1 working day from a recommendation at 16:00 on Friday

# The steps of a contact received at START and recommended an hour later (FRI_16), by rating.
STEPS = ("screening", "threshold", "approval", "outcome", "summary", "checks", "strategy")


def _steps(rating: str) -> list[datetime | None]:
    return [
        due_time(Clock.SCREENING, start=START, rating=rating),
        threshold_due_time(received_at=START, rating=rating),
        approval_due_time(received_at=START, recommended_at=FRI_16, rating=rating),
        due_time(Clock.OUTCOME_TO_REFERRER, start=START, rating=rating),
        due_time(Clock.CONSULTATION_SUMMARY, start=START, rating=rating),
        due_time(Clock.MASH_CHECKS, start=START, rating=rating),
        due_time(Clock.STRATEGY_DISCUSSION, start=START, rating=rating),
    ]


# Each hub's due times for STEPS, at any rating (amber alike) and at Red.
EXPECTED: dict[str, dict[str, list[datetime]]] = {
    "bexley": {
        # §9–10: the referral within 24 hours of receipt, the approval inside the same 24 hours.
        ANY: [MON_11, SAT_15, SAT_15, SUN_15, SUN_15, MON_15, FRI_19],
        RED: [FRI_16, FRI_19, FRI_19, SUN_15, SUN_15, FRI_19, FRI_19],
    },
    "birmingham": {
        # 000: one 24-hour clock from receipt to the clear decision, never 24 hours and 24 more; "Same
        # day responses are required from partners": checks asked at 15:00 on Friday are due that Friday.
        ANY: [MON_11, SAT_15, SAT_15, MON_15, TUE_15, FRI_17, SAT_15],
        RED: [FRI_16, FRI_19, FRI_19, MON_15, TUE_15, FRI_19, SAT_15],
    },
    "sefton": {
        ANY: [MON_11, MON_15, MON_16, MON_15, TUE_15, MON_15, SAT_15],
        RED: [FRI_16, FRI_19, FRI_19, MON_15, TUE_15, FRI_19, SAT_15],
    },
    "walsall": {
        # §6: a child protection concern progressed within 2 hours of receipt overall, not 2 + 2.
        ANY: [MON_11, MON_15, MON_16, TUE_15, TUE_15, MON_15, FRI_17],
        RED: [FRI_16, FRI_17, FRI_17, TUE_15, TUE_15, MON_15, FRI_17],
    },
}


def _activate(slug: str, by: User) -> LocalProtocol:
    activate_protocol(LocalProtocol.objects.get(slug=slug), by=by)
    protocol = active_protocol()
    assert protocol.slug == slug
    return protocol


@pytest.mark.parametrize("slug", list(EXPECTED))
@pytest.mark.parametrize("rating", [ANY, AMBER, RED])
def test_each_seed_profile_gives_its_due_times(slug: str, rating: str, administrator: User) -> None:
    _activate(slug, administrator)

    expected = EXPECTED[slug][RED if rating == RED else ANY]

    assert dict(zip(STEPS, _steps(rating), strict=True)) == dict(zip(STEPS, expected, strict=True))


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_every_step_has_a_due_time_in_every_seed_profile(slug: str, administrator: User) -> None:
    _activate(slug, administrator)

    assert all(due is not None for due in _steps(ANY))
    assert all(due is not None for due in _steps(Brag.GREEN))


def test_bexley_is_active_after_migrating() -> None:
    assert active_protocol().slug == "bexley"


def test_a_rating_row_overrides_the_any_row_only_for_that_rating() -> None:
    unrated = due_time(Clock.DECISION, start=START)
    red = due_time(Clock.DECISION, start=START, rating=RED)
    blue = due_time(Clock.DECISION, start=START, rating=Brag.BLUE)

    assert (unrated, red, blue) == (SAT_15, FRI_19, SAT_15)


def test_due_times_are_utc() -> None:
    due = due_time(Clock.SCREENING, start=START)

    assert due is not None
    assert due.utcoffset() is not None
    assert due.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_an_explicit_protocol_is_used_instead_of_the_active_one() -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")

    assert due_time(Clock.STRATEGY_DISCUSSION, start=START, protocol=walsall) == FRI_17
    assert due_time(Clock.STRATEGY_DISCUSSION, start=START) == FRI_19  # Bexley, still active


def test_a_clock_with_no_timescale_has_no_due_time() -> None:
    active_protocol().timescales.filter(clock=Clock.STRATEGY_DISCUSSION).delete()

    assert due_time(Clock.STRATEGY_DISCUSSION, start=START) is None
    assert due_time(Clock.STRATEGY_DISCUSSION, start=START, rating=RED) is None


def test_only_a_rating_row_gives_no_due_time_for_other_ratings() -> None:
    active_protocol().timescales.filter(clock=Clock.MASH_CHECKS, rating=ANY).delete()

    assert due_time(Clock.MASH_CHECKS, start=START, rating=RED) == FRI_19
    assert due_time(Clock.MASH_CHECKS, start=START) is None


def test_no_active_protocol_is_a_domain_error() -> None:
    LocalProtocol.objects.update(is_active=False)

    with pytest.raises(DomainError, match="No local protocol is active"):
        due_time(Clock.SCREENING, start=START)


def test_a_local_holiday_shifts_working_time_due_times() -> None:
    protocol = active_protocol()
    LocalHoliday.objects.create(protocol=protocol, day=date(2026, 11, 30), name="Staff development day")

    assert due_time(Clock.SCREENING, start=START) == london(12, 1, 11)  # 4 working hours
    assert due_time(Clock.MASH_CHECKS, start=START) == TUE_15  # 1 working day
    assert due_time(Clock.DECISION, start=START) == SAT_15  # elapsed hours: unaffected


def test_another_protocols_local_holiday_is_ignored() -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")
    LocalHoliday.objects.create(protocol=walsall, day=date(2026, 11, 30), name="Walsall closure")

    assert due_time(Clock.MASH_CHECKS, start=START) == MON_15


def test_the_protocols_working_day_is_used() -> None:
    protocol = active_protocol()
    protocol.working_day_start = time(9, 0)
    protocol.working_day_end = time(16, 0)
    protocol.save()

    # 1 hour on Friday (15:00 to 16:00), then 3 hours on Monday from 09:00.
    assert due_time(Clock.SCREENING, start=START) == london(11, 30, 12)


def test_request_due_takes_the_strictest_rule_for_the_agency_and_rating() -> None:
    walsall = Deadlines(LocalProtocol.objects.get(slug="walsall"))
    bexley = Deadlines(LocalProtocol.objects.get(slug="bexley"))
    assert walsall.request_due(start=START, agency="health") == FRI_16  # one elapsed hour
    assert walsall.request_due(start=START, agency="police") == MON_15  # one working day
    assert bexley.request_due(start=START, rating=RED, agency="police") == START + timedelta(hours=4)
    assert bexley.request_due(start=START, rating="green", agency="police") == bexley.due(
        Clock.MASH_CHECKS, start=START
    )


# The overall decision clock (ADR 0017): from receipt, shared by the recommendation and the approval.


def test_the_approval_is_due_from_receipt_under_an_overall_clock_however_late_the_recommendation() -> None:
    # Bexley §9–10: a contact received on Friday at 15:00 is referred by Saturday 15:00, whether
    # the recommendation came at 16:00 on Friday or at 14:00 on Saturday.
    for recommended in (FRI_16, london(11, 28, 14)):
        assert approval_due_time(received_at=START, recommended_at=recommended) == SAT_15


def test_an_approval_clock_counts_from_the_recommendation_where_no_overall_clock_applies() -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")
    # Walsall amber: 1 working day from the recommendation (local default), none from receipt.
    due = approval_due_time(received_at=START, recommended_at=FRI_16, rating=AMBER, protocol=walsall)
    assert due == MON_16


def test_each_step_is_due_by_the_earlier_of_its_own_clock_and_the_overall_one() -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")
    # Red: the approval's own clock (1 working day from the recommendation) is later than §6's 2 hours from receipt.
    assert approval_due_time(received_at=START, recommended_at=FRI_16, rating=RED, protocol=walsall) == FRI_17
    Timescale.objects.filter(protocol=walsall, clock=Clock.APPROVAL).update(amount=30, unit="elapsed_hours")
    Timescale.objects.create(protocol=walsall, clock=Clock.APPROVAL, rating=RED, amount="0.5", unit="elapsed_hours")
    # Its own Red clock, 30 minutes from the recommendation at 16:00, is sooner than 17:00 from receipt.
    assert approval_due_time(received_at=START, recommended_at=FRI_16, rating=RED, protocol=walsall) == london(
        11, 27, 16, 30
    )


def test_an_overall_clock_in_working_hours_crosses_the_weekend_and_a_bank_holiday() -> None:
    # Received at 15:00 on Thursday 24 December 2026: 8 working hours run 2 on Thursday, then
    # Christmas Day (Friday), the weekend and the substitute Boxing Day (Monday 28) are skipped.
    Timescale.objects.filter(protocol__slug="bexley", clock=Clock.DECISION, rating=ANY).update(
        amount=8, unit="working_hours"
    )
    received = london(12, 24, 15)
    expected = london(12, 29, 15)

    assert threshold_due_time(received_at=received) == expected
    assert approval_due_time(received_at=received, recommended_at=london(12, 29, 10)) == expected


def test_a_local_holiday_moves_an_overall_working_time_clock() -> None:
    protocol = active_protocol()
    Timescale.objects.filter(protocol=protocol, clock=Clock.DECISION, rating=ANY).update(amount=1, unit="working_days")
    LocalHoliday.objects.create(protocol=protocol, day=date(2026, 11, 30), name="Staff development day")

    assert approval_due_time(received_at=START, recommended_at=FRI_16) == TUE_15


def test_a_protocol_without_an_overall_clock_chains_the_steps_as_before() -> None:
    Timescale.objects.filter(protocol__slug="bexley", clock=Clock.DECISION).delete()
    Timescale.objects.create(protocol=active_protocol(), clock=Clock.APPROVAL, amount=2, unit="elapsed_hours")

    assert approval_due_time(received_at=START, recommended_at=FRI_16) == FRI_18
    assert threshold_due_time(received_at=START) is None


# The telephone prompt (Sefton 003 §2.6).


def test_a_gp_request_needed_within_24_working_hours_prompts_a_telephone_call(administrator: User) -> None:
    _activate("sefton", administrator)
    prompts = telephone_prompts()
    assert prompts is not None

    soon = prompts.phone_prompt(sent_at=START, due_at=MON_15, agency="gp_practice")
    at_the_limit = prompts.phone_prompt(sent_at=START, due_at=WED_15, agency="gp_practice")
    police = prompts.phone_prompt(sent_at=START, due_at=FRI_16, agency="police")

    assert soon is not None
    assert "telephone GP surgeries" in soon.note
    assert (at_the_limit, police) == (None, None)  # 'less than 24 working hours'; GP surgeries only


def test_hubs_without_a_telephone_prompt_have_none() -> None:
    assert telephone_prompts() is None  # Bexley


# Who may approve: a protocol setting (002 roles table).


def test_bexley_lets_senior_practitioners_approve_and_walsall_only_managers(administrator: User) -> None:
    assert approver_roles() == {"team_manager", "senior_practitioner"}
    _activate("walsall", administrator)
    assert approver_roles() == {"team_manager"}


def test_a_team_manager_approves_when_no_protocol_is_active() -> None:
    LocalProtocol.objects.update(is_active=False)
    assert approver_roles() == {"team_manager"}
