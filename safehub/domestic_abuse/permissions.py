"""Who may record a police domestic-abuse notification's incident and risk assessment (issue 13)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_administer, can_work_the_front_door


def can_record_notification(user: User) -> bool:
    """The front door's staff, who record what police sent (the contact's page shows it to whoever may
    see the contact)."""
    return can_work_the_front_door(user)


def can_change_checklist(user: User) -> bool:
    """An administrator keeps the DASH checklist's words, as they keep the local protocol."""
    return can_administer(user)
