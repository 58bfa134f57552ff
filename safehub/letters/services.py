"""Writing and sending the hub's letters and messages (issue 15; ADR 0037).

A message is drafted from the template for its kind, audience and outcome, with each field filled in
for the contact (`letters.facts`); the worker may edit it; sending checks it, records it in the
sharing ledger through the exits gate (another agency's information never goes in a letter: the
gate withholds every item, and words of one found in the message refuse it) and queues it for the
worker, who hands it to GOV.UK Notify or the mail server (`letters.delivery`). A letter printed in
the office waits to be posted."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.timezone import localtime

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.queries import answer_items
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.consultations.models import Consultation
from safehub.consultations.services import mark_summary_sent
from safehub.contacts.models import Contact, ContactSubject, ReferrerKind
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.core.races import claim
from safehub.decisions.queries import the_decision
from safehub.letters import permissions
from safehub.letters.facts import leading_outcome, summary_values, values_for
from safehub.letters.fields import fill, template_problems, unfilled
from safehub.letters.models import (
    Audience,
    Channel,
    FamilyLetterDecision,
    LetterKind,
    Message,
    MessageQuerySet,
    School,
    Template,
    TemplateVersion,
    WithheldReason,
)
from safehub.letters.rules import reasons_not_to_write, referrer_audience, why_not_yet
from safehub.letters.workflow import DID_NOT_GO, MessageEvent, MessageState
from safehub.protocols.policy import active_protocol
from safehub.sharing.exits import Exit, Release, release
from safehub.sharing.services import record_disclosure, withheld_found
from safehub.sharing.vocabulary import POLICE_BASES, SAFEGUARDING_BASES, Category, Purpose

# The least an explanation says: what the DPO and a complaint's reviewer will read.
MIN_EXPLANATION = 20
# How far back the worker acknowledges contacts it has not yet acknowledged (an installation that
# starts sending acknowledgements does not write to every referrer of the past).
ACKNOWLEDGE_WITHIN = timedelta(days=3)

ROUTES = {
    LetterKind.CONSULTATION_SUMMARY: Exit.CONSULTATION_SUMMARY,
    LetterKind.ENCOMPASS: Exit.ENCOMPASS,
    LetterKind.ACKNOWLEDGEMENT: Exit.REFERRER_MESSAGE,
    LetterKind.OUTCOME: Exit.REFERRER_MESSAGE,
    LetterKind.FAMILY: Exit.FAMILY_LETTER,
    LetterKind.GP_OUTCOME: Exit.GP_OUTCOME,
}
PURPOSES = {
    LetterKind.CONSULTATION_SUMMARY: Purpose.CONSULTATION_SUMMARY,
    LetterKind.ENCOMPASS: Purpose.ENCOMPASS,
    LetterKind.ACKNOWLEDGEMENT: Purpose.OUTCOME_TO_REFERRER,
    LetterKind.OUTCOME: Purpose.OUTCOME_TO_REFERRER,
    LetterKind.FAMILY: Purpose.FAMILY_LETTER,
    # 003 App. 4 §8 and §2.6: the outcome fed back to the agencies asked.
    LetterKind.GP_OUTCOME: Purpose.OUTCOME_TO_PARTNER,
}


@dataclass(frozen=True)
class Draft:
    """A message as the worker is first shown it: the template's words with the contact's values."""

    kind: LetterKind
    audience: Audience
    template_version: TemplateVersion
    recipient_name: str
    email: str
    postal_address: str
    channel: Channel
    subject: str
    body: str


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str = ""
    postal_address: str = ""


def current_version(kind: LetterKind, audience: Audience, outcome: str = "") -> TemplateVersion:
    """The newest version of the template for `kind`, `audience` and `outcome`."""
    version = (
        TemplateVersion.objects.filter(template__kind=kind, template__audience=audience, template__outcome=outcome)
        .select_related("template")
        .order_by("-number")
        .first()
    )
    if version is None:
        raise DomainError("There is no template for this message: an administrator must add one")
    return version


def audience_for(contact: Contact, kind: LetterKind) -> Audience:
    if kind == LetterKind.FAMILY:
        return Audience.FAMILY
    audience = referrer_audience(contact)
    if audience is None:
        raise DomainError("The person who made contact did not give their name, so they are not told the outcome")
    return audience


def postal_address(subject: ContactSubject) -> str:
    """Where a letter to `subject` goes: the address the referrer gave, or else the one the person
    index holds for the person they were matched to; "" when neither is known."""
    if subject.address.strip():
        lines = [subject.address, subject.postcode]
    elif subject.person is not None and subject.person.address is not None:
        held = subject.person.address
        lines = [held.line_1, held.line_2, held.town, held.postcode]
    else:
        return ""
    return "\n".join(part.strip() for part in (subject.display_name, *lines) if part and part.strip())


def family_addressees(contact: Contact) -> list[ContactSubject]:
    """The adults a family letter may be addressed to: those on the contact with parental
    responsibility first, then the other adults, each once."""
    adults = [subject for subject in contact.subjects.all() if not subject.is_child]
    return sorted(adults, key=lambda subject: (not subject.has_parental_responsibility, subject.order))


def default_recipient(contact: Contact, kind: LetterKind) -> Recipient:
    if kind == LetterKind.FAMILY:
        addressees = family_addressees(contact)
        if not addressees:
            return Recipient("")
        first = addressees[0]
        return Recipient(first.display_name, "", postal_address(first))
    address = "\n".join(part for part in (contact.referrer_name, contact.referrer_address) if part.strip())
    return Recipient(contact.referrer_name, contact.referrer_email, address if contact.referrer_address else "")


def default_channel(recipient: Recipient, kind: LetterKind) -> Channel:
    if kind != LetterKind.FAMILY and recipient.email:
        return Channel.EMAIL
    return Channel.NOTIFY_LETTER if notify_letters_configured() else Channel.LETTER


def notify_letters_configured() -> bool:
    """Whether letters can go through GOV.UK Notify's letter service (its API key is set)."""
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


