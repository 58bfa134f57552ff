"""A request to share without consent (ADR 0034): asked by one person, agreed or declined by another
(a team manager, or a senior practitioner where the protocol says so), or withdrawn by whoever asked.
Pure Python; the machinery is core.lifecycle's."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The managers' list of requests to share without consent, where an override waits to be decided.
OVERRIDES_QUEUE: Final = "consent-overrides"


class OverrideState(StrEnum):
    ASKED = "asked"
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[OverrideState, StateInfo]] = {
    OverrideState.ASKED: StateInfo("Asked: to decide", Tag.ORANGE, queue=OVERRIDES_QUEUE),
    OverrideState.AGREED: StateInfo("Agreed: shared without consent", Tag.PURPLE, queue=NO_QUEUE),
    OverrideState.DECLINED: StateInfo("Declined", Tag.GREY, queue=NO_QUEUE),
    OverrideState.WITHDRAWN: StateInfo("Withdrawn", Tag.GREY, queue=NO_QUEUE),
}


class OverrideEvent(StrEnum):
    AGREE = "agree"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


LIFECYCLE: Final = Table(
    noun="request to share without consent",
    initial=OverrideState.ASKED,
    states=STATES,
    events={
        OverrideEvent.AGREE: "Agreed",
        OverrideEvent.DECLINE: "Declined",
        OverrideEvent.WITHDRAW: "Withdrawn",
    },
    transitions={
        (OverrideState.ASKED, OverrideEvent.AGREE): OverrideState.AGREED,
        (OverrideState.ASKED, OverrideEvent.DECLINE): OverrideState.DECLINED,
        (OverrideState.ASKED, OverrideEvent.WITHDRAW): OverrideState.WITHDRAWN,
    },
)
