"""Who may read and change the local protocol (DESIGN §3: one setting per hub)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_administer, can_manage


def can_view_protocols(user: User) -> bool:
    """Managers read the protocol their hub runs; administrators keep it."""
    return can_administer(user) or can_manage(user)


def can_change_protocols(user: User) -> bool:
    return can_administer(user)
