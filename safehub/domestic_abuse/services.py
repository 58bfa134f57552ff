"""Recording a police domestic-abuse notification's incident and risk assessment (issue 13), with its
audit event, in one transaction. A correction is the same form again: it claims the record's version,
so two people correcting at once end with one correction and a message for the other; the audit names
what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import CHILD_ROLES, Channel, ConcernCategory, Contact
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.core.races import claim
from safehub.domestic_abuse import permissions, rules
from safehub.domestic_abuse.models import (
    QUESTION_LENGTH,
    Assessment,
    Correction,
    DashQuestion,
    MaracBasis,
    Notification,
)
from safehub.domestic_abuse.queries import referrals_repeated
from safehub.protocols.policy import active_protocol

NOUN = "domestic-abuse notification"
# What the audit compares before and after a correction.
AUDITED = (
    "police_reference",
    "incident_at",
    "place",
    "victim_id",
    "perpetrator_id",
    "children_present",
    "assessment",
    "risk_level",
    "dash_score",
    "marac_basis",
)


def is_notification(contact: Contact) -> bool:
    """A police notification of domestic abuse: the contacts this record belongs to."""
    return (
        contact.channel == Channel.POLICE_NOTIFICATION and ConcernCategory.DOMESTIC_ABUSE in contact.concern_categories
    )


def questions_in_use() -> list[rules.Question]:
    return [rules.Question(q.number, q.text) for q in DashQuestion.objects.filter(in_use=True).order_by("number")]


def questions_for(notification: Notification | None) -> list[rules.Question]:
    """The questions a DASH notification was answered with (its correction asks them again, as they were
    worded), or the checklist's questions in use now."""
    if notification is not None and notification.dash_answers:
        return [rules.Question(answer["number"], answer["text"]) for answer in notification.dash_answers]
    return questions_in_use()


def threshold_for(notification: Notification | None) -> int:
    """The MARAC threshold a notification is measured against: the one it was recorded under, else the
    protocol's now."""
    if notification is not None and notification.marac_threshold is not None:
        return notification.marac_threshold
    return active_protocol().marac_threshold


def problems(
    contact: Contact, details: rules.Details, *, at: datetime, notification: Notification | None = None
) -> list[Problem]:
    """Everything wrong with the details for this contact (its people, its children, when police told us);
    a correction of `notification` needs its reason."""
    subjects = list(contact.subjects.all())
    return rules.problems(
        details,
        questions=questions_for(notification),
        people={s.pk: s.display_name for s in subjects},
        children=[s.pk for s in subjects if s.role in CHILD_ROLES],
        received_at=contact.received_at,
        at=at,
        correcting=notification is not None,
    )


def _fields(details: rules.Details, questions: list[rules.Question], *, threshold: int, repeat: bool) -> dict[str, Any]:
    is_dash = details.assessment == Assessment.DASH
    answers = {q.number: details.answers[q.number] for q in questions} if is_dash else {}
    basis = rules.marac_basis(details, threshold=threshold, repeat=repeat)
    return {
        "police_reference": details.police_reference.strip(),
        "incident_at": details.incident_at,
        "place": details.place.strip(),
        "victim_id": details.victim,
        "perpetrator_id": details.perpetrator,
        "children_present": {str(pk): value for pk, value in sorted(details.children_present.items())},
        "assessment": details.assessment,
        "risk_level": details.risk_level,
        "dash_answers": [{"number": q.number, "text": q.text, "answer": answers[q.number]} for q in questions]
        if is_dash
        else [],
        "dash_score": rules.dash_score(answers) if is_dash else None,
        "marac_threshold": threshold if is_dash else None,
        "marac_basis": basis,
        "judgement_rationale": details.rationale.strip() if basis == MaracBasis.JUDGEMENT else "",
    }


def _is_repeat(contact: Contact, details: rules.Details, *, excluding: int | None) -> bool:
    """Whether the victim was referred to MARAC in the 12 months before this incident."""
    assert details.incident_at is not None  # noqa: S101 - the rules refused a notification without one
    assert details.victim is not None  # noqa: S101 - and one without a victim
    victim = contact.subjects.get(pk=details.victim)
    probe = Notification(pk=excluding, victim=victim, incident_at=details.incident_at)
    return bool(referrals_repeated([probe]))


