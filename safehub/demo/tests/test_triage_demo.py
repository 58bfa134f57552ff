"""The demo's domestic-abuse triage, in a hub whose protocol holds one (Birmingham's weekdays, 000)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from safehub.accounts.models import Team, User
from safehub.contacts.models import Channel
from safehub.demo.domestic_abuse import add_domestic_abuse_notifications
from safehub.demo.meetings import add_daily_meetings
from safehub.domestic_abuse.models import Notification
from safehub.domestic_abuse.tests.test_notifications import notification_contact
from safehub.meetings.models import DECISIONS, AgendaItem, DailyMeeting, MeetingKind
from safehub.protocols.models import LocalProtocol

pytestmark = pytest.mark.django_db


def test_a_week_of_triage_over_the_notifications_the_demo_recorded(
    mash_team: Team, contact_officer: User, manager: User, social_worker: User, now: dt.datetime
) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug="birmingham").update(is_active=True)
    for days in range(1, 8):
        notification_contact(mash_team, now - dt.timedelta(days=days, hours=3), victim_born=dt.date(1980, 1, days))
    rng = random.Random(3)

    made = add_domestic_abuse_notifications(officers=[contact_officer], rng=rng, now=now)
    held = add_daily_meetings(
        team=mash_team, managers=[manager], staff=[social_worker], rng=rng, now=now, kind=MeetingKind.TRIAGE
    )

    assert sum(made[kind] for kind in ("dash", "dara", "grade")) == Notification.objects.count() > 0
    assert held == DailyMeeting.objects.filter(kind=MeetingKind.TRIAGE).count() >= 4  # the weekdays gone by
    decided = set(AgendaItem.objects.exclude(decision="").values_list("decision", flat=True))
    assert decided <= set(DECISIONS[MeetingKind.TRIAGE])
    assert decided
    assert not AgendaItem.objects.exclude(contact__channel=Channel.POLICE_NOTIFICATION).exists()