def draft(contact: Contact, *, kind: LetterKind, by: User, at: datetime) -> Draft:
    """The message of `kind` for `contact` as the worker first sees it (refused when it cannot be
    written now, `rules.why_not_yet`)."""
    problem = why_not_yet(contact, kind)
    if problem:
        raise DomainError(problem)
    audience = audience_for(contact, kind)
    outcome = ""
    if kind != LetterKind.ACKNOWLEDGEMENT:
        decision = the_decision(contact)
        if decision is None:
            raise DomainError("There is no approved decision to report")
        outcome = leading_outcome(decision).value
    version = current_version(kind, audience, outcome)
    values = values_for(contact, protocol=active_protocol(), sender=by, at=at)
    recipient = default_recipient(contact, kind)
    values["recipient_name"] = recipient.name
    return Draft(
        kind=kind,
        audience=audience,
        template_version=version,
        recipient_name=recipient.name,
        email=recipient.email,
        postal_address=recipient.postal_address,
        channel=default_channel(recipient, kind),
        subject=fill(version.subject, values),
        body=fill(version.body, values),
    )


def _problems(
    *, channel: Channel, recipient_name: str, email: str, postal_address: str, subject: str, body: str
) -> list[Problem]:
    problems = []
    if not recipient_name.strip():
        problems.append(Problem("Enter the name of the person it is to", field="recipient_name"))
    if channel == Channel.EMAIL:
        if not email.strip():
            problems.append(Problem("Enter the email address to send it to, or choose a letter", field="email"))
        else:
            try:
                validate_email(email.strip())
            except ValidationError:
                problems.append(Problem("Enter an email address like name@example.org", field="email"))
    elif len([line for line in postal_address.splitlines() if line.strip()]) < 3:
        problems.append(
            Problem(
                "Enter the postal address: the name, at least one line of the address, and the postcode,"
                " each on its own line",
                field="postal_address",
            )
        )
    if not subject.strip():
        problems.append(Problem("Enter the subject", field="subject"))
    if not body.strip():
        problems.append(Problem("Enter the words of the message", field="body"))
    for name, text in (("subject", subject), ("body", body)):
        left = unfilled(text)
        if left:
            problems.append(
                Problem(
                    f"Replace {', '.join(dict.fromkeys(left))} in the {'subject' if name == 'subject' else 'message'}"
                    " with what it should say: Safehub has no value for it on this contact",
                    field=name,
                )
            )
    return problems


