from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.forms import VersionForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.protocols import permissions, presenters, services
from safehub.protocols.forms import ProtocolForm, TimescaleFormSet, protocol_initial
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
    can_edit = _require_viewer(request)
    protocol = get_object_or_404(LocalProtocol, pk=pk)
    timescales = list(protocol.timescales.all())
    initial = [{"pk": t.pk, "amount": t.amount, "unit": t.unit} for t in timescales]
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ProtocolForm(request.POST)
        formset = TimescaleFormSet(request.POST, initial=initial, prefix="timescale")
        status = 200
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.update_protocol(
                    protocol,
                    working_day_start=data["working_day_start"],
                    working_day_end=data["working_day_end"],
                    three_month_rule=data["three_month_rule"],
                    timescales={
                        f.cleaned_data["pk"]: (f.cleaned_data["amount"], f.cleaned_data["unit"]) for f in formset
                    },
                    by=request.user,
                    version=data["version"],
                )
            except DomainError as error:
                status = add_refusal(form, error)
            else:
                messages.success(request, f"{protocol.name} saved")
                return redirect("protocols:protocol", pk=protocol.pk)
        return _render(request, protocol, timescales, form, formset, can_edit, status)
    form = ProtocolForm(initial=protocol_initial(protocol))
    formset = TimescaleFormSet(initial=initial, prefix="timescale")
    return _render(request, protocol, timescales, form, formset, can_edit, 200)


def _render(
    request: AuthenticatedHttpRequest,
    protocol: LocalProtocol,
    timescales: list[Timescale],
    form: ProtocolForm,
    formset: object,
    can_edit: bool,
    status: int,
) -> HttpResponse:
    context = {
        "protocol": protocol,
        "caption": presenters.caption(protocol),
        "form": form,
        "formset": formset,
        "rows": presenters.timescale_rows(timescales, formset),
        "can_edit": can_edit,
    }
    return render(request, "protocols/protocol.html", context, status=status)
