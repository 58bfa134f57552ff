"""Who may start, coordinate and answer MASH checks: role × situation → allowed."""

from __future__ import annotations

import pytest

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import person_holding
from safehub.checks import permissions
from safehub.checks.models import ChecksState, MashChecks
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState

R = Role
COORDINATOR_PK = 7


def _checks(state: ChecksState) -> MashChecks:
    return MashChecks(coordinator_id=COORDINATOR_PK, state=state)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_only_a_manager_starts_checks_and_only_awaiting_the_threshold_decision(role: Role) -> None:
    user = person_holding(role)
    assert permissions.can_start_checks(user) is (role == R.TEAM_MANAGER)
    for state in ContactState:
        allowed = role == R.TEAM_MANAGER and state == ContactState.AWAITING_THRESHOLD
        assert permissions.can_start_checks(user, Contact(state=state)) is allowed


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_the_coordinator_or_a_manager_submits_open_checks_and_withdraws_requests(role: Role) -> None:
    someone = person_holding(role, pk=COORDINATOR_PK + 1)
    coordinator = person_holding(role, pk=COORDINATOR_PK)
    open_checks, submitted = _checks(ChecksState.OPEN), _checks(ChecksState.SUBMITTED)
    assert permissions.can_coordinate(coordinator, open_checks)
    assert permissions.can_submit_checks(coordinator, open_checks)
    assert not permissions.can_submit_checks(coordinator, submitted)
    assert permissions.can_withdraw_request(someone, open_checks) is (role == R.TEAM_MANAGER)
    assert permissions.can_submit_checks(someone, open_checks) is (role == R.TEAM_MANAGER)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_coordinators_are_qualified_and_partners_answer(role: Role) -> None:
    user = person_holding(role)
    assert permissions.can_be_coordinator(user) is (role in {R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER})
    assert permissions.can_answer_requests(user) is (role == R.PARTNER_PROFESSIONAL)
    user.is_active = False
    assert not permissions.can_be_coordinator(user)