def gate(contact: Contact, kind: LetterKind, *, text: str) -> Release:
    """The exits gate for a message: every agency's answer is withheld from a letter; one whose words
    are in the message refuses it, naming the agency (the worker pasted it in)."""
    released = release(answer_items(contact), route=ROUTES[kind], to=None)
    found = withheld_found(text, released)
    if found:
        names = ", ".join(dict.fromkeys(item.source_name for item, _ in found))
        raise DomainError(
            f"The message includes what {names} told the hub. Another agency's information never goes in a"
            " letter or message from the hub: take it out",
            field="body",
        )
    return released


CATEGORIES = {
    LetterKind.CONSULTATION_SUMMARY: (Category.IDENTITY, Category.CONCERN),
    LetterKind.ENCOMPASS: (Category.IDENTITY, Category.POLICE),
    LetterKind.ACKNOWLEDGEMENT: (Category.IDENTITY,),
    LetterKind.OUTCOME: (Category.IDENTITY, Category.DECISION),
    LetterKind.FAMILY: (Category.IDENTITY, Category.DECISION),
    LetterKind.GP_OUTCOME: (Category.IDENTITY, Category.DECISION),
}


def already_sent(contact: Contact, kind: LetterKind, *, email: str, postal_address: str) -> Message | None:
    """A message of `kind` on the contact to the same address, still on its way or arrived."""
    address = Q(email__iexact=email.strip()) if email.strip() else Q(postal_address=postal_address.strip())
    return (
        contact.messages.filter(address, kind=kind)
        .exclude(state__in=sorted(DID_NOT_GO))
        .select_related("sent_by")
        .first()
    )


# Each kind of message as a sentence names it.
KIND_NOUNS = {
    LetterKind.ACKNOWLEDGEMENT: "the acknowledgement",
    LetterKind.OUTCOME: "the outcome",
    LetterKind.FAMILY: "the letter to the family",
    LetterKind.CONSULTATION_SUMMARY: "the consultation's summary",
    LetterKind.ENCOMPASS: "the Operation Encompass notice",
    LetterKind.GP_OUTCOME: "the outcome to the GP practice",
}


def addressed(text: str, name: str) -> str:
    """`text` with ((recipient_name)) filled by the name typed in To (the draft may have had none)."""
    return fill(text, {"recipient_name": name}) if name else text


def _sent_before(message: Message) -> DomainError:
    who = message.sent_by.get_full_name() or message.sent_by.username
    return DomainError(
        f"{who} wrote {KIND_NOUNS[LetterKind(message.kind)]} to {message.recipient_name} on"
        f" {shown_date(message.created_at)}; it is now {message.state_label.lower()}. Nothing was sent again"
    )


@transaction.atomic(durable=True)
def send(
    contact: Contact,
    *,
    kind: LetterKind,
    template_version: TemplateVersion,
    channel: Channel,
    recipient_name: str,
    email: str,
    postal_address: str,
    subject: str,
    body: str,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None = None,
) -> Message:
    """Send one message: checked, recorded in the sharing ledger, queued for the worker (or, printed
    in the office, waiting to be posted). A form sent again (the same `submission_key`) sends nothing
    and returns the message it sent; a second message of the kind to the same address is refused."""
    if submission_key is not None:
        earlier = Message.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    name = recipient_name.strip()
    return _send(
        contact,
        kind=kind,
        template_version=template_version,
        channel=channel,
        recipient=Recipient(name, email.strip(), postal_address.strip()),
        subject=addressed(subject, name).strip(),
        body=addressed(body, name).strip(),
        by=by,
        at=at,
        submission_key=submission_key,
    )


