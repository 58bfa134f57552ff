"""Recording consent, competence and overrides, and the gate every route that shares asks first
(ADR 0034). Each write is one transaction with its audit event; nothing is edited in place."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.refusals import refusals_recorded
from safehub.audit.services import record
from safehub.consent import permissions
from safehub.consent.models import (
    OWN_ANSWERS,
    CompetenceAssessment,
    ConsentAnswer,
    ConsentMethod,
    ConsentOverride,
    ConsentPurpose,
    ConsentRecord,
    Giver,
    OverridePower,
)
from safehub.consent.queries import age_bands, latest_competence, open_override, without_consent
from safehub.consent.rules import Band, age_on, band, day_problems, giver_problems, rationale_problems
from safehub.consent.workflow import OverrideEvent
from safehub.contacts.models import Contact, ContactSubject
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.lifecycle import transition
from safehub.core.presenters import lower_first
from safehub.core.submissions import content_key, create_once, earlier_submission
from safehub.protocols.policy import active_protocol


class ConsentMissing(Refused):
    """Sharing refused: someone on the contact has no consent for the purpose and no override covers them."""

    def __init__(self, purpose: ConsentPurpose, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.purpose = purpose


def _subject(contact: Contact, subject_id: int | None) -> ContactSubject:
    found = contact.subjects.filter(pk=subject_id).first() if subject_id else None
    if found is None:
        raise DomainError("Choose a person on this contact", field="subject")
    return found


def _contact(contact: Contact) -> Contact:
    return contact


def _override_contact(override: ConsentOverride) -> Contact:
    return override.contact


def _received_on(contact: Contact) -> date:
    return timezone.localdate(contact.received_at)


@dataclass(frozen=True)
class Answer:
    """An answer as a form sends it."""

    subject_id: int | None
    purpose: str
    answer: str
    given_by: str
    giver_name: str
    given_on: date | None
    method: str
    note: str = ""


def _answer_problems(contact: Contact, subject: ContactSubject, answer: Answer, *, at: datetime) -> list[Problem]:
    problems = []
    if answer.purpose not in ConsentPurpose.values:
        problems.append(Problem("Choose what the consent is for", field="purpose"))
    if answer.answer not in ConsentAnswer.values:
        problems.append(Problem("Say whether consent was given or refused", field="answer"))
    if answer.given_by not in Giver.values:
        problems.append(Problem("Say who answered", field="given_by"))
    if answer.method not in ConsentMethod.values:
        problems.append(Problem("Say how they answered", field="method"))
    if answer.given_by == Giver.PARENT and not answer.giver_name.strip():
        problems.append(Problem("Enter the name of the parent or carer who answered", field="giver_name"))
    problems += day_problems(
        day=answer.given_on,
        today=timezone.localdate(at),
        earliest=_received_on(contact),
        field="given_on",
        what="they answered",
    )
    if answer.given_by in Giver.values and answer.purpose in ConsentPurpose.values and answer.given_on is not None:
        assessment = latest_competence(subject, answer.purpose)
        problems += giver_problems(
            given_by=answer.given_by,
            age_band=band(
                is_child=subject.is_child,
                age=age_on(subject.date_of_birth, answer.given_on),
                bands=age_bands(active_protocol()),
            ),
            competent=assessment.competent if assessment is not None else None,
            name=subject.display_name,
        )
    return problems


@refusals_recorded(Verb.CONSENT_ACTION_REFUSED, "record consent", contact_of=_contact)
@transaction.atomic(durable=True)
def record_consent(
    contact: Contact, answer: Answer, *, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> ConsentRecord:
    """One person's answer for one purpose. The same answer sent again (Back and resubmit, a second tab)
    is the record already made."""
    if not permissions.can_record_consent(by):
        raise PermissionDenied
    if closed := permissions.why_no_answers(contact):
        raise DomainError(closed)
    subject = _subject(contact, answer.subject_id)
    problems = _answer_problems(contact, subject, answer, at=at)
    given_on = answer.given_on
    if problems or given_on is None:
        raise Refused(problems)
    own = answer.given_by in OWN_ANSWERS
    # Who answered for themselves is the person: a name typed as well is not theirs to give.
    name = subject.display_name if own else answer.giver_name.strip()
    fields = {
        "contact": contact.pk,
        "subject": subject.pk,
        "purpose": answer.purpose,
        "answer": answer.answer,
        "given_by": answer.given_by,
        "giver_name": name,
        "given_on": answer.given_on,
        "method": answer.method,
        "note": answer.note,
    }
    key = content_key(fields)
    earlier = earlier_submission(ConsentRecord, by=by, submission_key=submission_key, content=key)
    if earlier is not None:
        return earlier
    competence = latest_competence(subject, answer.purpose) if answer.given_by == Giver.COMPETENT_YOUNG_PERSON else None

    def create() -> ConsentRecord:
        return ConsentRecord.objects.create(
            contact=contact,
            subject=subject,
            purpose=answer.purpose,
            answer=answer.answer,
            given_by=answer.given_by,
            giver_name=name,
            given_on=given_on,
            method=answer.method,
            note=answer.note.strip(),
            competence=competence,
            recorded_by=by,
            recorded_at=at,
            submission_key=submission_key,
            content_key=key,
        )

    made, created = create_once(ConsentRecord, create, by=by, submission_key=submission_key, content=key)
    if created:
        record(
            Verb.CONSENT_RECORDED,
            by=by,
            contact=contact,
            at=at,
            data={
                "consent": made.pk,
                "subject": subject.pk,
                "purpose": made.purpose,
                "answer": made.answer,
                "given_by": made.given_by,
            },
        )
    return made


@dataclass(frozen=True)
class Assessment:
    """A competence assessment as a form sends it: the four questions, why, and the day."""

    subject_id: int | None
    purpose: str
    understands: bool
    consequences: bool
    weighs: bool
    voluntary: bool
    rationale: str
    assessed_on: date | None


@refusals_recorded(Verb.CONSENT_ACTION_REFUSED, "assess competence", contact_of=_contact)
@transaction.atomic(durable=True)
def assess_competence(
    contact: Contact, assessment: Assessment, *, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> CompetenceAssessment:
    """Whether a young person between the protocol's two consent ages may answer for themselves about a
    purpose: competent only if every question is answered yes."""
    if not permissions.can_assess_competence(by):
        raise PermissionDenied
    subject = _subject(contact, assessment.subject_id)
    problems = []
    if assessment.purpose not in ConsentPurpose.values:
        problems.append(Problem("Choose what the young person would be answering about", field="purpose"))
    problems += day_problems(
        day=assessment.assessed_on,
        today=timezone.localdate(at),
        earliest=_received_on(contact),
        field="assessed_on",
        what="of the assessment",
    )
    if assessment.assessed_on is not None:
        bands = age_bands(active_protocol())
        age = age_on(subject.date_of_birth, assessment.assessed_on)
        found = band(is_child=subject.is_child, age=age, bands=bands)
        if found == Band.ADULT:
            problems.append(
                Problem(f"{subject.display_name} is an adult: competence is assessed for a child", field="subject")
            )
        elif found == Band.SELF:
            problems.append(
                Problem(
                    f"{subject.display_name} was {age} then: at {bands.self_age} or over a young person answers for"
                    " themselves, with no assessment",
                    field="subject",
                )
            )
        elif found == Band.PARENT:
            said = f"was {age} then" if age is not None else "has no date of birth recorded"
            problems.append(
                Problem(
                    f"{subject.display_name} {said}: competence is assessed only from {bands.competence_age};"
                    " a parent or carer answers for a younger child",
                    field="subject",
                )
            )
    problems += rationale_problems(assessment.rationale, field="rationale", what="why you reached this view")
    assessed_on = assessment.assessed_on
    if problems or assessed_on is None:
        raise Refused(problems)
    competent = all((assessment.understands, assessment.consequences, assessment.weighs, assessment.voluntary))
    fields = {
        "contact": contact.pk,
        "subject": subject.pk,
        "purpose": assessment.purpose,
        "answers": [assessment.understands, assessment.consequences, assessment.weighs, assessment.voluntary],
        "rationale": assessment.rationale,
        "assessed_on": assessment.assessed_on,
    }
    key = content_key(fields)
    earlier = earlier_submission(CompetenceAssessment, by=by, submission_key=submission_key, content=key)
    if earlier is not None:
        return earlier

    def create() -> CompetenceAssessment:
        return CompetenceAssessment.objects.create(
            contact=contact,
            subject=subject,
            purpose=assessment.purpose,
            understands=assessment.understands,
            consequences=assessment.consequences,
            weighs=assessment.weighs,
            voluntary=assessment.voluntary,
            competent=competent,
            rationale=assessment.rationale.strip(),
            assessed_on=assessed_on,
            recorded_by=by,
            recorded_at=at,
            submission_key=submission_key,
            content_key=key,
        )

    made, created = create_once(CompetenceAssessment, create, by=by, submission_key=submission_key, content=key)
    if created:
        record(
            Verb.COMPETENCE_ASSESSED,
            by=by,
            contact=contact,
            at=at,
            data={"assessment": made.pk, "subject": subject.pk, "purpose": made.purpose, "competent": competent},
        )
    return made


def _missing_problems(contact: Contact, purpose: ConsentPurpose, *, on: date) -> list[Problem]:
    return [
        Problem(f"{found.subject.display_name}: {lower_first(found.position.label)} for {lower_first(purpose.label)}")
        for found in without_consent(contact, purpose, on=on)
    ]


@refusals_recorded(Verb.CONSENT_ACTION_REFUSED, "ask to share without consent", contact_of=_contact)
@transaction.atomic(durable=True)
def ask_override(
    contact: Contact,
    purpose: str,
    reason: str,
    *,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None = None,
) -> ConsentOverride:
    """Ask to share without consent for `purpose`, for everyone on the contact who has not consented.
    Someone else decides (decide_override)."""
    if not permissions.can_ask_override(by):
        raise PermissionDenied
    if purpose not in ConsentPurpose.values:
        raise DomainError("Choose what the information would be shared for", field="purpose")
    chosen = ConsentPurpose(purpose)
    if chosen == ConsentPurpose.EARLY_HELP:
        raise DomainError("Early help always needs the family's consent: it is never given without it", field="purpose")
    if submission_key is not None:
        again = ConsentOverride.objects.filter(submission_key=submission_key).first()
        if again is not None:
            return again
    waiting = open_override(contact, chosen)
    if waiting is not None:
        raise DomainError(
            f"{waiting.asked_by} asked on {timezone.localtime(waiting.asked_at):%-d %B %Y at %H:%M} to share without"
            " consent for this; it waits for a manager's decision",
            field="purpose",
        )
    problems = rationale_problems(reason, field="reason", what="why the information should be shared without consent")
    people = [found.subject for found in without_consent(contact, chosen, on=timezone.localdate(at))]
    if not people:
        problems.insert(
            0, Problem("Everyone on this contact has consented to this: nothing to override", field="purpose")
        )
    if problems:
        raise Refused(problems)
    override = ConsentOverride.objects.create(
        contact=contact, purpose=chosen, reason=reason.strip(), asked_by=by, asked_at=at, submission_key=submission_key
    )
    override.people.set(people)
    record(
        Verb.OVERRIDE_ASKED,
        by=by,
        contact=contact,
        at=at,
        data={"override": override.pk, "purpose": chosen.value, "people": [p.pk for p in people]},
    )
    return override


@dataclass(frozen=True)
class Decision:
    """A manager's decision on a request to share without consent, as the form sends it."""

    agree: bool
    rationale: str
    power: str = ""
    owner_id: int | None = None
    owner_agreed_by: str = ""
    owner_agreed_at: datetime | None = None


