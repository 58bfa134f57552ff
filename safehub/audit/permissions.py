"""Who may read the audit trail."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_protect_data


def can_read_audit(user: User) -> bool:
    """The data protection officer reads the trail, refusals included (003 App. 3)."""
    return can_protect_data(user)
