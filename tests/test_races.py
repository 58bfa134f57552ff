"""Two people sending the same form about the same record at the same moment: for every action
that creates a row or moves a record on, exactly one wins; the other is told (409 with the reason
in the error summary, or, for the same submission sent twice, the record it made); nothing is
written twice, and never a server error.

The race is played on one connection: the second request's view reads the record, then, at the
moment its view calls the service, the first request runs whole. That is the interleaving that
gave the loser a server error from a unique constraint (tests/test_races_threads.py plays it
with two connections on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from safehub.accounts.models import Team, User
from safehub.audit.services import verify_chain
from safehub.mfa.testing import sign_in_both_steps
from tests.races import RACES, Hub, Race, make_hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(
    mash_team: Team,
    manager: User,
    second_manager: User,
    social_worker: User,
    senior_practitioner: User,
    contact_officer: User,
    now: dt.datetime,
) -> Hub:
    return make_hub(
        mash_team,
        manager=manager,
        second_manager=second_manager,
        social_worker=social_worker,
        senior_practitioner=senior_practitioner,
        contact_officer=contact_officer,
        at=now,
    )


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    sign_in_both_steps(client, user)
    return client


def play(race: Race, monkeypatch: pytest.MonkeyPatch) -> tuple[HttpResponse, HttpResponse, Client]:
    """(the winner's response, the loser's, the loser's browser): the loser's view has read the
    record when the winner's request goes through whole; then the loser's service runs."""
    module, name = race.target
    real = getattr(module, name)
    (winner, winner_data), (loser, loser_data) = race.first, race.second
    winner_client, loser_client = _client(winner), _client(loser)
    won: list[HttpResponse] = []

    def overtaken(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(module, name, real)
        won.append(winner_client.post(race.url, winner_data))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, overtaken)
    lost = loser_client.post(race.url, loser_data)
    assert won, f"the loser's view never called {module.__name__}.{name}"
    return won[0], lost, loser_client


@pytest.mark.parametrize("name", sorted(RACES))
def test_two_at_once_one_wins_and_the_other_is_told(name: str, hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    race = RACES[name](hub)
    before = race.written()
    won, lost, loser = play(race, monkeypatch)
    assert won.status_code == 302, (name, won.status_code)
    assert lost.status_code != 500, name
    if race.same_form:
        assert lost.status_code == 302, name
        assert lost["Location"] == won["Location"], name
    elif race.told:
        assert lost.status_code == 302, name
        assert race.told in loser.get(lost["Location"]).content.decode(), name
    else:
        assert lost.status_code == 409, (name, lost.status_code)
        page = lost.content.decode()
        assert "changed by someone else" in page, name
        assert "govuk-error-summary" in page, name
    assert race.written() - before == 1, name
    assert verify_chain().intact
