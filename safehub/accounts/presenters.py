from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safehub.accounts.models import User


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as the sign-in page lists it."""

    username: str
    name: str
    roles: str  # "Social worker, Team A; Manager, Team B"


def demo_accounts(users: Iterable[User]) -> list[DemoAccount]:
    """Each user with their roles (memberships and teams prefetched)."""
    return [
        DemoAccount(
            user.username,
            user.get_full_name(),
            "; ".join(f"{m.get_role_display()}, {m.team}" for m in user.memberships.all()),
        )
        for user in users
    ]
