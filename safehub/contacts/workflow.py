"""The contact lifecycle as a transition table (pure Python)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.errors import DomainError


class ContactState(StrEnum):
    RECEIVED = "received"
    SCREENING = "screening"
    AWAITING_THRESHOLD = "awaiting_threshold"
    MASH_CHECKS = "mash_checks"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: Final[Mapping[ContactState, str]] = {
    ContactState.RECEIVED: "Received",
    ContactState.SCREENING: "In basic screening",
    ContactState.AWAITING_THRESHOLD: "Awaiting threshold decision",
    ContactState.MASH_CHECKS: "MASH checks under way",
    ContactState.AWAITING_APPROVAL: "Awaiting manager approval",
    ContactState.APPROVED: "Approved: outcome to action",
    ContactState.CLOSED: "Closed",
}


class Event(StrEnum):
    START_SCREENING = "start_screening"
    SIGNPOST = "signpost"
    FORWARD_TO_ALLOCATED_WORKER = "forward_to_allocated_worker"
    ALLOCATE_TO_PREVIOUS_WORKER = "allocate_to_previous_worker"
    REFER_FOR_THRESHOLD = "refer_for_threshold"
    START_MASH_CHECKS = "start_mash_checks"
    SUBMIT_CHECKS_FOR_DECISION = "submit_checks_for_decision"
    RECOMMEND = "recommend"
    RETURN_FOR_RECONSIDERATION = "return_for_reconsideration"
    APPROVE = "approve"
    ACTION_OUTCOME = "action_outcome"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS: Final[Mapping[Event, str]] = {
    Event.START_SCREENING: "Started basic screening",
    Event.SIGNPOST: "Signposted and closed (information or advice only)",
    Event.FORWARD_TO_ALLOCATED_WORKER: "Forwarded to the allocated worker (open case)",
    Event.ALLOCATE_TO_PREVIOUS_WORKER: "Allocated to the previous social worker (three-month rule)",
    Event.REFER_FOR_THRESHOLD: "Sent to a MASH social worker for a threshold decision",
    Event.START_MASH_CHECKS: "MASH checks started: partner agencies asked what they hold",
    Event.SUBMIT_CHECKS_FOR_DECISION: "MASH checks collated and submitted for a threshold decision",
    Event.RECOMMEND: "Rated and recommended an outcome",
    Event.RETURN_FOR_RECONSIDERATION: "Returned by the manager for reconsideration",
    Event.APPROVE: "Approved by a manager",
    Event.ACTION_OUTCOME: "Outcome actioned and contact closed",
}

S = ContactState
TRANSITIONS: Final[Mapping[tuple[ContactState, Event], ContactState]] = {
    (S.RECEIVED, Event.START_SCREENING): S.SCREENING,
    (S.SCREENING, Event.SIGNPOST): S.CLOSED,
    (S.SCREENING, Event.FORWARD_TO_ALLOCATED_WORKER): S.CLOSED,
    (S.SCREENING, Event.ALLOCATE_TO_PREVIOUS_WORKER): S.CLOSED,
    (S.SCREENING, Event.REFER_FOR_THRESHOLD): S.AWAITING_THRESHOLD,
    (S.AWAITING_THRESHOLD, Event.RECOMMEND): S.AWAITING_APPROVAL,
    (S.AWAITING_THRESHOLD, Event.START_MASH_CHECKS): S.MASH_CHECKS,
    (S.MASH_CHECKS, Event.SUBMIT_CHECKS_FOR_DECISION): S.AWAITING_THRESHOLD,
    (S.AWAITING_APPROVAL, Event.RETURN_FOR_RECONSIDERATION): S.AWAITING_THRESHOLD,
    (S.AWAITING_APPROVAL, Event.APPROVE): S.APPROVED,
    (S.APPROVED, Event.ACTION_OUTCOME): S.CLOSED,
}


class TransitionNotAllowed(DomainError):  # noqa: N818 (a domain phrase)
    def __init__(self, state: ContactState, event: Event) -> None:
        super().__init__(
            f"This contact is now '{state.label}', so it cannot be '{event.label.lower()}'. Reload the page."
        )
        self.state = state
        self.event = event


def next_state(current: ContactState, event: Event) -> ContactState:
    try:
        return TRANSITIONS[(current, event)]
    except KeyError:
        raise TransitionNotAllowed(current, event) from None


def allowed_events(current: ContactState) -> list[Event]:
    return [event for (state, event) in TRANSITIONS if state == current]


def terminal_states() -> list[ContactState]:
    return [state for state in ContactState if not allowed_events(state)]
