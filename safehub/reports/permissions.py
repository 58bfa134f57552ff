"""Who may read the hub's performance reports."""

from __future__ import annotations

from safehub.accounts.models import Role, User

REPORT_ROLES = (Role.PERFORMANCE_LEAD, Role.TEAM_MANAGER)


def can_read_reports(user: User) -> bool:
    """The performance lead and team managers; the figures name partner agencies, never a child."""
    return user.has_role(*REPORT_ROLES)
