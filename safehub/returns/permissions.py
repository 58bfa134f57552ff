"""Who may see and export the statutory returns."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_read_performance, is_performance_lead


def can_export_returns(user: User) -> bool:
    """The performance lead builds and sends the council's returns (001: figures to scrutiny; the DfE's
    census; Ofsted's Annex A at inspection)."""
    return is_performance_lead(user)


def can_see_returns(user: User) -> bool:
    """Whether each return passes its validator, and the children its rules name: the performance lead,
    and team managers, whose teams put the records right (as they read the hub's figures)."""
    return can_read_performance(user)
