"""Who is invited to a strategy discussion, and the papers each agency is sent: recorded as
disclosures, nothing passed on that an agency restricted, and seen by the invited agency alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks import services as checks_services
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.consent import services as consent
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.errors import Refused
from safehub.mfa.testing import sign_in_both_steps
from safehub.sharing.models import Disclosure
from safehub.sharing.vocabulary import Purpose
from safehub.strategy import emails, invitations, services
from safehub.strategy.models import InviteeReason, MeetingFormat, StrategyDiscussion
from safehub.strategy.tests.helpers import approve_strategy_for

H = dt.timedelta(hours=1)


@pytest.fixture
def agencies(police_partner: User) -> dict[str, Agency]:
    return {
        "police": Agency.objects.get(kind=AgencyKind.POLICE),
        "health": PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH),
        "school": PartnerAgencyFactory(name="Example Primary", kind=AgencyKind.EDUCATION),
        "housing": PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING),
    }


@pytest.fixture
def discussion(
    mash_team: Team,
    social_worker: User,
    manager: User,
    police_partner: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> StrategyDiscussion:
    """Mia (10) is the subject of MASH checks: the police answered with a restriction on passing it on,
    housing without; then a strategy discussion was approved."""
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    checks = start_checks(
        contact, by=manager, coordinator=social_worker, agencies=[agencies["police"], agencies["housing"]], at=now
    )
    requests = {request.agency_id: request for request in checks.requests.all()}
    submit_answer(
        requests[agencies["police"].pk],
        by=police_partner,
        at=now,
        information="Father arrested for assault in 2024",
        handling_restriction="Not to be shared outside the MASH: an investigation is under way",
    )
    housing_officer = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Housing desk", agency=agencies["housing"]), username="h.o"
    )
    submit_answer(requests[agencies["housing"].pk], by=housing_officer, at=now, information="Rent arrears")
    checks.refresh_from_db()
    checks_services.submit_for_decision(
        checks, analysis="Risk from the father", by=social_worker, at=now, version=checks.version
    )
    return approve_strategy_for(contact, social_worker=social_worker, manager=manager, at=now)


def _arrange(discussion: StrategyDiscussion, by: User, chair: User, at: dt.datetime, *chosen: Agency) -> None:
    arrangement = services.Arrangement(at + H, MeetingFormat.VIDEO, "https://meet.example/s", chair, agencies=chosen)
    services.arrange(discussion, arrangement, by=by, at=at, version=discussion.version)


def test_police_health_a_school_age_childs_school_and_the_agencies_that_answered_are_proposed(
    discussion: StrategyDiscussion, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    proposed = {p.agency.name: p.reason for p in invitations.proposed(discussion, on=now.date())}
    assert proposed == {
        "Example Police": InviteeReason.POLICE,
        "Example Health": InviteeReason.HEALTH,
        "Example Primary": InviteeReason.EDUCATION,  # Mia is 10
        "Example Housing": InviteeReason.CHECKS,
    }


def test_police_and_health_are_invited_to_every_discussion(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    with pytest.raises(Refused, match="Police and Health are invited to every strategy discussion"):
        _arrange(discussion, strategy_coordinator, manager, now, agencies["school"])
    assert not discussion.invitations.exists()


def test_each_agency_is_sent_the_papers_as_a_disclosure_without_what_another_agency_restricted(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    # Each person's consent as it stands, a line each (ADR 0034), not the referrer's word for the family.
    assert discussion.contact is not None
    mia = discussion.contact.subjects.get(given_name="Mia")
    refused = consent.Answer(mia.pk, "mash_checks", "refused", "parent", "Lena Harlow", now.date(), "verbal")
    consent.record_consent(discussion.contact, refused, by=manager, at=now)
    _arrange(
        discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"], agencies["housing"]
    )

    sent = {d.agency.name: d for d in Disclosure.objects.filter(purpose=Purpose.STRATEGY_DISCUSSION)}
    assert set(sent) == {"Example Police", "Example Health", "Example Housing"}
    assert "Mia Harlow: consent refused" in sent["Example Health"].consent_position
    health = sent["Example Health"].content
    assert health["rationale"]["manager"] == "Agreed"
    assert health["children"][0]["name"] == "Mia Harlow"
    police_answer = next(a for a in health["checks"] if a["agency"] == "Example Police")
    assert police_answer == {
        "agency": "Example Police",
        "withheld": "Not passed on: Example Police's handling conditions do not allow it",
    }
    # The police are sent their own answer as they gave it.
    own = next(a for a in sent["Example Police"].content["checks"] if a["agency"] == "Example Police")
    assert own["information"] == "Father arrested for assault in 2024"
    invitation = discussion.invitations.get(agency=agencies["health"])
    assert invitation.papers == sent["Example Health"]
    assert (sent["Example Health"].origin, sent["Example Health"].origin_id) == ("strategy.invitation", invitation.pk)


def test_arranging_again_invites_only_the_agencies_added(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"], agencies["school"])

    assert discussion.invitations.count() == 3
    assert Disclosure.objects.filter(purpose=Purpose.STRATEGY_DISCUSSION).count() == 3
    # An invitation sent with the papers is not taken back by unticking it: the coordinator is told.
    discussion.refresh_from_db()
    with pytest.raises(Refused, match="Example Primary was invited already and sent the papers"):
        _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])
    assert discussion.invitations.count() == 3


def test_the_invited_agency_sees_its_papers_and_another_agency_gets_not_found(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    police_partner: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])
    page = reverse("strategy:discussion", args=[discussion.pk])

    police = sign_in_both_steps(Client(), police_partner)
    html = police.get(page).content.decode()
    assert "Sent to Example Police" in html
    assert "24 November 2026, 11:00, video call" in html  # the meeting as arranged now
    assert "Father arrested for assault in 2024" in html  # their own answer
    assert "Agreed" in html  # the manager's rationale
    assert "Arrange it" not in html  # nothing of the hub's own record and forms
    assert "History" not in html
    assert f'href="{page}"' in police.get(reverse("strategy:invitations")).content.decode()

    housing_officer = User.objects.get(username="h.o")
    housing = sign_in_both_steps(Client(), housing_officer)
    assert housing.get(page).status_code == 404  # housing answered the checks, but was not invited
    assert "not invited to any" in housing.get(reverse("strategy:invitations")).content.decode()


def test_each_invitation_is_emailed_once_with_a_calendar_entry_and_again_when_the_meeting_moves(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    police_partner: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])

    assert emails.deliver_invitation_emails(now) == 2
    assert emails.deliver_invitation_emails(now) == 0  # exactly once
    [police_email] = [m for m in mail.outbox if police_partner.email in m.to]
    assert "Mia" not in police_email.body  # no personal details in email
    assert "Sign in to Safehub" in police_email.body
    [(name, ics, kind)] = police_email.attachments
    assert (name, kind) == ("strategy-discussion.ics", "text/calendar; method=REQUEST")
    calendar = ics.decode() if isinstance(ics, bytes) else ics
    assert f"UID:strategy-discussion-{discussion.pk}@safehub" in calendar
    assert "DTSTART:20261124T110000Z" in calendar
    health = discussion.invitations.get(agency=agencies["health"])
    assert (health.emailed_at, health.emailed_to) == (now, 0)  # nobody at Example Health is a user
    page = sign_in_both_steps(Client(), strategy_coordinator).get(reverse("strategy:discussion", args=[discussion.pk]))
    assert "no one at Example Health uses Safehub and the agency has no shared email address" in page.content.decode()

    mail.outbox.clear()
    discussion.refresh_from_db()
    arrangement = services.Arrangement(
        now + 2 * H, MeetingFormat.VIDEO, "https://meet.example/s", manager, (agencies["police"], agencies["health"])
    )
    services.arrange(discussion, arrangement, by=strategy_coordinator, at=now, version=discussion.version)
    assert emails.deliver_invitation_emails(now) == 2  # everyone invited hears of the new time
    [moved] = [m for m in mail.outbox if police_partner.email in m.to]
    moved_ics = moved.attachments[0][1]
    assert "SEQUENCE:2" in (moved_ics.decode() if isinstance(moved_ics, bytes) else moved_ics)
    assert moved.extra_headers["Message-ID"] != police_email.extra_headers["Message-ID"]
    # The update says the arrangement changed, in its subject and first line.
    assert moved.subject.startswith("Safehub: CHANGED: strategy discussion on")
    assert moved.body.startswith("The arrangement has changed since you were invited")
    assert "CHANGED" not in police_email.subject


def test_an_agency_nobody_uses_safehub_at_is_emailed_at_its_shared_address(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    Agency.objects.filter(pk=agencies["health"].pk).update(email="safeguarding@health.example")
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])
    emails.deliver_invitation_emails(now)
    health = discussion.invitations.get(agency=agencies["health"])
    assert health.emailed_to == 1
    [sent] = [m for m in mail.outbox if "safeguarding@health.example" in m.to]
    assert "Mia" not in sent.body
    calendar = sent.attachments[0][1]
    text = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "DTSTAMP:20261124T100000Z" in text  # when the entry was made, not the meeting's time
    assert "ORGANIZER:mailto:" in text


def test_with_safehubs_address_set_each_email_links_to_its_page_and_names_no_child(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    police_partner: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
    settings: Any,
) -> None:
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])
    settings.SITE_URL = "https://safehub.example.gov.uk"
    emails.deliver_invitation_emails(now)
    [linked] = [m for m in mail.outbox if police_partner.email in m.to]
    assert linked.body.endswith(
        "Open it in Safehub (you will be asked to sign in): https://safehub.example.gov.uk/strategy/invitations/"
    )
    assert "Mia" not in linked.body

    mail.outbox.clear()
    settings.SITE_URL = ""
    discussion.refresh_from_db()
    arrangement = services.Arrangement(
        now + 2 * H, MeetingFormat.VIDEO, "https://meet.example/s", manager, (agencies["police"], agencies["health"])
    )
    services.arrange(discussion, arrangement, by=strategy_coordinator, at=now, version=discussion.version)
    emails.deliver_invitation_emails(now)
    assert mail.outbox
    assert all("Open it in Safehub" not in m.body for m in mail.outbox)  # no address set: no link


def test_an_invitation_to_a_meeting_no_longer_arranged_is_not_sent_afterwards(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    _arrange(discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"])
    discussion.refresh_from_db()
    services.cancel(discussion, reason="Held by the allocated worker", by=manager, at=now, version=discussion.version)

    assert emails.deliver_invitation_emails(now) == 0
    assert not mail.outbox


def test_each_invitee_is_named_with_why_they_were_invited_keeping_its_capitals(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    _arrange(
        discussion, strategy_coordinator, manager, now, agencies["police"], agencies["health"], agencies["housing"]
    )
    coordinator = sign_in_both_steps(Client(), strategy_coordinator)

    html = coordinator.get(reverse("strategy:discussion", args=[discussion.pk])).content.decode()

    assert "Example Police (police: invited to every strategy discussion), invited" in html
    assert "Example Housing (answered the MASH checks), invited" in html
    recording = coordinator.get(reverse("strategy:record", args=[discussion.pk])).content.decode()
    assert "Example Housing (answered the MASH checks)" in recording
