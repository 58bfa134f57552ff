"""Who may do what with a contact. Which contacts a user sees at all is ContactQuerySet.visible_to."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, can_work_on_cases, can_work_the_front_door
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState


def can_see_contacts(user: User) -> bool:
    """Children's social care staff; partners see only what their agency is asked (checks)."""
    return can_work_on_cases(user)


def can_find_contacts(user: User) -> bool:
    """Whoever sees contacts may search them; what a search finds is still only what `visible_to` shows them."""
    return can_see_contacts(user)


def can_record_contact(user: User) -> bool:
    return can_work_the_front_door(user)


# Until a social worker's recommendation rates it, the contact's initial rating may be changed.
RATEABLE_STATES = frozenset({ContactState.RECEIVED, ContactState.SCREENING, ContactState.AWAITING_THRESHOLD})


def can_rate(user: User, contact: Contact | None = None) -> bool:
    """Front door staff set or change a contact's initial rating before it is recommended."""
    return can_work_the_front_door(user) and (contact is None or contact.state in RATEABLE_STATES)


# A manager allocates a contact waiting for screening or for its threshold decision (and may move it).
ALLOCATABLE_STATES = frozenset({ContactState.RECEIVED, ContactState.SCREENING, ContactState.AWAITING_THRESHOLD})


def can_allocate(user: User, contact: Contact | None = None) -> bool:
    return can_manage(user) and (contact is None or contact.state in ALLOCATABLE_STATES)


def can_restrict(user: User, contact: Contact | None = None) -> bool:
    """A manager restricts a contact to named people (a staff member's child, a high-profile family).
    The caller has already fetched the contact through `get_contact_for`."""
    return can_manage(user)