def _send(
    contact: Contact,
    *,
    kind: LetterKind,
    template_version: TemplateVersion,
    channel: Channel,
    recipient: Recipient,
    subject: str,
    body: str,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None,
    automatic: bool = False,
) -> Message:
    if not automatic and not permissions.can_send_messages(by):
        raise PermissionDenied
    # One sender at a time on a contact (SQLite's transactions are immediate already): a second tab's
    # message to the same address is refused, not sent twice.
    list(Contact.objects.select_for_update().filter(pk=contact.pk).values_list("pk", flat=True))
    problem = why_not_yet(contact, kind)
    if problem:
        raise DomainError(problem)
    audience = audience_for(contact, kind)
    template = template_version.template
    if template.kind != kind or template.audience != audience:
        raise DomainError("The template is not one for this message: start again from the contact")
    if kind == LetterKind.FAMILY:
        reasons = reasons_not_to_write(contact)
        if reasons:
            raise DomainError(
                f"The family must not be written to: {reasons[0].reason.lower()} ({reasons[0].source}). A manager"
                " can record that the reason no longer holds"
            )
    problems = _problems(
        channel=channel,
        recipient_name=recipient.name,
        email=recipient.email,
        postal_address=recipient.postal_address,
        subject=subject,
        body=body,
    )
    if problems:
        raise Refused(problems)
    earlier = already_sent(
        contact,
        kind,
        email=recipient.email if channel == Channel.EMAIL else "",
        postal_address=recipient.postal_address,
    )
    if earlier is not None:
        raise _sent_before(earlier)
    released = gate(contact, kind, text=f"{subject}\n{body}")
    try:
        return write_message(
            contact=contact,
            kind=kind,
            audience=audience,
            template_version=template_version,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            by=by,
            at=at,
            submission_key=submission_key,
            released=released,
            consent_position=sharing_position(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date()),
            automatic=automatic,
        )
    except IntegrityError:
        # Another tab or worker sent it a moment ago.
        earlier = already_sent(contact, kind, email=recipient.email, postal_address=recipient.postal_address)
        if earlier is not None:
            raise _sent_before(earlier) from None
        raise


def write_message(
    *,
    kind: LetterKind,
    audience: Audience,
    template_version: TemplateVersion,
    channel: Channel,
    recipient: Recipient,
    subject: str,
    body: str,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None,
    released: Release,
    consent_position: str,
    contact: Contact | None = None,
    consultation: Consultation | None = None,
    child: ContactSubject | None = None,
    agency: Agency | None = None,
    automatic: bool = False,
    call_note: str = "",
) -> Message:
    """The ledger row, the message (queued, or to print, or a telephone call recorded with `call_note`),
    and its audit event: for a message its caller has checked (the one writer of messages)."""
    email = recipient.email if channel == Channel.EMAIL else ""
    address = recipient.postal_address if channel in (Channel.LETTER, Channel.NOTIFY_LETTER) else ""
    how = email or ("by telephone" if channel == Channel.TELEPHONE else "by post")
    disclosure = record_disclosure(
        contact,
        to=f"{recipient.name} ({how})"[:200],
        released=released,
        content={"kind": kind.value, "channel": channel.value, "subject": subject, "body": body},
        purpose=PURPOSES[kind],
        # Police information goes to a school under Part 3 of the DPA as well (000 §3: Schedule 8).
        bases=POLICE_BASES if kind == LetterKind.ENCOMPASS else SAFEGUARDING_BASES,
        categories=CATEGORIES[kind],
        consent_position=consent_position,
        origin=consultation,
        by=by,
        at=at,
    )
    with transaction.atomic():
        message = Message.objects.create(
            contact=contact,
            consultation=consultation,
            child=child,
            agency=agency,
            kind=kind,
            audience=audience,
            template_version=template_version,
            channel=channel,
            recipient_name=recipient.name,
            email=email,
            postal_address=address,
            subject=subject,
            body=body,
            sent_by=by,
            created_at=at,
            disclosure=disclosure,
            submission_key=submission_key,
        )
    if channel == Channel.LETTER:
        lifecycle.transition(message, MessageEvent.PREPARE_FOR_POST, by=by, at=at)
    elif channel == Channel.TELEPHONE:
        lifecycle.transition(message, MessageEvent.RECORD_CALL, by=by, at=at, note=call_note)
    record(
        Verb.MESSAGE_SENT,
        by=by,
        contact=contact,
        at=at,
        data={
            "message": message.pk,
            "kind": kind.value,
            "channel": channel.value,
            "template_version": template_version.pk,
            "disclosure": disclosure.pk,
            **({"consultation": consultation.pk} if consultation is not None else {}),
            **({"automatic": True} if automatic else {}),
        },
    )
    return message


