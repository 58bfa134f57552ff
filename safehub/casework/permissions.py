"""Who may do what with what happened after the front door."""

from __future__ import annotations

from safehub.accounts.models import Role, User
from safehub.accounts.permissions import can_manage


def can_import_casework(user: User) -> bool:
    """A manager or the performance lead imports the case system's assessments, enquiries and plans
    (docs/casework-csv.md): the returns are built from them."""
    return can_manage(user) or user.has_role(Role.PERFORMANCE_LEAD)
