"""The telephone prompt (Sefton 003 §2.6): 'it is expected that MASH will also telephone GP surgeries
if information is required within less than 24 working hours'. The local protocol holds it as a
timescale row; the checks page and the request's page say it while the request is outstanding."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks import services
from safehub.checks.models import MashChecks
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag, LocalProtocol

pytestmark = pytest.mark.django_db

PROMPT = "Telephone Elm Road Surgery as well: the answer is needed within less than 24 working hours"


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def _start(mash_team: Any, manager: User, social_worker: User, at: dt.datetime, **kwargs: Any) -> MashChecks:
    gp = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE)
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    start = services.StartChecks(
        "Neglect concerns", Brag.AMBER, social_worker, [gp, police], "Known?", services.DEFAULT_BASES, **kwargs
    )
    return services.start_checks(contact, start, by=manager, at=at, version=contact.version)


def _sefton() -> None:
    LocalProtocol.objects.filter(is_active=True).update(is_active=False)
    LocalProtocol.objects.filter(slug="sefton").update(is_active=True)


def _health_partner() -> User:
    health = PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)
    return user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=health), username="nurse")


def test_a_gp_request_due_within_a_working_day_prompts_a_call(
    mash_team: Any, manager: User, social_worker: User, now: dt.datetime
) -> None:
    _sefton()
    checks = _start(mash_team, manager, social_worker, now)  # amber: 1 working day (local default)

    page = _client(social_worker).get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert page.count(PROMPT) == 1  # the GP practice's request, not the police's
    gp_request = checks.requests.get(agency__kind=AgencyKind.GP_PRACTICE)
    request_page = _client(_health_partner()).get(reverse("checks:request", args=[gp_request.pk]))
    assert PROMPT in request_page.content.decode()


def test_no_prompt_when_the_answer_may_take_longer(
    mash_team: Any, manager: User, social_worker: User, now: dt.datetime
) -> None:
    _sefton()
    LocalProtocol.objects.get(slug="sefton").timescales.filter(clock="mash_checks", rating="").update(amount=4)
    checks = _start(mash_team, manager, social_worker, now)  # 4 working days: not needed within 24 working hours

    page = _client(social_worker).get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert "Telephone Elm Road Surgery" not in page


def test_a_sooner_answer_asked_by_the_manager_prompts_a_call(
    mash_team: Any, manager: User, social_worker: User, now: dt.datetime
) -> None:
    _sefton()
    LocalProtocol.objects.get(slug="sefton").timescales.filter(clock="mash_checks", rating="").update(amount=4)
    checks = _start(mash_team, manager, social_worker, now, respond_by=now + dt.timedelta(hours=3))

    page = _client(social_worker).get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert page.count("Telephone Elm Road Surgery as well") == 1


def test_hubs_without_the_prompt_show_none(
    mash_team: Any, manager: User, social_worker: User, now: dt.datetime
) -> None:
    checks = _start(mash_team, manager, social_worker, now)  # Bexley
    page = _client(social_worker).get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert "Telephone Elm Road Surgery" not in page
