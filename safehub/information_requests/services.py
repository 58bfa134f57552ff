"""Taking, answering, approving, referring and refusing information requests (000, levels 1 to 3).
Each action is one transaction with its audit event; every answer is a row of the sharing ledger,
and every refusal a decision not to share. An incomplete request is turned away with every reason
at once, nothing disclosed, and the turning away recorded in the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.timezone import localtime

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.information_requests import permissions
from safehub.information_requests.models import InformationRequest, Level
from safehub.information_requests.rules import Details, Involved, level_one, level_two, request_problems
from safehub.information_requests.workflow import RequestEvent, RequestState
from safehub.people.models import CSC_SERVICES, Person, Service
from safehub.protocols.models import INFORMATION_REQUEST_CLOCKS
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.sharing.exits import Exit, release
from safehub.sharing.services import record_decision_not_to_share, record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Basis, Category, Purpose

NOUN = "information request"
MIN_REFUSAL = 20
MIN_REASONS = 20
# Level 1 and 2 answers name the child's involvement with children's social care and early help.
ANSWERED_SERVICES = CSC_SERVICES | {Service.EARLY_HELP}


def _due(level: int, at: datetime) -> datetime:
    due = Deadlines(active_protocol()).due(INFORMATION_REQUEST_CLOCKS[level], start=at)
    if due is None:
        raise DomainError(
            "The local protocol sets no time for this level of information request: an administrator must add one"
        )
    return due


def take_request(
    details: Details,
    *,
    agency: Agency | None,
    person: Person | None,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None = None,
) -> InformationRequest:
    """Record a request. An incomplete one is turned away: nothing recorded but the turning away."""
    if not permissions.can_take_requests(by):
        raise PermissionDenied
    earlier = _taken_already(details, by=by, at=at, submission_key=submission_key)
    if earlier is not None:
        return earlier  # the same form sent again (a double click, or Back and send): the request it made
    problems = request_problems(details, today=localtime(at).date())
    if problems:
        with transaction.atomic():
            record(
                Verb.INFORMATION_REQUEST_TURNED_AWAY,
                by=by,
                at=at,
                data={
                    "level": details.level,
                    "organisation": details.requester_organisation.strip()[:200],
                    "problems": [problem.field for problem in problems],
                },
            )
        raise Refused(problems)
    return _take(details, agency=agency, person=person, by=by, at=at, submission_key=submission_key)


RESUBMISSION_WINDOW = timedelta(hours=1)


def _taken_already(
    details: Details, *, by: User, at: datetime, submission_key: uuid.UUID | None
) -> InformationRequest | None:
    """The request this form already made: its one-time key, or (after Back, which draws a new key)
    the same request taken by the same person within the hour."""
    if submission_key is not None:
        found = InformationRequest.objects.filter(submission_key=submission_key).first()
        if found is not None:
            return found
    return InformationRequest.objects.filter(
        recorded_by=by,
        level=details.level,
        requester_email__iexact=details.requester_email.strip(),
        child_name__iexact=details.child_name.strip(),
        reason=details.reason.strip(),
        received_at__gte=at - RESUBMISSION_WINDOW,
    ).first()


@transaction.atomic(durable=True)
def _take(
    details: Details,
    *,
    agency: Agency | None,
    person: Person | None,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None,
) -> InformationRequest:
    level = Level(details.level)
    try:
        request = InformationRequest.objects.create(
            level=level,
            received_at=at,
            recorded_by=by,
            due_at=_due(level, at),
            requester_name=details.requester_name.strip(),
            requester_role=details.requester_role.strip(),
            requester_organisation=details.requester_organisation.strip(),
            agency=agency,
            requester_email=details.requester_email.strip(),
            requester_phone=details.requester_phone.strip(),
            identity_checked=details.identity_checked.strip(),
            child_name=details.child_name.strip(),
            child_date_of_birth=details.child_date_of_birth,
            person=person,
            reason=details.reason.strip(),
            consent_evidence=details.consent_evidence,
            exemption=details.exemption,
            submission_key=submission_key,
        )
    except IntegrityError as error:  # the same form, sent twice at once: the other copy went first
        raise DomainError("This request has just been recorded: find it in the list") from error
    record(
        Verb.INFORMATION_REQUEST_RECORDED,
        by=by,
        person=person,
        at=at,
        data={"request": request.pk, "level": level.value},
    )
    if level == Level.THREE:
        lifecycle.transition(request, RequestEvent.REFER, by=by, at=at, note="Whole-file request (000, level 3)")
        record(Verb.INFORMATION_REQUEST_REFERRED, by=by, person=person, at=at, data={"request": request.pk})
    return request


FRONT_DOOR = "A contact with the MASH, being considered now"


def involvements_of(person: Person | None) -> list[Involved]:
    """What children's social care has had to do with the person: its services' involvements, and a
    contact about them the MASH is considering now (walk-through: a child with a MASH contact open,
    checks under way, was answered "not known")."""
    if person is None:
        return []
    considering = (
        Contact.objects.filter(subjects__person=person, subjects__removed_at__isnull=True)
        .exclude(state=ContactState.CLOSED)
        .select_related("team", "allocated_to")
        .distinct()
    )
    at_the_front_door = [
        Involved(
            service=FRONT_DOOR,
            code="mash",
            started=localtime(contact.received_at).date(),
            ended=None,
            worker=contact.allocated_to.get_full_name() if contact.allocated_to else "",
            worker_email=contact.allocated_to.email if contact.allocated_to else "",
            team=contact.team.name,
        )
        for contact in considering
    ]
    return at_the_front_door + [
        Involved(
            service=Service(each.service).label,
            code=each.service,
            started=each.started_on,
            ended=each.ended_on,
            worker=each.allocated_worker,
            worker_email=each.worker_email,
            team=each.team,
        )
        for each in person.involvements.filter(service__in=[service.value for service in ANSWERED_SERVICES])
    ]


def _who_asked(request: InformationRequest) -> str:
    return f"{request.requester_name}, {request.requester_role}, {request.requester_organisation}"[:200]


def _identified(request: InformationRequest, person: Person | None, not_found: bool) -> Person | None:
    """The child's record in the person index, or the worker's word that they searched and found none."""
    chosen = person or request.person
    if chosen is None and not not_found:
        raise DomainError(
            "Find the child in the person index, or say that you searched and found no record", field="person"
        )
    return chosen


def _disclose(
    request: InformationRequest, content: dict[str, object], *, by: User, at: datetime, decided_by: User
) -> None:
    person = request.person
    record_disclosure(
        None,
        to=request.agency or _who_asked(request),
        # The answer is the hub's own record of its involvement: no other agency's information goes in it.
        released=release((), route=Exit.INFORMATION_REQUEST, to=request.agency_id),
        content=content,
        purpose=Purpose.INFORMATION_REQUEST,
        bases=_bases(request),
        categories=(Category.IDENTITY, Category.INVOLVEMENT),
        consent_position=_consent_line(request),
        origin=request,
        people=[person] if person is not None else [],
        decided_by=decided_by,
        by=by,
        at=at,
    )


def _bases(request: InformationRequest) -> Sequence[Basis]:
    if request.consent_evidence in ("signed", "verbal"):
        return (Basis.CONSENT, *SAFEGUARDING_BASES)
    return SAFEGUARDING_BASES


def _consent_line(request: InformationRequest) -> str:
    if request.exemption:
        return f"Not needed: {request.get_exemption_display()}"
    if request.consent_evidence:
        return request.get_consent_evidence_display()
    return "Not asked: a level 1 request (is the child known, and who is the worker)"


@transaction.atomic(durable=True)
def answer_level_one(
    request: InformationRequest, *, person: Person | None, not_found: bool, by: User, at: datetime, version: int
) -> InformationRequest:
    """Level 1, answered on the phone: whether the child is known, and the allocated worker (000)."""
    if request.level != Level.ONE or not permissions.can_answer(by, request):
        raise PermissionDenied
    chosen = _identified(request, person, not_found)
    request.version = version
    answer = level_one(involvements_of(chosen))
    lifecycle.transition(
        request,
        RequestEvent.ANSWER,
        by=by,
        at=at,
        fields={
            "answer": answer,
            "answered_by_id": by.pk,
            "answered_at": at,
            "person_id": chosen.pk if chosen else None,
            "searched_not_found": chosen is None,
        },
    )
    request.person = chosen
    _disclose(request, {"level": 1, **answer}, by=by, at=at, decided_by=by)
    record(Verb.INFORMATION_REQUEST_ANSWERED, by=by, person=chosen, at=at, data={"request": request.pk})
    return request


@transaction.atomic(durable=True)
def draft_level_two(
    request: InformationRequest,
    *,
    person: Person | None,
    not_found: bool,
    reasons: str,
    by: User,
    at: datetime,
    version: int,
) -> InformationRequest:
    """Level 2: the worker writes the limited account (dates and reasons of involvement, and which kinds)
    for a manager to approve (000)."""
    if request.level != Level.TWO or not permissions.can_answer(by, request):
        raise PermissionDenied
    chosen = _identified(request, person, not_found)
    open_now = [each.service for each in involvements_of(chosen) if each.ended is None]
    if open_now:
        raise DomainError(
            f"The child's case is open ({'; '.join(open_now)}): a level 2 account is for a closed case."
            " Refuse it and tell them the allocated worker, who will answer them",
            field="person",
        )
    if chosen is not None and len(reasons.strip()) < MIN_REASONS:
        raise DomainError(
            f"Give the reasons for the involvement, in at least {MIN_REASONS} characters", field="reasons"
        )
    request.version = version
    answer = level_two(involvements_of(chosen), reasons=reasons) if chosen else {"known": False}
    lifecycle.transition(
        request,
        RequestEvent.DRAFT,
        by=by,
        at=at,
        fields={
            "answer": answer,
            "answered_by_id": by.pk,
            "person_id": chosen.pk if chosen else None,
            "searched_not_found": chosen is None,
        },
    )
    record(Verb.INFORMATION_REQUEST_DRAFTED, by=by, person=chosen, at=at, data={"request": request.pk})
    return request


@transaction.atomic(durable=True)
def approve(request: InformationRequest, *, by: User, at: datetime, version: int) -> InformationRequest:
    """A manager, never its writer, approves a level 2 answer: it is sent, and the ledger has it."""
    _may_approve(request, by)
    request.version = version
    lifecycle.transition(
        request, RequestEvent.APPROVE, by=by, at=at, fields={"approved_by_id": by.pk, "answered_at": at}
    )
    answered_by = request.answered_by
    assert answered_by is not None  # noqa: S101 - a drafted answer names its writer
    _disclose(request, {"level": 2, **request.answer}, by=answered_by, at=at, decided_by=by)
    record(Verb.INFORMATION_REQUEST_APPROVED, by=by, person=request.person, at=at, data={"request": request.pk})
    return request


def _may_approve(request: InformationRequest, by: User) -> None:
    """Four eyes: a manager who wrote the answer is told so (walk-through: "your role does not allow this")."""
    if permissions.can_approve(by, request):
        return
    if request.answered_by_id == by.pk and permissions.could_approve(by):
        raise DomainError("You wrote this answer: another manager approves it or sends it back")
    raise PermissionDenied


@transaction.atomic(durable=True)
def send_back(request: InformationRequest, *, note: str, by: User, at: datetime, version: int) -> InformationRequest:
    _may_approve(request, by)
    if len(note.strip()) < 10:
        raise DomainError("Say what needs changing, in at least 10 characters", field="note")
    request.version = version
    lifecycle.transition(request, RequestEvent.SEND_BACK, by=by, at=at, note=note.strip())
    record(Verb.INFORMATION_REQUEST_SENT_BACK, by=by, person=request.person, at=at, data={"request": request.pk})
    return request


@transaction.atomic(durable=True)
def close_level_three(
    request: InformationRequest, *, disclosed: str, by: User, at: datetime, version: int
) -> InformationRequest:
    """The disclosure team records what it sent from the whole file, and to whom (000, level 3)."""
    if request.level != Level.THREE or not permissions.can_answer(by, request):
        raise PermissionDenied
    if len(disclosed.strip()) < MIN_REASONS:
        raise DomainError(
            f"Say what was disclosed and how it was sent, in at least {MIN_REASONS} characters", field="disclosed"
        )
    request.version = version
    answer = {"disclosed": disclosed.strip()}
    lifecycle.transition(
        request,
        RequestEvent.ANSWER,
        by=by,
        at=at,
        fields={"answer": answer, "answered_by_id": by.pk, "answered_at": at},
    )
    _disclose(request, {"level": 3, **answer}, by=by, at=at, decided_by=by)
    record(Verb.INFORMATION_REQUEST_ANSWERED, by=by, person=request.person, at=at, data={"request": request.pk})
    return request


@transaction.atomic(durable=True)
def refuse(request: InformationRequest, *, reason: str, by: User, at: datetime, version: int) -> InformationRequest:
    """Refuse the request with the reason the requester is told: a decision not to share in the ledger."""
    if not (permissions.can_answer(by, request) or permissions.can_approve(by, request)):
        raise PermissionDenied
    if len(reason.strip()) < MIN_REFUSAL:
        raise Refused([Problem(f"Say why it is refused, in at least {MIN_REFUSAL} characters", field="reason")])
    request.version = version
    lifecycle.transition(request, RequestEvent.REFUSE, by=by, at=at, fields={"refused_reason": reason.strip()})
    record_decision_not_to_share(
        None,
        to=request.agency or _who_asked(request),
        asked=request.reason,
        asked_by=_who_asked(request),
        reason=reason,
        purpose=Purpose.INFORMATION_REQUEST,
        consent_position=_consent_line(request),
        origin=request,
        people=[request.person] if request.person is not None else [],
        by=by,
        at=at,
    )
    record(Verb.INFORMATION_REQUEST_REFUSED, by=by, person=request.person, at=at, data={"request": request.pk})
    return request


OPEN = (RequestState.RECEIVED, RequestState.AWAITING_APPROVAL, RequestState.WITH_DISCLOSURE_TEAM)
