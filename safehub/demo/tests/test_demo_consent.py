"""The demo's contacts paused for consent are paused after they came to wait for their decision."""

from __future__ import annotations

import datetime as dt

import pytest

from safehub.accounts.models import Team, User
from safehub.contacts.models import ConsentPosition, ReferrerKind, StateChange
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState, Event
from safehub.demo.consent import add_waiting_for_consent

pytestmark = pytest.mark.django_db


def test_a_contact_referred_an_hour_ago_is_paused_after_that_not_three_hours_ago(
    mash_team: Team, social_worker: User, now: dt.datetime
) -> None:
    """With one week walked, a contact that came to wait for its decision in the last three hours was
    paused "three hours ago", before it got there: its history no longer followed the workflow table."""
    contact = ContactAwaitingThresholdFactory(
        team=mash_team, referrer_kind=ReferrerKind.PROFESSIONAL, consent=ConsentPosition.INFORMED, initial_rating=""
    )
    referred = now - dt.timedelta(hours=1)
    StateChange.objects.create(
        contact=contact,
        at=referred,
        by=social_worker,
        event=Event.REFER_FOR_THRESHOLD,
        from_state=ContactState.SCREENING,
        to_state=ContactState.AWAITING_THRESHOLD,
    )

    assert add_waiting_for_consent(workers=[social_worker], now=now, count=1) == 1

    paused = contact.state_changes.get(event=Event.PAUSE_FOR_CONSENT)
    assert referred < paused.at <= now
