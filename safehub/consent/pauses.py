"""A professional's request paused for consent (002 §19): "If a professional is requesting a Children's
Social Care 'Child in Need' assessment and they do not have consent, the social worker may ask the
professional to discuss the matter with the child/family, before they will take further action." The
contact waits on the "Awaiting consent" queue with its own clock (the protocol's `consent_sought`);
it resumes, back to the threshold decision, when the referrer comes back, or the worker decides to go
on (safeguarding concerns, or no consent to be had: the family at least told, 002 §19)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.timezone import localtime

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import record
from safehub.consent import permissions
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import without_consent
from safehub.contacts.models import ConsentPosition, Contact, ReferrerKind
from safehub.contacts.services import clock_rating, threshold_due, transition
from safehub.contacts.workflow import ContactState, Event
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.core.races import claim
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import due_time

MIN_NOTE = 15  # characters: what the referrer was asked, or what they came back with


class Resumed(models.TextChoices):
    """What the referrer came back with, or why the worker goes on without waiting longer."""

    CONSENT_GIVEN = "consent_given", "The family gave consent (recorded on the contact)"
    FAMILY_INFORMED = "family_informed", "No consent, but the family has been told of the contact"
    SAFEGUARDING = "safeguarding", "Safeguarding concerns: the hub goes on without waiting"
    NO_RESPONSE = "no_response", "The referrer did not come back in time"


def why_not_pause(contact: Contact, *, on: date | None = None) -> str:
    """Why the contact may not be paused for consent on the day `on` (today if none), or "" when it
    may (002 §19)."""
    if contact.state != ContactState.AWAITING_THRESHOLD:
        return "Only a contact waiting for its threshold decision can wait for consent"
    if contact.referrer_kind != ReferrerKind.PROFESSIONAL:
        return "Only a professional referrer is asked to seek consent: a member of the public need not (002 §18)"
    if contact.consent == ConsentPosition.NOT_INFORMED_SAFEGUARDING:
        # 002 §22: the family was not told because telling them would increase the risk, prejudice an
        # investigation or cause undue delay; asking the referrer to go to them would do just that.
        return (
            "The referrer did not tell the family for a reason 002 §22 allows (see the contact): they are not"
            " asked to seek consent"
        )
    if clock_rating(contact) == Brag.RED:
        # 002 §19 is about a request for a child in need assessment; a child at risk of significant harm
        # does not wait for anyone's consent.
        return "The contact is rated Red or a child needs immediate protection: it does not wait for consent"
    if not without_consent(contact, ConsentPurpose.MASH_CHECKS, on=on or localtime().date()):
        return (
            "Everyone on the contact has consented, or a manager agreed to share without it: there is nothing to"
            " wait for"
        )
    went_on = went_on_for_safeguarding(contact)
    if went_on is not None:
        return (
            f"{went_on.by} decided on {shown_date(went_on.at)} to go on without waiting for consent, because of"
            " safeguarding concerns: the contact does not wait for it again"
        )
    return ""


def went_on_for_safeguarding(contact: Contact) -> AuditEvent | None:
    """The last resumption, when the worker resumed because of safeguarding concerns (walk-through: a
    contact resumed so could be paused again at once, undoing the decision without a word). The
    outcome is kept coded in the audit entry written with the resumption (`_resume`)."""
    last = (
        AuditEvent.objects.filter(contact=contact, verb=Verb.CONTACT_RESUMED_AFTER_CONSENT)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if last is None or last.data.get("outcome") != Resumed.SAFEGUARDING:
        return None
    return last


def pause_for_consent(contact: Contact, *, asked: str, by: User, at: datetime, version: int) -> Contact:
    """Ask the professional referrer to discuss the request with the family; the contact waits."""
    if not permissions.can_pause_for_consent(by):
        raise PermissionDenied
    return _pause(contact, asked=asked, by=by, at=at, version=version)


@transaction.atomic(durable=True)
def _pause(contact: Contact, *, asked: str, by: User, at: datetime, version: int) -> Contact:
    claim(contact, version)
    problems = []
    reason = why_not_pause(contact, on=localtime(at).date())
    if reason:
        problems.append(Problem(reason))
    if len(asked.strip()) < MIN_NOTE:
        problems.append(
            Problem(f"Say what the referrer was asked to do, in at least {MIN_NOTE} characters", field="asked")
        )
    if problems:
        raise Refused(problems)
    due = due_time(Clock.CONSENT_SOUGHT, start=at)
    if due is None:
        raise DomainError(
            "The local protocol sets no time for a referrer to seek consent: an administrator must add one"
        )
    # The threshold clock does not stop while the contact waits: resuming puts back the due time it had.
    threshold = contact.current_due_at
    transition(contact, Event.PAUSE_FOR_CONSENT, by=by, due_at=due, note=asked.strip(), at=at)
    data = {"due": due.isoformat(), "threshold_due": threshold.isoformat() if threshold else ""}
    record(Verb.CONTACT_PAUSED_FOR_CONSENT, by=by, contact=contact, at=at, data=data)
    return contact


def _threshold_due_before(contact: Contact) -> datetime | None:
    """The threshold decision's due time as it was when the contact was paused (kept with the pause's
    audit entry: MASH checks may have set it from their own rating); else the protocol's from receipt."""
    paused = (
        AuditEvent.objects.filter(contact=contact, verb=Verb.CONTACT_PAUSED_FOR_CONSENT).order_by("-at", "-pk").first()
    )
    kept = paused.data.get("threshold_due") if paused is not None else ""
    return datetime.fromisoformat(kept) if kept else threshold_due(contact)


def resume_after_consent(
    contact: Contact, *, outcome: Resumed, note: str, by: User, at: datetime, version: int
) -> Contact:
    """The referrer came back (or the worker goes on): back to the threshold decision, on its clock."""
    if not permissions.can_pause_for_consent(by):
        raise PermissionDenied
    return _resume(contact, outcome=outcome, note=note, by=by, at=at, version=version)


@transaction.atomic(durable=True)
def _resume(contact: Contact, *, outcome: Resumed, note: str, by: User, at: datetime, version: int) -> Contact:
    claim(contact, version)
    if contact.state != ContactState.AWAITING_CONSENT:
        raise DomainError("This contact is not waiting for consent: read where it stands on its page")
    problems = []
    missing = without_consent(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date())
    if outcome == Resumed.CONSENT_GIVEN and missing:
        names = ", ".join(found.subject.display_name for found in missing)
        problems.append(
            Problem(f"Record the family's consent for MASH checks first: none is recorded for {names}", field="outcome")
        )
    if len(note.strip()) < MIN_NOTE:
        problems.append(Problem(f"Say what happened, in at least {MIN_NOTE} characters", field="note"))
    if problems:
        raise Refused(problems)
    text = f"{outcome.label}: {note.strip()}"
    transition(contact, Event.RESUME_AFTER_CONSENT, by=by, due_at=_threshold_due_before(contact), note=text, at=at)
    record(Verb.CONTACT_RESUMED_AFTER_CONSENT, by=by, contact=contact, at=at, data={"outcome": outcome.value})
    return contact
