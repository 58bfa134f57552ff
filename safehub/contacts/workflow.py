"""The contact lifecycle as a transition table (pure Python; the machinery is core.lifecycle's)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag
from safehub.core.lifecycle import TransitionNotAllowed as TransitionNotAllowed


class ContactState(StrEnum):
    RECEIVED = "received"
    SCREENING = "screening"
    AWAITING_THRESHOLD = "awaiting_threshold"
    AWAITING_CONSENT = "awaiting_consent"
    MASH_CHECKS = "mash_checks"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATES[self].label


# Each state's label, tag and the work queue (queues.queries) a contact in it waits on: the queues,
# the tags and the labels are all read from here, so a new state cannot be left out of one of them.
STATES: Final[Mapping[ContactState, StateInfo]] = {
    ContactState.RECEIVED: StateInfo("Received", Tag.LIGHT_BLUE, queue="screening"),
    ContactState.SCREENING: StateInfo("In basic screening", Tag.BLUE, queue="screening"),
    ContactState.AWAITING_THRESHOLD: StateInfo("Awaiting threshold decision", Tag.PURPLE, queue="threshold"),
    # 002 §19: a professional asking for a child in need assessment without consent may be asked to
    # discuss it with the family first; the contact waits, on its own clock, until they come back.
    ContactState.AWAITING_CONSENT: StateInfo(
        "Awaiting consent: the referrer is asking the family", Tag.ORANGE, queue="consent"
    ),
    ContactState.MASH_CHECKS: StateInfo("MASH checks under way", Tag.YELLOW, queue="checks"),
    ContactState.AWAITING_APPROVAL: StateInfo("Awaiting manager approval", Tag.PINK, queue="approval"),
    ContactState.APPROVED: StateInfo("Approved: outcome to action", Tag.TURQUOISE, queue="outcomes"),
    ContactState.CLOSED: StateInfo("Closed", Tag.GREY, queue=NO_QUEUE),
}


class Event(StrEnum):
    START_SCREENING = "start_screening"
    SIGNPOST = "signpost"
    FORWARD_TO_ALLOCATED_WORKER = "forward_to_allocated_worker"
    ALLOCATE_TO_PREVIOUS_WORKER = "allocate_to_previous_worker"
    REFER_FOR_THRESHOLD = "refer_for_threshold"
    START_MASH_CHECKS = "start_mash_checks"
    PAUSE_FOR_CONSENT = "pause_for_consent"
    RESUME_AFTER_CONSENT = "resume_after_consent"
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
    Event.PAUSE_FOR_CONSENT: "Paused: the referrer asked to discuss it with the family and seek consent",
    Event.RESUME_AFTER_CONSENT: "Resumed after waiting for consent",
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
    (S.AWAITING_THRESHOLD, Event.PAUSE_FOR_CONSENT): S.AWAITING_CONSENT,
    (S.AWAITING_CONSENT, Event.RESUME_AFTER_CONSENT): S.AWAITING_THRESHOLD,
    (S.MASH_CHECKS, Event.SUBMIT_CHECKS_FOR_DECISION): S.AWAITING_THRESHOLD,
    (S.AWAITING_APPROVAL, Event.RETURN_FOR_RECONSIDERATION): S.AWAITING_THRESHOLD,
    (S.AWAITING_APPROVAL, Event.APPROVE): S.APPROVED,
    (S.APPROVED, Event.ACTION_OUTCOME): S.CLOSED,
}


LIFECYCLE: Final = Table(
    noun="contact", initial=ContactState.RECEIVED, states=STATES, events=EVENT_LABELS, transitions=TRANSITIONS
)


def next_state(current: ContactState, event: Event) -> ContactState:
    return LIFECYCLE.next_state(current, event)


def allowed_events(current: ContactState) -> list[Event]:
    return LIFECYCLE.allowed_events(current)


def terminal_states() -> list[ContactState]:
    return LIFECYCLE.terminal_states()
