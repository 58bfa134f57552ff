"""An information request from another professional (000: levels 1 to 3). Level 1 is answered by
the hub worker who takes the call; level 2 is drafted by a worker and approved by a manager; level 3
goes to the disclosure team. Any may be refused, with the reason. Pure Python; the machinery is
core.lifecycle's."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The hub's list of requests to answer or approve, and the disclosure team's of whole-file requests.
REQUESTS_QUEUE: Final = "information-requests"
DISCLOSURE_QUEUE: Final = "disclosure-team"


class RequestState(StrEnum):
    RECEIVED = "received"
    AWAITING_APPROVAL = "awaiting_approval"
    WITH_DISCLOSURE_TEAM = "with_disclosure_team"
    ANSWERED = "answered"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[RequestState, StateInfo]] = {
    RequestState.RECEIVED: StateInfo("To answer", Tag.BLUE, queue=REQUESTS_QUEUE),
    RequestState.AWAITING_APPROVAL: StateInfo("Answer to approve", Tag.ORANGE, queue=REQUESTS_QUEUE),
    RequestState.WITH_DISCLOSURE_TEAM: StateInfo("With the disclosure team", Tag.PURPLE, queue=DISCLOSURE_QUEUE),
    RequestState.ANSWERED: StateInfo("Answered", Tag.GREEN, queue=NO_QUEUE),
    RequestState.REFUSED: StateInfo("Refused", Tag.GREY, queue=NO_QUEUE),
}


class RequestEvent(StrEnum):
    ANSWER = "answer"
    DRAFT = "draft"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    REFER = "refer"
    REFUSE = "refuse"


LIFECYCLE: Final = Table(
    noun="information request",
    initial=RequestState.RECEIVED,
    states=STATES,
    events={
        RequestEvent.ANSWER: "Answered",
        RequestEvent.DRAFT: "Answer written for approval",
        RequestEvent.APPROVE: "Answer approved and sent",
        RequestEvent.SEND_BACK: "Answer sent back to be rewritten",
        RequestEvent.REFER: "Sent to the disclosure team",
        RequestEvent.REFUSE: "Refused",
    },
    transitions={
        (RequestState.RECEIVED, RequestEvent.ANSWER): RequestState.ANSWERED,
        (RequestState.RECEIVED, RequestEvent.DRAFT): RequestState.AWAITING_APPROVAL,
        (RequestState.AWAITING_APPROVAL, RequestEvent.APPROVE): RequestState.ANSWERED,
        (RequestState.AWAITING_APPROVAL, RequestEvent.SEND_BACK): RequestState.RECEIVED,
        (RequestState.RECEIVED, RequestEvent.REFER): RequestState.WITH_DISCLOSURE_TEAM,
        (RequestState.WITH_DISCLOSURE_TEAM, RequestEvent.ANSWER): RequestState.ANSWERED,
        (RequestState.RECEIVED, RequestEvent.REFUSE): RequestState.REFUSED,
        (RequestState.AWAITING_APPROVAL, RequestEvent.REFUSE): RequestState.REFUSED,
        (RequestState.WITH_DISCLOSURE_TEAM, RequestEvent.REFUSE): RequestState.REFUSED,
    },
)
