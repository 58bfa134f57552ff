from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.core.errors import ConcurrentChange, DomainError, Problem, Refused
from safehub.core.forms import VersionForm
from safehub.core.http import AuthenticatedHttpRequest
from safehub.protocols import permissions, presenters, services
from safehub.protocols.forms import (
    LevelFormSet,
    ProtocolForm,
    TimescaleFormSet,
    level_initial,
    protocol_initial,
    timescale_initial,
)
from safehub.protocols.models import LocalProtocol, Timescale


def _require_viewer(request: AuthenticatedHttpRequest) -> bool:
    """403 unless the user may read the protocol; whether they may change it."""
    if not permissions.can_view_protocols(request.user):
        raise PermissionDenied
    return permissions.can_change_protocols(request.user)


@require_GET
def protocol_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_edit = _require_viewer(request)
    protocols = LocalProtocol.objects.all()
    return render(request, "protocols/list.html", {"protocols": protocols, "can_edit": can_edit})


@require_POST
def activate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not _require_viewer(request):
        raise PermissionDenied
    protocol = get_object_or_404(LocalProtocol, pk=pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        protocol.version = form.cleaned_data["version"]
        try:
            services.activate_protocol(protocol, by=request.user)
        except ConcurrentChange as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{protocol.name} is now the active protocol")
    return redirect("protocols:list")


@require_http_methods(["GET", "POST"])
def protocol_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The protocol, and for an administrator the form that edits all of it (settings, levels of
    need, timescales), saved all or nothing."""
    can_edit = _require_viewer(request)
    protocol = get_object_or_404(LocalProtocol, pk=pk)
    levels = list(protocol.levels.all())
    timescales = presenters.in_step_order(protocol.timescales.all())
    level_start, timescale_start = level_initial(levels), timescale_initial(timescales)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ProtocolForm(request.POST)
        level_forms = LevelFormSet(request.POST, initial=level_start, prefix="level")
        timescale_forms = TimescaleFormSet(request.POST, initial=timescale_start, prefix="timescale")
        status = 200
        if all([form.is_valid(), level_forms.is_valid(), timescale_forms.is_valid()]):
            data = form.cleaned_data
            try:
                services.update_protocol(
                    protocol,
                    settings=_settings(data),
                    levels=[services.LevelRow(**f.cleaned_data) for f in _filled(level_forms)],
                    timescales=[services.TimescaleRow(**f.cleaned_data) for f in _filled(timescale_forms)],
                    by=request.user,
                    version=data["version"],
                    # A form from before the page had the field leaves the days as they are.
                    closure_days=data["closure_days"] if "closure_days" in request.POST else None,
                )
            except DomainError as error:
                status = _refuse(error, form, _filled(level_forms), _filled(timescale_forms))
            else:
                messages.success(request, f"{protocol.name} saved")
                return redirect("protocols:protocol", pk=protocol.pk)
        return _render(request, protocol, timescales, form, level_forms, timescale_forms, can_edit, status)
    if not can_edit:
        return _render(request, protocol, timescales, None, None, None, can_edit, 200)
    form = ProtocolForm(initial=protocol_initial(protocol))
    level_forms = LevelFormSet(initial=level_start, prefix="level")
    timescale_forms = TimescaleFormSet(initial=timescale_start, prefix="timescale")
    return _render(request, protocol, timescales, form, level_forms, timescale_forms, can_edit, 200)


def _settings(data: dict[str, Any]) -> services.ProtocolSettings:
    return services.ProtocolSettings(
        name=data["name"],
        source=data["source"],
        working_day_start=data["working_day_start"],
        working_day_end=data["working_day_end"],
        three_month_rule=data["three_month_rule"],
        daily_meeting=data["daily_meeting"],
        meeting_days=tuple(int(day) for day in data["meeting_days"]),
        meeting_time=data["meeting_time"],
        meeting_members=tuple(data["meeting_members"]),
        triage_days=tuple(int(day) for day in data["triage_days"]),
        triage_time=data["triage_time"],
        triage_members=tuple(data["triage_members"]),
        marac_threshold=data["marac_threshold"],
        consent_self_age=data["consent_self_age"],
        consent_competence_age=data["consent_competence_age"],
        override_by_senior_practitioner=data["override_by_senior_practitioner"],
        override_needs_owner_agreement=data["override_needs_owner_agreement"],
        checks_without_consent=data["checks_without_consent"],
        early_help_criteria=tuple(data["early_help_criteria"]),
        always_checked_agencies=tuple(data["always_checked_agencies"]),
        approver_roles=tuple(data["approver_roles"]),
        hub_phone=data["hub_phone"].strip(),
        hub_email=data["hub_email"].strip(),
        hub_address=data["hub_address"].strip(),
        la_code=data["la_code"].strip(),
        school_day_start=data["school_day_start"] or services.SCHOOL_DAY_START,
    )


def _filled(formset: Any) -> list[Any]:
    """The formset's rows that hold something: the blank row for adding one is left out."""
    return [f for f in formset if f.cleaned_data or f.initial] if formset.is_bound and formset.is_valid() else []


def _refuse(error: DomainError, form: ProtocolForm, levels: list[Any], timescales: list[Any]) -> int:
    """Put each problem beside what it is about: a level's or a timescale's on its row (the
    service names them 'level:code', 'timescale:amount'), the rest on the protocol's own form."""
    problems = error.problems if isinstance(error, Refused) else [Problem(error.message, field=error.field)]
    rows = {"level": levels, "timescale": timescales}
    status = HTTPStatus.CONFLICT if isinstance(error, ConcurrentChange) else HTTPStatus.OK
    for problem in problems:
        kind, _, name = (problem.field or "").partition(":")
        if kind in rows and problem.item is not None and problem.item < len(rows[kind]):
            target = rows[kind][problem.item]
            target.add_error(name if name in target.fields else None, problem.message)
        else:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    return status


def _render(
    request: AuthenticatedHttpRequest,
    protocol: LocalProtocol,
    timescales: list[Timescale],
    form: ProtocolForm | None,
    level_forms: Any,
    timescale_forms: Any,
    can_edit: bool,
    status: int,
) -> HttpResponse:
    context = {
        "protocol": protocol,
        "caption": presenters.caption(protocol),
        "approvers": presenters.approvers(protocol),
        "override_rule": presenters.override_rule(protocol),
        "checks_consent": presenters.checks_consent(protocol),
        "agencies": presenters.agencies(protocol),
        "meeting": presenters.daily_meeting(protocol),
        "triage": presenters.daily_meeting(protocol, "triage"),
        "closure_days": list(protocol.local_holidays.order_by("day")),
        "form": form,
        "level_forms": level_forms,
        "timescale_forms": timescale_forms,
        "levels": presenters.level_rows(level_forms) if level_forms is not None else [],
        "rows": presenters.timescale_rows(timescales, timescale_forms),
        "can_edit": can_edit,
    }
    return render(request, "protocols/protocol.html", context, status=status)
