"""Who may read the sharing ledger, export it, and record a decision not to share."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_make_threshold_decisions, can_protect_data, can_work_on_cases


def can_read_ledger(user: User) -> bool:
    """The data protection officer searches the whole ledger and sees who has seen a record (issue 14)."""
    return can_protect_data(user)


def can_see_contacts_ledger(user: User) -> bool:
    """Hub staff see what was shared about a contact they may see, on its page."""
    return can_work_on_cases(user)


def can_decline_to_share(user: User) -> bool:
    """A qualified social worker or manager decides not to share, and records why (issue 14)."""
    return can_make_threshold_decisions(user)
