"""A strategy discussion's lifecycle: every state has a label, a tag and a queue (or none, at its end),
and it moves only as the table says."""

from __future__ import annotations

import pytest

from safehub.core.lifecycle import NO_QUEUE, TransitionNotAllowed
from safehub.strategy.workflow import LIFECYCLE, STRATEGY_QUEUE, DiscussionEvent, DiscussionState


def test_a_discussion_waits_on_the_coordinators_worktray_until_its_record_is_sent_or_it_is_cancelled() -> None:
    waiting = {state for state, info in LIFECYCLE.states.items() if info.queue == STRATEGY_QUEUE}
    assert waiting == {DiscussionState.TO_ARRANGE, DiscussionState.ARRANGED, DiscussionState.HELD}
    assert set(LIFECYCLE.terminal_states()) == {DiscussionState.RECORD_SENT, DiscussionState.CANCELLED}
    assert all(LIFECYCLE.states[state].queue is NO_QUEUE for state in LIFECYCLE.terminal_states())


@pytest.mark.parametrize(
    ("state", "event", "target"),
    [
        (DiscussionState.TO_ARRANGE, DiscussionEvent.ARRANGE, DiscussionState.ARRANGED),
        (DiscussionState.ARRANGED, DiscussionEvent.REARRANGE, DiscussionState.ARRANGED),
        (DiscussionState.ARRANGED, DiscussionEvent.HOLD, DiscussionState.HELD),
        (DiscussionState.HELD, DiscussionEvent.SEND_RECORD, DiscussionState.RECORD_SENT),
        (DiscussionState.TO_ARRANGE, DiscussionEvent.CANCEL, DiscussionState.CANCELLED),
        (DiscussionState.ARRANGED, DiscussionEvent.CANCEL, DiscussionState.CANCELLED),
    ],
)
def test_the_moves_a_discussion_makes(state: DiscussionState, event: DiscussionEvent, target: DiscussionState) -> None:
    assert LIFECYCLE.next_state(state, event) == target


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (DiscussionState.TO_ARRANGE, DiscussionEvent.HOLD),  # held before anyone arranged it
        (DiscussionState.HELD, DiscussionEvent.CANCEL),  # a discussion held is on the record for good
        (DiscussionState.CANCELLED, DiscussionEvent.ARRANGE),
        (DiscussionState.RECORD_SENT, DiscussionEvent.REARRANGE),
    ],
)
def test_the_moves_it_never_makes(state: DiscussionState, event: DiscussionEvent) -> None:
    with pytest.raises(TransitionNotAllowed, match="strategy discussion"):
        LIFECYCLE.next_state(state, event)