# Consultation summaries (002 §5–6) ------------------------------------------------------------------


def draft_summary(consultation: Consultation, *, by: User, at: datetime) -> Draft:
    """The summary of a consultation as the worker first sees it: to the consultee, by email."""
    if consultation.summary_sent_at is not None:
        raise DomainError("The summary has already been sent")
    version = current_version(LetterKind.CONSULTATION_SUMMARY, Audience.PROFESSIONAL)
    values = summary_values(consultation, protocol=active_protocol(), sender=by, at=at)
    return Draft(
        kind=LetterKind.CONSULTATION_SUMMARY,
        audience=Audience.PROFESSIONAL,
        template_version=version,
        recipient_name=consultation.consultee_name,
        email=consultation.consultee_email,
        postal_address="",
        channel=Channel.EMAIL if consultation.consultee_email else Channel.LETTER,
        subject=fill(version.subject, values),
        body=fill(version.body, values),
    )


@transaction.atomic(durable=True)
def send_summary(
    consultation: Consultation,
    *,
    template_version: TemplateVersion,
    channel: Channel,
    recipient_name: str,
    email: str,
    postal_address: str,
    subject: str,
    body: str,
    by: User,
    at: datetime,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> Message:
    """Send the consultation's summary to the consultee (002 §5–6: within 48 hours), recorded in the
    ledger, and the consultation marked as having its summary sent. Sent again (the same key): the
    message it sent; a summary already sent otherwise is refused."""
    if submission_key is not None:
        earlier = Message.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    if not permissions.can_send_messages(by):
        raise PermissionDenied
    template = template_version.template
    if (template.kind, template.audience) != (LetterKind.CONSULTATION_SUMMARY, Audience.PROFESSIONAL):
        raise DomainError("The template is not one for a consultation's summary: start again from the consultation")
    recipient = Recipient(recipient_name.strip(), email.strip(), postal_address.strip())
    subject, body = addressed(subject, recipient.name), addressed(body, recipient.name)
    problems = _problems(
        channel=channel,
        recipient_name=recipient.name,
        email=recipient.email,
        postal_address=recipient.postal_address,
        subject=subject.strip(),
        body=body.strip(),
    )
    if problems:
        raise Refused(problems)
    # The consultation moves on first: a summary someone else sent meanwhile refuses this one.
    mark_summary_sent(consultation, by=by, at=at, version=version)
    return write_message(
        consultation=consultation,
        kind=LetterKind.CONSULTATION_SUMMARY,
        audience=Audience.PROFESSIONAL,
        template_version=template_version,
        channel=channel,
        recipient=recipient,
        subject=subject.strip(),
        body=body.strip(),
        by=by,
        at=at,
        submission_key=submission_key,
        released=release((), route=Exit.CONSULTATION_SUMMARY, to=None),
        consent_position="",
    )


# Acknowledgements -------------------------------------------------------------------------------


def contacts_to_acknowledge(at: datetime) -> list[Contact]:
    """Professionals' contacts received lately and not yet acknowledged, with somewhere to write."""
    return list(
        Contact.objects.filter(referrer_kind=ReferrerKind.PROFESSIONAL, received_at__gte=at - ACKNOWLEDGE_WITHIN)
        .exclude(referrer_email="", referrer_address="")
        .exclude(messages__kind=LetterKind.ACKNOWLEDGEMENT)
        .select_related("recorded_by")
        .prefetch_related("subjects")
        .order_by("received_at", "pk")[:200]
    )


def acknowledge(contact: Contact, *, at: datetime) -> Message | None:
    """Acknowledge one professional's contact, on behalf of whoever recorded it (issue 15: within one
    working day); None when it is already acknowledged or cannot be (no template, no address)."""
    sender = contact.recorded_by
    try:
        with transaction.atomic():
            made = draft(contact, kind=LetterKind.ACKNOWLEDGEMENT, by=sender, at=at)
            return _send(
                contact,
                kind=LetterKind.ACKNOWLEDGEMENT,
                template_version=made.template_version,
                channel=made.channel,
                recipient=Recipient(made.recipient_name, made.email, made.postal_address),
                subject=made.subject,
                body=made.body,
                by=sender,
                at=at,
                submission_key=None,
                automatic=True,
            )
    except (DomainError, IntegrityError):
        return None


def queue_acknowledgements(at: datetime) -> int:
    """One round of the worker: acknowledge every contact that needs it now; how many were."""
    return sum(1 for contact in contacts_to_acknowledge(at) if acknowledge(contact, at=at) is not None)


# Deciding not to write to the family --------------------------------------------------------------


def explained(explanation: str) -> str:
    text = explanation.strip()
    if len(text) < MIN_EXPLANATION:
        raise DomainError(f"Explain why in at least {MIN_EXPLANATION} characters", field="explanation")
    return text


def family_letters_not_gone(contact: Contact) -> MessageQuerySet:
    """Letters to the family written but not yet gone (to print, or waiting for the worker): a decision not
    to write to the family withdraws them."""
    return contact.messages.filter(kind=LetterKind.FAMILY, state__in=[MessageState.QUEUED, MessageState.TO_PRINT])


@transaction.atomic(durable=True)
def decide_not_to_write(
    contact: Contact, *, reason: str, explanation: str, by: User, at: datetime
) -> FamilyLetterDecision:
    """Record that the family is not written to, with a coded reason (003 App. 4 §11; counted)."""
    if not permissions.can_decide_not_to_write(by):
        raise PermissionDenied
    if reason not in WithheldReason.values:
        raise DomainError("Choose why the family is not written to", field="reason")
    text = explained(explanation)
    decision = FamilyLetterDecision.objects.create(
        contact=contact, withhold=True, reason=reason, explanation=text, decided_by=by, decided_at=at
    )
    withdrawn = []
    for letter in family_letters_not_gone(contact):
        lifecycle.transition(
            letter, MessageEvent.WITHDRAW, by=by, at=at, note=f"Not to be sent: {WithheldReason(reason).label.lower()}"
        )
        withdrawn.append(letter.pk)
    record(
        Verb.FAMILY_LETTER_WITHHELD,
        by=by,
        contact=contact,
        at=at,
        data={"decision": decision.pk, "reason": reason, "withdrawn": withdrawn},
    )
    return decision


@transaction.atomic(durable=True)
def lift_reasons_not_to_write(contact: Contact, *, explanation: str, by: User, at: datetime) -> FamilyLetterDecision:
    """A manager records that the reasons not to write to the family no longer hold."""
    if not permissions.can_lift_reasons_not_to_write(by):
        raise PermissionDenied
    if not reasons_not_to_write(contact):
        raise DomainError("Nothing stops a letter to the family: there is no reason to lift")
    text = explained(explanation)
    decision = FamilyLetterDecision.objects.create(
        contact=contact, withhold=False, explanation=text, decided_by=by, decided_at=at
    )
    record(Verb.FAMILY_LETTER_REASONS_LIFTED, by=by, contact=contact, at=at, data={"decision": decision.pk})
    return decision


# Templates -----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def save_template(
    template: Template, *, subject: str, body: str, note: str, by: User, at: datetime, based_on: int
) -> TemplateVersion:
    """A new version of `template`, checked: a field Safehub does not know, or one its audience is
    not told, is refused here, never sent. `based_on`: the version the administrator edited (a newer
    one saved meanwhile refuses this, so neither overwrites the other)."""
    if not permissions.can_edit_templates(by):
        raise PermissionDenied
    latest = template.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.number != based_on:
        raise DomainError(
            f"Someone saved version {latest.number} of this template since you opened it. Reload the page to"
            " edit the newest words"
        )
    kind, audience = LetterKind(template.kind), Audience(template.audience)
    problems = [
        Problem(message, field=name)
        for name, text in (("subject", subject), ("body", body))
        for message in template_problems(kind, audience, text, where="subject" if name == "subject" else "message")
    ]
    if not subject.strip():
        problems.insert(0, Problem("Enter the subject", field="subject"))
    if not body.strip():
        problems.append(Problem("Enter the words of the template", field="body"))
    if problems:
        raise Refused(problems)
    if latest is not None and (latest.subject, latest.body) == (subject.strip(), body.strip()):
        raise DomainError("Nothing changed: the words are the same as version " + str(latest.number))
    version = TemplateVersion.objects.create(
        template=template,
        number=(latest.number if latest else 0) + 1,
        subject=subject.strip(),
        body=body.strip(),
        note=note.strip()[:300],
        made_by=by,
        made_at=at,
    )
    record(
        Verb.LETTER_TEMPLATE_CHANGED,
        by=by,
        at=at,
        data={"template": template.pk, "version": version.number},
    )
    return version


