"""Who may write, send and manage the hub's letters and messages (003 App. 4 §10–11: "The Social
Worker or Social Work Manager" tells the referrer and writes to the family)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import (
    can_administer,
    can_make_threshold_decisions,
    can_manage,
    can_work_on_cases,
    can_work_the_front_door,
)


def can_see_messages(user: User) -> bool:
    """The hub's staff, on the contacts they may see."""
    return can_work_on_cases(user)


def can_send_messages(user: User) -> bool:
    """Outcomes to the person who made contact, and letters to the family (003 App. 4 §10–11)."""
    return can_make_threshold_decisions(user)


def can_decide_not_to_write(user: User) -> bool:
    """Record that the family is not to be written to, with a coded reason."""
    return can_make_threshold_decisions(user)


def can_lift_reasons_not_to_write(user: User) -> bool:
    """Decide that a reason not to write to the family no longer holds: a manager (002 §22's reasons
    are safety reasons; lifting one is a manager's decision)."""
    return can_manage(user)


def can_handle_post(user: User) -> bool:
    """Print and post letters, and record a message that did not arrive as told another way."""
    return can_work_the_front_door(user)


def can_edit_templates(user: User) -> bool:
    return can_administer(user)


def can_read_templates(user: User) -> bool:
    return can_administer(user) or can_make_threshold_decisions(user)


def can_tell_schools(user: User) -> bool:
    """Send a child's school its Operation Encompass notice when the worker could not (the school not
    in the register): the front door, who record the police's notifications."""
    return can_work_the_front_door(user)


def can_manage_schools(user: User) -> bool:
    """Keep the register of schools and their designated safeguarding leads."""
    return can_administer(user)
