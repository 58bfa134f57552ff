"""Recording contacts and moving them through their lifecycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from safehub.accounts.models import Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts import search_terms
from safehub.contacts.models import Contact, ContactSubject, ReferrerKind
from safehub.contacts.rules import ANONYMOUS_BLANKS, contact_problems
from safehub.contacts.workflow import ContactState, Event
from safehub.core import lifecycle
from safehub.core.errors import Refused
from safehub.core.submissions import content_key, create_once, earlier_submission
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import due_time


@dataclass(frozen=True)
class ContactDetails:
    """What the form hands the service: the contact's own fields and its subjects."""

    fields: dict[str, Any]
    subjects: list[dict[str, Any]] = field(default_factory=list)


def transition(
    contact: Contact, event: Event, *, by: User, due_at: datetime | None, note: str = "", at: datetime
) -> None:
    """Move the contact on by `event` and set its next due time. Call only from inside another
    service's transaction."""
    current = ContactState(contact.state)
    lifecycle.transition(contact, event, by=by, at=at, note=note, fields={"current_due_at": due_at})
    record(
        Verb.STATE_CHANGED,
        by=by,
        contact=contact,
        at=at,
        data={"from": current.value, "to": ContactState(contact.state).value, "event": event.value},
    )


def screening_due(contact: Contact) -> datetime | None:
    return due_time(Clock.SCREENING, start=contact.received_at)


def threshold_due(contact: Contact) -> datetime | None:
    rating = Brag.RED if contact.immediate_protection == "yes" else ""
    return due_time(Clock.THRESHOLD_DECISION, start=contact.received_at, rating=rating)


def already_recorded(details: ContactDetails, *, by: User, submission_key: uuid.UUID | None = None) -> Contact | None:
    """The contact this submission already made, if it is a second submission: the same one-time
    key, or the same details recorded by the same person (core.submissions)."""
    return earlier_submission(Contact, by=by, submission_key=submission_key, content=_content_key(details))


def _content_key(details: ContactDetails) -> str:
    return content_key(details.fields, details.subjects)


@transaction.atomic(durable=True)
def record_contact(
    details: ContactDetails, *, team: Team, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> Contact:
    """Record a contact and the people named in it. A second submission (`already_recorded`) returns
    the contact the first made and changes nothing."""
    existing = already_recorded(details, by=by, submission_key=submission_key)
    if existing is not None:
        return existing
    problems = contact_problems(details.fields, details.subjects, at=at)
    if problems:
        raise Refused(problems)
    fields = dict(details.fields)
    if fields.get("referrer_kind") == ReferrerKind.ANONYMOUS:
        fields.update(dict.fromkeys(ANONYMOUS_BLANKS, ""))
    received_at = fields["received_at"]
    content = _content_key(details)
    contact, created = create_once(
        Contact,
        lambda: Contact.objects.create(
            reference=f"pending-{uuid.uuid4().hex[:12]}",
            team=team,
            recorded_by=by,
            recorded_at=at,
            submission_key=submission_key,
            content_key=content,
            **fields,
        ),
        by=by,
        submission_key=submission_key,
        content=content,
    )
    if not created:
        return contact
    contact.reference = f"C{received_at.year}-{contact.pk:06d}"
    contact.current_due_at = screening_due(contact)
    Contact.objects.filter(pk=contact.pk).update(reference=contact.reference, current_due_at=contact.current_due_at)
    subjects = ContactSubject.objects.bulk_create(
        ContactSubject(contact=contact, order=order, **subject) for order, subject in enumerate(details.subjects)
    )
    search_terms.write([contact], subjects)  # what Find a contact looks it up by
    record(
        Verb.CONTACT_RECORDED,
        by=by,
        contact=contact,
        at=at,
        data={"channel": contact.channel, "source": contact.source, "subjects": len(details.subjects)},
    )
    return contact


@transaction.atomic(durable=True)
def start_screening(contact: Contact, *, by: User, at: datetime) -> None:
    transition(contact, Event.START_SCREENING, by=by, due_at=screening_due(contact), at=at)
