"""The domestic-abuse triage (issue 13; 000: "the domestic abuse daily triage" with police): on the days
the protocol sets (Birmingham: weekdays), every police domestic-abuse notification since the last triage,
each with its risk assessment, MARAC and repeat flags; one decision each (to the MASH, to early help,
information only, no further action); the rest goes to the next triage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Channel, Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.core.errors import DomainError, Refused
from safehub.domestic_abuse import services as notifications
from safehub.domestic_abuse.tests.test_notifications import details, notification_contact
from safehub.meetings import services
from safehub.meetings.models import DailyMeeting, ItemDecision, ItemReason, MeetingKind
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import LocalProtocol

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def birmingham(db: None, police_partner: User) -> LocalProtocol:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug="birmingham").update(is_active=True)
    PartnerAgencyFactory(name="Example Women's Aid", kind=AgencyKind.DOMESTIC_ABUSE)
    return LocalProtocol.objects.get(slug="birmingham")


@pytest.fixture
def notified(birmingham: LocalProtocol, mash_team: Team, contact_officer: User, now: dt.datetime) -> dict[str, Contact]:
    """Since yesterday: a high-risk notification (DASH 16), a standard one (DASH 3), a police
    notification of something else, and a Red contact from a school: only the first two are the triage's."""
    high = notification_contact(mash_team, now - 6 * H)
    notifications.record_notification(high, details(high, yes=16), by=contact_officer, at=now, version=None)
    standard = notification_contact(mash_team, now - 5 * H, victim_born=dt.date(1979, 5, 6))
    notifications.record_notification(standard, details(standard, yes=3), by=contact_officer, at=now, version=None)
    return {
        "high": high,
        "standard": standard,
        "missing": ContactFactory(
            team=mash_team,
            received_at=now - 4 * H,
            channel=Channel.POLICE_NOTIFICATION,
            concern_categories=["going_missing"],
        ),
        "school": ContactFactory(team=mash_team, received_at=now - 3 * H, initial_rating="red"),
    }


