"""Due times under each seed hub's protocol (profiles.py), with rating-specific rows and local holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from safehub.accounts.models import User
from safehub.core.errors import DomainError
from safehub.core.working_time import LONDON
from safehub.protocols.models import Brag, Clock, LocalHoliday, LocalProtocol
from safehub.protocols.policy import Deadlines, active_protocol, due_time
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

EXPECTED: dict[str, list[tuple[Clock, str, datetime]]] = {
    "bexley": [
        (Clock.SCREENING, ANY, MON_11),
        (Clock.SCREENING, RED, FRI_16),  # a child who needs immediate protection is not left to Monday
        (Clock.THRESHOLD_DECISION, ANY, SAT_15),
        (Clock.THRESHOLD_DECISION, AMBER, SAT_15),
        (Clock.THRESHOLD_DECISION, RED, FRI_19),
        (Clock.APPROVAL, ANY, MON_15),
        (Clock.APPROVAL, RED, FRI_17),
        (Clock.OUTCOME_TO_REFERRER, ANY, SUN_15),
        (Clock.CONSULTATION_SUMMARY, ANY, SUN_15),
        (Clock.MASH_CHECKS, ANY, MON_15),
        (Clock.MASH_CHECKS, RED, FRI_19),
        (Clock.STRATEGY_DISCUSSION, ANY, FRI_19),
    ],
    "birmingham": [
        (Clock.SCREENING, ANY, MON_11),
        (Clock.SCREENING, RED, FRI_16),
        (Clock.THRESHOLD_DECISION, ANY, SAT_15),
        (Clock.THRESHOLD_DECISION, RED, FRI_19),
        (Clock.APPROVAL, ANY, SAT_15),
        (Clock.APPROVAL, RED, FRI_17),
        (Clock.OUTCOME_TO_REFERRER, ANY, MON_15),
        (Clock.CONSULTATION_SUMMARY, ANY, TUE_15),
        (Clock.MASH_CHECKS, ANY, MON_15),
        (Clock.MASH_CHECKS, AMBER, MON_15),
        (Clock.MASH_CHECKS, RED, FRI_19),
        (Clock.STRATEGY_DISCUSSION, ANY, SAT_15),
    ],
    "sefton": [
        (Clock.SCREENING, ANY, MON_11),
        (Clock.SCREENING, RED, FRI_16),
        (Clock.THRESHOLD_DECISION, ANY, WED_15),
        (Clock.THRESHOLD_DECISION, RED, WED_15),  # no red row: the "any" row applies
        (Clock.APPROVAL, ANY, MON_15),
        (Clock.APPROVAL, RED, FRI_17),
        (Clock.OUTCOME_TO_REFERRER, ANY, MON_15),
        (Clock.CONSULTATION_SUMMARY, ANY, TUE_15),
        (Clock.MASH_CHECKS, ANY, WED_15),
        (Clock.MASH_CHECKS, RED, WED_15),
        (Clock.STRATEGY_DISCUSSION, ANY, SAT_15),
    ],
    "walsall": [
        (Clock.SCREENING, ANY, MON_11),
        (Clock.SCREENING, RED, FRI_16),
        (Clock.THRESHOLD_DECISION, ANY, MON_15),
        (Clock.THRESHOLD_DECISION, RED, FRI_17),
        (Clock.APPROVAL, ANY, MON_15),
        (Clock.APPROVAL, RED, FRI_17),
        (Clock.OUTCOME_TO_REFERRER, ANY, TUE_15),
        (Clock.CONSULTATION_SUMMARY, ANY, TUE_15),
        (Clock.MASH_CHECKS, ANY, MON_15),
        (Clock.MASH_CHECKS, RED, MON_15),  # the one-hour rule is for health requests: see request_due
        (Clock.STRATEGY_DISCUSSION, ANY, FRI_17),
    ],
}


def _activate(slug: str, by: User) -> LocalProtocol:
    activate_protocol(LocalProtocol.objects.get(slug=slug), by=by)
    protocol = active_protocol()
    assert protocol.slug == slug
    return protocol


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_each_seed_profile_gives_its_due_times(slug: str, administrator: User) -> None:
    _activate(slug, administrator)

    actual = [(clock, rating, due_time(clock, start=START, rating=rating)) for clock, rating, _ in EXPECTED[slug]]

    assert actual == EXPECTED[slug]


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_every_clock_has_a_timescale_in_every_seed_profile(slug: str, administrator: User) -> None:
    _activate(slug, administrator)

    assert all(due_time(clock, start=START) is not None for clock in Clock)


def test_bexley_is_active_after_migrating() -> None:
    assert active_protocol().slug == "bexley"


def test_a_rating_row_overrides_the_any_row_only_for_that_rating() -> None:
    unrated = due_time(Clock.THRESHOLD_DECISION, start=START)
    red = due_time(Clock.THRESHOLD_DECISION, start=START, rating=RED)
    blue = due_time(Clock.THRESHOLD_DECISION, start=START, rating=Brag.BLUE)

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
    assert due_time(Clock.APPROVAL, start=START) == TUE_15  # 1 working day
    assert due_time(Clock.THRESHOLD_DECISION, start=START) == SAT_15  # elapsed hours: unaffected


def test_another_protocols_local_holiday_is_ignored() -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")
    LocalHoliday.objects.create(protocol=walsall, day=date(2026, 11, 30), name="Walsall closure")

    assert due_time(Clock.APPROVAL, start=START) == MON_15


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
