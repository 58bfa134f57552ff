"""A message's lifecycle: waiting for the worker, handed to GOV.UK Notify or the mail server, and
delivered or not; a letter printed in the office, to print and post. Pure Python; the machinery is
core.lifecycle's (ADR 0037)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from safehub.core.lifecycle import NO_QUEUE, StateInfo, Table, Tag

# The hub's list of letters and messages, where those waiting on someone are worked.
MESSAGES_QUEUE: Final = "messages"


class MessageState(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    ACCEPTED = "accepted"
    DELIVERED = "delivered"
    FAILED = "failed"
    TO_PRINT = "to_print"
    POSTED = "posted"
    TOLD_ANOTHER_WAY = "told_another_way"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATES[self].label


STATES: Final[Mapping[MessageState, StateInfo]] = {
    MessageState.QUEUED: StateInfo("Waiting to be sent", Tag.GREY, queue=MESSAGES_QUEUE),
    # Handed to GOV.UK Notify, which reports delivery (by callback, or when the worker asks).
    MessageState.SENT: StateInfo("Sent, not yet delivered", Tag.BLUE, queue=MESSAGES_QUEUE),
    # Handed to a mail server, which reports nothing more.
    MessageState.ACCEPTED: StateInfo("Sent (the mail server accepted it)", Tag.GREEN, queue=NO_QUEUE),
    MessageState.DELIVERED: StateInfo("Delivered", Tag.GREEN, queue=NO_QUEUE),
    MessageState.FAILED: StateInfo("Not delivered", Tag.RED, queue=MESSAGES_QUEUE),
    MessageState.TO_PRINT: StateInfo("To print and post", Tag.YELLOW, queue=MESSAGES_QUEUE),
    MessageState.POSTED: StateInfo("Posted", Tag.GREEN, queue=NO_QUEUE),
    MessageState.TOLD_ANOTHER_WAY: StateInfo("Not delivered: told another way", Tag.GREY, queue=NO_QUEUE),
    # A family letter not yet gone when the hub decided the family is not to be written to (003 App. 4 §11).
    MessageState.WITHDRAWN: StateInfo("Withdrawn: not to be sent", Tag.GREY, queue=NO_QUEUE),
}


# The messages that did not go, and will not: nobody was told by them.
DID_NOT_GO: Final = frozenset({MessageState.FAILED, MessageState.TOLD_ANOTHER_WAY, MessageState.WITHDRAWN})


class MessageEvent(StrEnum):
    PREPARE_FOR_POST = "prepare_for_post"
    HAND_TO_NOTIFY = "hand_to_notify"
    HAND_TO_MAIL_SERVER = "hand_to_mail_server"
    DELIVER = "deliver"
    FAIL = "fail"
    RETRY = "retry"
    MARK_POSTED = "mark_posted"
    TELL_ANOTHER_WAY = "tell_another_way"
    # A recipient with no address told by telephone, recorded afterwards (a GP practice, 003 §2.6).
    RECORD_CALL = "record_call"
    WITHDRAW = "withdraw"


LIFECYCLE: Final = Table(
    noun="message",
    initial=MessageState.QUEUED,
    states=STATES,
    events={
        MessageEvent.PREPARE_FOR_POST: "Ready to print and post",
        MessageEvent.HAND_TO_NOTIFY: "Sent to GOV.UK Notify",
        MessageEvent.HAND_TO_MAIL_SERVER: "Sent to the mail server",
        MessageEvent.DELIVER: "Delivered",
        MessageEvent.FAIL: "Not delivered",
        MessageEvent.RETRY: "Sent again",
        MessageEvent.MARK_POSTED: "Printed and posted",
        MessageEvent.TELL_ANOTHER_WAY: "Told another way",
        MessageEvent.RECORD_CALL: "Told by telephone",
        MessageEvent.WITHDRAW: "Withdrawn: the family is not to be written to",
    },
    transitions={
        (MessageState.QUEUED, MessageEvent.PREPARE_FOR_POST): MessageState.TO_PRINT,
        (MessageState.QUEUED, MessageEvent.HAND_TO_NOTIFY): MessageState.SENT,
        (MessageState.QUEUED, MessageEvent.HAND_TO_MAIL_SERVER): MessageState.ACCEPTED,
        (MessageState.QUEUED, MessageEvent.FAIL): MessageState.FAILED,
        (MessageState.QUEUED, MessageEvent.RECORD_CALL): MessageState.TOLD_ANOTHER_WAY,
        (MessageState.SENT, MessageEvent.DELIVER): MessageState.DELIVERED,
        (MessageState.SENT, MessageEvent.FAIL): MessageState.FAILED,
        (MessageState.FAILED, MessageEvent.RETRY): MessageState.QUEUED,
        (MessageState.FAILED, MessageEvent.TELL_ANOTHER_WAY): MessageState.TOLD_ANOTHER_WAY,
        (MessageState.TO_PRINT, MessageEvent.MARK_POSTED): MessageState.POSTED,
        (MessageState.TO_PRINT, MessageEvent.TELL_ANOTHER_WAY): MessageState.TOLD_ANOTHER_WAY,
        (MessageState.QUEUED, MessageEvent.WITHDRAW): MessageState.WITHDRAWN,
        (MessageState.TO_PRINT, MessageEvent.WITHDRAW): MessageState.WITHDRAWN,
    },
)
