"""The server errors the fuzzer found beyond issue 12's list, each kept from coming back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.utils.http import urlencode

from safehub.accounts.models import Role, Team, User
from safehub.contacts.forms import AllocationForm, RestrictionForm
from safehub.mfa.testing import current_code
from safehub.protocols.models import LocalProtocol
from tests.fuzz import targets_casework, targets_records
from tests.fuzz.harness import World, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request: pytest.FixtureRequest, mash_team: Team, client_for_role: Callable[[Role], Client]) -> World:
    return World(request, mash_team, client_for_role)


@pytest.mark.parametrize("typed", ["00:00", "a\x00b", "queues:home"])
def test_signing_in_with_a_next_that_is_no_path_goes_home(world: World, typed: str, now: dt.datetime) -> None:
    """Both steps: the password keeps `next` for after the code, and the code's step sends an unsafe one home."""
    user = world.user(Role.SOCIAL_WORKER)
    client = Client()
    sent = {"username": user.username, "password": targets_records.PASSWORD, "next": typed}
    password = client.post(url("accounts:login"), sent)
    assert (password.status_code, password["Location"]) == (302, url("mfa:second-step"))
    code = client.post(url("mfa:second-step"), {"code": current_code(user)})
    assert (code.status_code, code["Location"]) == (302, resolve_url(settings.LOGIN_REDIRECT_URL))


@pytest.mark.parametrize("typed", ["00:00", "a\x00b", "queues:home"])
def test_a_second_step_asked_for_with_a_next_that_is_no_path_goes_home(
    world: World, typed: str, now: dt.datetime
) -> None:
    user = world.user(Role.SOCIAL_WORKER)
    client = Client()
    sent = {"username": user.username, "password": targets_records.PASSWORD}
    assert client.post(url("accounts:login"), sent).status_code == 302
    code = client.post(f"{url('mfa:second-step')}?{urlencode({'next': typed})}", {"code": current_code(user)})
    assert (code.status_code, code["Location"]) == (302, resolve_url(settings.LOGIN_REDIRECT_URL))


@pytest.mark.parametrize("typed", ["00:00", "a\x00b"])
def test_dismissing_alerts_with_a_next_that_is_no_path_goes_home(world: World, typed: str, now: dt.datetime) -> None:
    variant = targets_casework._dismiss_alerts(world)[0]
    response = variant.client().post(variant.url, {"alert": variant.valid["alert"], "next": typed})
    assert (response.status_code, response["Location"]) == (302, url("queues:home"))


def test_asking_an_agency_by_a_superscript_id_is_refused_on_the_form(world: World, now: dt.datetime) -> None:
    variant = targets_casework._ask_another(world)[0]
    response = variant.client().post(variant.url, {**variant.valid, "agencies": ["²"]})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_level_sent_without_its_id_is_refused_not_saved_twice(world: World, now: dt.datetime) -> None:
    variant = targets_records._protocol(world)[0]
    protocol = LocalProtocol.objects.get(is_active=True)
    levels_before = list(protocol.levels.values_list("code", flat=True))
    last = len(levels_before) - 1
    response = variant.client().post(variant.url, {**variant.valid, f"level-{last}-pk": [""]})
    assert response.status_code == 200
    assert f"Two levels have the code &#x27;{levels_before[last]}&#x27;" in response.content.decode()
    assert list(protocol.levels.values_list("code", flat=True)) == levels_before


def test_a_timescale_sent_without_its_id_is_refused_not_saved_twice(world: World, now: dt.datetime) -> None:
    variant = targets_records._protocol(world)[0]
    protocol = LocalProtocol.objects.get(is_active=True)
    count = protocol.timescales.count()
    response = variant.client().post(variant.url, {**variant.valid, "timescale-0-pk": [""]})
    assert response.status_code == 200
    assert "Two timescales are for" in response.content.decode()
    assert protocol.timescales.count() == count


@pytest.mark.parametrize("typed", ["99999999999999999999", "²"])
def test_dismissing_an_alert_by_an_id_no_row_has_changes_nothing(world: World, typed: str, now: dt.datetime) -> None:
    variant = targets_casework._dismiss_alerts(world)[0]
    response = variant.client().post(variant.url, {"alert": ["", typed], "next": "/checks/"})
    assert (response.status_code, response["Location"]) == (302, "/checks/")


@pytest.mark.parametrize("typed", ["99999999999999999999", "-99999999999999999999"])
def test_a_person_chosen_by_an_id_past_the_database_is_an_invalid_choice(world: World, typed: str) -> None:
    staff = User.objects.filter(pk=world.user(Role.SOCIAL_WORKER).pk)
    form = RestrictionForm(data={"version": "0", "people": [typed]}, staff=staff)
    assert not form.is_valid()
    assert "people" in form.errors
    allocation = AllocationForm(data={"version": "0", "worker": typed}, staff=staff)
    assert not allocation.is_valid()
    assert allocation.errors["worker"] == ["Choose someone listed"]