@transaction.atomic(durable=True)
def record_notification(
    contact: Contact, details: rules.Details, *, by: User, at: datetime, version: int | None
) -> Notification:
    """Record (`version` None) or correct (the version the form was drawn at, with the reason) what police
    sent. Every problem is refused at once; a second person recording the same notification is told who
    did. A correction asks the questions the notification was answered with, against its threshold."""
    if not permissions.can_record_notification(by):
        raise PermissionDenied
    if not is_notification(contact):
        raise DomainError("Only a police notification of domestic abuse has an incident and a risk assessment")
    existing = Notification.objects.filter(contact=contact).select_related("recorded_by").first()
    if version is None and existing is not None:
        raise DomainError(
            f"{existing.recorded_by} recorded this notification at {shown_date(existing.recorded_at, 'H:i')}:"
            " reload the page to see it, and correct it there if need be"
        )
    if version is not None and existing is None:
        raise DomainError("This notification's record is gone: reload the page")
    found = problems(contact, details, at=at, notification=existing)
    if found:
        raise Refused(found)
    children = {s.pk for s in contact.subjects.all() if s.role in CHILD_ROLES}
    repeat = _is_repeat(contact, details, excluding=existing.pk if existing else None)
    fields = _fields(details, questions_for(existing), threshold=threshold_for(existing), repeat=repeat)
    fields["children_present"] = {
        key: value for key, value in fields["children_present"].items() if int(key) in children
    }
    if existing is None:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(contact=contact, recorded_at=at, recorded_by=by, **fields)
        except IntegrityError:  # recorded a moment ago by someone else
            raise DomainError("This notification was recorded a moment ago by someone else: reload the page") from None
        record(Verb.DOMESTIC_ABUSE_RECORDED, by=by, contact=contact, at=at, data=_audited(notification.__dict__))
        return notification
    assert version is not None  # noqa: S101 - refused above
    claim(existing, version, noun=NOUN)
    before = _audited(existing.__dict__)
    answers_before = existing.dash_answers
    if all(getattr(existing, name) == value for name, value in fields.items()):
        raise DomainError("Nothing is changed: there is nothing to correct", field="correction_reason")
    reason = details.correction_reason.strip()
    Notification.objects.filter(pk=existing.pk).update(
        version=version + 1, corrected_at=at, corrected_by=by, correction_reason=reason, **fields
    )
    existing.refresh_from_db()
    after = _audited(existing.__dict__)
    changes = {name: [before[name], after[name]] for name in AUDITED if before[name] != after[name]}
    was = {answer["number"]: answer["answer"] for answer in answers_before}
    now = {answer["number"]: answer["answer"] for answer in existing.dash_answers}
    answered = [[number, was.get(number, ""), now.get(number, "")] for number in sorted(was | now)]
    if any(before_answer != after_answer for _, before_answer, after_answer in answered):
        changes["answers"] = [row for row in answered if row[1] != row[2]]
    Correction.objects.create(
        notification=existing, at=at, by=by, reason=reason, changes=changes, answers_before=answers_before
    )
    record(
        Verb.DOMESTIC_ABUSE_CHANGED,
        by=by,
        contact=contact,
        at=at,
        data={"notification": existing.pk, "changes": changes, "reason": reason},
    )
    return existing


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name].isoformat() if isinstance(values[name], datetime) else values[name] for name in AUDITED}


@transaction.atomic(durable=True)
def save_question(
    question: DashQuestion | None, *, text: str, in_use: bool, by: User, at: datetime, version: int | None
) -> DashQuestion:
    """Reword or retire a question of the DASH checklist (`question`), or add one at the end (None).
    Notifications already recorded keep the words they were answered with. The checklist keeps at
    least as many questions as the protocol's MARAC threshold, or no notification could reach it."""
    if not permissions.can_change_checklist(by):
        raise PermissionDenied
    words = " ".join(text.split())
    problems = []
    if not words:
        problems.append(Problem("Enter the question", field="text"))
    elif len(words) > QUESTION_LENGTH:
        problems.append(Problem(f"Enter a question of at most {QUESTION_LENGTH} characters", field="text"))
    others = DashQuestion.objects.filter(text__iexact=words)
    same = (others.exclude(pk=question.pk) if question is not None else others).first()
    if same is not None:
        problems.append(Problem(f"Question {same.number} already asks this", field="text"))
    if problems:
        raise Refused(problems)
    if question is None:
        last = DashQuestion.objects.select_for_update().order_by("-number").first()
        question = DashQuestion.objects.create(number=(last.number if last else 0) + 1, text=words, in_use=True)
        record(Verb.DASH_QUESTION_CHANGED, by=by, at=at, data={"number": question.number, "added": words})
        return question
    claim(question, version if version is not None else -1, noun="question")
    threshold = active_protocol().marac_threshold
    still = DashQuestion.objects.filter(in_use=True).exclude(pk=question.pk).count() + (1 if in_use else 0)
    if still < threshold:
        raise DomainError(
            f"The checklist needs at least {threshold} questions in use: the MARAC threshold is {threshold}",
            field="in_use",
        )
    before = {"text": question.text, "in_use": question.in_use}
    DashQuestion.objects.filter(pk=question.pk).update(text=words, in_use=in_use, version=question.version + 1)
    question.refresh_from_db()
    after = {"text": question.text, "in_use": question.in_use}
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    record(Verb.DASH_QUESTION_CHANGED, by=by, at=at, data={"number": question.number, "changes": changes})
    return question
