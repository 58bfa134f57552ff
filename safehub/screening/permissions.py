"""Who may screen a contact."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_work_the_front_door
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState

SCREENABLE = (ContactState.RECEIVED, ContactState.SCREENING)


def can_screen(user: User, contact: Contact | None = None) -> bool:
    """Front-door staff screen a contact that is received or in screening (002 §2–3). Without a
    contact: whether the user's role ever screens."""
    return can_work_the_front_door(user) and (contact is None or contact.state in SCREENABLE)


# A person added to the contact after screening (contacts.amendments) is identified while the
# contact waits for its threshold decision (checks included): until then it cannot be recommended.
IDENTIFIABLE = (ContactState.SCREENING, ContactState.AWAITING_THRESHOLD, ContactState.MASH_CHECKS)


def can_identify(user: User, contact: Contact | None = None) -> bool:
    """Front-door staff link the contact's people to the person index: in screening, and afterwards
    those added to the contact later, until the threshold recommendation."""
    return can_work_the_front_door(user) and (contact is None or contact.state in IDENTIFIABLE)
