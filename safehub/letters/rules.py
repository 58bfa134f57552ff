"""Whether a message may be written now, and to whom: the rules each send is checked against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safehub.contacts.models import Contact, NotToldReason, ReferrerKind
from safehub.contacts.workflow import ContactState
from safehub.letters.models import Audience, LetterKind, WithheldReason


@dataclass(frozen=True)
class NotToWrite:
    """A reason the family is not written to, and where it was decided."""

    reason: str  # in words
    source: str  # "the contact", "the strategy discussion of 5 December 2026", "Sam Okafor's decision"
    at: datetime
    code: str = ""  # as the telling-people report counts it (`WithheldReason`), "" for one it does not know


def referrer_audience(contact: Contact) -> Audience | None:
    """Whom an outcome to the person who made contact is written for; None for an anonymous one,
    who is told nothing (issue 15: "anonymous: none")."""
    if contact.referrer_kind == ReferrerKind.PROFESSIONAL:
        return Audience.PROFESSIONAL
    if contact.referrer_kind == ReferrerKind.PUBLIC:
        return Audience.PUBLIC
    return None


def why_not_yet(contact: Contact, kind: LetterKind) -> str:
    """Why a message of `kind` cannot be written on this contact now; "" when it can. An outcome and
    a family letter report the outcome as actioned: the team that will contact the family is known."""
    if kind == LetterKind.ACKNOWLEDGEMENT:
        return "" if referrer_audience(contact) == Audience.PROFESSIONAL else "Only a professional is acknowledged"
    if kind == LetterKind.OUTCOME and referrer_audience(contact) is None:
        return "The person who made contact did not give their name, so they are not told the outcome"
    if contact.state != ContactState.CLOSED or getattr(contact, "outcome_action", None) is None:
        return "The outcome is written once it has been approved and actioned"
    return ""


def reasons_not_to_write(contact: Contact) -> list[NotToWrite]:
    """Why the family must not be written to, in force now (003 App. 4 §11; 002 §22): the referrer's
    reasons for not telling them, a strategy discussion's decision not to tell them, and the hub's
    own decisions not to write. A later decision that such a reason no longer holds lifts every
    reason before it."""
    found: list[NotToWrite] = []
    for reason in contact.not_told:
        label = NotToldReason(reason).label if reason in NotToldReason.values else reason
        code = reason if reason in WithheldReason.values else ""
        found.append(NotToWrite(label, "the contact (the family was not told, for safety)", contact.received_at, code))
    for discussion in contact.strategy_discussions.all():
        record = getattr(discussion, "record", None)
        if record is not None and not record.family_told:
            label = NotToldReason(record.not_told_reason).label if record.not_told_reason else "Not to be told"
            code = record.not_told_reason or WithheldReason.STRATEGY_DECIDED.value
            found.append(NotToWrite(label, "the strategy discussion", record.recorded_at, code))
    decisions = list(contact.family_letter_decisions.all())
    lifted = max((d.decided_at for d in decisions if not d.withhold), default=None)
    for decision in decisions:
        if decision.withhold:
            by = decision.decided_by.get_full_name() or decision.decided_by.username
            found.append(
                NotToWrite(
                    WithheldReason(decision.reason).label, f"{by}'s decision", decision.decided_at, decision.reason
                )
            )
    if lifted is not None:
        found = [reason for reason in found if reason.at > lifted]
    return found
