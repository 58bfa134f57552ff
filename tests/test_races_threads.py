"""The races of tests/test_races.py played for real on PostgreSQL: two threads, each with its own
database connection, post the same form; both views read the record, then meet at a barrier just
before the service, and go on together. Exactly one wins, the other is told, nothing is written
twice. (SQLite's test database is one in-memory database shared by the threads, whose locks do not
wait: true concurrency there is not the production database's, so it is left to the one-connection
interleaving of tests/test_races.py.)"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from safehub.accounts.models import Team, User
from safehub.audit.services import verify_chain
from safehub.mfa.testing import sign_in_both_steps
from tests.races import RACES, Hub, Race, make_hub

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency is tested on PostgreSQL")

MEET_WITHIN = 10  # seconds: a thread whose view refused before the service does not hold the other longer


@pytest.fixture
def hub(
    transactional_db: None,
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


def play_together(race: Race, monkeypatch: pytest.MonkeyPatch) -> list[HttpResponse]:
    module, name = race.target
    real = getattr(module, name)
    barrier = threading.Barrier(2, timeout=MEET_WITHIN)

    def together(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):  # the test says so below
            barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, together)
    clients = []
    for user, data in (race.first, race.second):
        client = Client(raise_request_exception=False)
        sign_in_both_steps(client, user)
        clients.append((client, data))
    responses: list[HttpResponse] = []

    def post(client: Client, data: dict[str, Any]) -> None:
        try:
            responses.append(client.post(race.url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not barrier.broken, f"one request never reached {module.__name__}.{name}"
    return responses


def _outcome(name: str, race: Race, responses: list[HttpResponse], added: int) -> str:
    """What went wrong in one race, or "" when exactly one won and the other was told."""
    statuses = sorted(response.status_code for response in responses)
    if race.same_form or race.told:
        if statuses != [302, 302] or responses[0]["Location"] != responses[1]["Location"]:
            return f"{name}: {statuses}"
    elif statuses != [302, 409]:
        return f"{name}: {statuses}"
    elif "changed by someone else" not in next(r for r in responses if r.status_code == 409).content.decode():
        return f"{name}: the loser was not told why"
    return f"{name}: {added} written" if added != 1 else ""


def test_two_at_once_on_two_connections_one_wins(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every race in one test: a test on two connections empties the database when it ends, which
    costs more than all the races."""
    problems = []
    for name in sorted(RACES):
        race = RACES[name](hub)
        before = race.written()
        responses = play_together(race, monkeypatch)
        monkeypatch.undo()
        problems.append(_outcome(name, race, responses, race.written() - before))
    assert [problem for problem in problems if problem] == []
    assert verify_chain().intact
