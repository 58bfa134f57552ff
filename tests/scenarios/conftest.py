"""The scenarios' hub: the root conftest's staff in its MASH team, a seed profile activated, and partner agencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safehub.accounts.models import AgencyKind, Team, User
from tests.scenarios.steps import Hub, open_hub


@pytest.fixture
def hub_for(
    mash_team: Team,
    administrator: User,
    contact_officer: User,
    social_worker: User,
    senior_practitioner: User,
    manager: User,
    strategy_coordinator: User,
    time_machine: Any,
) -> Callable[..., Hub]:
    """`hub_for("bexley", AgencyKind.POLICE, ...)`: that hub's profile active, with those partners."""

    def make(slug: str, *partners: AgencyKind) -> Hub:
        return open_hub(
            slug,
            partners=partners,
            administrator=administrator,
            team=mash_team,
            staff={
                "contact_officer": contact_officer,
                "social_worker": social_worker,
                "senior_practitioner": senior_practitioner,
                "manager": manager,
                "coordinator": strategy_coordinator,
            },
            clock=time_machine,
        )

    return make
