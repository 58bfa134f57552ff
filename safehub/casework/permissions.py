"""Who may do what with what happened after the front door."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, is_performance_lead


def can_import_casework(user: User) -> bool:
    """A manager or the performance lead imports the case system's assessments, enquiries and plans
    (docs/casework-csv.md): the returns are built from them."""
    return can_manage(user) or is_performance_lead(user)
