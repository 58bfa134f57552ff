"""A partner agency's answer to a request for MASH checks: a draft saved and changed, then submitted
once; a submitted answer is corrected by a new response that supersedes it, with the reason. Every
action is one transaction with its audit events. An answer submitted after the checks went for
decision is forwarded (`checks.late_answers`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import AgencyKind, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks import permissions
from safehub.checks.alerts import settle_alerts
from safehub.checks.late_answers import forward_if_late
from safehub.checks.models import AgencyRequest, AgencyResponse, RequestState, ResponseStatus
from safehub.checks.workflow import RequestEvent, ResponseEvent
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.races import claim
from safehub.sharing.services import record_receipt
from safehub.sharing.vocabulary import PARTNER_BASES, POLICE_BASES, Category, Condition, Purpose


@dataclass(frozen=True)
class Answer:
    nothing_known: bool = False
    information: str = ""
    analysis: str = ""
    sources_searched: str = ""
    handling_restriction: str = ""  # anything more the agency says about its conditions
    on_behalf_of: str = ""
    conditions: tuple[Condition, ...] = ()


def _answer_fields(answer: Answer) -> dict[str, Any]:
    """What the answer says, as a response stores it."""
    return {
        "nothing_known": answer.nothing_known,
        "information": answer.information.strip(),
        "analysis": answer.analysis.strip(),
        "sources_searched": answer.sources_searched.strip(),
        "handling_restriction": answer.handling_restriction.strip(),
        "on_behalf_of": answer.on_behalf_of.strip(),
        "handling_conditions": sorted({Condition(value).value for value in answer.conditions}),
    }


def _response_fields(answer: Answer, by: User) -> dict[str, Any]:
    return {**_answer_fields(answer), "author": by}


def answer_problems(answer: Answer, *, submitting: bool) -> list[Problem]:
    """Everything wrong with an answer at once, so that the form shows every problem together."""
    problems = []
    if answer.nothing_known and answer.information.strip():
        problems.append(
            Problem("Choose 'nothing known' or describe what your agency holds, not both", field="information")
        )
    if submitting and not answer.nothing_known and not answer.information.strip():
        problems.append(Problem("Say what your agency holds, or that nothing is known", field="information"))
    if submitting and not answer.sources_searched.strip():
        problems.append(Problem("Enter the systems you searched", field="sources_searched"))
    if answer.handling_restriction.strip() and not answer.conditions:
        problems.append(
            Problem(
                "Choose the handling condition your details are about, or leave the details empty",
                field="handling_conditions",
            )
        )
    return problems


def _categories(response: AgencyResponse) -> list[Category]:
    """What kind of information an answer gives, for the ledger."""
    kinds = [Category.AGENCY_INFORMATION]
    if not response.nothing_known:
        kind = response.request.agency.kind
        kinds += [Category.HEALTH] if kind == AgencyKind.HEALTH else []
        kinds += [Category.POLICE] if kind == AgencyKind.POLICE else []
    return kinds


def _received(response: AgencyResponse, *, by: User, at: datetime) -> None:
    """The answer in the sharing ledger as information the hub received, with its conditions."""
    request = response.request
    agency = request.agency
    record_receipt(
        request.checks.contact,
        source=agency,
        content={
            "nothing_known": response.nothing_known,
            "information": response.information,
            "analysis": response.analysis,
            "sources_searched": response.sources_searched,
            "handling_details": response.handling_restriction,
            **(
                {"corrects": response.supersedes_id, "reason": response.correction_reason}
                if response.supersedes_id
                else {}
            ),
        },
        purpose=Purpose.MASH_CHECKS,
        bases=POLICE_BASES if agency.kind == AgencyKind.POLICE else PARTNER_BASES,
        categories=_categories(response),
        conditions=response.conditions,
        consent_position=request.disclosure.consent_position,  # as the agency was told it when asked
        origin=response,
        by=by,
        at=at,
    )


def why_not_open(request: AgencyRequest) -> str:
    """Why the request can no longer take a first answer, or "" while it can."""
    if request.state == RequestState.WITHDRAWN:
        return "The hub withdrew this request: there is nothing to answer"
    if request.state != RequestState.SENT:
        return "This request has already been answered (your answer is below): to change it, correct it"
    return ""


def sent_already(request: AgencyRequest, *, submission_key: uuid.UUID | None) -> AgencyResponse | None:
    """The response (submitted, or a correction) that the form with this one-time key already made on
    this request: the same form sent again after a lost connection, a double click or a reload."""
    if submission_key is None:
        return None
    return request.responses.exclude(status=ResponseStatus.DRAFT).filter(submission_key=submission_key).first()


@transaction.atomic(durable=True)
def save_response(
    request: AgencyRequest,
    answer: Answer,
    *,
    by: User,
    at: datetime,
    submit: bool,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> AgencyResponse:
    """Save the agency's draft, or submit it. A submitted response cannot be changed here. A submit
    sent again with the same one-time key (`sent_already`) returns the response it made and changes
    nothing."""
    if not permissions.can_answer(by, request):
        raise PermissionDenied
    earlier = sent_already(request, submission_key=submission_key) if submit else None
    if earlier is not None:
        return earlier
    closed = why_not_open(request)
    if closed:
        raise DomainError(closed)
    claim(request, version, noun="request")
    problems = answer_problems(answer, submitting=submit)
    if problems:
        raise Refused(problems)
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
        # The key is written only once the request's compare-and-set has let this submit through: a
        # second copy of the form, sent at the same moment, is refused there, never by the key's index.
        lifecycle.transition(
            draft,
            ResponseEvent.SUBMIT,
            by=by,
            at=at,
            fields={**fields, "submitted_at": at, "submission_key": submission_key},
        )
        settle_alerts(request, at=at)
        draft.refresh_from_db()
        _received(draft, by=by, at=at)
    else:
        lifecycle.compare_and_set(request, noun="request")  # saving a draft moves the request's version on
    verb = Verb.AGENCY_RESPONSE_SUBMITTED if submit else Verb.AGENCY_RESPONSE_SAVED
    record(verb, by=by, contact=request.checks.contact, at=at, data={"request": request.pk, "response": draft.pk})
    if submit:
        forward_if_late(request, by=by, at=at)
    return draft


MIN_CORRECTION_REASON = 10  # characters: "Typo" says nothing of what changed


def correction_problems(
    response: AgencyResponse, answer: Answer, *, reason: str, remove_restriction: bool
) -> list[Problem]:
    """Everything wrong with a correction at once. A handling restriction on the answer being
    corrected carries over: a correction leaves it out only when the partner says so."""
    problems = []
    if not reason.strip():
        problems.append(Problem("Enter why the response is being corrected", field="reason"))
    elif len(reason.strip()) < MIN_CORRECTION_REASON:
        # The hub reads it beside the answer it replaces, on the contact and in the ledger.
        problems.append(
            Problem(
                f"Say why the response is being corrected, in at least {MIN_CORRECTION_REASON} characters",
                field="reason",
            )
        )
    problems += answer_problems(answer, submitting=True)
    restricted = response.condition_labels
    restricting = bool(answer.conditions)
    if restricted and not restricting and not remove_restriction:
        problems.append(
            Problem(
                f"Your earlier answer had handling conditions ('{'; '.join(restricted)}'): choose them again,"
                " or tick 'Remove the handling conditions'",
                field="handling_conditions",
            )
        )
    if remove_restriction and restricting:
        problems.append(Problem("Remove the handling conditions or choose them, not both", field="remove_restriction"))
    if _unchanged(response, answer):
        # A copy of the current answer would become "the" answer and push the real one into the
        # earlier answers, with nothing gained.
        problems.append(
            Problem("Nothing in the answer was changed: change what is wrong, or go back", field="information")
        )
    return problems


def _unchanged(response: AgencyResponse, answer: Answer) -> bool:
    """Whether the correction says exactly what the answer it corrects says."""
    return all(getattr(response, name) == value for name, value in _answer_fields(answer).items())


@transaction.atomic(durable=True)
def correct_response(
    response: AgencyResponse,
    answer: Answer,
    *,
    reason: str,
    by: User,
    at: datetime,
    version: int,
    remove_restriction: bool = False,
    submission_key: uuid.UUID | None = None,
) -> AgencyResponse:
    """A submitted response stays as it was; the correction is a new response that supersedes it.
    `version` is the request's, as the partner's page showed it: a correction made from a page
    drawn before another correction (in another tab, or by a colleague) is refused, not stacked. The
    same correction sent again with its one-time key returns the correction it made."""
    request = response.request
    if not permissions.can_answer(by, request):
        raise PermissionDenied
    earlier = sent_already(request, submission_key=submission_key)
    if earlier is not None:
        return earlier
    if response.status != ResponseStatus.SUBMITTED:
        raise DomainError("Only a submitted response can be corrected; a draft can simply be changed")
    claim(request, version, noun="response")
    if AgencyResponse.objects.filter(supersedes=response).exists():
        raise DomainError("This response has already been corrected: correct the latest one")
    problems = correction_problems(response, answer, reason=reason, remove_restriction=remove_restriction)
    if problems:
        raise Refused(problems)
    # One winner: the request's version moves on with each correction, so of two corrections made
    # from the same page the second finds it changed and saves nothing.
    lifecycle.compare_and_set(request, noun="response")
    correction = AgencyResponse.objects.create(
        request=request,
        status=ResponseStatus.SUBMITTED,
        **_response_fields(answer, by),
        created_at=at,
        submitted_at=at,
        supersedes=response,
        correction_reason=reason.strip(),
        submission_key=submission_key,  # after the compare-and-set: a second copy of the form stopped there
    )
    record(
        Verb.AGENCY_RESPONSE_CORRECTED,
        by=by,
        contact=request.checks.contact,
        at=at,
        data={
            "request": request.pk,
            "response": correction.pk,
            "supersedes": response.pk,
            "restriction_removed": bool(response.conditions and not correction.conditions),
        },
    )
    _received(correction, by=by, at=at)
    forward_if_late(request, by=by, at=at)
    return correction
