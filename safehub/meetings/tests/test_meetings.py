"""The daily MASH meeting (002 §7): opened on a protocol's meeting day with its agenda built from the
Red and Amber contacts and police domestic-abuse notifications since the last meeting; attendance;
one decision an item; closing locks the agenda and what was not reached goes to the next meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Channel, Contact, ContactRestriction, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory, ContactSubjectFactory
from safehub.core.errors import DomainError, Refused
from safehub.core.working_time import LONDON
from safehub.meetings import services
from safehub.meetings.models import AgendaItem, DailyMeeting, ItemDecision, ItemReason
from safehub.meetings.presenters import next_meeting
from safehub.meetings.workflow import MeetingState
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag, LocalProtocol

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _contact(team: Team, at: dt.datetime, *, rating: str = "", **fields: Any) -> Contact:
    contact: Contact = ContactFactory(team=team, received_at=at, initial_rating=rating, **fields)
    return contact


@pytest.fixture
def hub(mash_team: Team, now: dt.datetime, police_partner: User) -> dict[str, Contact]:
    """Tuesday 24 November 2026 (Bexley meets Tuesday to Friday at 11:00): since yesterday, a Red and an
    Amber contact, a police domestic-abuse notification, and a Green one."""
    PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH)
    PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)  # not a member
    return {
        "amber": _contact(mash_team, now - 5 * H, rating="amber"),
        "red": _contact(mash_team, now - 3 * H, rating="red"),
        "police": _contact(
            mash_team,
            now - 4 * H,
            channel=Channel.POLICE_NOTIFICATION,
            concern_categories=["domestic_abuse"],
            rating="green",
        ),
        "green": _contact(mash_team, now - 2 * H, rating="green"),
    }


def test_the_agenda_is_red_then_domestic_abuse_then_amber_with_the_members_to_mark_present(
    hub: dict[str, Contact], mash_team: Team, manager: User, now: dt.datetime
) -> None:
    meeting = services.open_meeting(mash_team, by=manager, at=now)

    items = list(meeting.items.order_by("order"))
    assert [(i.contact, i.reason) for i in items] == [
        (hub["red"], ItemReason.RED),
        (hub["police"], ItemReason.DOMESTIC_ABUSE),
        (hub["amber"], ItemReason.AMBER),
    ]
    members = {a.agency.name for a in meeting.attendance.select_related("agency")}
    # Children's social care (the host) sits in it too; housing does not sit in Bexley's meeting.
    assert members == {"Example Police", "Example Health", "Example Children's Services"}
    assert AuditEvent.objects.get(verb=Verb.DAILY_MEETING_OPENED).data["items"] == 3


def test_no_meeting_on_a_day_the_protocol_does_not_hold_one_or_for_a_hub_without_one(
    hub: dict[str, Contact], mash_team: Team, manager: User, now: dt.datetime
) -> None:
    monday = now - DAY
    with pytest.raises(DomainError, match="not held on a Monday"):
        services.open_meeting(mash_team, by=manager, at=monday)
    LocalProtocol.objects.filter(is_active=True).update(meeting_days=[], meeting_time=None)
    with pytest.raises(DomainError, match="holds no daily MASH meeting"):
        services.open_meeting(mash_team, by=manager, at=now)
    assert not DailyMeeting.objects.exists()


def test_no_meeting_on_a_bank_holiday_or_a_closure_day_and_the_next_one_skips_them(
    hub: dict[str, Contact], mash_team: Team, manager: User
) -> None:
    # 002 §7: "between Tuesdays – Friday at 11am": Christmas Day 2026 is a Friday, and a bank holiday.
    christmas = dt.datetime(2026, 12, 25, 11, tzinfo=LONDON)
    protocol = LocalProtocol.objects.get(is_active=True)
    assert not services.is_meeting_day(protocol, christmas)
    with pytest.raises(DomainError, match="not held on a bank holiday or a day the hub is closed"):
        services.open_meeting(mash_team, by=manager, at=christmas)
    protocol.local_holidays.create(day=dt.date(2026, 12, 24), name="Christmas Eve closure")
    with pytest.raises(DomainError, match="not held on a bank holiday or a day the hub is closed"):
        services.open_meeting(mash_team, by=manager, at=christmas - DAY)
    assert not DailyMeeting.objects.exists()
    # Wednesday 23 December's meeting done: not the 24th (closed), 25th (Christmas), the weekend, nor Monday
    # 28th (Boxing Day's substitute bank holiday, and no meeting on Mondays): Tuesday 29th.
    after = dt.datetime(2026, 12, 23, 12, tzinfo=LONDON)
    assert next_meeting(protocol, at=after) == dt.datetime(2026, 12, 29, 11, tzinfo=LONDON)


def test_a_second_opening_the_same_day_is_told_of_the_first(
    hub: dict[str, Contact], mash_team: Team, manager: User, second_manager: User, now: dt.datetime
) -> None:
    services.open_meeting(mash_team, by=manager, at=now)
    with pytest.raises(DomainError, match="Today's meeting was opened at 10:00 by"):
        services.open_meeting(mash_team, by=second_manager, at=now + H)
    assert DailyMeeting.objects.count() == 1


def test_only_a_manager_opens_and_closes_it(
    hub: dict[str, Contact], mash_team: Team, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        services.open_meeting(mash_team, by=social_worker, at=now)


def test_one_decision_an_item_with_who_acts_and_two_at_once_end_with_one(
    hub: dict[str, Contact], mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    meeting = services.open_meeting(mash_team, by=manager, at=now)
    item = meeting.items.get(contact=hub["red"])
    stale = AgendaItem.objects.get(pk=item.pk)
    with pytest.raises(Refused) as refused:
        services.decide(item, decision="", acts=" ", note="", by=social_worker, at=now, version=item.version)
    assert {p.message for p in refused.value.problems} == {
        "Choose a decision",
        "Say who acts on the decision",
    }
    services.decide(
        item, decision=ItemDecision.CHECKS, acts="Team manager", note="", by=social_worker, at=now, version=item.version
    )
    # The second is told who decided what, and may save theirs again (with the version it was given).
    with pytest.raises(services.DecidedMeanwhile, match="recorded “Start MASH checks, Team manager acts”") as clash:
        services.decide(
            stale, decision=ItemDecision.SHARE, acts="Police", note="", by=manager, at=now, version=stale.version
        )
    assert clash.value.version == 1  # the version the first decision left
    item.refresh_from_db()
    assert (item.decision, item.acts, item.decided_by) == (ItemDecision.CHECKS, "Team manager", social_worker)


def test_closing_locks_the_agenda_and_the_next_meeting_carries_what_was_not_reached(
    hub: dict[str, Contact], mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    meeting = services.open_meeting(mash_team, by=manager, at=now)
    red = meeting.items.get(contact=hub["red"])
    services.decide(red, decision=ItemDecision.SHARE, acts="Police", note="", by=manager, at=now, version=red.version)
    services.record_attendance(meeting, attended=[], by=manager, at=now, version=meeting.version)
    meeting.refresh_from_db()
    services.close_meeting(meeting, by=manager, at=now + H, version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    amber = meeting.items.get(contact=hub["amber"])
    with pytest.raises(DomainError, match="its agenda is locked"):
        services.decide(
            amber, decision=ItemDecision.SHARE, acts="Police", note="", by=manager, at=now + H, version=amber.version
        )

    late = _contact(mash_team, now + 2 * H, rating="red")  # after the first meeting opened
    tomorrow = services.open_meeting(mash_team, by=manager, at=now + DAY)
    carried = {i.contact: i for i in tomorrow.items.all()}
    assert set(carried) == {late, hub["police"], hub["amber"]}  # the decided Red one is not carried
    assert carried[hub["amber"]].carried_from == amber
    assert carried[late].carried_from is None


def test_attendance_is_recorded_for_member_agencies_only(
    hub: dict[str, Contact], mash_team: Team, manager: User, now: dt.datetime
) -> None:
    meeting = services.open_meeting(mash_team, by=manager, at=now)
    police = meeting.attendance.get(agency__name="Example Police")
    with pytest.raises(DomainError, match="Choose agencies that sit in the meeting"):
        services.record_attendance(meeting, attended=[999999], by=manager, at=now, version=meeting.version)
    services.record_attendance(meeting, attended=[police.agency_id], by=manager, at=now, version=meeting.version)
    assert {a.agency.name: a.attended for a in meeting.attendance.select_related("agency")} == {
        "Example Police": True,
        "Example Health": False,
        "Example Children's Services": False,
    }


def test_the_meeting_page_shows_the_agenda_and_records_decisions(
    hub: dict[str, Contact], mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    ContactSubjectFactory(contact=hub["red"], given_name="Leo", role=SubjectRole.SIBLING)
    client = sign_in_both_steps(Client(), manager)
    opened = client.post(reverse("meetings:open"))
    assert opened.status_code == 302
    meeting = DailyMeeting.objects.get()
    page = client.get(opened["Location"]).content.decode()
    assert "3 items on its agenda" in page
    assert "Mia Harlow" in page
    assert "Leo Harlow" in page
    assert "Police domestic-abuse notification" in page
    item = meeting.items.get(contact=hub["red"])
    worker = sign_in_both_steps(Client(), social_worker)
    response = worker.post(
        reverse("meetings:decide", args=[meeting.pk, item.pk]),
        {
            f"item-{item.pk}-version": item.version,
            f"item-{item.pk}-decision": "share",
            f"item-{item.pk}-acts": "Police",
        },
    )
    assert response.status_code == 302
    bad = worker.post(
        reverse("meetings:decide", args=[meeting.pk, item.pk]),
        {f"item-{item.pk}-version": 0, f"item-{item.pk}-decision": "nonsense", f"item-{item.pk}-acts": ""},
    )
    assert bad.status_code == 200
    assert "Choose a decision" in bad.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.DAILY_MEETING_VIEWED).exists()
    contact_page = client.get(reverse("contacts:contact", args=[hub["red"].pk])).content.decode()
    assert "Daily meetings and triage" in contact_page
    assert "Share information; who acts: Police" in contact_page


def test_a_restricted_contact_is_counted_not_named_and_a_partner_gets_not_found(
    hub: dict[str, Contact], mash_team: Team, manager: User, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    Contact.objects.filter(pk=hub["red"].pk).update(
        is_restricted=True, restriction_reason="A staff member's child", restricted_by=manager
    )
    ContactRestriction.objects.create(contact=hub["red"], user=manager)
    meeting = services.open_meeting(mash_team, by=manager, at=now)
    page = sign_in_both_steps(Client(), social_worker).get(reverse("meetings:meeting", args=[meeting.pk]))
    html = page.content.decode()
    assert "1 restricted contact on this agenda is not shown to you" in html
    assert hub["red"].reference not in html
    partner = sign_in_both_steps(Client(), police_partner)
    assert partner.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 404


def test_the_agenda_takes_the_latest_rating_and_the_list_says_when_the_next_meeting_is(
    mash_team: Team, manager: User, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    unrated_at_the_door: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=now - 2 * H)
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    start_checks(
        unrated_at_the_door, by=manager, coordinator=social_worker, agencies=[police], at=now - H, rating=Brag.AMBER
    )
    meeting = services.open_meeting(mash_team, by=manager, at=now)
    assert [(i.contact, i.rating) for i in meeting.items.all()] == [(unrated_at_the_door, "amber")]
    protocol = LocalProtocol.objects.get(is_active=True)
    sunday = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    assert next_meeting(protocol, at=sunday) == dt.datetime(2026, 12, 8, 11, tzinfo=LONDON)
