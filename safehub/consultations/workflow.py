"""A consultation's lifecycle (002 §5–6): advice given, then the summary sent to the consultee
within the protocol's time. Pure Python; the machinery is core.lifecycle's."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The consultations list, where summaries still to send show their due time.
CONSULTATIONS_QUEUE: Final = "consultations"


class ConsultationState(StrEnum):
    AWAITING_SUMMARY = "awaiting_summary"
    SUMMARY_SENT = "summary_sent"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[ConsultationState, StateInfo]] = {
    ConsultationState.AWAITING_SUMMARY: StateInfo("Summary to send", Tag.BLUE, queue=CONSULTATIONS_QUEUE),
    ConsultationState.SUMMARY_SENT: StateInfo("Summary sent", Tag.GREEN, queue=NO_QUEUE),
}


class ConsultationEvent(StrEnum):
    SEND_SUMMARY = "send_summary"


LIFECYCLE: Final = Table(
    noun="consultation",
    initial=ConsultationState.AWAITING_SUMMARY,
    states=STATES,
    events={ConsultationEvent.SEND_SUMMARY: "Summary sent to the consultee"},
    transitions={(ConsultationState.AWAITING_SUMMARY, ConsultationEvent.SEND_SUMMARY): ConsultationState.SUMMARY_SENT},
)
