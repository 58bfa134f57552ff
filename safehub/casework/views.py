from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.casework.importer import import_casework
from safehub.casework.permissions import can_import_casework
from safehub.checks.permissions import can_answer_requests
from safehub.core.csv_import import ImportRefused
from safehub.core.http import AuthenticatedHttpRequest
from safehub.people.forms import ImportForm


@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_import_casework(request.user):
        if can_answer_requests(request.user):  # a partner is not told the page exists
            raise Http404("No such page")
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    line_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_casework(form.cleaned_data["file"], by=request.user, at=timezone.now())
        except ImportRefused as refused:
            line_errors = refused.errors
            form.add_error("file", f"Nothing was imported: the file has {len(line_errors)} problem(s), listed below")
        else:
            messages.success(request, result.summary)
            return redirect("casework:import")
    return render(request, "casework/import.html", {"form": form, "line_errors": line_errors})
