from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import User
from safehub.core.errors import DomainError
from safehub.core.forms import VersionForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest, query_without
from safehub.information_requests import permissions, services
from safehub.information_requests.forms import (
    CloseForm,
    DraftForm,
    IdentifyForm,
    RefuseForm,
    RegisterForm,
    SendBackForm,
    TakeRequestForm,
)
from safehub.information_requests.models import InformationRequest, Level
from safehub.information_requests.presenters import about_line, answer_lines, answered_line, request_rows
from safehub.information_requests.queries import RegisterSearch, get_information_request_for, register, waiting
from safehub.information_requests.rules import Details, request_problems
from safehub.information_requests.workflow import RequestState


@require_GET
def requests_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The requests to answer, to approve and with the disclosure team, and the register below them."""
    if not permissions.can_see_requests(request.user):
        raise PermissionDenied
    at = timezone.now()
    form = RegisterForm(request.GET or None)
    search = RegisterSearch()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        search = RegisterSearch(level=data["level"], state=data["state"], start=data["start"], end=data["end"])
    elif form.is_bound:
        search = RegisterSearch(nothing=True)  # the errors say what to change
    found = register(request.user, search)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        "to_answer": request_rows(waiting(request.user, states=(RequestState.RECEIVED,)), at=at),
        "to_approve": request_rows(waiting(request.user, states=(RequestState.AWAITING_APPROVAL,)), at=at),
        "with_team": request_rows(waiting(request.user, states=(RequestState.WITH_DISCLOSURE_TEAM,)), at=at),
        "can_take": permissions.can_take_requests(request.user),
        "form": form,
        "page": page,
        "rows": request_rows(page.object_list, at=at),
        "query": query_without(request),
    }
    return render(request, "information_requests/list.html", context)


@require_http_methods(["GET", "POST"])
def take(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Take a professional's request: by phone (level 1), in writing (level 2), or for a whole file (level 3)."""
    if not permissions.can_take_requests(request.user):
        raise PermissionDenied
    form = TakeRequestForm(request.POST or None, initial={"submission_key": uuid.uuid4()})
    status = 200
    if request.method == "POST" and not form.is_valid():
        _all_problems_at_once(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = Details(
            level=data["level"],
            requester_name=data["requester_name"],
            requester_role=data["requester_role"],
            requester_organisation=data["requester_organisation"],
            requester_email=data["requester_email"],
            requester_phone=data["requester_phone"],
            identity_checked=data["identity_checked"],
            child_name=data["child_name"],
            child_date_of_birth=data["child_date_of_birth"],
            reason=data["reason"],
            consent_evidence=data["consent_evidence"],
            exemption=data["exemption"],
        )
        try:
            taken = services.take_request(
                details,
                agency=data["agency"],
                person=data["person"],
                by=request.user,
                at=timezone.now(),
                submission_key=data["submission_key"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"Request {taken.reference} recorded: {taken.get_state_display().lower()}")
            return redirect("information_requests:request", pk=taken.pk)
    return render(request, "information_requests/take.html", {"form": form}, status=status)


def _all_problems_at_once(form: TakeRequestForm) -> None:
    """The request's rules on what the form could read, beside the fields the form found no fault
    with, so that every problem shows at once rather than in rounds."""
    data = form.cleaned_data
    level = data.get("level")

    def text(name: str) -> str:
        return str(data.get(name) or "")

    details = Details(
        level=level if isinstance(level, int) else 0,
        requester_name=text("requester_name"),
        requester_role=text("requester_role"),
        requester_organisation=text("requester_organisation"),
        requester_email=text("requester_email"),
        requester_phone=text("requester_phone"),
        identity_checked=text("identity_checked"),
        child_name=text("child_name"),
        reason=text("reason"),
        consent_evidence=text("consent_evidence"),
        exemption=text("exemption"),
    )
    for problem in request_problems(details, today=timezone.localdate()):
        if problem.field and problem.field in form.fields and problem.field not in form.errors:
            form.add_error(problem.field, problem.message)


def _forms(user: User, found: InformationRequest) -> dict[str, Any]:
    """The forms the page offers `user` for the request as it stands."""
    initial: dict[str, Any] = {"version": found.version}
    forms: dict[str, Any] = {}
    may_answer = permissions.can_answer(user, found)
    if found.state == RequestState.RECEIVED and may_answer:
        if found.person is not None:
            initial = {**initial, "person": found.person.local_id}
        if found.level == Level.ONE:
            forms["identify"] = IdentifyForm(initial=initial)
        else:
            forms["draft"] = DraftForm(initial=initial)
    approver = found.state == RequestState.AWAITING_APPROVAL and permissions.can_approve(user, found)
    if approver:
        forms["send_back"] = SendBackForm(initial={"version": found.version})
        forms["approve"] = found.version
    if found.state == RequestState.WITH_DISCLOSURE_TEAM and may_answer:
        forms["close"] = CloseForm(initial={"version": found.version})
    if found.state in services.OPEN and (may_answer or approver):
        forms["refuse"] = RefuseForm(initial={"version": found.version})
    return forms


# Each action on the request page: its form, the service it calls, and what the page then says.
Step = Callable[[InformationRequest, dict[str, Any], User, datetime], object]
ACTIONS: dict[str, tuple[type[VersionForm], Step, str]] = {
    "identify": (
        IdentifyForm,
        lambda found, data, by, at: services.answer_level_one(
            found, person=data["person"], not_found=data["not_found"], by=by, at=at, version=data["version"]
        ),
        "Answer recorded: tell the caller what is shown below",
    ),
    "draft": (
        DraftForm,
        lambda found, data, by, at: services.draft_level_two(
            found,
            person=data["person"],
            not_found=data["not_found"],
            reasons=data["reasons"],
            by=by,
            at=at,
            version=data["version"],
        ),
        "Answer written: a manager approves it before it is sent",
    ),
    "send_back": (
        SendBackForm,
        lambda found, data, by, at: services.send_back(found, note=data["note"], by=by, at=at, version=data["version"]),
        "Sent back to be rewritten",
    ),
    "close": (
        CloseForm,
        lambda found, data, by, at: services.close_level_three(
            found, disclosed=data["disclosed"], by=by, at=at, version=data["version"]
        ),
        "Recorded: what the disclosure team sent",
    ),
    "refuse": (
        RefuseForm,
        lambda found, data, by, at: services.refuse(
            found, reason=data["reason"], by=by, at=at, version=data["version"]
        ),
        "Refused: nothing was disclosed, and the reason is recorded",
    ),
}


@require_http_methods(["GET", "POST"])
def request_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_information_request_for(request.user, pk, purpose="information-request")
    status = 200
    forms = _forms(request.user, found)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS or action not in forms:
            messages.error(request, "This request has moved on since the page was loaded: read it again below")
            return redirect("information_requests:request", pk=found.pk)
        form_class, step, done = ACTIONS[action]
        form = form_class(request.POST)
        forms[action] = form
        if form.is_valid():
            try:
                step(found, form.cleaned_data, request.user, timezone.now())
            except DomainError as error:
                status = add_refusal(form, error)
            else:
                messages.success(request, done)
                return redirect("information_requests:request", pk=found.pk)
    context = {
        "found": found,
        "forms": forms,
        "answer": answer_lines(found),
        "answered_line": answered_line(found),
        "about": about_line(found),
        "preview": services.involvements_of(found.person) if found.state == RequestState.RECEIVED else [],
    }
    return render(request, "information_requests/request.html", context, status=status)


@require_POST
def approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_information_request_for(request.user, pk, purpose="information-request")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    if found.state != RequestState.AWAITING_APPROVAL:
        messages.info(request, "This answer is no longer waiting for approval: read where it stands below")
        return redirect("information_requests:request", pk=found.pk)
    try:
        services.approve(found, by=request.user, at=timezone.now(), version=version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Approved: the answer is sent and recorded in the sharing ledger")
    return redirect("information_requests:request", pk=found.pk)
