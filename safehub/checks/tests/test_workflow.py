from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from safehub.checks.workflow import (
    CHECKS,
    REQUESTS,
    RESPONSES,
    ChecksEvent,
    ChecksState,
    RequestEvent,
    RequestState,
    ResponseEvent,
    ResponseStatus,
)
from safehub.core.lifecycle import Table, TransitionNotAllowed
from safehub.core.tests.lifecycle_properties import assert_well_formed


@pytest.mark.parametrize(
    ("table", "terminal"),
    [
        (CHECKS, {ChecksState.SUBMITTED}),
        (REQUESTS, {RequestState.ANSWERED, RequestState.WITHDRAWN}),
        (RESPONSES, {ResponseStatus.SUBMITTED}),
    ],
    ids=["checks", "requests", "responses"],
)
def test_each_table_is_well_formed(table: Table[Any, Any], terminal: set[StrEnum]) -> None:
    assert_well_formed(table, terminal=terminal)


def test_a_request_is_answered_or_withdrawn_only_while_it_is_waiting() -> None:
    assert REQUESTS.allowed_events(RequestState.SENT) == [RequestEvent.ANSWER, RequestEvent.WITHDRAW]
    with pytest.raises(TransitionNotAllowed, match="This request is now 'Withdrawn', so it cannot be 'answered"):
        REQUESTS.next_state(RequestState.WITHDRAWN, RequestEvent.ANSWER)


def test_checks_and_responses_are_submitted_once() -> None:
    assert CHECKS.next_state(ChecksState.OPEN, ChecksEvent.SUBMIT_FOR_DECISION) == ChecksState.SUBMITTED
    assert RESPONSES.next_state(ResponseStatus.DRAFT, ResponseEvent.SUBMIT) == ResponseStatus.SUBMITTED


def test_the_stored_values_and_labels_are_the_ones_the_database_holds() -> None:
    # The states moved from TextChoices to the tables: the columns' values and labels are unchanged.
    assert [(s.value, s.label) for s in ChecksState] == [
        ("open", "Waiting for agencies"),
        ("submitted", "Submitted for decision"),
    ]
    assert [(s.value, s.label) for s in RequestState] == [
        ("sent", "Waiting for the agency"),
        ("answered", "Answered"),
        ("withdrawn", "Withdrawn"),
    ]
    assert [(s.value, s.label) for s in ResponseStatus] == [("draft", "Draft"), ("submitted", "Submitted")]
