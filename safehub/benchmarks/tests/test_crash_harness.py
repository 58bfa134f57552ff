"""The crash harness, short: gunicorn's workers killed and PostgreSQL restarted in immediate mode while
contacts and partners' answers are written, on a cluster of the test's own (ADR 0030). Nothing
acknowledged is lost, nothing is written twice, the audit chain verifies, and the negative control
(a writer that sends again without its one-time key) does make duplicates, so the count can see them.

It runs in the normal suite when the suite runs on PostgreSQL; on SQLite it skips (there is no server
to restart). It needs PostgreSQL's initdb and pg_ctl: without them it skips, except in CI (CI=true, or
SAFEHUB_REQUIRE_POSTGRESQL_TOOLS=true as .ci/run sets), where it fails instead, so that it never quietly
stops running there."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from safehub.benchmarks import crash_harness
from safehub.benchmarks.scratch_cluster import why_unavailable

pytestmark = pytest.mark.crash

# 25 s of chaos; the whole test took 3.5 to 4 minutes on a two-core machine loaded by other work (load
# average above 20), most of it migrating the scratch database and making its data.
CI_PLAN = crash_harness.Plan(
    kills=20,
    restarts=2,
    seconds=25,
    contact_writers=2,
    answer_writers=1,
    negative_writers=1,
    answers=20,
    workers=3,
    patience=10.0,
    drop=0.25,
)


@pytest.fixture
def scratch_cluster_possible() -> None:
    # `vendor` comes from the backend class: reading it opens no database.
    if connection.vendor != "postgresql":
        pytest.skip("The crash harness runs only when the suite runs on PostgreSQL (SQLite has no server to restart)")
    reason = why_unavailable()
    if reason and _required_here():
        pytest.fail(f"CI must run the crash harness, but cannot make a scratch PostgreSQL cluster: {reason}")
    if reason:
        pytest.skip(f"Cannot make a scratch PostgreSQL cluster here: {reason}")


@pytest.mark.usefixtures("scratch_cluster_possible")
def test_no_acknowledged_write_is_lost_or_doubled_when_workers_and_the_database_crash() -> None:
    result = crash_harness.run(CI_PLAN)

    assert (result.kills, result.restarts) == (CI_PLAN.kills, CI_PLAN.restarts), result.refused
    assert result.contacts_acknowledged > 0
    assert result.answers_acknowledged > 0
    assert result.contacts_lost == []
    assert result.answers_lost == []
    assert result.contacts_duplicated == {}
    assert result.answers_duplicated == {}
    assert result.refused == []
    assert result.chain["intact"], result.chain
    # The harness bites: the writer without a key made some contacts twice, and the count saw them.
    assert result.negative_duplicates > 0, result.as_dict()
    assert result.problems(require_bite=True) == []


def _required_here() -> bool:
    """In CI (CI=true, or SAFEHUB_REQUIRE_POSTGRESQL_TOOLS=true as .ci/run sets) a missing tool is a failure."""
    return any(os.environ.get(name, "").lower() == "true" for name in ("CI", "SAFEHUB_REQUIRE_POSTGRESQL_TOOLS"))
