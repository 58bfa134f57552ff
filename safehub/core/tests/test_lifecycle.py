from __future__ import annotations

from enum import StrEnum

import pytest

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag, TransitionNotAllowed
from safehub.core.tests.lifecycle_properties import assert_well_formed


class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    OFF = "off"


class Switch(StrEnum):
    GO = "go"
    STOP = "stop"
    RETIRE = "retire"


STATES = {
    Light.RED: StateInfo("Red", Tag.RED, queue="drivers"),
    Light.GREEN: StateInfo("Green", Tag.GREEN, queue="drivers"),
    Light.OFF: StateInfo("Switched off", Tag.GREY, queue=NO_QUEUE),
}
EVENTS = {Switch.GO: "Changed to green", Switch.STOP: "Changed to red", Switch.RETIRE: "Switched off"}
TRANSITIONS = {
    (Light.RED, Switch.GO): Light.GREEN,
    (Light.GREEN, Switch.STOP): Light.RED,
    (Light.RED, Switch.RETIRE): Light.OFF,
}
LIGHTS = Table(noun="light", initial=Light.RED, states=STATES, events=EVENTS, transitions=TRANSITIONS)


def test_a_table_answers_what_can_happen_next() -> None:
    assert LIGHTS.next_state(Light.RED, Switch.GO) == Light.GREEN
    assert LIGHTS.allowed_events(Light.RED) == [Switch.GO, Switch.RETIRE]
    assert LIGHTS.terminal_states() == [Light.OFF]
    assert LIGHTS.state("green") is Light.GREEN
    assert LIGHTS.label(Light.OFF) == "Switched off"
    assert STATES[Light.OFF].tag_class == "govuk-tag govuk-tag--grey"
    assert_well_formed(LIGHTS, terminal={Light.OFF})


def test_a_move_the_table_does_not_have_is_refused_in_the_records_words() -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        LIGHTS.next_state(Light.OFF, Switch.GO)
    assert (
        refused.value.message
        == "This light is now 'Switched off', so it cannot be 'changed to green'. Reload the page."
    )
    assert (refused.value.state, refused.value.event) == (Light.OFF, Switch.GO)


def test_a_state_without_a_label_tag_and_queue_cannot_be_declared() -> None:
    with pytest.raises(ValueError, match="no label, tag and queue"):
        Table(
            noun="light",
            initial=Light.RED,
            states={Light.RED: STATES[Light.RED], Light.GREEN: STATES[Light.GREEN]},
            events=EVENTS,
            transitions=TRANSITIONS,
        )


def test_a_move_with_an_undeclared_event_cannot_be_declared() -> None:
    with pytest.raises(ValueError, match="undeclared"):
        Table(
            noun="light",
            initial=Light.RED,
            states=STATES,
            events={Switch.GO: "Changed to green"},
            transitions=TRANSITIONS,
        )
