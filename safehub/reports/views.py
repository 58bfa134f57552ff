from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.accounts.permissions import can_read_performance
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.permissions import can_answer_requests
from safehub.core.http import AuthenticatedHttpRequest
from safehub.reports.indicators import checks_timeliness


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    """A partner professional is not told the hub's reports exist; other staff are refused."""
    if not can_read_performance(request.user):
        if can_answer_requests(request.user):
            raise Http404("No such page")
        raise PermissionDenied


@require_GET
def mash_checks_timeliness(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per agency and month: requests, answered on time, median and 90th percentile hours, outstanding."""
    _require_reader(request)
    if request.GET.get("format") == "csv":  # the address the download had before it had its own
        return mash_checks_timeliness_csv(request)
    return render(request, "reports/checks_timeliness.html", {"rows": checks_timeliness.timeliness()})


@require_GET
def mash_checks_timeliness_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same report as a spreadsheet; every download is recorded."""
    _require_reader(request)
    rows = checks_timeliness.timeliness()
    with transaction.atomic():
        record(Verb.REPORT_EXPORTED, by=request.user, data={"report": "mash-check-timeliness", "rows": len(rows)})
    response = HttpResponse(checks_timeliness.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mash-check-timeliness.csv"'
    return response
