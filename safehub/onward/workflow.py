"""A referral pack's lifecycle (ADR 0039): waiting for the receiving team, in its worktray until one of
its members accepts it, or, for a team that works outside Safehub, until the worker has emailed it as a
PDF to the team's secure address. Pure Python; the machinery is core.lifecycle's."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The list of referral packs: a receiving team's worktray, and the packs the hub has sent.
PACKS_QUEUE: Final = "referral-packs"


class PackState(StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    EMAILED = "emailed"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[PackState, StateInfo]] = {
    PackState.WAITING: StateInfo("Waiting for the team", Tag.YELLOW, queue=PACKS_QUEUE),
    PackState.ACCEPTED: StateInfo("Accepted by the team", Tag.GREEN, queue=NO_QUEUE),
    PackState.EMAILED: StateInfo("Emailed to the team", Tag.GREEN, queue=NO_QUEUE),
    # The team sent it back (not theirs, not enough to go on): the outcome is on the list of referrals
    # still to send again, with the team's reason.
    PackState.RETURNED: StateInfo("Returned to the MASH", Tag.RED, queue=NO_QUEUE),
}


class PackEvent(StrEnum):
    ACCEPT = "accept"
    EMAIL = "email"
    RETURN = "return"


LIFECYCLE: Final = Table(
    noun="referral pack",
    initial=PackState.WAITING,
    states=STATES,
    events={PackEvent.ACCEPT: "Accepted", PackEvent.EMAIL: "Emailed", PackEvent.RETURN: "Returned to the MASH"},
    transitions={
        (PackState.WAITING, PackEvent.ACCEPT): PackState.ACCEPTED,
        (PackState.WAITING, PackEvent.EMAIL): PackState.EMAILED,
        (PackState.WAITING, PackEvent.RETURN): PackState.RETURNED,
    },
)
