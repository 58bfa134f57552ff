from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.queries import get_contact_for
from safehub.core.csvfiles import spreadsheet_safe
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest, query_without
from safehub.sharing import services
from safehub.sharing.forms import DeclineForm, LedgerFilterForm, SeenByForm
from safehub.sharing.models import Disclosure
from safehub.sharing.permissions import can_decline_to_share, can_read_ledger
from safehub.sharing.queries import LedgerSearch, ledger, seen_by
from safehub.sharing.vocabulary import Condition, Purpose, labelled


def _search(form: LedgerFilterForm) -> LedgerSearch | None:
    """What the DPO asked for; None when the form has errors (they say what to change)."""
    if not form.is_bound:
        return LedgerSearch()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return LedgerSearch(
        person=data["person"],
        agency_id=data["agency"].pk if data["agency"] else None,
        start=data["start"],
        end=data["end"],
        basis=data["basis"],
        direction=data["direction"],
        declined=data["declined"],
    )


@require_GET
def ledger_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The sharing ledger, for the data protection officer: who shared what, with whom, why, and on
    what basis, in and out, and the decisions not to share."""
    if not can_read_ledger(request.user):
        raise PermissionDenied
    form = LedgerFilterForm(request.GET or None)
    search = _search(form)
    rows = ledger(request.user, search if search is not None else LedgerSearch(nothing=True))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query_without(request), "csv_query": request.GET.urlencode()}
    return render(request, "sharing/ledger.html", context)


CSV_HEADER = [
    "When",
    "Sent or received",
    "Shared",
    "Contact",
    "People",
    "Agency or recipient",
    "Route",
    "Purpose",
    "Lawful bases",
    "What",
    "Consent",
    "Handling conditions",
    "Withheld",
    "By",
    "Decided by",
    "Asked by",
    "Why not shared",
]


def _csv_row(row: Disclosure) -> list[str]:
    return [
        spreadsheet_safe(value)
        for value in (
            timezone.localtime(row.disclosed_at).strftime("%Y-%m-%d %H:%M"),
            row.get_direction_display(),
            "Yes" if row.shared else "No",
            row.contact.reference if row.contact is not None else row.origin_reference,
            " ".join(person.local_id for person in row.people.all()),
            row.counterparty,
            row.get_route_display() if row.route else "",
            row.get_purpose_display(),
            "; ".join(row.basis_labels),
            "; ".join(row.category_labels),
            row.consent_position,
            "; ".join(row.condition_labels),
            "; ".join(
                f"{kept['agency']} ({'; '.join(labelled(Condition, kept['conditions']))})" for kept in row.withheld
            ),
            str(row.disclosed_by),
            str(row.decided_by or ""),
            row.asked_by,
            row.declined_reason,
        )
    ]


@require_GET
def ledger_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ledger rows the search finds, as CSV (what was shared is named, never copied), the export
    recorded in the audit trail with what was asked for and how many rows went."""
    if not can_read_ledger(request.user):
        raise PermissionDenied
    form = LedgerFilterForm(request.GET or None)
    search = _search(form)
    if search is None:
        messages.error(request, "Correct the search before downloading it")
        return redirect(f"{request.path.removesuffix('.csv')}?{request.GET.urlencode()}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for row in ledger(request.user, search).iterator(chunk_size=500):
        writer.writerow(_csv_row(row))
        count += 1
    with transaction.atomic():
        record(
            Verb.LEDGER_EXPORTED,
            by=request.user,
            data={"rows": count, "search": {key: value for key, value in request.GET.items() if value}},
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sharing-ledger.csv"'
    return response


@require_GET
def seen_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who has seen a person's record, and who was refused it, from the audit trail (issue 14). Each
    report read is itself recorded."""
    if not can_read_ledger(request.user):
        raise PermissionDenied
    form = SeenByForm(request.GET or None)
    found: list[Any] = []
    person = None
    if form.is_bound and form.is_valid():
        person = form.cleaned_data["person"]
        found = seen_by(request.user, person)
        with transaction.atomic():
            record(Verb.SEEN_BY_REPORT, by=request.user, person=person, data={"users": len(found)})
    return render(request, "sharing/seen.html", {"form": form, "person": person, "seen": found})


@require_http_methods(["GET", "POST"])
def decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a decision not to share information about the contact: what was asked, by whom, why not."""
    contact = get_contact_for(request.user, pk, purpose="decline-to-share")
    if not can_decline_to_share(request.user):
        raise PermissionDenied
    form = DeclineForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data["agency"]
        try:
            with transaction.atomic(durable=True):
                services.record_decision_not_to_share(
                    contact,
                    to=agency if agency is not None else data["asked_by"],
                    asked=data["asked"],
                    asked_by=data["asked_by"],
                    reason=data["declined_reason"],
                    purpose=Purpose.INFORMATION_REQUEST,
                    by=request.user,
                    at=timezone.now(),
                )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"Recorded: not shared with {data['asked_by']}")
            return redirect("contacts:contact", pk=contact.pk)
    return render(request, "sharing/decline.html", {"form": form, "contact": contact}, status=status)
