"""Demo letters and messages: the hub's telephone, email and address on every profile (fictional:
Ofcom's numbers for drama), acknowledgements of recent professionals' contacts, outcomes written to
referrers and letters to families on decided contacts — some handed to the outbox, some waiting to be
printed and posted, a few families not written to with the reason — all through the services."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ReferrerKind
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError
from safehub.letters import services
from safehub.letters.delivery import deliver_messages
from safehub.letters.models import Channel, LetterKind, Message, WithheldReason
from safehub.protocols.models import LocalProtocol

HUB_PHONE = "020 7946 0{n:03d}"  # Ofcom keeps 020 7946 0000–0999 for drama: no real line
POSTED_BEFORE = timedelta(days=2)


def set_hub_details() -> None:
    for n, protocol in enumerate(LocalProtocol.objects.order_by("pk"), start=1):
        if not protocol.hub_phone:
            protocol.hub_phone = HUB_PHONE.format(n=100 + n)
            protocol.hub_email = f"mash@{protocol.slug}.example.gov.uk"
            protocol.hub_address = f"{protocol.name}\nCivic Offices\n1 Example Square\nEX1 1AA"
            protocol.save(update_fields=["hub_phone", "hub_email", "hub_address"])


def _send(contact: Contact, kind: LetterKind, *, by: User, at: datetime) -> Message:
    made = services.draft(contact, kind=kind, by=by, at=at)
    channel = made.channel if made.channel == Channel.EMAIL or made.postal_address else Channel.LETTER
    return services.send(
        contact,
        kind=kind,
        template_version=made.template_version,
        channel=channel,
        recipient_name=made.recipient_name,
        email=made.email,
        postal_address=made.postal_address,
        subject=made.subject,
        body=made.body,
        by=by,
        at=at,
    )


def add_letters(*, workers: list[User], now: datetime, seed: int) -> dict[str, int]:
    """Letters on the contacts decided in the last week, drawn from their own random numbers so that
    the rest of the demo is as it was."""
    rng = random.Random(seed)
    set_hub_details()
    made: Counter[str] = Counter()
    # The worker acknowledges a professional's contact within the minute: as it would have, had it run.
    for contact in (
        Contact.objects.filter(referrer_kind=ReferrerKind.PROFESSIONAL)
        .exclude(referrer_email="", referrer_address="")
        .order_by("received_at", "pk")
    ):
        if services.acknowledge(contact, at=min(contact.received_at + timedelta(minutes=1), now)) is not None:
            made["acknowledgements"] += 1
    closed = list(
        Contact.objects.filter(state=ContactState.CLOSED, outcome_action__actioned_at__gte=now - timedelta(days=7))
        .select_related("outcome_action")
        .order_by("pk")[:40]
    )
    for contact in closed:
        by = rng.choice(workers)
        at = contact.outcome_action.actioned_at + timedelta(minutes=rng.randint(5, 90))
        if at > now:
            continue
        try:
            if rng.random() < 0.7:
                _send(contact, LetterKind.OUTCOME, by=by, at=at)
                made["outcomes"] += 1
            if rng.random() < 0.15:
                services.decide_not_to_write(
                    contact,
                    reason=rng.choice([WithheldReason.TOLD_IN_PERSON, WithheldReason.INCREASED_RISK]),
                    explanation="Discussed with the manager: the family is told by the allocated worker in person.",
                    by=by,
                    at=at,
                )
                made["family not written to"] += 1
            elif rng.random() < 0.6:
                letter = _send(contact, LetterKind.FAMILY, by=by, at=at)
                made["family letters"] += 1
                if letter.state == "to_print" and at < now - POSTED_BEFORE:
                    services.mark_posted(letter, by=by, at=at + timedelta(hours=3), version=letter.version)
        except DomainError:
            continue  # an anonymous referrer, a family not to be told: nothing written
    made["handed over"] = deliver_messages(now, limit=1000)
    return dict(made)
