from __future__ import annotations

import uuid
from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import Agency, AgencyKind, User, qualified_staff
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks import agreements, answers, permissions, services
from safehub.checks import worktray as worktrays
from safehub.checks.forms import (
    AgreementForm,
    AskAnotherAgencyForm,
    CorrectionForm,
    ResponseForm,
    StartChecksForm,
    SubmitForDecisionForm,
    WithdrawForm,
)
from safehub.checks.gp_form import gp_form_filename, gp_form_pdf
from safehub.checks.models import AgencyRequest, AgencyResponse, Alert, MashChecks, RequestState, ResponseStatus
from safehub.checks.presenters import (
    alert_rows,
    checks_shown,
    not_asked_about,
    not_emailed,
    practice_email_note,
    queue_caption,
    queue_rows,
    request_phone_prompt,
    sent_people,
    submitted_responses,
    worktray_rows,
)
from safehub.checks.queries import get_checks_for, get_request_for, unread_alerts
from safehub.contacts.queries import children_named, get_contact_for
from safehub.contacts.services import clock_rating
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest, local_redirect_target
from safehub.core.ids import parse_ids
from safehub.core.presenters import shown_date
from safehub.partner_outcomes import services as outcome_services
from safehub.partner_outcomes.permissions import can_see_request_outcome
from safehub.partner_outcomes.presenters import DecisionShown, decision_shown
from safehub.protocols.models import Brag
from safehub.sharing.exits import Exit, barred_routes
from safehub.sharing.vocabulary import Basis, Condition


def _answer(data: dict[str, object]) -> answers.Answer:
    return answers.Answer(
        nothing_known=bool(data["nothing_known"]),
        information=str(data["information"]),
        analysis=str(data["analysis"]),
        sources_searched=str(data["sources_searched"]),
        handling_restriction=str(data["handling_restriction"]),
        conditions=tuple(Condition(value) for value in cast("list[str]", data.get("handling_conditions") or [])),
        on_behalf_of=str(data.get("on_behalf_of", "")),  # only a GP practice's request asks for it
    )


FORM_FIELDS = {"respond_by": "respond_by_date"}  # the service's name for a field -> the form's


