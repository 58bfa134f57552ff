"""Who may do what with a contact. Which contacts a user sees at all is ContactQuerySet.visible_to."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, can_work_on_cases, can_work_the_front_door
from safehub.contacts.models import Contact


def can_see_contacts(user: User) -> bool:
    """Children's social care staff; partners see only what their agency is asked (checks)."""
    return can_work_on_cases(user)


def can_find_contacts(user: User) -> bool:
    """Whoever sees contacts may search them; what a search finds is still only what `visible_to` shows them."""
    return can_see_contacts(user)


def can_record_contact(user: User) -> bool:
    return can_work_the_front_door(user)


def can_restrict(user: User, contact: Contact | None = None) -> bool:
    """A manager restricts a contact to named people (a staff member's child, a high-profile family).
    The caller has already fetched the contact through `get_contact_for`."""
    return can_manage(user)
