"""The onward referral pages as their users meet them: the social worker reads the pack and sends it from
the contact page; pressing Send twice, or going back and sending again, sends one; the receiving team's
member finds it in their worktray and accepts it; an administrator keeps the register of teams."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import TeamFactory, user_with_role
from safehub.contacts.models import Contact
from safehub.decisions.models import Outcome
from safehub.letters.tests.helpers import actioned_contact
from safehub.mfa.testing import sign_in_both_steps
from safehub.onward.models import ReceivingTeam, ReferralPack
from safehub.onward.workflow import PackState

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment_team(mash_team: Team) -> Team:
    return TeamFactory(name="Assessment Team 2", agency=mash_team.agency)


@pytest.fixture
def receiving(assessment_team: Team) -> ReceivingTeam:
    return ReceivingTeam.objects.create(
        name="Assessment Team 2", outcomes=[Outcome.SECTION_17_ASSESSMENT.value], team=assessment_team
    )


@pytest.fixture
def contact(mash_team: Team, social_worker: User, manager: User, now: dt.datetime) -> Contact:
    return actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_contact_page_offers_the_pack_and_the_send_page_shows_it_first(
    contact: Contact, receiving: ReceivingTeam, social_worker_client: Client
) -> None:
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Onward referrals" in page
    assert "Referral pack not sent yet" in page
    send = reverse("onward:send", args=[contact.pk, "section_17_assessment"])
    assert send in page
    response = social_worker_client.get(send)
    shown = response.content.decode()
    assert "What the team will read" in shown
    assert "Mia Harlow" in shown
    assert "Neglect" in shown
    assert response.context["form"].initial["team"] == receiving.pk  # the team the outcome page named


def test_send_twice_or_back_and_resubmit_sends_one_pack(
    contact: Contact, receiving: ReceivingTeam, social_worker_client: Client
) -> None:
    send = reverse("onward:send", args=[contact.pk, "section_17_assessment"])
    key = _key(social_worker_client.get(send).content.decode())
    posted = {"submission_key": key, "team": str(receiving.pk)}
    first = social_worker_client.post(send, posted)
    assert first.status_code == 302
    assert first["Location"] == contact.get_absolute_url()
    again = social_worker_client.post(send, posted)  # the back button, and Send once more
    assert again.status_code == 302
    assert ReferralPack.objects.count() == 1
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "In the team&#x27;s worktray: not accepted yet" in page


def test_a_bad_team_is_told_and_nothing_is_sent(
    contact: Contact, receiving: ReceivingTeam, social_worker_client: Client
) -> None:
    send = reverse("onward:send", args=[contact.pk, "section_17_assessment"])
    key = _key(social_worker_client.get(send).content.decode())
    for team in ("", "999999", "not a number"):
        response = social_worker_client.post(send, {"submission_key": key, "team": team})
        assert response.status_code == 200
        assert "Choose" in response.content.decode()
    assert not ReferralPack.objects.exists()


def test_an_outcome_that_sends_nobody_on_is_told_not_a_server_error(
    contact: Contact, receiving: ReceivingTeam, social_worker_client: Client
) -> None:
    response = social_worker_client.get(reverse("onward:send", args=[contact.pk, "early_help"]))
    assert response.status_code == 302
    assert social_worker_client.get(reverse("onward:send", args=[contact.pk, "nonsense"])).status_code == 404


def test_no_team_in_the_register_says_so(contact: Contact, social_worker_client: Client) -> None:
    page = social_worker_client.get(reverse("onward:send", args=[contact.pk, "section_17_assessment"]))
    assert "No team in the register takes children" in page.content.decode()


def test_the_receiving_team_finds_it_in_its_worktray_and_accepts_it(
    contact: Contact, receiving: ReceivingTeam, assessment_team: Team, social_worker_client: Client
) -> None:
    send = reverse("onward:send", args=[contact.pk, "section_17_assessment"])
    key = _key(social_worker_client.get(send).content.decode())
    social_worker_client.post(send, {"submission_key": key, "team": str(receiving.pk)})
    pack = ReferralPack.objects.get()
    member = user_with_role(Role.SOCIAL_WORKER, team=assessment_team, username="assessment.member")
    client = _client(member)
    tray = client.get(reverse("onward:packs")).content.decode()
    assert contact.reference in tray
    assert pack.get_absolute_url() in tray
    shown = client.get(pack.get_absolute_url()).content.decode()
    assert "Accept for Assessment Team 2" in shown
    assert "Open the contact" not in shown
    assert client.get(contact.get_absolute_url()).status_code == 404  # the pack, not the contact
    accepted = client.post(reverse("onward:accept", args=[pack.pk]), {"version": str(pack.version)})
    assert accepted.status_code == 302
    pack.refresh_from_db()
    assert pack.state == PackState.ACCEPTED
    again = client.post(reverse("onward:accept", args=[pack.pk]), {"version": "0"}, follow=True)
    assert f"{member.get_full_name()} already accepted this referral" in again.content.decode()
    assert contact.reference not in client.get(reverse("onward:packs")).content.decode()


def test_the_team_returns_it_with_a_reason_and_the_contact_page_says_so(
    contact: Contact, receiving: ReceivingTeam, assessment_team: Team, social_worker_client: Client
) -> None:
    send = reverse("onward:send", args=[contact.pk, "section_17_assessment"])
    key = _key(social_worker_client.get(send).content.decode())
    social_worker_client.post(send, {"submission_key": key, "team": str(receiving.pk)})
    pack = ReferralPack.objects.get()
    client = _client(user_with_role(Role.SOCIAL_WORKER, team=assessment_team, username="assessment.member"))
    back = reverse("onward:return", args=[pack.pk])
    refused = client.post(back, {"version": str(pack.version), "reason": ""})
    assert refused.status_code == 200
    assert "Say why it is returned" in refused.content.decode()
    done = client.post(back, {"version": str(pack.version), "reason": "The family has moved to another borough"})
    assert done.status_code == 302
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Returned to the MASH: The family has moved to another borough" in page
    assert send in page  # to send again, to this team or another


def test_the_pdf_downloads(contact: Contact, receiving: ReceivingTeam, social_worker_client: Client) -> None:
    send = reverse("onward:send", args=[contact.pk, "section_17_assessment"])
    key = _key(social_worker_client.get(send).content.decode())
    social_worker_client.post(send, {"submission_key": key, "team": str(receiving.pk)})
    pack = ReferralPack.objects.get()
    response = social_worker_client.get(reverse("onward:pdf", args=[pack.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_administrator_adds_a_team_and_is_told_what_is_missing(administrator_client: Client) -> None:
    add = reverse("onward:add-team")
    missing = administrator_client.post(
        add, {"name": "Family Wellbeing Service", "outcomes": ["early_help"], "version": "0"}
    )
    assert missing.status_code == 200
    assert "secure email address its referrals go to" in missing.content.decode()
    made = administrator_client.post(
        add,
        {
            "name": "Family Wellbeing Service",
            "outcomes": ["early_help"],
            "email": "fws@example.gov.uk",
            "is_active": "on",
            "version": "0",
        },
    )
    assert made.status_code == 302
    team = ReceivingTeam.objects.get()
    assert (team.outcomes, team.email, team.is_active) == (["early_help"], "fws@example.gov.uk", True)
    listed = administrator_client.get(reverse("onward:teams")).content.decode()
    assert "Family Wellbeing Service" in listed
    assert "By email: fws@example.gov.uk" in listed


def test_the_referrals_list_shows_what_is_still_to_send(
    contact: Contact, receiving: ReceivingTeam, social_worker_client: Client
) -> None:
    page = social_worker_client.get(reverse("onward:packs")).content.decode()
    assert "Referral packs still to send" in page
    assert contact.reference in page


def test_a_team_saved_from_a_stale_page_is_refused_and_nothing_changes(
    administrator_client: Client, receiving: ReceivingTeam
) -> None:
    url = reverse("onward:team", args=[receiving.pk])
    assert receiving.team is not None
    posted = {
        "name": "Assessment Team A",
        "outcomes": ["section_17_assessment"],
        "safehub_team": str(receiving.team.pk),
    }
    assert administrator_client.post(url, {**posted, "version": "0", "is_active": "on"}).status_code == 302
    stale = administrator_client.post(url, {**posted, "name": "Assessment Team B", "version": "0", "is_active": "on"})
    assert "changed by someone else" in stale.content.decode()
    missing = administrator_client.post(url, {**posted, "name": "Assessment Team C", "is_active": "on"})
    assert "This page is out of date" in missing.content.decode()
    receiving.refresh_from_db()
    assert (receiving.name, receiving.version) == ("Assessment Team A", 1)
