"""Who may manage the hub's users, agencies and teams: the administrator (DESIGN §1: "administrator:
configuration"). Nobody else learns the pages exist: they answer 404 (views)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_administer


def can_manage_users(user: User) -> bool:
    """Create users, give and take away their roles, deactivate them; create and rename agencies and teams."""
    return user.is_active and can_administer(user)
