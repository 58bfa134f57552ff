"""The role predicates every app's permissions build on: role × predicate → allowed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import safehub
from safehub.accounts import permissions
from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import person_holding

R = Role
MATRIX: list[tuple[Callable[[User], bool], set[Role]]] = [
    (
        permissions.can_work_on_cases,
        {R.CONTACT_OFFICER, R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER, R.STRATEGY_COORDINATOR},
    ),
    (permissions.can_work_the_front_door, {R.CONTACT_OFFICER, R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}),
    (permissions.can_make_threshold_decisions, {R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}),
    (permissions.can_manage, {R.TEAM_MANAGER}),
    (permissions.can_supervise, {R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}),
    (permissions.could_approve, {R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}),  # as the local protocol says
    (permissions.can_answer_for_an_agency, {R.PARTNER_PROFESSIONAL}),
    (permissions.can_coordinate_strategy, {R.STRATEGY_COORDINATOR}),
    (permissions.can_chair_strategy, {R.TEAM_MANAGER}),
    (permissions.can_read_performance, {R.PERFORMANCE_LEAD, R.TEAM_MANAGER}),
    (permissions.can_administer, {R.ADMINISTRATOR}),
    (permissions.can_protect_data, {R.DATA_PROTECTION_OFFICER}),
]


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(("predicate", "allowed"), MATRIX, ids=[p.__name__ for p, _ in MATRIX])
def test_role_predicates(predicate: Callable[[User], bool], allowed: set[Role], role: Role) -> None:
    assert predicate(person_holding(role)) is (role in allowed)


def test_a_user_without_roles_may_do_nothing() -> None:
    nobody = person_holding()
    assert not any(predicate(nobody) for predicate, _ in MATRIX)


def test_only_the_role_predicates_ask_for_roles_by_name() -> None:
    """Who may do what lives in each app's permissions.py, built on these; nothing else calls has_role."""
    root = Path(safehub.__file__).parent
    callers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and ".has_role(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["accounts/permissions.py"]
