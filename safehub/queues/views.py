from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.accounts.models import CASE_ROLES, Role
from safehub.checks.queries import unread_alerts
from safehub.core.http import AuthenticatedHttpRequest
from safehub.queues import presenters
from safehub.queues.queries import QUEUE_BY_SLUG, QUEUES, queue_contacts, queue_counts

HOME_QUEUE = [
    (Role.TEAM_MANAGER, "approval"),
    (Role.SENIOR_PRACTITIONER, "threshold"),
    (Role.SOCIAL_WORKER, "threshold"),
    (Role.CONTACT_OFFICER, "screening"),
    (Role.STRATEGY_COORDINATOR, "overdue"),
]


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    for role, slug in HOME_QUEUE:
        if request.user.has_role(role):
            return redirect("queues:queue", slug=slug)
    if request.user.has_role(Role.PARTNER_PROFESSIONAL):
        return redirect("checks:workspace")
    return render(request, "queues/no_queue.html", {"roles": sorted(request.user.roles())})


@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if slug not in QUEUE_BY_SLUG:
        raise Http404("No such queue")
    if not request.user.has_role(*CASE_ROLES):
        raise PermissionDenied
    at = timezone.now()
    current = QUEUE_BY_SLUG[slug]
    page = Paginator(queue_contacts(request.user, current, at=at), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "queues/queue.html",
        {
            "queue": current,
            "queues": QUEUES,
            "counts": queue_counts(request.user, at=at),
            "page": page,
            "rows": presenters.rows(page.object_list, at=at),
            "alerts": unread_alerts(request.user),
        },
    )
