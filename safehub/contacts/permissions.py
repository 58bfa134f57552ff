"""Who may do what with a contact. Visibility itself is ContactQuerySet.visible_to."""

from __future__ import annotations

from safehub.accounts.models import APPROVER_ROLES, FRONT_DOOR_ROLES, QUALIFIED_ROLES, User
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState


def can_record_contact(user: User) -> bool:
    return user.has_role(*FRONT_DOOR_ROLES)


def can_screen(user: User, contact: Contact) -> bool:
    return user.has_role(*FRONT_DOOR_ROLES) and contact.state in (ContactState.RECEIVED, ContactState.SCREENING)


def can_recommend(user: User, contact: Contact) -> bool:
    return user.has_role(*QUALIFIED_ROLES) and contact.state == ContactState.AWAITING_THRESHOLD


def latest_recommender_id(contact: Contact) -> int | None:
    latest = contact.recommendations.order_by("-recommended_at", "-pk").values_list("recommended_by", flat=True).first()
    return latest


def can_approve(user: User, contact: Contact) -> bool:
    """A team manager approves every recommendation, never their own (four eyes)."""
    return (
        user.has_role(*APPROVER_ROLES)
        and contact.state == ContactState.AWAITING_APPROVAL
        and latest_recommender_id(contact) != user.pk
    )


def can_start_checks(user: User, contact: Contact) -> bool:
    """A manager decides that MASH checks are needed, before the threshold decision."""
    return user.has_role(*APPROVER_ROLES) and contact.state == ContactState.AWAITING_THRESHOLD


def can_action_outcome(user: User, contact: Contact) -> bool:
    return user.has_role(*FRONT_DOOR_ROLES) and contact.state == ContactState.APPROVED


__all__ = [
    "APPROVER_ROLES",
    "FRONT_DOOR_ROLES",
    "QUALIFIED_ROLES",
    "can_action_outcome",
    "can_approve",
    "can_recommend",
    "can_record_contact",
    "can_screen",
    "latest_recommender_id",
]
