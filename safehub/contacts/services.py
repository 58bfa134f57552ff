"""Recording contacts and moving them through their lifecycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import Team, User
from safehub.accounts.permissions import can_make_threshold_decisions, can_work_the_front_door
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts import permissions, search_terms
from safehub.contacts.models import Contact, ContactAccess, ContactSubject, YesNoUnknown
from safehub.contacts.rules import contact_problems, kept_reasons, rating_problems
from safehub.contacts.workflow import ContactState, Event
from safehub.core import lifecycle
from safehub.core.errors import ConcurrentChange, DomainError, Problem, Refused
from safehub.core.submissions import content_key, create_once, earlier_submission
from safehub.core.working_time import LONDON
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import due_time, threshold_due_time


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


def clock_rating(contact: Contact, rating: str = "") -> str:
    """The rating a contact's clocks follow before a recommendation rates it: Red for a child who
    needs immediate protection, else the rating given (the MASH checks' level of risk), else the
    contact's initial rating."""
    if contact.immediate_protection == YesNoUnknown.YES:
        return Brag.RED
    return rating or contact.initial_rating


def screening_due(contact: Contact) -> datetime | None:
    return due_time(Clock.SCREENING, start=contact.received_at, rating=clock_rating(contact))


def threshold_due(contact: Contact, *, rating: str = "") -> datetime | None:
    """The threshold recommendation's due time, from receipt (000: a clear decision within 24 hours
    of the contact), at the rating the contact is known by (clock_rating)."""
    return threshold_due_time(received_at=contact.received_at, rating=clock_rating(contact, rating))


def already_recorded(
    details: ContactDetails, *, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> Contact | None:
    """The contact this submission already made, if it is a second submission: the same one-time
    key, or the same details recorded by the same person within about an hour (core.submissions)."""
    return earlier_submission(Contact, by=by, submission_key=submission_key, content=_content_keys(details, at=at))


# A resubmission (Back, then the form again) comes within minutes; the same details typed again
# hours later are a repeat call, a contact of its own.
RESUBMISSION_WINDOW = timedelta(hours=1)


def _content_keys(details: ContactDetails, *, at: datetime) -> list[str]:
    """The fingerprints of what was typed: this hour's first (the one stored), then the last hour's.
    The day the contact arrived counts, not its time: the form fills in the time it was opened, so a
    form drawn again after Back (a minute later, say) shows a later time that nobody typed."""
    fields = dict(details.fields)
    received = fields.pop("received_at", None)
    if isinstance(received, datetime):
        fields["received_on"] = received.astimezone(LONDON).date()
    hour = at.replace(minute=0, second=0, microsecond=0)
    return [
        content_key({**fields, "submitted_in_hour": window}, details.subjects)
        for window in (hour, hour - RESUBMISSION_WINDOW)
    ]


@transaction.atomic(durable=True)
def record_contact(
    details: ContactDetails, *, team: Team, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> Contact:
    """Record a contact and the people named in it. A second submission (`already_recorded`) returns
    the contact the first made and changes nothing."""
    existing = already_recorded(details, by=by, at=at, submission_key=submission_key)
    if existing is not None:
        return existing
    problems = contact_problems(details.fields, details.subjects, at=at)
    if problems:
        raise Refused(problems)
    fields = dict(details.fields)
    if fields.get("immediate_protection") == YesNoUnknown.YES:
        fields["initial_rating"] = Brag.RED
    fields["not_told"] = kept_reasons(fields.get("consent") or "", fields.get("not_told"))
    received_at = fields["received_at"]
    content = _content_keys(details, at=at)
    contact, created = create_once(
        Contact,
        lambda: Contact.objects.create(
            reference=f"pending-{uuid.uuid4().hex[:12]}",
            team=team,
            recorded_by=by,
            recorded_at=at,
            submission_key=submission_key,
            content_key=content[0],
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


@transaction.atomic(durable=True)
def rate_contact(contact: Contact, *, rating: str, by: User, at: datetime, version: int) -> None:
    """Set or change the contact's initial rating; its current clock is worked out again from
    receipt at the new rating (a Red contact moves to the front of its queue)."""
    if not permissions.can_rate(by, contact):
        raise PermissionDenied
    set_rating(contact, rating=rating, by=by, at=at, version=version)


def set_rating(contact: Contact, *, rating: str, by: User, at: datetime, version: int) -> None:
    """`rate_contact`'s work, inside the caller's transaction: for a service that decides the
    contact's rating as part of its own act (a manager starting a strategy discussion at once)."""
    fields = {"immediate_protection": contact.immediate_protection, "initial_rating": rating}
    problems = rating_problems(fields, blank_means_red=False)
    if problems:
        raise Refused(problems)
    before = contact.initial_rating
    contact.initial_rating = rating
    due = threshold_due(contact) if contact.state == ContactState.AWAITING_THRESHOLD else screening_due(contact)
    changed = Contact.objects.filter(pk=contact.pk, version=version).update(
        initial_rating=rating, current_due_at=due, version=version + 1
    )
    if changed != 1:
        contact.initial_rating = before
        raise ConcurrentChange()
    contact.version, contact.current_due_at = version + 1, due
    record(
        Verb.CONTACT_UPDATED,
        by=by,
        contact=contact,
        at=at,
        data={"initial_rating": {"from": before, "to": rating}},
    )


def allocation_problems(contact: Contact, worker: User) -> list[Problem]:
    """Who a contact may be allocated to: an active member of its team who can do the next step
    (anyone at the front door to screen it; a qualified social worker for the threshold decision)."""
    if not worker.is_active or contact.team_id not in worker.team_ids():
        return [Problem("Choose someone in the contact's team", field="worker")]
    step_needs_a_social_worker = contact.state == ContactState.AWAITING_THRESHOLD
    if step_needs_a_social_worker and not can_make_threshold_decisions(worker):
        return [Problem("A threshold decision needs a social worker, senior practitioner or manager", field="worker")]
    if not can_work_the_front_door(worker):
        return [Problem("Choose someone who works at the front door", field="worker")]
    return []


@transaction.atomic(durable=True)
def allocate(contact: Contact, *, worker: User, by: User, at: datetime, version: int) -> None:
    """A manager allocates the contact to a named worker, or moves it to another (audited, with
    who had it before)."""
    if not permissions.can_allocate(by, contact):
        raise PermissionDenied
    problems = allocation_problems(contact, worker)
    if problems:
        raise Refused(problems)
    before = contact.allocated_to_id
    if before == worker.pk:
        raise DomainError(f"The contact is already allocated to {worker.get_full_name() or worker}", field="worker")
    changed = Contact.objects.filter(pk=contact.pk, version=version).update(
        allocated_to=worker, allocated_at=at, version=version + 1
    )
    if changed != 1:
        raise ConcurrentChange()
    contact.allocated_to, contact.allocated_at, contact.version = worker, at, version + 1
    record(Verb.CONTACT_ALLOCATED, by=by, contact=contact, at=at, data={"from": before, "to": worker.pk})


def grant_access(contact: Contact, user: User, *, reason: str, at: datetime) -> bool:
    """Let `user` see the contact although it is not their team's (a worker it was handed to).
    Inside the caller's transaction; returns whether the grant is new."""
    _, made = ContactAccess.objects.get_or_create(
        contact=contact, user=user, defaults={"reason": reason[:200], "granted_at": at}
    )
    return made
