"""Every POST in Safehub, fuzzed: no input gives a server error, and a good share get through.

Run with SAFEHUB_FUZZ_PROFILE=long for twenty times the examples (docs/adr/0027)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import Role, Team
from tests.fuzz import (
    targets_accounts,
    targets_casework,
    targets_consent,
    targets_contacts,
    targets_domestic_abuse,
    targets_information_requests,
    targets_letters,
    targets_meetings,
    targets_onward,
    targets_records,
    targets_returns,
    targets_strategy,
)
from tests.fuzz.harness import FUZZ_SETTINGS, MIN_SHARE_PASSED, Target, World, allowed_methods, post_views, run

TARGETS: list[Target] = [
    *targets_contacts.TARGETS,
    *targets_casework.TARGETS,
    *targets_records.TARGETS,
    *targets_accounts.TARGETS,
    *targets_strategy.TARGETS,
    *targets_domestic_abuse.TARGETS,
    *targets_consent.TARGETS,
    *targets_information_requests.TARGETS,
    *targets_letters.TARGETS,
    *targets_onward.TARGETS,
    *targets_returns.TARGETS,
    *targets_meetings.TARGETS,
]
BY_NAME = {target.name: target for target in TARGETS}


def test_every_post_view_has_a_fuzz_target() -> None:
    """A new view that accepts POST fails here until it has a target (tests/fuzz/targets_*.py)."""
    missing = sorted(name for name in post_views() if name not in BY_NAME and not name.startswith("admin"))
    assert missing == [], f"POST views without a fuzz target: {missing}"


def test_targets_name_real_post_views() -> None:
    assert sorted(set(BY_NAME) - set(post_views())) == []
    assert len(BY_NAME) == len(TARGETS), "one target a view"


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_no_input_gives_a_server_error(
    target: Target,
    request: pytest.FixtureRequest,
    mash_team: Team,
    client_for_role: Callable[[Role], Client],
    now: dt.datetime,
) -> None:
    tally = run(target, World(request, mash_team, client_for_role))
    assert tally.examples + tally.skipped >= FUZZ_SETTINGS.max_examples
    share = tally.passed / tally.examples
    assert share >= MIN_SHARE_PASSED, f"only {share:.0%} of examples got past validation: {tally.statuses}"


def test_views_that_accept_post_are_told_apart() -> None:
    """The enumeration reads the method decorators, and counts a view without one as accepting POST."""

    def view(request: object) -> None:
        return None

    assert allowed_methods(require_POST(view)) == ["POST"]
    assert allowed_methods(require_GET(view)) == ["GET"]
    assert allowed_methods(require_http_methods(["GET", "POST"])(view)) == ["GET", "POST"]
    assert allowed_methods(view) is None
    assert "contacts:record-contact" in post_views()
    assert "contacts:find-contact" in post_views()  # a search posts what was typed (core.searches)
    assert "users:users" not in post_views()
