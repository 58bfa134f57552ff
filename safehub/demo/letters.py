"""Demo letters and messages: the hub's telephone, email and address on every profile (fictional:
Ofcom's numbers for drama), acknowledgements of recent professionals' contacts, outcomes written to
referrers and letters to families on decided contacts — some handed to the outbox, some waiting to be
printed and posted, a few families not written to with the reason — all through the services."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import Team, User
from safehub.consultations import services as consultations
from safehub.consultations.models import ConsultationKind
from safehub.contacts.models import Contact, ReferrerKind
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError
from safehub.domestic_abuse.models import Notification
from safehub.letters import encompass, services
from safehub.letters.delivery import deliver_messages
from safehub.letters.models import Channel, LetterKind, Message, School, WithheldReason
from safehub.people.models import Person
from safehub.protocols.models import LocalProtocol
from safehub.synthetic.year import walked

HUB_PHONE = "020 7946 0{n:03d}"  # Ofcom keeps 020 7946 0000–0999 for drama: no real line
POSTED_BEFORE = timedelta(days=2)


def set_hub_details() -> None:
    for n, protocol in enumerate(LocalProtocol.objects.order_by("pk"), start=1):
        if not protocol.hub_phone:
            protocol.hub_phone = HUB_PHONE.format(n=100 + n)
            protocol.hub_email = f"mash@{protocol.slug}.example.gov.uk"
            protocol.hub_address = "Civic Offices\n1 Example Square\nEX1 1AA"
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


def add_schools() -> int:
    """The register of schools (Operation Encompass): every school the demo's children attend, each with
    a designated safeguarding lead at a fictional address, and the elective home education officer."""
    names = sorted(set(Person.objects.exclude(school="").values_list("school", flat=True)))
    for name in names:
        slug = "-".join(name.lower().split())[:40]
        School.objects.get_or_create(
            name=name, defaults={"dsl_name": "Designated safeguarding lead", "dsl_email": f"dsl@{slug}.example.sch.uk"}
        )
    School.objects.get_or_create(
        name="Elective home education",
        defaults={
            "dsl_name": "Elective home education officer",
            "dsl_email": "ehe@example.gov.uk",
            "home_education": True,
        },
    )
    return len(names) + 1


def tell_schools(now: datetime) -> int:
    """Each recent police notification's schools told a few minutes after it came, as the worker would have."""
    told = 0
    for notification in Notification.objects.select_related("contact", "recorded_by").prefetch_related(
        "contact__subjects__person", "contact__messages"
    ):
        at = min(notification.contact.received_at + timedelta(minutes=3), now)
        for child in encompass.children_to_tell(notification):
            school = encompass.school_for(child)
            if school is None or encompass.notice_for(notification, child) is not None:
                continue
            try:
                encompass.tell_school(notification, child, school, by=notification.recorded_by, at=at, automatic=True)
            except DomainError:
                continue
            told += 1
    return told


CONSULTATIONS = (
    # (hours before now, consultee, question, advice, whether the summary was sent)
    (
        70,
        "Ann Teacher",
        "A pupil comes in hungry most days. Should I refer?",
        "Talk to the parents and offer early help.",
        True,
    ),
    (
        30,
        "Ravi Shah",
        "A mother seems low after the birth. Is this for you?",
        "Refer to the perinatal team; tell us if it worsens.",
        False,
    ),
    (
        60,
        "Tom Price",
        "A tenant's child is often home alone at night. What should I do?",
        "Make a referral today.",
        False,
    ),
)


def add_consultations(*, workers: list[User], team: Team, now: datetime) -> int:
    """Three consultations (002 §5–6): one whose summary went, one still in time, one overdue."""
    made = 0
    for hours, consultee, question, advice, sent in CONSULTATIONS:
        by = workers[made % len(workers)]
        received = now - timedelta(hours=hours)
        fields = {
            "kind": ConsultationKind.ANONYMOUS,
            "received_at": received,
            "consultee_name": consultee,
            "consultee_email": f"{consultee.lower().replace(' ', '.')}@example.org",
            "question": question,
            "advice": advice,
        }
        consultation = consultations.record_consultation(fields, team=team, by=by, at=received)
        if sent:
            drafted = services.draft_summary(consultation, by=by, at=received + timedelta(hours=2))
            services.send_summary(
                consultation,
                template_version=drafted.template_version,
                channel=drafted.channel,
                recipient_name=drafted.recipient_name,
                email=drafted.email,
                postal_address="",
                subject=drafted.subject,
                body=drafted.body,
                by=by,
                at=received + timedelta(hours=2),
                version=consultation.version,
            )
        made += 1
    return made


def add_letters(*, workers: list[User], team: Team, now: datetime, seed: int) -> dict[str, int]:
    """Letters on the contacts decided in the last week, drawn from their own random numbers so that
    the rest of the demo is as it was."""
    rng = random.Random(seed)
    set_hub_details()
    made: Counter[str] = Counter()
    made["schools in the register"] = add_schools()
    made["Operation Encompass notices"] = tell_schools(now)
    made["consultations"] = add_consultations(workers=workers, team=team, now=now)
    # The worker acknowledges a professional's contact within the minute: as it would have, had it run.
    for contact in (
        walked(Contact.objects.filter(referrer_kind=ReferrerKind.PROFESSIONAL))
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
