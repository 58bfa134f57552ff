"""Handing a contact to the worker who holds the child's case, and their receipt of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import Contact
from safehub.contacts.services import clock_rating, grant_access
from safehub.core.errors import DomainError
from safehub.core.links import link_line
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, lock_for_sending
from safehub.core.presenters import shown_day, shown_london_day, shown_london_time
from safehub.handoffs.models import Handoff, HandoffKind
from safehub.handoffs.permissions import can_mark_received, can_receive_handoffs
from safehub.protocols.models import Brag

BATCH = 50
URGENT = "Rated Red: a risk of significant harm. Act on it now, today."


def is_urgent(contact: Contact, rating: str = "") -> bool:
    """A contact rated Red (by `rating`, the newest recommendation's, which the caller knows, or the
    contact's own, or a child needing immediate protection): its hand-off says so everywhere,
    because forwarding closes it at the front door and no queue will show it overdue."""
    return clock_rating(contact, rating) == Brag.RED


@dataclass(frozen=True)
class Worker:
    """The worker as the involvement (or the outcome) names them."""

    name: str
    email: str = ""
    team: str = ""
    user: User | None = None


def find_user(email: str) -> User | None:
    """The Safehub user with this address, when there is exactly one who can receive hand-offs."""
    if not email.strip():
        return None
    users = list(User.objects.filter(is_active=True, email__iexact=email.strip())[:2])
    if len(users) != 1 or not can_receive_handoffs(users[0]):
        return None
    return users[0]


def worker_from_user(user: User, *, team: str = "") -> Worker:
    return Worker(name=user.get_full_name() or user.username, email=user.email, team=team, user=user)


def hand_off(
    contact: Contact, worker: Worker, *, kind: HandoffKind, by: User, at: datetime, rating: str = ""
) -> Handoff | None:
    """Record that the contact went to `worker`, inside the caller's transaction (the screening or
    the outcome that sends it), urgent when rated Red (`rating`: the recommendation's, from a
    caller that has one). A worker who is a Safehub user may then see the contact. Returns None
    when the involvement names nobody (the contact page then says so)."""
    if not worker.name.strip() and not worker.email.strip() and worker.user is None:
        return None
    user = worker.user or find_user(worker.email)
    name = worker.name.strip() or (user.get_full_name() if user else "") or worker.email.strip()
    handoff, made = Handoff.objects.get_or_create(
        contact=contact,
        recipient_name=name[:200],
        recipient_email=(user.email if user else worker.email).strip(),
        defaults={
            "kind": kind,
            "recipient": user,
            "team": worker.team[:200],
            "sent_by": by,
            "sent_at": at,
            "urgent": is_urgent(contact, rating),
        },
    )
    if not made:
        return handoff
    if user is not None:
        grant_access(contact, user, reason=kind.label, at=at)
    record(
        Verb.CONTACT_HANDED_OFF,
        by=by,
        contact=contact,
        at=at,
        data={
            "handoff": handoff.pk,
            "kind": kind.value,
            "to_user": user.pk if user else None,
            "in_safehub": bool(user),
        },
    )
    return handoff


@transaction.atomic(durable=True)
def mark_received(handoff: Handoff, *, by: User, at: datetime) -> None:
    """The worker says they have the contact: the alert goes, and the contact page shows when."""
    if not can_mark_received(by, handoff):
        raise PermissionDenied
    if Handoff.objects.filter(pk=handoff.pk, received_at__isnull=True).update(received_at=at) != 1:
        raise DomainError("You had already marked this contact as received")
    handoff.received_at = at
    record(Verb.HANDOFF_RECEIVED, by=by, contact=handoff.contact, at=at, data={"handoff": handoff.pk})


def message_id(handoff: Handoff) -> str:
    """The same for every attempt to email this hand-off, so a repeat after a crash can be recognised."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-handoff-{handoff.pk}@{domain}>"


def email_for(handoff: Handoff) -> EmailMessage | None:
    """A Safehub user is told to sign in (no personal details in email). A worker outside Safehub
    is told enough to find the child on their own case list and ask the hub for the contact: the
    reference, the children's names and dates of birth, and who sent it."""
    contact = handoff.contact
    address = handoff.recipient.email if handoff.recipient is not None else handoff.recipient_email
    if not address:
        return None
    sender = handoff.sent_by.get_full_name() or handoff.sent_by.username
    sent = shown_london_time(handoff.sent_at)
    urgent = handoff.urgent or is_urgent(contact)
    subject = (
        f"Safehub: {'RED: act now: ' if urgent else ''}contact {contact.reference} was sent to you:"
        f" {handoff.get_kind_display().lower()}"
    )
    warning = f"{URGENT}\n\n" if urgent else ""
    if handoff.recipient is not None:
        body = (
            warning
            + (
                f"{sender} sent contact {contact.reference} to you on {sent}"
                f" ({handoff.get_kind_display().lower()}).\n\nSign in to Safehub and open My caseload to read it"
                " and mark it received. This email holds no personal details."
            )
            + link_line("queues:caseload")
        )
    else:
        children = [
            f"- {s.display_name}, born {shown_day(s.date_of_birth)}" if s.date_of_birth else f"- {s.display_name}"
            for s in contact.subjects.all()
            if s.is_child
        ]
        body = warning + (
            f"The Multi-Agency Safeguarding Hub received contact {contact.reference} on"
            f" {shown_london_day(contact.received_at)} about:\n"
            + "\n".join(children)
            + f"\n\nOur records show you as the allocated worker ({handoff.get_kind_display().lower()})."
            f" {sender} ({handoff.sent_by.email or 'the MASH'}) sent it on {sent}: contact them"
            " for the full contact."
        )
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"Message-ID": message_id(handoff), "Auto-Submitted": "auto-generated"},
    )


def _claim(batch: int) -> list[Handoff]:
    pending = lock_for_sending(Handoff.objects.filter(emailed_at__isnull=True).order_by("sent_at", "pk"))
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        Handoff.objects.filter(pk__in=ids)
        .select_related("contact", "recipient", "sent_by")
        .prefetch_related("contact__subjects")
        .order_by("sent_at", "pk")
    )


def deliver_handoff_emails(at: datetime, *, limit: int = 100_000, batch: int = BATCH) -> int:
    """Email every hand-off not yet emailed, each exactly once (core.mail_batches); a hand-off with
    no address is marked too, and its contact page says nobody could be emailed."""

    def mark_sent(claimed: Sequence[Handoff]) -> tuple[int, list[EmailMessage]]:
        if Handoff.objects.filter(pk__in=[h.pk for h in claimed], emailed_at__isnull=True).update(emailed_at=at) != len(
            claimed
        ):
            raise OvertakenError()
        messages = [email_for(handoff) for handoff in claimed]
        return len(claimed), [message for message in messages if message is not None]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)