def test_the_triage_lists_every_domestic_abuse_notification_and_takes_its_own_decisions(
    notified: dict[str, Contact], mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    triage = services.open_meeting(mash_team, by=manager, at=now, kind=MeetingKind.TRIAGE)

    items = list(triage.items.order_by("order"))
    assert [(i.contact, i.reason) for i in items] == [
        (notified["high"], ItemReason.DOMESTIC_ABUSE),
        (notified["standard"], ItemReason.DOMESTIC_ABUSE),
    ]
    assert {a.agency.name for a in triage.attendance.select_related("agency")} == {
        "Example Police",
        "Example Women's Aid",
        "Example Children's Services",
    }
    assert AuditEvent.objects.get(verb=Verb.TRIAGE_OPENED).data["items"] == 2
    with pytest.raises(Refused, match="Choose a decision"):  # the MASH meeting's, not the triage's
        services.decide(
            items[0], decision=ItemDecision.SHARE, acts="Police", note="", by=social_worker, at=now, version=0
        )
    services.decide(
        items[0], decision=ItemDecision.TO_MASH, acts="MASH team manager", note="", by=social_worker, at=now, version=0
    )
    assert AuditEvent.objects.get(verb=Verb.TRIAGE_DECISION).data["decision"] == "to_mash"

    triage.refresh_from_db()
    services.record_attendance(triage, attended=[], by=manager, at=now, version=triage.version)
    services.close_meeting(triage, by=manager, at=now + H, version=triage.version)
    tomorrow = services.open_meeting(mash_team, by=manager, at=now + DAY, kind=MeetingKind.TRIAGE)
    carried = tomorrow.items.get()
    assert (carried.contact, carried.carried_from) == (notified["standard"], items[1])


def test_a_triage_and_a_mash_meeting_the_same_day_are_two_meetings_and_a_hub_without_one_is_told(
    notified: dict[str, Contact], mash_team: Team, manager: User, now: dt.datetime
) -> None:
    LocalProtocol.objects.filter(slug="birmingham").update(
        meeting_days=[1], meeting_time=dt.time(11, 0), meeting_members=["police"]
    )
    services.open_meeting(mash_team, by=manager, at=now, kind=MeetingKind.TRIAGE)
    services.open_meeting(mash_team, by=manager, at=now, kind=MeetingKind.MASH)
    assert sorted(DailyMeeting.objects.values_list("kind", flat=True)) == ["mash", "triage"]
    with pytest.raises(DomainError, match="Today's meeting was opened at"):
        services.open_meeting(mash_team, by=manager, at=now + H, kind=MeetingKind.TRIAGE)

    LocalProtocol.objects.filter(slug="birmingham").update(triage_days=[], triage_time=None)
    with pytest.raises(DomainError, match="holds no domestic-abuse triage"):
        services.open_meeting(mash_team, by=manager, at=now + DAY, kind=MeetingKind.TRIAGE)
    saturday = now + 4 * DAY
    LocalProtocol.objects.filter(slug="birmingham").update(triage_days=[0, 1, 2, 3, 4], triage_time=dt.time(10, 0))
    with pytest.raises(DomainError, match="not held on a Saturday"):
        services.open_meeting(mash_team, by=manager, at=saturday, kind=MeetingKind.TRIAGE)


def test_the_triage_page_shows_each_notifications_risk_marac_and_repeat(
    notified: dict[str, Contact], mash_team: Team, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    earlier = notification_contact(mash_team, now - 90 * DAY)
    notifications.record_notification(earlier, details(earlier, yes=20), by=contact_officer, at=now, version=None)
    client = sign_in_both_steps(Client(), manager)
    listing = client.get(reverse("meetings:triage")).content.decode()
    assert "Monday, Tuesday, Wednesday, Thursday and Friday at 10:00" in listing
    opened = client.post(reverse("meetings:open-triage"))
    assert opened.status_code == 302
    page = client.get(opened["Location"]).content.decode()

    assert "Domestic-abuse triage" in page
    assert "DASH 16 of 24 (MARAC at 14)" in page
    assert "DASH 3 of 24 (MARAC at 14)" in page
    assert "A repeat: within 12 months of a MARAC referral on" in page
    assert earlier.reference in page
    assert "To early help" in page
    assert "Share information" not in page
    assert AuditEvent.objects.filter(verb=Verb.TRIAGE_VIEWED, contact_id=notified["high"].pk).exists()
    # The daily MASH meeting's list does not show the triage.
    assert "Triage held" not in client.get(reverse("meetings:meetings")).content.decode()


def test_the_minutes_keep_what_the_triage_knew_when_it_decided_or_closed(
    notified: dict[str, Contact], mash_team: Team, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    late = notification_contact(mash_team, now - 2 * H, victim_born=dt.date(1988, 8, 8))
    client = sign_in_both_steps(Client(), manager)
    client.post(reverse("meetings:open-triage"))
    triage = DailyMeeting.objects.get(kind=MeetingKind.TRIAGE)
    high = triage.items.get(contact=notified["high"])
    decided = client.post(
        reverse("meetings:decide", args=[triage.pk, high.pk]),
        {f"item-{high.pk}-version": 0, f"item-{high.pk}-decision": "to_mash", f"item-{high.pk}-acts": "MASH manager"},
    )
    assert decided.status_code == 302
    services.record_attendance(triage, attended=[], by=manager, at=now, version=triage.version)
    triage.refresh_from_db()
    assert (
        client.post(reverse("meetings:close", args=[triage.pk]), {"close-version": triage.version}).status_code == 302
    )

    # Afterwards: the high-risk notification corrected down, the late one's assessment recorded.
    notification = notified["high"].domestic_abuse
    correction = details(notified["high"], yes=2, correction_reason="Police re-scored it")
    notifications.record_notification(
        notified["high"], correction, by=contact_officer, at=now + H, version=notification.version
    )
    notifications.record_notification(late, details(late, yes=20), by=contact_officer, at=now + H, version=None)

    page = client.get(reverse("meetings:meeting", args=[triage.pk])).content.decode()
    assert "DASH 16 of 24 (MARAC at 14)" in page  # as the triage decided on it
    assert "DASH 2 of 24" not in page
    assert "The incident and risk assessment were not recorded yet." in page  # the late one, as it closed
    assert "DASH 20 of 24" not in page
    assert "To the MASH</strong>; who acts: MASH manager" in page


def test_where_the_hub_holds_a_triage_the_daily_meeting_leaves_its_notifications_to_it(
    notified: dict[str, Contact], mash_team: Team, manager: User, now: dt.datetime
) -> None:
    LocalProtocol.objects.filter(slug="birmingham").update(
        meeting_days=[1], meeting_time=dt.time(11, 0), meeting_members=["police"]
    )
    amber = notification_contact(mash_team, now - 2 * H, victim_born=dt.date(1990, 9, 9))
    Contact.objects.filter(pk=amber.pk).update(initial_rating="amber")

    meeting = services.open_meeting(mash_team, by=manager, at=now, kind=MeetingKind.MASH)

    # The Red school contact and the Amber notification (for its rating); not the others, the triage's.
    assert {(i.contact_id, i.reason) for i in meeting.items.all()} == {
        (notified["school"].pk, ItemReason.RED),
        (amber.pk, ItemReason.AMBER),
    }


def test_a_meeting_closes_only_once_its_attendance_is_recorded(
    notified: dict[str, Contact], mash_team: Team, manager: User, now: dt.datetime
) -> None:
    triage = services.open_meeting(mash_team, by=manager, at=now, kind=MeetingKind.TRIAGE)
    with pytest.raises(DomainError, match="Record who attended before closing the triage"):
        services.close_meeting(triage, by=manager, at=now + H, version=triage.version)
    police = triage.attendance.get(agency__name="Example Police")
    services.record_attendance(triage, attended=[police.agency_id], by=manager, at=now, version=triage.version)
    triage.refresh_from_db()
    services.close_meeting(triage, by=manager, at=now + H, version=triage.version)
    assert triage.state == "closed"


def test_a_notification_corrected_after_the_triage_decided_is_flagged_where_the_decision_shows(
    notified: dict[str, Contact], mash_team: Team, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    client = sign_in_both_steps(Client(), manager)
    client.post(reverse("meetings:open-triage"))
    triage = DailyMeeting.objects.get(kind=MeetingKind.TRIAGE)
    assert client.get(reverse("meetings:triage")).status_code == 200
    page_url = triage.get_absolute_url()
    assert page_url == reverse("meetings:triage-meeting", args=[triage.pk])
    high = triage.items.get(contact=notified["high"])
    client.post(
        reverse("meetings:decide", args=[triage.pk, high.pk]),
        {f"item-{high.pk}-version": 0, f"item-{high.pk}-decision": "to_mash", f"item-{high.pk}-acts": "MASH manager"},
    )
    notification = notified["high"].domestic_abuse
    notifications.record_notification(
        notified["high"],
        details(notified["high"], yes=2, correction_reason="Police re-scored it"),
        by=contact_officer,
        at=now + H,
        version=notification.version,
    )

    page = client.get(page_url).content.decode()
    assert "Corrected since" in page
    assert (
        'aria-current="page" href="/meetings/triage/"' in page or 'href="/meetings/triage/" aria-current="page"' in page
    )
    contact_page = client.get(notified["high"].get_absolute_url()).content.decode()
    assert "the notification was corrected after this decision" in contact_page
    assert "DASH score: 16 → 2" in contact_page  # the correction, with what it changed
    assert "Police re-scored it" in contact_page
