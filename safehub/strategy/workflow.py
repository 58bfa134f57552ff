"""A strategy discussion's lifecycle (000 strategy meetings; 002 §11; 004 §6): started by a decision
or a manager, arranged by a strategy coordinator, held and recorded by its chair, its record sent
to those who attended. Pure Python; the machinery is core.lifecycle's."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The strategy coordinators' worktray, where every discussion still to arrange, hold or send waits.
STRATEGY_QUEUE: Final = "strategy"


class DiscussionState(StrEnum):
    TO_ARRANGE = "to_arrange"
    ARRANGED = "arranged"
    HELD = "held"
    RECORD_SENT = "record_sent"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[DiscussionState, StateInfo]] = {
    DiscussionState.TO_ARRANGE: StateInfo("To arrange", Tag.RED, queue=STRATEGY_QUEUE),
    DiscussionState.ARRANGED: StateInfo("Arranged", Tag.BLUE, queue=STRATEGY_QUEUE),
    DiscussionState.HELD: StateInfo("Held: record to send", Tag.PURPLE, queue=STRATEGY_QUEUE),
    DiscussionState.RECORD_SENT: StateInfo("Record sent", Tag.GREEN, queue=NO_QUEUE),
    DiscussionState.CANCELLED: StateInfo("Cancelled", Tag.GREY, queue=NO_QUEUE),
}

# The states in which a discussion is still to be held: its clock runs.
NOT_YET_HELD: Final = frozenset({DiscussionState.TO_ARRANGE, DiscussionState.ARRANGED})


class DiscussionEvent(StrEnum):
    ARRANGE = "arrange"
    REARRANGE = "rearrange"
    HOLD = "hold"
    SEND_RECORD = "send_record"
    CANCEL = "cancel"


LIFECYCLE: Final = Table(
    noun="strategy discussion",
    initial=DiscussionState.TO_ARRANGE,
    states=STATES,
    events={
        DiscussionEvent.ARRANGE: "Arranged",
        DiscussionEvent.REARRANGE: "Arranged again",
        DiscussionEvent.HOLD: "Held and recorded",
        DiscussionEvent.SEND_RECORD: "Record sent to attendees",
        DiscussionEvent.CANCEL: "Cancelled",
    },
    transitions={
        (DiscussionState.TO_ARRANGE, DiscussionEvent.ARRANGE): DiscussionState.ARRANGED,
        (DiscussionState.ARRANGED, DiscussionEvent.REARRANGE): DiscussionState.ARRANGED,
        (DiscussionState.ARRANGED, DiscussionEvent.HOLD): DiscussionState.HELD,
        (DiscussionState.HELD, DiscussionEvent.SEND_RECORD): DiscussionState.RECORD_SENT,
        (DiscussionState.TO_ARRANGE, DiscussionEvent.CANCEL): DiscussionState.CANCELLED,
        (DiscussionState.ARRANGED, DiscussionEvent.CANCEL): DiscussionState.CANCELLED,
    },
)


class ActionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return ACTION_STATES[self].label


ACTION_STATES: Final[Mapping[ActionState, StateInfo]] = {
    # An open action waits on the coordinators' worktray ("actions open") and its owner's agency.
    ActionState.OPEN: StateInfo("Open", Tag.BLUE, queue=STRATEGY_QUEUE),
    ActionState.CLOSED: StateInfo("Closed", Tag.GREEN, queue=NO_QUEUE),
}


class ActionEvent(StrEnum):
    CLOSE = "close"


ACTION_LIFECYCLE: Final = Table(
    noun="action",
    initial=ActionState.OPEN,
    states=ACTION_STATES,
    events={ActionEvent.CLOSE: "Closed"},
    transitions={(ActionState.OPEN, ActionEvent.CLOSE): ActionState.CLOSED},
)
