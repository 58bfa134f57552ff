"""How letters and messages are shown: the contact page's panel, a message's own page and the list
of those waiting on someone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.contacts.presenters import TimelineEntry, TimelineSource
from safehub.core.presenters import Action, Panel
from safehub.letters import permissions
from safehub.letters.models import LetterKind, Message, MessageStateChange, WithheldReason
from safehub.letters.rules import reasons_not_to_write, why_not_yet
from safehub.letters.workflow import LIFECYCLE, STATES, MessageEvent, MessageState


@dataclass(frozen=True)
class MessageRow:
    kind: str
    to: str
    channel: str
    state: str
    tag_class: str
    sent_by: str
    sent_at: datetime
    failure: str
    href: str


def message_row(message: Message) -> MessageRow:
    info = STATES[MessageState(message.state)]
    to = message.recipient_name + (f" ({message.email})" if message.email else "")
    return MessageRow(
        kind=message.get_kind_display(),
        to=to,
        channel=message.get_channel_display(),
        state=info.label,
        tag_class=info.tag_class,
        sent_by=str(message.sent_by),
        sent_at=message.created_at,
        failure=message.failure if message.state == MessageState.FAILED else "",
        href=reverse("letters:message", args=[message.pk]),
    )


class ContactPanel(Panel):
    """The letters and messages about the contact, and what may be written now."""

    template_name = "letters/_contact_panel.html"
    lookups = (
        Prefetch("messages", queryset=Message.objects.select_related("sent_by").order_by("created_at", "pk")),
        "family_letter_decisions__decided_by",
        "strategy_discussions__record",
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        messages = list(contact.messages.all())
        reasons = reasons_not_to_write(contact) if not why_not_yet(contact, LetterKind.FAMILY) else []
        decided = list(contact.family_letter_decisions.all())
        if not messages and not decided and why_not_yet(contact, LetterKind.OUTCOME):
            return None
        return {
            "rows": [message_row(message) for message in messages],
            "reasons": reasons,
            "decided": decided,
        }

    def actions(self, contact: Contact, *, user: User) -> list[Action]:
        found = []
        if permissions.can_send_messages(user):
            if not why_not_yet(contact, LetterKind.OUTCOME):
                found.append(
                    Action("Write the outcome to the referrer", reverse("letters:write", args=[contact.pk, "outcome"]))
                )
            if not why_not_yet(contact, LetterKind.FAMILY):
                if reasons_not_to_write(contact):
                    if permissions.can_lift_reasons_not_to_write(user):
                        found.append(
                            Action(
                                "Lift the reason not to write to the family", reverse("letters:lift", args=[contact.pk])
                            )
                        )
                else:
                    found.append(Action("Write to the family", reverse("letters:write", args=[contact.pk, "family"])))
                    found.append(
                        Action(
                            "Record that the family is not written to",
                            reverse("letters:not-to-write", args=[contact.pk]),
                        )
                    )
        return found


class LettersTimeline(TimelineSource):
    """On the contact's timeline: each letter or message sent and what happened to it, and each
    decision not to write to the family or to lift that."""

    lookups = (
        Prefetch("messages__state_changes", queryset=MessageStateChange.objects.select_related("by")),
        "family_letter_decisions__decided_by",
    )

    def entries(self, contact: Contact) -> list[TimelineEntry]:
        entries = []
        for message in contact.messages.all():
            what = f"{message.get_kind_display()} to {message.recipient_name}"
            entries.append(
                TimelineEntry(f"{what}: sent", message.created_at, str(message.sent_by), message.get_channel_display())
            )
            for change in message.state_changes.all():
                event = LIFECYCLE.events.get(MessageEvent(change.event), change.event)
                entries.append(TimelineEntry(f"{what}: {event.lower()}", change.at, str(change.by), change.note))
        for decided in contact.family_letter_decisions.all():
            title = (
                f"Not to write to the family: {WithheldReason(decided.reason).label.lower()}"
                if decided.withhold
                else "Reasons not to write to the family lifted"
            )
            entries.append(TimelineEntry(title, decided.decided_at, str(decided.decided_by), decided.explanation))
        return entries
