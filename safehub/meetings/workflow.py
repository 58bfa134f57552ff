"""The daily MASH meeting's lifecycle (002 §7): opened on a meeting day with its agenda built, closed
(and its agenda locked) when it ends; what it did not reach goes onto the next meeting's agenda. Pure
Python; the machinery is core.lifecycle's."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The hub's list of daily meetings, where an open one is worked.
MEETINGS_QUEUE: Final = "meetings"


class MeetingState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[MeetingState, StateInfo]] = {
    MeetingState.OPEN: StateInfo("Open now", Tag.BLUE, queue=MEETINGS_QUEUE),
    MeetingState.CLOSED: StateInfo("Closed: agenda locked", Tag.GREY, queue=NO_QUEUE),
}


class MeetingEvent(StrEnum):
    CLOSE = "close"


LIFECYCLE: Final = Table(
    noun="daily meeting",
    initial=MeetingState.OPEN,
    states=STATES,
    events={MeetingEvent.CLOSE: "Closed, its agenda locked"},
    transitions={(MeetingState.OPEN, MeetingEvent.CLOSE): MeetingState.CLOSED},
)
