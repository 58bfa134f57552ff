"""How letters and messages are shown: the contact page's panel, a message's own page and the list
of those waiting on someone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ReferrerKind
from safehub.contacts.presenters import TimelineEntry, TimelineSource
from safehub.core.presenters import Action, Panel, lower_first, shown_date
from safehub.decisions.queries import the_decision
from safehub.letters import encompass, gp_outcomes, permissions
from safehub.letters.models import (
    Channel,
    EncompassAlert,
    LetterKind,
    Message,
    MessageStateChange,
    WithheldReason,
)
from safehub.letters.rules import reasons_not_to_write, why_not_yet
from safehub.letters.timeliness import Timed, acknowledgement_due, gp_outcome_due, outcome_due
from safehub.letters.workflow import DID_NOT_GO, LIFECYCLE, STATES, MessageEvent, MessageState
from safehub.protocols.models import Clock
from safehub.protocols.policy import Deadlines, active_protocol, deadlines_for


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


@dataclass(frozen=True)
class ClockLine:
    what: str
    text: str
    tag: str  # a GOV.UK tag's class, "" for none


def _clock_line(what: str, timed: Timed, *, at: datetime, done: str = "Sent") -> ClockLine:
    due = f"due by {shown_date(timed.due)}" if timed.due else "the protocol sets no time"
    if timed.done is not None:
        in_time = timed.on_time()
        verdict = "in time" if in_time else due.replace("due by", "late: it was due by")
        text = f"{done} {shown_date(timed.done)} ({verdict})"
        return ClockLine(what, text, "" if in_time else "govuk-tag govuk-tag--red")
    if timed.late_by(at):
        return ClockLine(what, f"Not yet: it was {due}", "govuk-tag govuk-tag--red")
    return ClockLine(what, f"Not yet: {due}", "")


def clock_lines(contact: Contact, messages: list[Message], *, at: datetime) -> list[ClockLine]:
    """Issue 15's times, for this contact: the acknowledgement (a professional's contact) and the
    outcome to whoever made contact (once decided), each sent in time or not."""
    sent = [m for m in messages if m.state not in DID_NOT_GO]

    def first(kind: LetterKind) -> datetime | None:
        return min((m.created_at for m in sent if m.kind == kind), default=None)

    deadlines = deadlines_for(Clock.OUTCOME_TO_REFERRER)
    lines = []
    if contact.referrer_kind == ReferrerKind.PROFESSIONAL:
        timed = Timed(acknowledgement_due(contact.received_at, deadlines), first(LetterKind.ACKNOWLEDGEMENT))
        lines.append(_clock_line("Acknowledgement", timed, at=at))
    decision = the_decision(contact)
    if decision is not None and contact.referrer_kind != ReferrerKind.ANONYMOUS:
        action = getattr(contact, "outcome_action", None)
        told_otherwise = action.referrer_informed_at if action is not None else None
        done = min((t for t in (first(LetterKind.OUTCOME), told_otherwise) if t is not None), default=None)
        timed = Timed(outcome_due(decision.decided_at, deadlines), done)
        lines.append(_clock_line("Outcome to the person who made contact", timed, at=at, done="Told"))
    return lines


def gp_practice_lines(contact: Contact, *, at: datetime) -> list[ClockLine]:
    """Once the outcome is actioned, each GP practice asked for checks told it within three working days
    (Sefton 003 §2.6), or why not yet."""
    action = getattr(contact, "outcome_action", None)
    if action is None:
        return []
    found = gp_outcomes.practices(contact)
    if not found:
        return []
    due = gp_outcome_due(action.actioned_at, Deadlines(active_protocol()))
    lines = []
    for practice in found:
        message = gp_outcomes.message_for(contact, practice.agency.pk)
        timed = Timed(due, gp_outcomes.told_at(message))
        how = "told by telephone" if message is not None and message.channel == Channel.TELEPHONE else "sent"
        text = f"Due by {shown_date(due)}"
        late = "govuk-tag govuk-tag--red"
        if timed.done is not None:
            in_time = timed.on_time()
            text += f"; {how} {shown_date(timed.done)} ({'in time' if in_time else 'late'})"
            tag = "" if in_time else late
        else:
            text += "; not yet told" + (
                f". {gp_outcomes.NO_ADDRESS}" if message is None and not practice.address else ""
            )
            tag = late if timed.late_by(at) else ""
        lines.append(ClockLine(f"GP practice told: {practice.agency.name}", text, tag))
    return lines


def encompass_lines(contact: Contact, *, at: datetime) -> list[ClockLine]:
    """For a police domestic-abuse notification: each school-age child's school told, or why not yet
    (Operation Encompass: before the start of the next school day)."""
    notification = getattr(contact, "domestic_abuse", None)
    if notification is None:
        return []
    deadline = encompass.due(notification, active_protocol())
    alerted = dict(
        EncompassAlert.objects.filter(notification=notification, sent_at__isnull=False).values_list(
            "child_id", "sent_at"
        )
    )
    lines = []
    for subject in encompass.children_to_tell(notification):
        sent = encompass.notice_for(notification, subject)
        timed = Timed(deadline, sent.created_at if sent is not None else None)
        line = _clock_line(f"Operation Encompass: {subject.display_name}'s school", timed, at=at)
        if sent is not None:
            line = ClockLine(line.what, f"{sent.recipient_name}, {lower_first(line.text)}", line.tag)
        alert_sent = alerted.get(subject.pk)
        if alert_sent is not None:
            line = ClockLine(
                line.what, f"{line.text}; late: alert sent to managers at {shown_date(alert_sent)}", line.tag
            )
        lines.append(line)
    return lines


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
        clocks = (
            clock_lines(contact, messages, at=at) + gp_practice_lines(contact, at=at) + encompass_lines(contact, at=at)
        )
        if not messages and not decided and not clocks and why_not_yet(contact, LetterKind.OUTCOME):
            return None
        return {
            "clocks": clocks,
            "decided_outcome": not why_not_yet(contact, LetterKind.OUTCOME),
            "rows": [message_row(message) for message in messages],
            "reasons": reasons,
            "decided": decided,
        }

    def actions(self, contact: Contact, *, user: User) -> list[Action]:
        found = []
        notification = getattr(contact, "domestic_abuse", None)
        if notification is not None and permissions.can_tell_schools(user):
            for waiting in encompass.waiting(notification):
                found.append(
                    Action(
                        f"Tell {waiting.subject.display_name}'s school (Operation Encompass)",
                        reverse("letters:tell-school", args=[contact.pk, waiting.subject.pk]),
                    )
                )
        if getattr(contact, "outcome_action", None) is not None and permissions.can_handle_post(user):
            for practice in gp_outcomes.practices(contact):
                if not practice.address and gp_outcomes.message_for(contact, practice.agency.pk) is None:
                    found.append(
                        Action(
                            f"Record that {practice.agency.name} was told the outcome by telephone",
                            reverse("letters:record-call", args=[contact.pk, practice.agency.pk]),
                        )
                    )
        written = {
            message.kind
            for message in contact.messages.all()
            if message.state not in (MessageState.FAILED, MessageState.WITHDRAWN)
        }
        if permissions.can_send_messages(user):
            if not why_not_yet(contact, LetterKind.OUTCOME) and LetterKind.OUTCOME not in written:
                found.append(
                    Action("Write the outcome to the referrer", reverse("letters:write", args=[contact.pk, "outcome"]))
                )
            if not why_not_yet(contact, LetterKind.FAMILY) and LetterKind.FAMILY not in written:
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
