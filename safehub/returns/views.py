from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safehub.casework.permissions import can_import_casework
from safehub.checks.permissions import can_answer_requests
from safehub.core.http import AuthenticatedHttpRequest
from safehub.returns import queries, services
from safehub.returns.forms import AnnexAForm, CensusForm
from safehub.returns.models import ReturnKind
from safehub.returns.permissions import can_export_returns, can_see_returns


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not can_see_returns(request.user):
        if can_answer_requests(request.user):  # a partner is not told the page exists
            raise Http404("No such page")
        raise PermissionDenied


def _page(
    request: AuthenticatedHttpRequest, annex_a: AnnexAForm | None = None, census: CensusForm | None = None
) -> HttpResponse:
    may_export = can_export_returns(request.user)
    if annex_a is None and may_export:
        annex_a = AnnexAForm(initial={"submission_key": uuid.uuid4()})
    if census is None and may_export:
        this_year = services.RETURNS[ReturnKind.CIN_CENSUS].nightly_period(timezone.localdate())
        census = CensusForm(initial={"submission_key": uuid.uuid4(), "year": this_year})
    mine = queries.requests_of(request.user) if may_export else []
    return render(
        request,
        "returns/home.html",
        {
            "latest": list(services.latest_checks().items()),
            "annex_a": annex_a,
            "census": census,
            "mine": mine,
            # While a return is being built the page looks again, so that its link appears when it is ready.
            "refresh": any(check.building for check in mine),
            "may_import": can_import_casework(request.user),
        },
    )


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    return _page(request)


def _require_exporter(request: AuthenticatedHttpRequest) -> None:
    _require_reader(request)
    if not can_export_returns(request.user):
        raise PermissionDenied


def _ask(
    request: AuthenticatedHttpRequest, kind: ReturnKind, period: str, form: AnnexAForm | CensusForm, field: str
) -> str | None:
    """Ask the worker for the return; the problem with it, if it cannot be asked for."""
    try:
        services.request_export(
            kind, period, by=request.user, at=timezone.now(), submission_key=form.cleaned_data["submission_key"]
        )
    except services.ReturnRefused as refused:
        form.add_error(field, refused.message)
        return refused.message
    return None


@require_POST
def request_annex_a(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_exporter(request)
    form = AnnexAForm(request.POST)
    if not form.is_valid() or _ask(request, ReturnKind.ANNEX_A, form.cleaned_data["as_at"].isoformat(), form, "as_at"):
        return _page(request, annex_a=form)
    as_at = form.cleaned_data["as_at"]
    messages.success(request, f"Annex A as at {as_at:%-d %B %Y} is being built and checked: it is listed below")
    return redirect("returns:home")


@require_POST
def request_census(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_exporter(request)
    form = CensusForm(request.POST)
    if not form.is_valid() or _ask(request, ReturnKind.CIN_CENSUS, str(form.cleaned_data["year"]), form, "year"):
        return _page(request, census=form)
    year = form.cleaned_data["year"]
    messages.success(request, f"The census for {year - 1} to {year} is being built and checked: it is listed below")
    return redirect("returns:home")


@require_GET
def check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    found = queries.get_check_for(request.user, pk)
    named = sorted({child for issue in [*found.errors, *found.queries] for child in issue["children"]})
    links = queries.person_links(request.user, named)

    def shown(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**issue, "children": [(child, links.get(child)) for child in issue["children"]]} for issue in issues]

    return render(
        request, "returns/check.html", {"check": found, "errors": shown(found.errors), "queries": shown(found.queries)}
    )


@require_GET
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    found = queries.get_check_for(request.user, pk)
    if found.made_by_id != request.user.pk:
        raise Http404("No such return")
    try:
        data = services.download(found, by=request.user, at=timezone.now())
    except services.ReturnRefused as refused:
        messages.error(request, refused.message)
        return redirect("returns:home")
    kind = (
        "application/xml"
        if found.filename.endswith(".xml")
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