@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, pk, purpose="start-checks")
    if not permissions.can_start_checks(request.user):
        raise PermissionDenied
    if not permissions.can_start_checks(request.user, contact):
        if contact.state == ContactState.MASH_CHECKS:
            messages.info(request, "MASH checks have already been started on this contact, perhaps by a colleague.")
        else:
            messages.info(request, "MASH checks start while a contact is waiting for its threshold decision.")
        return redirect(contact)
    coordinators = qualified_staff(team=contact.team)
    agencies = Agency.objects.filter(is_host=False).order_by("name")
    asked = contact.checks_asked.filter(settled_at__isnull=True).first()
    always_checked = services.preselected_agencies()
    initial = {
        "version": contact.version,
        "agencies": always_checked,
        # What the social worker who asked for the checks said they need to know; they coordinate.
        "reason": asked.reason if asked is not None else "",
        "coordinator": asked.asked_by_id if asked is not None else None,
        # The rating the contact is known by so far (its initial rating, Red for immediate protection).
        "rating": clock_rating(contact),
    }
    form = StartChecksForm(
        request.POST or None,
        initial=initial,
        coordinators=coordinators,
        agencies=agencies,
        always_checked=always_checked,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checks = services.start_checks(
                contact,
                services.StartChecks(
                    reason=data["reason"],
                    rating=Brag(data["rating"]),
                    coordinator=data["coordinator"],
                    agencies=list(data["agencies"]),
                    questions=data["questions"],
                    bases=[Basis(value) for value in data["bases"]],
                    respond_by=data["respond_by"],
                    left_out_reason=data.get("left_out_reason", ""),
                ),
                by=request.user,
                at=timezone.now(),
                version=data["version"],
            )
        except DomainError as error:
            status = add_refusal(form, error, fields=FORM_FIELDS)
        else:
            sent = list(checks.requests.select_related("agency"))
            messages.success(
                request, f"MASH checks started: {len(sent)} {'agency' if len(sent) == 1 else 'agencies'} asked"
            )
            if note := not_emailed(sent):
                messages.info(request, note)
            return redirect("checks:checks", pk=checks.pk)
    return render(request, "checks/start.html", {"contact": contact, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def checks_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The coordinator's view: every request and response side by side, and submit for decision."""
    checks = get_checks_for(request.user, pk, purpose="mash-checks")
    at = timezone.now()
    may_submit = permissions.can_submit_checks(request.user, checks)
    form = SubmitForDecisionForm(request.POST or None, initial={"version": checks.version}) if may_submit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.submit_for_decision(
                    checks,
                    analysis=form.cleaned_data["analysis"],
                    outstanding_reason=form.cleaned_data["outstanding_reason"],
                    by=request.user,
                    at=at,
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                status = add_refusal(form, error)
            else:
                messages.success(request, "MASH checks submitted for a threshold decision")
                return redirect(checks.contact)
    may_withdraw = permissions.can_withdraw_request(request.user, checks)
    may_ask = permissions.can_ask_another_agency(request.user, checks)
    contact = checks.contact
    not_asked = not_asked_about(checks, contact.amendments.all(), contact.subjects.all())
    context = {
        "checks": checks,
        "shown": checks_shown(checks, at=at, viewer=request.user),
        "form": form,
        "may_withdraw": may_withdraw,
        "may_ask": may_ask,
        "not_asked": not_asked,
    }
    return render(request, "checks/checks.html", context, status=status)


def _sent_already(request: AuthenticatedHttpRequest, checks: MashChecks) -> list[Agency]:
    """The agencies a posted ask names that these checks have already asked: the same form sent
    twice (a double click, a retry), or a colleague asked them first."""
    named = set(parse_ids(request.POST.getlist("agencies")))
    return [r.agency for r in checks.requests.all() if r.agency_id in named]


@require_http_methods(["GET", "POST"])
def ask_another_agency(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The coordinator or a manager asks an agency the checks left out, while they are open."""
    checks = get_checks_for(request.user, pk, purpose="ask-another-agency")
    if not permissions.can_coordinate(request.user, checks):
        raise PermissionDenied
    if not permissions.can_ask_another_agency(request.user, checks):  # the checks have gone for decision
        messages.info(request, "These checks have been submitted for decision: no more agencies can be asked.")
        return redirect("checks:checks", pk=checks.pk)
    not_asked = services.agencies_not_asked(checks)
    if request.method == "POST":
        already = _sent_already(request, checks)
        if already:
            names = ", ".join(str(agency) for agency in already)
            messages.info(request, f"Already asked in these checks, so nothing more was sent: {names}.")
            return redirect("checks:checks", pk=checks.pk)
    initial = {
        "version": checks.version,
        "questions": services.usual_questions(checks),
        "bases": checks.bases,
    }
    form = AskAnotherAgencyForm(request.POST or None, initial=initial, agencies=not_asked)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.ask_another_agency(
                checks,
                services.AskAgencies(
                    agencies=list(data["agencies"]),
                    questions=data["questions"],
                    bases=[Basis(value) for value in data["bases"]],
                ),
                by=request.user,
                at=timezone.now(),
                version=data["version"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            names = ", ".join(str(r.agency) for r in sent)
            messages.success(request, f"Request sent to {names}")
            if note := not_emailed(sent):
                messages.info(request, note)
            return redirect("checks:checks", pk=checks.pk)
    context = {"checks": checks, "form": form, "anyone_left": not_asked.exists()}
    return render(request, "checks/ask_another_agency.html", context, status=status)


@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """The coordinator or a manager withdraws an outstanding request, with a reason the agency sees."""
    checks = get_checks_for(request.user, pk, purpose="withdraw-request")
    agency_request = next((r for r in checks.requests.all() if r.pk == request_pk), None)
    if agency_request is None:
        raise Http404("No such request")
    if not permissions.can_withdraw_request(request.user, checks):
        raise PermissionDenied
    if agency_request.state != RequestState.SENT:
        messages.info(request, f"The request to {agency_request.agency} is no longer outstanding.")
        return redirect("checks:checks", pk=checks.pk)
    form = WithdrawForm(request.POST or None, initial={"version": agency_request.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_request(
                agency_request,
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"Request to {agency_request.agency} withdrawn")
            return redirect("checks:checks", pk=checks.pk)
    context = {"checks": checks, "request_": agency_request, "form": form}
    return render(request, "checks/withdraw.html", context, status=status)


def _require_partner(request: AuthenticatedHttpRequest) -> None:
    """The partner's workspace answers 404 to everyone else (hub staff read requests on the checks page)."""
    if not permissions.can_answer_requests(request.user):
        raise Http404("No such page")


@require_GET
def worktray(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The hub's MASH checks: those the user coordinates and, for a manager, all under way."""
    if not permissions.can_be_coordinator(request.user):
        raise PermissionDenied
    everyone = permissions.can_see_checks_under_way(request.user)
    default = worktrays.ALL if everyone else worktrays.MINE
    tray = worktrays.TRAYS.get(request.GET.get("tray", default.slug))
    if tray is None or (tray is worktrays.ALL and not everyone):
        raise Http404("No such list")
    at = timezone.now()
    page = Paginator(worktrays.open_checks(request.user, tray, at=at), QUEUE_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    coordinator_ids = {row["coordinator_id"] for row in shown}
    names = {user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=coordinator_ids)}
    rows = worktray_rows(
        shown, children=children_named([row["contact_id"] for row in shown]), coordinators=names, at=at
    )
    context = {
        "tray": tray,
        "trays": [worktrays.MINE, worktrays.ALL] if everyone else [],
        "page": page,
        "rows": rows,
        "show_coordinator": tray is worktrays.ALL,
        "alerts": alert_rows(unread_alerts(request.user), for_partner=False),
    }
    return render(request, "checks/worktray.html", context)


QUEUE_PAGE = 25
RECENT = timedelta(days=7)  # answered and withdrawn requests stay on the queue this long
QUEUE_FIELDS = (
    "pk",
    "state",
    "due_at",
    "sent_at",
    "answered_at",
    "subjects",
    "agency__name",
    "agency__kind",
    "checks__rating",
)


@require_GET
def workspace(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A partner's queue: requests to their agency, outstanding first, by due time. Hub staff who
    coordinate checks have their own worktray."""
    if not permissions.can_answer_requests(request.user) and permissions.can_be_coordinator(request.user):
        return redirect("checks:worktray")
    _require_partner(request)
    at = timezone.now()
    mine = AgencyRequest.objects.visible_to(request.user)
    outstanding = (
        mine.filter(state=RequestState.SENT)
        .select_related("agency", "checks")
        .only(*QUEUE_FIELDS)
        .order_by("due_at", "pk")
    )
    counts = outstanding.aggregate(waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=at)))
    paginator = Paginator(outstanding, QUEUE_PAGE)
    paginator.count = counts["waiting"]  # one query counts both the waiting and the overdue requests
    page = paginator.get_page(request.GET.get("page"))
    first_page = page.number == 1
    answered = (
        mine.filter(state=RequestState.ANSWERED, answered_at__gte=at - RECENT)
        .only("pk", "state", "subjects", "sent_at", "answered_at")
        .order_by("-answered_at", "-pk")
    )
    withdrawn = mine.filter(state=RequestState.WITHDRAWN, withdrawn_at__gte=at - RECENT)
    rows = queue_rows(page.object_list, at=at)
    context = {
        "rows": rows,
        "page": page,
        "caption": queue_caption(
            waiting=counts["waiting"], overdue=counts["overdue"], page_number=page.number, pages=paginator.num_pages
        ),
        "answered": queue_rows(answered[:10], at=at) if first_page else [],
        "withdrawn": withdrawn if first_page else [],
        "alerts": alert_rows(unread_alerts(request.user), for_partner=True),
        "for_partner": True,
    }
    return render(request, "checks/workspace.html", context)


@require_POST
def dismiss_alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark the alerts the user has seen as read; they no longer show."""
    shown = parse_ids(request.POST.getlist("alert"))
    Alert.objects.visible_to(request.user).filter(pk__in=shown, read_at__isnull=True).update(read_at=timezone.now())
    back = local_redirect_target(request, request.POST.get("next", ""))
    return redirect(back or "queues:home")


def _answer_forms(
    agency_request: AgencyRequest, responses: list[AgencyResponse], data: QueryDict | None
) -> tuple[ResponseForm | None, CorrectionForm | None]:
    """The response form while the request is open, else the correction form for the latest answer."""
    latest = _latest(responses)
    for_gp_practice = agency_request.agency.kind == AgencyKind.GP_PRACTICE
    if agency_request.state == RequestState.SENT:
        draft = next((r for r in responses if r.status == ResponseStatus.DRAFT), None)
        initial: dict[str, object] = {"version": agency_request.version, "submission_key": uuid.uuid4()}
        if draft is not None:
            initial.update({f: getattr(draft, f) for f in ResponseForm.ANSWER_FIELDS})
        return ResponseForm(data, initial=initial, for_gp_practice=for_gp_practice), None
    if latest is None:
        return None, None
    # The correction starts from the answer it corrects: only what changes is typed.
    initial = {
        "version": agency_request.version,
        "submission_key": uuid.uuid4(),
        **{f: getattr(latest, f) for f in ResponseForm.ANSWER_FIELDS},
        # A restriction written in words alone is offered as the condition it is kept as.
        "handling_conditions": [condition.value for condition in latest.conditions],
    }
    correction = CorrectionForm(
        data, initial=initial, for_gp_practice=for_gp_practice, restricted=bool(latest.conditions)
    )
    return None, correction


def _latest(responses: list[AgencyResponse]) -> AgencyResponse | None:
    return next((r for r in reversed(responses) if r.status == ResponseStatus.SUBMITTED), None)


def _decision(request: AuthenticatedHttpRequest, agency_request: AgencyRequest) -> DecisionShown | None:
    """The contact's outcome, once decided, for a partner whose agency answered the request (000; 003
    App. 4 §8): its first showing to the agency is recorded in the sharing ledger."""
    if not can_see_request_outcome(request.user, agency_request):
        return None
    shown = outcome_services.show_request_outcome(agency_request, by=request.user, at=timezone.now())
    return decision_shown(shown)


def _request_page(
    request: AuthenticatedHttpRequest,
    agency_request: AgencyRequest,
    responses: list[AgencyResponse],
    forms: tuple[ResponseForm | None, CorrectionForm | None],
    *,
    agreement: AgreementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    latest = _latest(responses)
    form, correction = forms
    context = {
        "decision": _decision(request, agency_request),
        "request_": agency_request,
        "people": sent_people(agency_request.subjects, mothers_born=True),
        "form": form,
        "correction": correction,
        "responses": submitted_responses(responses),
        "phone": request_phone_prompt(agency_request),
        "practice_email": practice_email_note(agency_request),
        "agreement": agreement if agreement is not None else _agreement_form(request, latest),
        "agreed": list(latest.agreements.select_related("agreed_by")) if latest is not None else [],
        **_consent_since(agency_request),
    }
    return render(request, "checks/request.html", context, status=status)


def _consent_since(agency_request: AgencyRequest) -> dict[str, str]:
    """Each person's consent now, when it is not what the agency was told when asked (walk-through: a
    partner read "consent given" after the family had refused, and could have gone to them on it)."""
    sent = agency_request.disclosure
    now = services.request_consent(agency_request.checks.contact, on=timezone.localdate())
    if now == sent.consent_position:
        return {}
    return {
        "consent_now": now,
        "consent_then": f"When the hub asked, on {shown_date(sent.disclosed_at)}: {sent.consent_position}",
    }


@require_http_methods(["GET", "POST"])
def request_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One request as the agency sees it (only what was sent), and its response."""
    agency_request = get_request_for(request.user, pk, purpose="agency-request")
    _require_partner(request)
    at = timezone.now()
    responses = list(agency_request.responses.all())
    latest = _latest(responses)
    if request.method == "POST":
        earlier = answers.sent_already(agency_request, submission_key=_posted_key(request))
        if earlier is not None:
            return _sent_again(request, agency_request)
    form, correction = _answer_forms(agency_request, responses, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form is None and (correction is None or "action" in request.POST):
        # An answer form sent again (a double click, a retry after a lost connection) or after the
        # hub withdrew the request: say why, change nothing.
        messages.error(request, answers.why_not_open(agency_request))
        return redirect("checks:request", pk=agency_request.pk)
    status = 200
    if request.method == "POST":
        try:
            if form is not None and form.is_valid():
                submit = request.POST.get("action") == "submit"
                answers.save_response(
                    agency_request,
                    _answer(form.cleaned_data),
                    by=request.user,
                    at=at,
                    submit=submit,
                    version=form.cleaned_data["version"],
                    submission_key=form.cleaned_data["submission_key"],
                )
                messages.success(request, "Response submitted" if submit else "Draft saved")
                return redirect("checks:request", pk=agency_request.pk)
            if correction is not None and latest is not None and correction.is_valid():
                data = correction.cleaned_data
                answers.correct_response(
                    latest,
                    _answer(data),
                    reason=data["reason"],
                    by=request.user,
                    at=at,
                    version=data["version"],
                    remove_restriction=bool(data.get("remove_restriction")),
                    submission_key=data["submission_key"],
                )
                messages.success(request, "Correction submitted: it supersedes the earlier response")
                return redirect("checks:request", pk=agency_request.pk)
        except DomainError as error:  # a stale form (ConcurrentChange) included
            if answers.sent_already(agency_request, submission_key=_posted_key(request)) is not None:
                # The same form, sent twice at once: the other copy went through first.
                return _sent_again(request, agency_request)
            target = form if form is not None else correction
            if target is not None:
                status = add_refusal(target, error)
    return _request_page(request, agency_request, responses, (form, correction), status=status)


def _open_routes(latest: AgencyResponse) -> list[Exit]:
    """The routes the answer's conditions bar that its agency has not agreed to yet."""
    agreed = set(latest.agreements.values_list("route", flat=True))
    return [route for route in barred_routes(latest.conditions) if route.value not in agreed]


def _agreement_form(request: AuthenticatedHttpRequest, latest: AgencyResponse | None) -> AgreementForm | None:
    """The form that opens the routes the answer's conditions bar, for its own agency, while any is shut."""
    if latest is None or not permissions.can_agree_handling(request.user, latest):
        return None
    routes = _open_routes(latest)
    return AgreementForm(routes=routes) if routes else None


@require_POST
def agree(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The agency that answered agrees that its answer may go where its conditions bar it. A problem
    is shown beside the field it is about, with what was typed kept."""
    agency_request = get_request_for(request.user, pk, purpose="agency-request")
    _require_partner(request)
    responses = list(agency_request.responses.all())
    latest = _latest(responses)
    if latest is None:
        raise Http404("No answer to agree for")
    routes = _open_routes(latest)
    if not routes:  # a colleague agreed to the last of them while this page was open
        messages.info(request, "Your agency has already agreed to every route your conditions bar")
        return redirect("checks:request", pk=agency_request.pk)
    # Checked against every route the conditions bar, so that one agreed since is named as such; drawn
    # again with those still open.
    form = AgreementForm(request.POST, routes=barred_routes(latest.conditions))
    if form.is_valid():
        try:
            made = agreements.agree_to_share(
                latest,
                routes=[Exit(value) for value in form.cleaned_data["routes"]],
                note=form.cleaned_data["note"],
                by=request.user,
                at=timezone.now(),
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            opened = "; ".join(agreement.get_route_display() for agreement in made)
            messages.success(request, f"Agreed. Your answer may now go in: {opened}")
            return redirect("checks:request", pk=agency_request.pk)
    else:
        status = 200
    form.offer(routes)
    return _request_page(
        request,
        agency_request,
        responses,
        _answer_forms(agency_request, responses, None),
        agreement=form,
        status=status,
    )


def _posted_key(request: AuthenticatedHttpRequest) -> uuid.UUID | None:
    """The one-time key the posted form carries, if it is one (anything else is no key)."""
    try:
        return uuid.UUID(str(request.POST.get("submission_key", "")))
    except ValueError:
        return None


def _sent_again(request: AuthenticatedHttpRequest, agency_request: AgencyRequest) -> HttpResponse:
    messages.info(request, "Your response had already been submitted: nothing new was saved")
    return redirect("checks:request", pk=agency_request.pk)


@require_GET
def gp_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The request for information as a PDF, for the health partner to send to the GP practice."""
    agency_request = get_request_for(request.user, pk, purpose="gp-request-for-information")
    _require_partner(request)
    if agency_request.agency.kind != AgencyKind.GP_PRACTICE:
        raise Http404("Only GP practice requests have a form")
    pdf = gp_form_pdf(agency_request)
    with transaction.atomic():
        record(
            Verb.REPORT_EXPORTED,
            by=request.user,
            contact=agency_request.checks.contact,
            data={"report": "gp-request-for-information", "request": agency_request.pk},
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{gp_form_filename(agency_request)}"'
    return response
