"""Who records, answers, approves and refuses information requests, and who reads the register."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safehub.accounts.models import User
from safehub.accounts.permissions import can_manage, can_protect_data, can_work_the_front_door

if TYPE_CHECKING:
    from safehub.information_requests.models import InformationRequest


def can_take_requests(user: User) -> bool:
    """The front door takes a professional's call or form (000: the CASS worker)."""
    return can_work_the_front_door(user)


def can_see_requests(user: User) -> bool:
    """The front door, the managers who approve, and the DPO and disclosure team (the register)."""
    return can_work_the_front_door(user) or can_protect_data(user)


def can_answer(user: User, request: InformationRequest) -> bool:
    """Levels 1 and 2 are answered by the front door; level 3 by the disclosure team (000)."""
    if request.level == 3:
        return can_protect_data(user)
    return can_work_the_front_door(user)


def could_approve(user: User) -> bool:
    """A manager approves level 2 answers (those they did not write: can_approve)."""
    return can_manage(user)


def can_approve(user: User, request: InformationRequest) -> bool:
    """A manager approves a level 2 answer, never the person who wrote it (000: a limited disclosure)."""
    return could_approve(user) and request.answered_by_id != user.pk
