"""Who may search the person index and record what is known of a person."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, can_work_on_cases, can_work_the_front_door
from safehub.people.models import Person


def can_search_people(user: User) -> bool:
    """Children's social care staff search the person index; partners never see it."""
    return can_work_on_cases(user)


def can_record_involvement(user: User, person: Person | None = None) -> bool:
    return can_work_the_front_door(user)


def can_import_involvements(user: User) -> bool:
    """A manager imports the case system's involvements (docs/involvements-csv.md)."""
    return can_manage(user)


def can_record_warnings(user: User, person: Person | None = None) -> bool:
    """Whoever works the front door records that a child is missing or that a visiting worker is
    at risk, as they record involvements."""
    return can_work_the_front_door(user)
