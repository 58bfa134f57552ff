from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.core.http import AuthenticatedHttpRequest
from safehub.outbox.models import OutboxEmail
from safehub.outbox.permissions import can_read_every_email, can_read_outbox

PER_PAGE = 10


@require_GET
def outbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The emails the demo kept instead of sending: the user's own, or everyone's for an administrator."""
    if not can_read_outbox(request.user):
        raise Http404  # outside demo mode there is no outbox
    emails = OutboxEmail.objects.visible_to(request.user).newest_first()
    page = Paginator(emails, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "sees_all": can_read_every_email(request.user), "folder": settings.OUTBOX_DIR.name}
    return render(request, "outbox/outbox.html", context)
