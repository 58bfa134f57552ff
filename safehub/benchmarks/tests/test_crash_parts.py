"""The crash harness's parts that need no server: what counts as a failed run, the plan's checks, and
why a machine cannot make a scratch cluster. (The harness itself: test_crash_harness.)"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from safehub.benchmarks import crash_harness, crash_writers, scratch_cluster
from safehub.contacts.models import Contact

PLAN = crash_harness.Plan(kills=2, restarts=1)


def _result(**changes: object) -> crash_harness.Result:
    clean = crash_harness.Result(
        plan=PLAN,
        kills=2,
        restarts=1,
        restart_seconds=[0.5],
        contacts_acknowledged=4,
        contacts_lost=[],
        contacts_duplicated={},
        answers_acknowledged=3,
        answers_lost=[],
        answers_duplicated={},
        negative_acknowledged=2,
        negative_duplicated={"n0-1": 2},
        unacknowledged={},
        refused=[],
        attempts=12,
        failures={},
        answered_in={},
        chain={"intact": True, "checked": 40, "reason": ""},
        wall_seconds=10.0,
    )
    return dataclasses.replace(clean, **changes)


def test_a_clean_run_that_bit_has_no_problems() -> None:
    assert _result().problems(require_bite=True) == []
    assert _result().negative_duplicates == 1


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"contacts_lost": ["c0-3"]}, "acknowledged but lost: 1 contacts"),
        ({"answers_lost": ["17"]}, "acknowledged but lost: 0 contacts, 1 answers"),
        ({"contacts_duplicated": {"c1-2": 2}}, "written twice: 1 contacts"),
        ({"answers_duplicated": {"17": 2}}, "written twice: 0 contacts, 1 answers"),
        ({"chain": {"intact": False, "checked": 3, "reason": "hash"}}, "the audit chain does not verify"),
        ({"kills": 1}, "only 1 kills"),
        ({"restarts": 0}, "0 restarts"),
        ({"negative_duplicated": {}}, "the harness did not bite"),
        ({"contacts_acknowledged": 0}, "no write was acknowledged"),
        ({"refused": ["c0-1: HTTP 200 Enter a date"]}, "1 writes refused"),
    ],
)
def test_each_way_a_run_can_fail_is_reported(changes: dict[str, object], problem: str) -> None:
    problems = _result(**changes).problems(require_bite=True)
    assert any(problem in found for found in problems), problems


def test_a_negative_control_without_duplicates_fails_only_when_a_bite_is_required() -> None:
    assert _result(negative_duplicated={}).problems(require_bite=False) == []


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--drop", "1.5"], "--drop is a share"),
        (["--seconds", "0"], "must be positive"),
        (["--kills", "-1"], "cannot be negative"),
        (["--negative-writers", "0"], "The negative control needs a writer"),
    ],
)
def test_a_bad_plan_is_refused_before_anything_starts(option: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("crash_harness", *option)


def test_missing_postgresql_programs_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHUB_PG_BIN", str(tmp_path))
    reason = scratch_cluster.why_unavailable()
    assert "initdb, pg_ctl, postgres not found in" in reason
    with (
        pytest.raises(scratch_cluster.ClusterUnavailableError, match="SAFEHUB_PG_BIN"),
        scratch_cluster.scratch_cluster(),
    ):
        pass


def test_the_contact_form_the_writers_send_carries_the_drawn_key_and_the_marker() -> None:
    fields = crash_writers.contact_fields(
        {"csrfmiddlewaretoken": "t", "submission_key": "k"}, "Crash harness r: write c0-1."
    )
    assert (fields["submission_key"], fields["narrative"]) == ("k", "Crash harness r: write c0-1.")


@pytest.mark.django_db
def test_the_contact_the_writers_send_is_one_the_form_takes(social_worker_client: Client) -> None:
    """What the writers type must pass the form, or the harness would measure refusals, not crashes."""
    page = social_worker_client.get(crash_writers.CONTACT_PATH).content.decode()
    hidden = dict(crash_writers.HIDDEN.findall(page))
    assert {"csrfmiddlewaretoken", "submission_key"} <= set(hidden)
    narrative = "Crash harness r: write c0-1."
    sent = social_worker_client.post(crash_writers.CONTACT_PATH, crash_writers.contact_fields(hidden, narrative))
    assert sent.status_code == 302
    assert crash_writers.CONTACT_PAGE.match(sent["Location"])
    assert Contact.objects.get().narrative == narrative
