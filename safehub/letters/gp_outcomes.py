"""The outcome to each GP practice asked for MASH checks (Sefton 003 §2.6, "Information from Sefton GP
Surgeries": "The GP surgery will expect that MASH health representative advise them of the outcome of the
contact within three working days, so that the GP surgery can update their safeguarding records").

Once a contact's outcome is actioned, the worker emails every GP practice that was sent a request for
checks on it, once each, to the secure address the request went to (or the practice's agreed secure
address), on behalf of whoever actioned the outcome: each child's outcome, never who made contact nor
what any agency answered (the exits gate). A practice with no secure address is not emailed: it waits on
the Letters list and the contact for someone to telephone it and record the call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.timezone import localtime

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.checks.models import PracticeEmail
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import Contact
from safehub.core.errors import DomainError
from safehub.core.presenters import shown_date, shown_day, shown_nhs_number
from safehub.decisions.models import OutcomeAction
from safehub.letters import permissions, services
from safehub.letters.facts import values_for
from safehub.letters.fields import fill, unfilled
from safehub.letters.models import Audience, Channel, LetterKind, Message, TemplateVersion
from safehub.letters.rules import why_not_yet
from safehub.letters.timeliness import gp_outcome_due
from safehub.letters.workflow import MessageState
from safehub.protocols.policy import Deadlines, active_protocol

KIND = LetterKind.GP_OUTCOME
# How far back the worker looks for actioned outcomes whose practices are not yet told (an installation
# that starts telling practices does not write about every outcome of the past).
LOOK_BACK = timedelta(days=14)
NO_ADDRESS = "No secure email address for the practice: telephone it, then record the call"


@dataclass(frozen=True)
class Practice:
    """A GP practice asked for checks on the contact, and where its outcome goes ("" for nowhere)."""

    agency: Agency
    address: str


def practices(contact: Contact) -> list[Practice]:
    """Every GP practice sent a request for checks on the contact, once each, with the secure address
    the latest request went to (else the practice's agreed secure address). Reads the contact's checks
    and requests as the contact page fetched them, if it did."""
    requests = sorted(
        (
            request
            for checks in contact.mash_checks.all()
            for request in checks.requests.all()
            if request.agency.kind == AgencyKind.GP_PRACTICE
        ),
        key=lambda request: (request.sent_at, request.pk),
    )
    if not requests:
        return []
    emailed = dict(
        PracticeEmail.objects.filter(request__in=[request.pk for request in requests]).values_list(
            "request_id", "address"
        )
    )
    found: dict[int, Practice] = {}
    for request in requests:
        address = emailed.get(request.pk) or request.agency.secure_email
        found[request.agency_id] = Practice(request.agency, address.strip())
    return sorted(found.values(), key=lambda practice: practice.agency.name)


def message_for(contact: Contact, agency_id: int) -> Message | None:
    """The outcome the practice was sent or told by telephone, if any (one a practice and contact)."""
    return next(
        (message for message in contact.messages.all() if message.kind == KIND and message.agency_id == agency_id),
        None,
    )


def told_at(message: Message | None) -> datetime | None:
    """When the practice was told: when the message was sent, or when the call (or another way) was
    recorded; None while nobody has told it (the email was not delivered)."""
    if message is None or message.state == MessageState.FAILED:
        return None
    if message.state == MessageState.TOLD_ANOTHER_WAY:
        changes = [change.at for change in message.state_changes.all() if change.to_state == message.state]
        return max(changes, default=None)
    return message.created_at


def _patients(contact: Contact) -> str:
    lines = []
    for subject in sorted(contact.subjects.all(), key=lambda subject: (subject.order, subject.pk)):
        if not subject.is_child:
            continue
        parts = [subject.display_name]
        if subject.date_of_birth:
            parts.append(f"born {shown_day(subject.date_of_birth)}")
        if subject.nhs_number:
            parts.append(f"NHS number {shown_nhs_number(subject.nhs_number)}")
        lines.append(", ".join(parts))
    return "\n".join(lines)


def words(contact: Contact, agency: Agency, *, by: User, at: datetime) -> tuple[TemplateVersion, str, str]:
    """The template's version, subject and words for the practice, filled in for the contact; never the
    name of whoever made contact."""
    version = services.current_version(KIND, Audience.PROFESSIONAL)
    values = values_for(contact, protocol=active_protocol(), sender=by, at=at)
    values.pop("referrer_name", None)
    values["recipient_name"] = agency.name
    values["patients"] = _patients(contact)
    values["sender_role"] = values["sender_role"] or "MASH"
    return version, fill(version.subject, values), fill(version.body, values)


def _checked(contact: Contact, agency: Agency, *, by: User, at: datetime) -> tuple[TemplateVersion, str, str]:
    """The practice's words, once the rules allow it to be told (refused with why otherwise)."""
    problem = why_not_yet(contact, KIND)
    if problem:
        raise DomainError(problem)
    if agency.pk not in {practice.agency.pk for practice in practices(contact)}:
        raise DomainError(f"{agency.name} was not asked for checks on this contact")
    earlier = contact.messages.filter(kind=KIND, agency=agency).select_related("sent_by").first()
    if earlier is not None:
        who = earlier.sent_by.get_full_name() or earlier.sent_by.username
        raise DomainError(f"{who} told {agency.name} on {shown_date(earlier.created_at)}: nothing was sent again")
    version, subject, body = words(contact, agency, by=by, at=at)
    left = unfilled(subject + body)
    if left:
        raise DomainError(
            f"The message still holds {', '.join(dict.fromkeys(left))}: an administrator must set the hub's"
            " details or the template"
        )
    return version, subject, body


def _write(
    contact: Contact,
    practice: Practice,
    *,
    channel: Channel,
    by: User,
    at: datetime,
    automatic: bool = False,
    call_note: str = "",
) -> Message:
    version, subject, body = _checked(contact, practice.agency, by=by, at=at)
    released = services.gate(contact, KIND, text=f"{subject}\n{body}")
    try:
        with transaction.atomic():
            return services.write_message(
                contact=contact,
                agency=practice.agency,
                kind=KIND,
                audience=Audience.PROFESSIONAL,
                template_version=version,
                channel=channel,
                recipient=services.Recipient(
                    practice.agency.name, practice.address if channel == Channel.EMAIL else ""
                ),
                subject=subject,
                body=body,
                by=by,
                at=at,
                submission_key=None,
                released=released,
                consent_position=sharing_position(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date()),
                automatic=automatic,
                call_note=call_note,
            )
    except IntegrityError:
        raise DomainError(f"{practice.agency.name} was told a moment ago: nothing was sent again") from None


@transaction.atomic
def tell_practice(contact: Contact, practice: Practice, *, by: User, at: datetime) -> Message:
    """Email the practice the contact's outcome (the worker, on behalf of `by`), once."""
    if not practice.address:
        raise DomainError(NO_ADDRESS)
    return _write(contact, practice, channel=Channel.EMAIL, by=by, at=at, automatic=True)


@transaction.atomic
def record_call(contact: Contact, agency: Agency, *, explanation: str, by: User, at: datetime) -> Message:
    """Record that a practice the worker could not email was told the outcome by telephone: the words
    it was to be sent are kept as what it was told, with who called whom."""
    if not permissions.can_handle_post(by):
        raise PermissionDenied
    note = services.explained(explanation)
    return _write(contact, Practice(agency, ""), channel=Channel.TELEPHONE, by=by, at=at, call_note=note)


def queue_gp_outcomes(at: datetime) -> int:
    """One round of the worker: every practice of a recently actioned outcome with a secure address and
    not yet told is emailed; how many were."""
    sent = 0
    actions = (
        OutcomeAction.objects.filter(
            actioned_at__gte=at - LOOK_BACK,
            actioned_at__lte=at,
            contact__mash_checks__requests__agency__kind=AgencyKind.GP_PRACTICE,
        )
        .select_related("contact", "actioned_by")
        .distinct()
        .order_by("actioned_at", "pk")[:200]
    )
    for action in actions:
        contact = action.contact
        for practice in practices(contact):
            if not practice.address or contact.messages.filter(kind=KIND, agency=practice.agency).exists():
                continue
            try:
                tell_practice(contact, practice, by=action.actioned_by, at=at)
            except DomainError:
                continue  # shown on the contact as waiting, with why
            sent += 1
    return sent


@dataclass(frozen=True)
class Untold:
    contact: Contact
    practice: Practice
    why: str
    due: datetime


def untold(contacts: Iterable[int], *, at: datetime) -> list[Untold]:
    """The GP practices of recently actioned outcomes (on the contacts given: those a user may see) not
    yet told, the most urgent first."""
    deadlines = Deadlines(active_protocol())
    actions = (
        OutcomeAction.objects.filter(
            contact__in=contacts,
            actioned_at__gte=at - LOOK_BACK,
            contact__mash_checks__requests__agency__kind=AgencyKind.GP_PRACTICE,
        )
        .select_related("contact")
        .prefetch_related("contact__messages")
        .distinct()
    )
    found = []
    for action in actions:
        for practice in practices(action.contact):
            if message_for(action.contact, practice.agency.pk) is not None:
                continue
            why = NO_ADDRESS if not practice.address else "Being sent"
            found.append(Untold(action.contact, practice, why, gp_outcome_due(action.actioned_at, deadlines)))
    return sorted(found, key=lambda row: row.due)
