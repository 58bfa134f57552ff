"""Who may review the person index's suspected duplicates."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_supervise


def can_review_duplicates(user: User) -> bool:
    """Senior practitioners and managers merge records or mark them as different people."""
    return can_supervise(user)
