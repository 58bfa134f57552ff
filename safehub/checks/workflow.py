"""The lifecycles of MASH checks, of each agency's request and of its response, as transition
tables (pure Python; the machinery is core.lifecycle's)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The queue a record waits on is a work queue's slug: "checks" is the contacts under MASH checks
# (queues.queries), "requests" a partner's "Requests to your agency".
CHECKS_QUEUE: Final = "checks"
PARTNER_QUEUE: Final = "requests"


class ChecksState(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return CHECKS_STATES[self].label


CHECKS_STATES: Final[Mapping[ChecksState, StateInfo]] = {
    ChecksState.OPEN: StateInfo("Waiting for agencies", Tag.BLUE, queue=CHECKS_QUEUE),
    ChecksState.SUBMITTED: StateInfo("Submitted for decision", Tag.GREEN, queue=NO_QUEUE),
}


class ChecksEvent(StrEnum):
    SUBMIT_FOR_DECISION = "submit_for_decision"


CHECKS: Final = Table(
    noun="set of checks",
    initial=ChecksState.OPEN,
    states=CHECKS_STATES,
    events={ChecksEvent.SUBMIT_FOR_DECISION: "Collated and submitted for a threshold decision"},
    transitions={(ChecksState.OPEN, ChecksEvent.SUBMIT_FOR_DECISION): ChecksState.SUBMITTED},
)


class RequestState(StrEnum):
    SENT = "sent"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return REQUEST_STATES[self].label


REQUEST_STATES: Final[Mapping[RequestState, StateInfo]] = {
    RequestState.SENT: StateInfo("Waiting for the agency", Tag.BLUE, queue=PARTNER_QUEUE),
    RequestState.ANSWERED: StateInfo("Answered", Tag.GREEN, queue=NO_QUEUE),
    RequestState.WITHDRAWN: StateInfo("Withdrawn", Tag.GREY, queue=NO_QUEUE),
}


class RequestEvent(StrEnum):
    ANSWER = "answer"
    WITHDRAW = "withdraw"


REQUESTS: Final = Table(
    noun="request",
    initial=RequestState.SENT,
    states=REQUEST_STATES,
    events={RequestEvent.ANSWER: "Answered by the agency", RequestEvent.WITHDRAW: "Withdrawn by the hub"},
    transitions={
        (RequestState.SENT, RequestEvent.ANSWER): RequestState.ANSWERED,
        (RequestState.SENT, RequestEvent.WITHDRAW): RequestState.WITHDRAWN,
    },
)


class ResponseStatus(StrEnum):
    """A response is drafted, then submitted; a submitted response never changes (a correction is a
    new response, submitted as it is made)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return RESPONSE_STATES[self].label


RESPONSE_STATES: Final[Mapping[ResponseStatus, StateInfo]] = {
    ResponseStatus.DRAFT: StateInfo("Draft", Tag.GREY, queue=PARTNER_QUEUE),
    ResponseStatus.SUBMITTED: StateInfo("Submitted", Tag.GREEN, queue=NO_QUEUE),
}


class ResponseEvent(StrEnum):
    SUBMIT = "submit"


RESPONSES: Final = Table(
    noun="response",
    initial=ResponseStatus.DRAFT,
    states=RESPONSE_STATES,
    events={ResponseEvent.SUBMIT: "Submitted"},
    transitions={(ResponseStatus.DRAFT, ResponseEvent.SUBMIT): ResponseStatus.SUBMITTED},
)
