"""Who may do what with a hand-off. Which contacts a recipient may see is ContactQuerySet.visible_to."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_work_on_cases
from safehub.handoffs.models import Handoff


def can_receive_handoffs(user: User) -> bool:
    """Children's social care staff: a hand-off to anyone else goes by email only."""
    return user.is_active and can_work_on_cases(user)


def can_mark_received(user: User, handoff: Handoff) -> bool:
    """Only the worker it was sent to says they have it (once: the service refuses a second time)."""
    return handoff.recipient_id == user.pk and can_receive_handoffs(user)


def can_see_caseload(user: User) -> bool:
    """Anyone a contact or a child can be handed or allocated to."""
    return can_receive_handoffs(user)
