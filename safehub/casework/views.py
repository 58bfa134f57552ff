from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from safehub.casework.importer import casework_said, row_guide
from safehub.casework.permissions import can_import_casework
from safehub.checks.permissions import can_answer_requests
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.import_pages import import_page


@require_http_methods(["GET", "POST"])
def import_page_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_import_casework(request.user):
        if can_answer_requests(request.user):  # a partner is not told the page exists
            raise Http404("No such page")
        raise PermissionDenied
    return import_page(
        request, casework_said, template="casework/import.html", again="casework:import", guide={"rows": row_guide()}
    )
