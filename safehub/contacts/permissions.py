"""Who may do what with a contact. Which contacts a user sees at all is ContactQuerySet.visible_to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, can_work_on_cases, can_work_the_front_door
from safehub.contacts.models import AmendmentKind, Contact
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


# Which amendments each state allows (ADR 0018). Before the decision an amendment changes the
# contact; once a recommendation waits for a manager, only what adds to it (consent, information),
# so that the manager decides on what was recommended; after the decision (approved, or closed at
# screening or once actioned) every amendment is an addendum that changes nothing on the contact,
# and consent no longer unblocks anything once the contact is closed.
K = AmendmentKind
EVERY_KIND: Final = frozenset(AmendmentKind)
ADDITIONS: Final = frozenset({K.CONSENT_RECORDED, K.INFORMATION_ADDED})
AMENDMENTS: Final[Mapping[ContactState, frozenset[AmendmentKind]]] = {
    ContactState.RECEIVED: EVERY_KIND,
    ContactState.SCREENING: EVERY_KIND,
    ContactState.AWAITING_THRESHOLD: EVERY_KIND,
    ContactState.AWAITING_CONSENT: EVERY_KIND,  # what the referrer comes back with is recorded as it comes
    ContactState.MASH_CHECKS: EVERY_KIND,
    ContactState.AWAITING_APPROVAL: ADDITIONS,
    ContactState.APPROVED: EVERY_KIND,
    ContactState.CLOSED: EVERY_KIND - {K.CONSENT_RECORDED},
}
# An amendment in these states is an addendum: the contact's details stay as the decision saw them.
DECIDED_STATES: Final = frozenset({ContactState.APPROVED, ContactState.CLOSED})


def amendable_kinds(contact: Contact) -> frozenset[AmendmentKind]:
    return AMENDMENTS[ContactState(contact.state)]


def why_not_amendable(contact: Contact, kind: AmendmentKind) -> str:
    """Why this kind of amendment is not open in the contact's state, in the words the page shows."""
    state = ContactState(contact.state)
    if state == ContactState.AWAITING_APPROVAL:
        return (
            "A recommendation is waiting for a manager's decision on these details: people can be added or removed"
            " and details corrected once the manager returns it for reconsideration"
        )
    if state == ContactState.CLOSED and kind == K.CONSENT_RECORDED:
        return "The contact is closed: nothing on it waits for consent any more"
    return f"This contact is now '{state.label}': it cannot be amended that way"


def can_amend_contact(user: User, contact: Contact | None = None, kind: AmendmentKind | None = None) -> bool:
    """Front door staff (those who record, screen, decide and action contacts) amend a contact they
    can see, in the ways its state allows. Without a contact: whether the role ever may (else 403);
    without a kind: whether any amendment is open now."""
    if not can_work_the_front_door(user):
        return False
    if contact is None:
        return True
    kinds = amendable_kinds(contact)
    return bool(kinds) if kind is None else kind in kinds
