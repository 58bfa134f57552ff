"""A partner agency's answer to a request for MASH checks: a draft saved and changed, then submitted
once; a submitted answer is corrected by a new response that supersedes it, with the reason. Every
action is one transaction with its audit events. An answer submitted after the checks went for
decision is forwarded (`checks.late_answers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks import permissions
from safehub.checks.alerts import settle_alerts
from safehub.checks.late_answers import forward_if_late
from safehub.checks.models import AgencyRequest, AgencyResponse, RequestState, ResponseStatus
from safehub.checks.workflow import RequestEvent, ResponseEvent
from safehub.core import lifecycle
from safehub.core.errors import ConcurrentChange, DomainError


@dataclass(frozen=True)
class Answer:
    nothing_known: bool = False
    information: str = ""
    analysis: str = ""
    sources_searched: str = ""
    handling_restriction: str = ""
    on_behalf_of: str = ""


def _response_fields(answer: Answer, by: User) -> dict[str, Any]:
    return {
        "nothing_known": answer.nothing_known,
        "information": answer.information.strip(),
        "analysis": answer.analysis.strip(),
        "sources_searched": answer.sources_searched.strip(),
        "handling_restriction": answer.handling_restriction.strip(),
        "on_behalf_of": answer.on_behalf_of.strip(),
        "author": by,
    }


def _check_answer(answer: Answer, *, submitting: bool) -> None:
    if answer.nothing_known and answer.information.strip():
        raise DomainError("Choose 'nothing known' or describe what your agency holds, not both", field="information")
    if submitting and not answer.nothing_known and not answer.information.strip():
        raise DomainError("Say what your agency holds, or that nothing is known", field="information")
    if submitting and not answer.sources_searched.strip():
        raise DomainError("Enter the systems you searched", field="sources_searched")


def why_not_open(request: AgencyRequest) -> str:
    """Why the request can no longer take a first answer, or "" while it can."""
    if request.state == RequestState.WITHDRAWN:
        return "The hub withdrew this request: there is nothing to answer"
    if request.state != RequestState.SENT:
        return "This request has already been answered (your answer is below): to change it, correct it"
    return ""


@transaction.atomic(durable=True)
def save_response(
    request: AgencyRequest, answer: Answer, *, by: User, at: datetime, submit: bool, version: int
) -> AgencyResponse:
    """Save the agency's draft, or submit it. A submitted response cannot be changed here."""
    if not permissions.can_answer(by, request):
        raise PermissionDenied
    closed = why_not_open(request)
    if closed:
        raise DomainError(closed)
    if request.version != version:
        raise ConcurrentChange("request")
    _check_answer(answer, submitting=submit)
    draft = request.responses.filter(status=ResponseStatus.DRAFT).first()
    fields = _response_fields(answer, by)
    if draft is None:
        draft = AgencyResponse.objects.create(request=request, created_at=at, **fields)
    elif not submit:
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.save()
    if submit:
        # The request first: a stale form is refused as a change to the request, as it always was.
        lifecycle.transition(request, RequestEvent.ANSWER, by=by, at=at, fields={"answered_at": at})
        # A draft saved earlier takes its final wording in the same update that submits it.
        lifecycle.transition(draft, ResponseEvent.SUBMIT, by=by, at=at, fields={**fields, "submitted_at": at})
        settle_alerts(request, at=at)
    else:
        lifecycle.compare_and_set(request, noun="request")  # saving a draft moves the request's version on
    verb = Verb.AGENCY_RESPONSE_SUBMITTED if submit else Verb.AGENCY_RESPONSE_SAVED
    record(verb, by=by, contact=request.checks.contact, at=at, data={"request": request.pk, "response": draft.pk})
    if submit:
        forward_if_late(request, by=by, at=at)
    return draft


@transaction.atomic(durable=True)
def correct_response(
    response: AgencyResponse, answer: Answer, *, reason: str, by: User, at: datetime
) -> AgencyResponse:
    """A submitted response stays as it was; the correction is a new response that supersedes it."""
    request = response.request
    if not permissions.can_answer(by, request):
        raise PermissionDenied
    if response.status != ResponseStatus.SUBMITTED:
        raise DomainError("Only a submitted response can be corrected; a draft can simply be changed")
    if AgencyResponse.objects.filter(supersedes=response).exists():
        raise DomainError("This response has already been corrected: correct the latest one")
    if not reason.strip():
        raise DomainError("Enter why the response is being corrected", field="reason")
    _check_answer(answer, submitting=True)
    correction = AgencyResponse.objects.create(
        request=request,
        status=ResponseStatus.SUBMITTED,
        **_response_fields(answer, by),
        created_at=at,
        submitted_at=at,
        supersedes=response,
        correction_reason=reason.strip(),
    )
    record(
        Verb.AGENCY_RESPONSE_CORRECTED,
        by=by,
        contact=request.checks.contact,
        at=at,
        data={"request": request.pk, "response": correction.pk, "supersedes": response.pk},
    )
    forward_if_late(request, by=by, at=at)
    return correction
