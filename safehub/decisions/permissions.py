"""Who may recommend, approve and action a threshold decision. Each predicate without a contact
answers whether the user's role ever may (a 403), with one whether they may now (else the
contact has moved on)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import (
    can_make_threshold_decisions,
    can_work_the_front_door,
    could_approve,
    holds_one_of,
)
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.decisions.queries import latest_recommendation
from safehub.protocols.policy import approver_roles

# Why the one who recommended may not approve: their service refuses it, their page says so.
FOUR_EYES = "You made this recommendation, so another approver must decide it (four eyes)"


def can_recommend(user: User, contact: Contact | None = None) -> bool:
    """A qualified social worker rates the contact and recommends an outcome (002 appendix)."""
    return can_make_threshold_decisions(user) and (contact is None or contact.state == ContactState.AWAITING_THRESHOLD)


def can_approve(user: User, contact: Contact | None = None) -> bool:
    """Whoever the local protocol lets approve a recommendation (a team manager, 004 §5, §7; Bexley's
    senior practitioners too, 002 roles table), never their own recommendation (four eyes)."""
    if not could_approve(user):
        return False  # no protocol lets this role approve: answered without reading the protocol
    if contact is not None and contact.state != ContactState.AWAITING_APPROVAL:
        return False
    if not holds_one_of(user, approver_roles()):
        return False
    if contact is None:
        return True
    latest = latest_recommendation(contact)
    return latest is None or latest.recommended_by_id != user.pk


def can_action_outcome(user: User, contact: Contact | None = None) -> bool:
    return can_work_the_front_door(user) and (contact is None or contact.state == ContactState.APPROVED)