def _decision_problems(override: ConsentOverride, decision: Decision, *, at: datetime) -> list[Problem]:
    problems: list[Problem] = []
    if decision.agree and decision.power not in OverridePower.values:
        problems.append(Problem("Choose the power relied on to share without consent", field="power"))
    what = "why you agree to share without consent" if decision.agree else "why you decline"
    problems += rationale_problems(decision.rationale, field="rationale", what=what)
    if decision.agree and active_protocol().override_needs_owner_agreement:
        if decision.owner_id is None or not Agency.objects.filter(pk=decision.owner_id, is_host=False).exists():
            problems.append(Problem("Choose the agency that owns the information", field="owner"))
        if not decision.owner_agreed_by.strip():
            problems.append(Problem("Enter who at that agency agreed", field="owner_agreed_by"))
        if decision.owner_agreed_at is None:
            problems.append(Problem("Enter when the agency agreed", field="owner_agreed_at"))
        elif decision.owner_agreed_at > at:
            problems.append(Problem("The agency's agreement cannot be in the future", field="owner_agreed_at"))
        elif decision.owner_agreed_at < override.contact.received_at:
            problems.append(
                Problem("The agency's agreement cannot be before the contact was received", field="owner_agreed_at")
            )
    return problems


@refusals_recorded(
    Verb.CONSENT_ACTION_REFUSED, "decide a request to share without consent", contact_of=_override_contact
)
@transaction.atomic(durable=True)
def decide_override(
    override: ConsentOverride, decision: Decision, *, by: User, at: datetime, version: int
) -> ConsentOverride:
    """Agree (with the power relied on, a rationale and, where the protocol asks, the owning agency's
    agreement) or decline. Never by the person who asked."""
    protocol = active_protocol()
    if override.asked_by_id == by.pk and permissions.could_decide_overrides(by, protocol):
        raise DomainError("You asked to share without consent: another manager must decide it")
    if not permissions.can_decide_override(by, override, protocol):
        raise PermissionDenied
    problems = _decision_problems(override, decision, at=at)
    if problems:
        raise Refused(problems)
    override.version = version
    owned = decision.agree and protocol.override_needs_owner_agreement
    transition(
        override,
        OverrideEvent.AGREE if decision.agree else OverrideEvent.DECLINE,
        by=by,
        at=at,
        note=decision.rationale.strip(),
        fields={
            "power": decision.power if decision.agree else "",
            "rationale": decision.rationale.strip(),
            "decided_by_id": by.pk,
            "decided_at": at,
            "owner_id": decision.owner_id if owned else None,
            "owner_agreed_by": decision.owner_agreed_by.strip() if owned else "",
            "owner_agreed_at": decision.owner_agreed_at if owned else None,
        },
    )
    record(
        Verb.OVERRIDE_AGREED if decision.agree else Verb.OVERRIDE_DECLINED,
        by=by,
        contact=override.contact,
        at=at,
        data={
            "override": override.pk,
            "purpose": override.purpose,
            "power": override.power,
            "owner": override.owner_id,
        },
    )
    return override