# The register of schools (Operation Encompass) ----------------------------------------------------------


@transaction.atomic(durable=True)
def save_school(school: School, *, changed: Sequence[str], by: User, at: datetime) -> School:
    """Add `school` (unsaved) to the register, or save a change to one (its DSL moves on, say), with its
    audit event; `changed`: the fields the administrator changed."""
    if not permissions.can_manage_schools(by):
        raise PermissionDenied
    added = school.pk is None
    school.save()
    record(
        Verb.SCHOOL_REGISTER_CHANGED,
        by=by,
        at=at,
        data={"school": school.pk, "added": added, "changed": sorted(changed)},
    )
    return school


# A message's life after it is sent ------------------------------------------------------------------


@transaction.atomic(durable=True)
def mark_posted(message: Message, *, by: User, at: datetime, version: int) -> None:
    if not permissions.can_handle_post(by):
        raise PermissionDenied
    claim(message, version, noun="message")
    lifecycle.transition(message, MessageEvent.MARK_POSTED, by=by, at=at, fields={"delivered_at": at})
    record(Verb.MESSAGE_POSTED, by=by, contact_id=message.contact_id, at=at, data={"message": message.pk})


@transaction.atomic(durable=True)
def told_another_way(message: Message, *, explanation: str, by: User, at: datetime, version: int) -> None:
    """A message that did not arrive (or will not be posted): the recipient was told another way."""
    if not permissions.can_handle_post(by):
        raise PermissionDenied
    text = explained(explanation)
    if message.state not in (MessageState.TO_PRINT, MessageState.FAILED):
        raise DomainError("Only a letter to post or a message that was not delivered is recorded as told another way")
    claim(message, version, noun="message")
    lifecycle.transition(message, MessageEvent.TELL_ANOTHER_WAY, by=by, at=at, note=text)
    record(Verb.MESSAGE_TOLD_ANOTHER_WAY, by=by, contact_id=message.contact_id, at=at, data={"message": message.pk})


@transaction.atomic(durable=True)
def send_again(message: Message, *, by: User, at: datetime, version: int) -> None:
    """A message that was not delivered, sent again as it is (after a temporary failure)."""
    if not permissions.can_send_messages(by):
        raise PermissionDenied
    claim(message, version, noun="message")
    lifecycle.transition(
        message, MessageEvent.RETRY, by=by, at=at, fields={"next_attempt_at": None, "attempts": 0, "failure": ""}
    )
    record(Verb.MESSAGE_SENT_AGAIN, by=by, contact_id=message.contact_id, at=at, data={"message": message.pk})
