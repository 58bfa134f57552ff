"""The properties every lifecycle table must have, for each app's test_workflow.py to assert."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from safehub.core.lifecycle import Table, TransitionNotAllowed


def assert_well_formed(table: Table[Any, Any], *, terminal: set[StrEnum]) -> None:
    """Terminal states are the expected ones and have no exits; every state is reachable from the
    initial one; each allowed event round-trips through next_state; every other pair is refused."""
    states = set(table.states)  # every member of the state enum: the table refuses to be declared otherwise
    assert set(table.terminal_states()) == terminal
    for state in terminal:
        assert not [pair for pair in table.transitions if pair[0] == state]
    assert table.reachable_from(table.initial) == states
    for state in states:
        for event in table.allowed_events(state):
            assert table.next_state(state, event) == table.transitions[(state, event)]
        for event in set(table.events) - set(table.allowed_events(state)):
            with pytest.raises(TransitionNotAllowed, match="Reload the page"):
                table.next_state(state, event)