@transaction.atomic(durable=True)
def withdraw_override(override: ConsentOverride, *, by: User, at: datetime, version: int, note: str = "") -> None:
    """Whoever asked takes the request back before it is decided (consent was given after all, say)."""
    if not permissions.can_withdraw_override(by, override):
        raise PermissionDenied
    override.version = version
    transition(override, OverrideEvent.WITHDRAW, by=by, at=at, note=note.strip())
    record(Verb.OVERRIDE_WITHDRAWN, by=by, contact=override.contact, at=at, data={"override": override.pk})


def check_sharing(contact: Contact, purpose: ConsentPurpose, *, at: datetime) -> None:
    """Raises `ConsentMissing`, naming each person on the contact without consent for `purpose` or an
    agreed override covering them; the gate a service asks again inside its own transaction."""
    problems = _missing_problems(contact, purpose, on=timezone.localdate(at))
    if problems:
        advice = "Record their consent on the contact, or ask a manager to agree to share without it"
        if purpose == ConsentPurpose.EARLY_HELP:
            advice = "Record their consent on the contact: early help always needs it"
        raise ConsentMissing(purpose, [*problems, Problem(advice)])


def require_sharing(contact: Contact, purpose: ConsentPurpose, *, by: User, at: datetime) -> None:
    """The gate before sharing for `purpose` (check_sharing), with the refusal recorded: call it before
    the sharing service opens its transaction, so that the record outlives the refusal."""
    try:
        check_sharing(contact, purpose, at=at)
    except ConsentMissing as refusal:
        with transaction.atomic():
            record(
                Verb.CONSENT_SHARING_REFUSED,
                by=by,
                contact=contact,
                at=at,
                data={"purpose": purpose.value, "people": len(refusal.problems) - 1},
            )
        raise
