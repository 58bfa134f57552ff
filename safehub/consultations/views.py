from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import QUALIFIED_ROLES
from safehub.consultations import permissions, services
from safehub.consultations.forms import ConsultationForm
from safehub.consultations.models import Consultation
from safehub.consultations.presenters import after_name, child, consultee
from safehub.consultations.queries import get_consultation_for
from safehub.core.errors import DomainError
from safehub.core.forms import VersionForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.presenters import due


@require_GET
def consultation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_see_consultations(request.user):
        raise PermissionDenied
    at = timezone.now()
    rows = [
        (c, None if c.summary_sent_at else due(c.summary_due_at, at=at), after_name(c))
        for c in Consultation.objects.visible_to(request.user).select_related("recorded_by")[:200]
    ]
    return render(
        request,
        "consultations/list.html",
        {"rows": rows, "can_record": permissions.can_record_consultation(request.user)},
    )


@require_http_methods(["GET", "POST"])
def record_consultation(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_record_consultation(request.user):
        raise PermissionDenied
    at = timezone.now()
    form = ConsultationForm(request.POST or None, at=at, initial={"submission_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        team = request.user.memberships.filter(role__in=QUALIFIED_ROLES).select_related("team").first()
        assert team is not None  # noqa: S101 - guaranteed by the role check above
        earlier = services.already_recorded(
            form.consultation_fields(), by=request.user, submission_key=form.cleaned_data["submission_key"]
        )
        if earlier is not None:
            messages.info(request, "You had already recorded this consultation: nothing new was saved")
            return redirect(earlier)
        try:
            consultation = services.record_consultation(
                form.consultation_fields(),
                team=team.team,
                by=request.user,
                at=at,
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Consultation recorded. Send the summary to the consultee")
            return redirect(consultation)
    return render(request, "consultations/record.html", {"form": form})


def _page(
    request: AuthenticatedHttpRequest, consultation: Consultation, form: VersionForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "consultation": consultation,
        "consultee": consultee(consultation),
        "child": child(consultation),
        "due": due(consultation.summary_due_at, at=timezone.now()) if not consultation.summary_sent_at else None,
        "form": form or VersionForm(initial={"version": consultation.version}),
        "can_send": permissions.can_send_summary(request.user, consultation),
    }
    return render(request, "consultations/consultation.html", context, status=status)


@require_GET
def consultation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_consultation_for(request.user, pk, purpose="consultation"))


@require_POST
def send_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_for(request.user, pk, purpose="send-summary")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again")
        return redirect(consultation)
    try:
        services.send_summary(consultation, by=request.user, at=timezone.now(), version=form.cleaned_data["version"])
    except DomainError as error:
        # Shown again as it is now (sent by someone else, say), with why nothing changed.
        consultation.refresh_from_db()
        return _page(request, consultation, form, status=add_refusal(form, error))
    messages.success(request, "Summary recorded as sent")
    return redirect(consultation)
