"""Who may manage users: an active administrator, nobody else."""

from __future__ import annotations

import pytest

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import person_holding
from safehub.users.permissions import can_manage_users


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_only_administrators_manage_users(role: Role) -> None:
    assert can_manage_users(person_holding(role)) is (role == Role.ADMINISTRATOR)


def test_a_deactivated_administrator_manages_nothing() -> None:
    administrator = person_holding(Role.ADMINISTRATOR)
    administrator.is_active = False
    assert not can_manage_users(administrator)
