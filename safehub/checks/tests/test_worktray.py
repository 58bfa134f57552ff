"""The hub's MASH checks worktray: a coordinator's own checks, and every set under way for a manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.accounts.models import AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks import services
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag

pytestmark = pytest.mark.django_db
URL = reverse("checks:worktray")


@pytest.fixture
def police(db: None) -> Any:
    return PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)


@pytest.fixture
def health(db: None) -> Any:
    return PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)


def _contact(team: Team, name: str) -> Any:
    contact = ContactAwaitingThresholdFactory(team=team)
    contact.subjects.update(given_name=name, family_name="Harlow")
    return contact


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def test_a_coordinator_sees_the_checks_they_coordinate_soonest_due_first(
    mash_team: Team, manager: User, social_worker: User, police: Any, health: Any, now: dt.datetime
) -> None:
    colleague = user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="other.coordinator")
    amber = start_checks(_contact(mash_team, "Mia"), by=manager, coordinator=social_worker, agencies=[police], at=now)
    red = start_checks(
        _contact(mash_team, "Leo"),
        by=manager,
        coordinator=social_worker,
        agencies=[police, health],
        at=now,
        rating=Brag.RED,
    )
    theirs = start_checks(_contact(mash_team, "Ava"), by=manager, coordinator=colleague, agencies=[police], at=now)

    page = _client(social_worker).get(URL).content.decode()
    assert "Checks I coordinate" in page
    assert page.index(red.contact.reference) < page.index(amber.contact.reference)  # Red answers are due sooner
    assert theirs.contact.reference not in page
    assert "Leo Harlow" in page
    assert "0 of 2 answered" in page
    assert "MASH checks under way" not in page  # a social worker has only their own list


def test_a_manager_sees_every_set_under_way_with_its_coordinator(
    mash_team: Team, manager: User, social_worker: User, police: Any, now: dt.datetime
) -> None:
    mine = start_checks(_contact(mash_team, "Mia"), by=manager, coordinator=social_worker, agencies=[police], at=now)
    other_team = TeamFactory(name="Another MASH team")
    elsewhere_manager = user_with_role(Role.TEAM_MANAGER, team=other_team, username="other.manager")
    elsewhere_worker = user_with_role(Role.SOCIAL_WORKER, team=other_team, username="other.worker")
    elsewhere = start_checks(
        _contact(other_team, "Zac"), by=elsewhere_manager, coordinator=elsewhere_worker, agencies=[police], at=now
    )

    page = _client(manager).get(URL).content.decode()
    assert "MASH checks under way" in page
    assert mine.contact.reference in page
    assert social_worker.get_full_name() in page
    assert elsewhere.contact.reference not in page  # another team's contact is never listed


def test_answered_and_submitted_checks_move_on(
    mash_team: Team, manager: User, social_worker: User, police: Any, now: dt.datetime
) -> None:
    partner = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Police desk", agency=police))
    checks = start_checks(_contact(mash_team, "Mia"), by=manager, coordinator=social_worker, agencies=[police], at=now)
    submit_answer(checks.requests.get(), by=partner, at=now)
    assert "Every agency has answered: ready to submit" in _client(social_worker).get(URL).content.decode()
    checks.refresh_from_db()
    services.submit_for_decision(
        checks, analysis="Police: nothing known", by=social_worker, at=now, version=checks.version
    )
    assert checks.contact.reference not in _client(social_worker).get(URL).content.decode()


def test_late_answers_are_flagged(
    mash_team: Team, manager: User, social_worker: User, police: Any, now: dt.datetime, time_machine: Any
) -> None:
    start_checks(_contact(mash_team, "Mia"), by=manager, coordinator=social_worker, agencies=[police], at=now)
    time_machine.move_to(now + dt.timedelta(days=3), tick=False)
    assert "1 late" in _client(social_worker).get(URL).content.decode()


def test_the_worktray_costs_the_same_queries_however_long(
    mash_team: Team, manager: User, social_worker: User, police: Any, health: Any, now: dt.datetime
) -> None:
    client = _client(social_worker)
    start_checks(_contact(mash_team, "Mia"), by=manager, coordinator=social_worker, agencies=[police], at=now)
    client.get(URL)  # the first page of a session also saves the session
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for name in ("Leo", "Ava", "Zac"):
        start_checks(
            _contact(mash_team, name), by=manager, coordinator=social_worker, agencies=[police, health], at=now
        )
    with CaptureQueriesContext(connection) as four:
        client.get(URL)
    assert len(four) == len(one)


def test_hub_staff_opening_the_partner_address_land_on_their_worktray(social_worker_client: Client) -> None:
    response = social_worker_client.get(reverse("checks:workspace"))
    assert response.status_code == 302
    assert response["Location"] == URL
