from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.audit.models import AuditEvent, Verb
from safehub.audit.permissions import can_read_audit
from safehub.audit.services import verify_chain
from safehub.core.forms import GovukDateField, GovukForm
from safehub.core.http import AuthenticatedHttpRequest


class AuditFilterForm(GovukForm):
    contact = forms.CharField(label="Contact reference", required=False, max_length=20)
    username = forms.CharField(label="Username", required=False, max_length=150)
    verb = forms.ChoiceField(label="What happened", required=False, choices=[("", "Anything"), *Verb.choices])
    start = GovukDateField(label="From", label_for_errors="The start date", required=False)
    end = GovukDateField(label="To", label_for_errors="The end date", required=False)


@require_GET
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The audit trail, for the data protection officer only."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    rows = AuditEvent.objects.visible_to(request.user).select_related("by", "contact").order_by("-seq")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["contact"]:
            rows = rows.filter(contact__reference__iexact=data["contact"].strip())
        if data["username"]:
            rows = rows.filter(by__username__iexact=data["username"].strip())
        if data["verb"]:
            rows = rows.filter(verb=data["verb"])
        if data["start"]:
            rows = rows.filter(at__date__gte=data["start"])
        if data["end"]:
            rows = rows.filter(at__date__lte=data["end"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    report = verify_chain() if request.GET.get("verify") == "1" else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/events.html", {"form": form, "page": page, "report": report, "query": query.urlencode()}
    )
