"""Fuzz targets for the daily MASH meeting and the domestic-abuse triage: opening one, its attendance, each
item's decision, closing it."""

from __future__ import annotations

import datetime as dt

from safehub.accounts.models import Role
from safehub.contacts.models import Channel
from safehub.contacts.tests.factories import ContactFactory
from safehub.meetings import services
from safehub.meetings.models import DailyMeeting, MeetingKind
from safehub.protocols.models import LocalProtocol
from tests.fuzz.harness import Target, Variant, World, bare, url

TM, SW = Role.TEAM_MANAGER, Role.SOCIAL_WORKER
AT = dt.datetime(2026, 11, 24, 9, 45, tzinfo=dt.UTC)  # a Tuesday: Bexley meets Tuesday to Friday


def _meeting(world: World) -> DailyMeeting:
    world.user(Role.PARTNER_PROFESSIONAL)  # the police, a member agency
    ContactFactory(team=world.team, received_at=AT - dt.timedelta(hours=2), initial_rating="red")
    return services.open_meeting(world.team, by=world.user(TM), at=AT)


def _page(meeting: DailyMeeting) -> str:
    return url("meetings:meeting", meeting.pk)


def _open(world: World) -> list[Variant]:
    ContactFactory(team=world.team, received_at=AT, initial_rating="amber")
    return [bare(world.client(TM), url("meetings:open"))]


def _attendance(world: World) -> list[Variant]:
    meeting = _meeting(world)
    fill = {"attendance-attended": [str(meeting.attendance.order_by("pk")[0].agency_id)]}
    address = url("meetings:attendance", meeting.pk)
    return [Variant.from_page(world.client(SW), address, page=_page(meeting), fill=fill)]


def _decide(world: World) -> list[Variant]:
    meeting = _meeting(world)
    item = meeting.items.get()
    fill = {f"item-{item.pk}-decision": "share", f"item-{item.pk}-acts": "Police"}
    address = url("meetings:decide", meeting.pk, item.pk)
    return [Variant.from_page(world.client(SW), address, page=_page(meeting), fill=fill), _decide_at_triage(world)]


def _close(world: World) -> list[Variant]:
    meeting = _meeting(world)
    services.record_attendance(meeting, attended=[], by=world.user(TM), at=AT, version=meeting.version)
    meeting.refresh_from_db()
    return [Variant.from_page(world.client(TM), url("meetings:close", meeting.pk), page=_page(meeting))]


TARGETS = [
    Target("meetings:open", _open),
    Target("meetings:attendance", _attendance),
    Target("meetings:decide", _decide),
    Target("meetings:close", _close),
]


def _triage(world: World) -> DailyMeeting:
    """A domestic-abuse triage in a hub whose protocol holds one (Birmingham's weekdays, 000)."""
    LocalProtocol.objects.filter(is_active=True).update(
        triage_days=[0, 1, 2, 3, 4], triage_time=dt.time(10, 0), triage_members=["police"]
    )
    world.user(Role.PARTNER_PROFESSIONAL)
    ContactFactory(
        team=world.team,
        received_at=AT - dt.timedelta(hours=2),
        channel=Channel.POLICE_NOTIFICATION,
        concern_categories=["domestic_abuse"],
    )
    return services.open_meeting(world.team, by=world.user(TM), at=AT, kind=MeetingKind.TRIAGE)


def _open_triage(world: World) -> list[Variant]:
    LocalProtocol.objects.filter(is_active=True).update(
        triage_days=[0, 1, 2, 3, 4, 5, 6], triage_time=dt.time(10, 0), triage_members=["police"]
    )
    return [bare(world.client(TM), url("meetings:open-triage"))]


def _decide_at_triage(world: World) -> Variant:
    triage = _triage(world)
    item = triage.items.get()
    fill = {f"item-{item.pk}-decision": "early_help", f"item-{item.pk}-acts": "Early help hub"}
    address = url("meetings:decide", triage.pk, item.pk)
    return Variant.from_page(world.client(SW), address, page=_page(triage), fill=fill)


TARGETS += [Target("meetings:open-triage", _open_triage)]
