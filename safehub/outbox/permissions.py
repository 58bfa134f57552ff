"""Who may read the demo's outbox."""

from __future__ import annotations

from django.conf import settings

from safehub.accounts.models import User
from safehub.accounts.permissions import can_administer


def can_read_outbox(user: User) -> bool:
    """Everyone signed in, in demo mode only: outside it Safehub sends its emails and keeps no outbox."""
    return bool(settings.DEMO_MODE) and user.is_active


def can_read_every_email(user: User) -> bool:
    """An administrator sees every email sent, not only their own."""
    return can_administer(user)
