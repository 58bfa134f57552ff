"""Who may see, run and record the daily MASH meeting (002 §7)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, can_work_on_cases


def can_see_meetings(user: User) -> bool:
    """The hub's children's social care staff (the meeting discusses their contacts)."""
    return can_work_on_cases(user)


def can_run_meeting(user: User) -> bool:
    """A manager opens and closes the meeting (the MASH manager chairs it)."""
    return can_manage(user)


def can_record_at_meeting(user: User) -> bool:
    """The hub's staff at the meeting record attendance and each item's decision."""
    return can_work_on_cases(user)
