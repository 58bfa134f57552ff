from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.audit.models import AuditEvent, Verb
from safehub.audit.permissions import can_read_audit
from safehub.audit.services import verify_chain
from safehub.contacts.models import ContactSubject
from safehub.core.forms import GovukDateField, GovukForm
from safehub.core.http import AuthenticatedHttpRequest, query_without


class AuditFilterForm(GovukForm):
    contact = forms.CharField(label="Contact reference", required=False, max_length=20)
    username = forms.CharField(
        label="Username",
        help_text="The whole username, like asha.patel: what they did, and what was done to their account (failed sign-ins, locks, changes)",
        required=False,
        max_length=150,
    )
    verb = forms.ChoiceField(label="What happened", required=False, choices=[("", "Anything"), *Verb.choices])
    person = forms.CharField(
        label="Person ID",
        help_text="The person index's ID, like P0000040: their record and every contact they are on",
        required=False,
        max_length=20,
    )
    start = GovukDateField(label="From", label_for_errors="The start date", required=False)
    end = GovukDateField(label="To", label_for_errors="The end date", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data


@require_GET
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The audit trail, for the data protection officer only."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    rows = AuditEvent.objects.visible_to(request.user).select_related("by", "contact").order_by("-seq")
    if form.is_bound and not form.is_valid():
        rows = rows.none()  # the errors say what to change; the whole trail is not what was asked for
    elif form.is_bound:
        data = form.cleaned_data
        if data["person"]:
            about = Q(person__local_id__iexact=data["person"].strip()) | Exists(
                ContactSubject.everyone.filter(
                    contact_id=OuterRef("contact_id"), person__local_id__iexact=data["person"].strip()
                )
            )
            rows = rows.filter(about)
        if data["contact"]:
            rows = rows.filter(contact__reference__iexact=data["contact"].strip())
        if data["username"]:
            # What they did, and what was done to their account (failed sign-ins, locks, changes).
            name = data["username"].strip()
            rows = rows.filter(Q(by__username__iexact=name) | Q(data__username__iexact=name))
        if data["verb"]:
            rows = rows.filter(verb=data["verb"])
        if data["start"]:
            rows = rows.filter(at__date__gte=data["start"])
        if data["end"]:
            rows = rows.filter(at__date__lte=data["end"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    report = verify_chain() if request.GET.get("verify") == "1" else None
    return render(
        request, "audit/events.html", {"form": form, "page": page, "report": report, "query": query_without(request)}
    )
