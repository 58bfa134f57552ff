from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.accounts.models import User, front_door_staff
from safehub.accounts.permissions import (
    can_coordinate_strategy,
    can_make_threshold_decisions,
    can_read_performance,
    can_work_the_front_door,
)
from safehub.audit.permissions import can_read_audit
from safehub.checks.permissions import can_answer_requests, can_start_checks
from safehub.checks.presenters import alert_rows
from safehub.checks.queries import unread_alerts
from safehub.consultations.models import Consultation
from safehub.consultations.permissions import can_send_summary
from safehub.contacts.permissions import can_allocate, can_see_contacts
from safehub.contacts.queries import children_named
from safehub.core.http import AuthenticatedHttpRequest, query_without
from safehub.decisions.permissions import can_approve
from safehub.decisions.queries import child_outcomes
from safehub.handoffs.permissions import can_see_caseload
from safehub.handoffs.presenters import row as handoff_row
from safehub.handoffs.queries import handoffs_to
from safehub.letters.permissions import can_handle_post
from safehub.letters.queries import messages_visible_to
from safehub.protocols.permissions import can_change_protocols
from safehub.queues import presenters
from safehub.queues.caseload import SHOWN, caseload_contacts, children_of, late_answers, waiting_handoffs
from safehub.queues.filters import QueueFilters
from safehub.queues.queries import (
    ASKED_FOR_CHECKS,
    QUEUE_BY_SLUG,
    UNALLOCATED,
    queue_contacts,
    queue_counts,
    queues_for,
)
from safehub.users.permissions import can_manage_users

# Where each kind of user starts the day, on a page of their own work: the first that applies.
HOME_QUEUE: list[tuple[Callable[[User], bool], str]] = [
    (can_approve, "approval"),  # whoever the protocol lets approve: Bexley's senior practitioners too (002 roles)
    (can_make_threshold_decisions, "threshold"),
    (can_work_the_front_door, "screening"),
]
HOME_PAGE: list[tuple[Callable[[User], bool], str]] = [
    (can_coordinate_strategy, "strategy:worktray"),  # the discussions to arrange (000)
    (can_answer_requests, "checks:workspace"),
    (can_read_audit, "audit:events"),
    (can_read_performance, "reports:dashboard"),  # the performance lead's dashboard (issue 16)
    (can_manage_users, "users:home"),  # the administrator's pages: users, agencies and teams, the protocol
    (can_change_protocols, "protocols:list"),
]


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A worker contacts were handed to (an assessment team's social worker) starts where they are.
    if can_see_caseload(request.user) and handoffs_to(request.user).not_received().exists():
        return redirect("queues:caseload")
    for applies, slug in HOME_QUEUE:
        if applies(request.user):
            return redirect("queues:queue", slug=slug)
    for applies, url_name in HOME_PAGE:
        if applies(request.user):
            return redirect(url_name)
    return render(request, "queues/no_queue.html")


@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if slug not in QUEUE_BY_SLUG:
        raise Http404("No such queue")
    if not can_see_contacts(request.user) or (slug == UNALLOCATED.slug and not can_allocate(request.user)):
        raise PermissionDenied
    at = timezone.now()
    current = QUEUE_BY_SLUG[slug]
    counts = queue_counts(request.user, at=at)
    # A manager filters by any worker of their teams; everyone else by themselves or nobody.
    workers = list(front_door_staff(team_ids=request.user.team_ids())) if can_allocate(request.user) else []
    filters = QueueFilters(request.GET, user=request.user, workers=workers)
    today = timezone.localdate(at)
    narrow = (lambda contacts: filters.apply(contacts, today=today)) if filters.in_use else None
    paginator = Paginator(queue_contacts(request.user, current, at=at, narrow=narrow), 50)
    if narrow is None:
        paginator.count = counts[current.slug]  # what queue_counts counted, from the same scoped contacts
    page = paginator.get_page(request.GET.get("page"))
    shown = list(page.object_list)
    shown_ids = [row["pk"] for row in shown]
    return render(
        request,
        "queues/queue.html",
        {
            "queue": current,
            "queues": presenters.queue_links(queues_for(request.user), current=current, counts=counts),
            "counts": counts,
            "page": page,
            "rows": presenters.rows(shown, children_named(shown_ids), at=at, outcomes=child_outcomes(shown_ids)),
            "alerts": alert_rows(unread_alerts(request.user), for_partner=False),
            "handoffs_waiting": handoffs_to(request.user).not_received().count(),
            # A manager is told when social workers have asked them to start MASH checks (002 §15).
            "asked_for_checks": counts[ASKED_FOR_CHECKS] if can_start_checks(request.user) else 0,
            # 002 §5–6: summaries due within 48 hours; letters waiting on a person (issue 15).
            "summaries_overdue": Consultation.objects.visible_to(request.user).summary_overdue(at=at).count()
            if can_send_summary(request.user)
            else 0,
            "letters_waiting": messages_visible_to(request.user).needing_someone().count()
            if can_handle_post(request.user)
            else 0,
            "filters": filters,
            "caption": presenters.caption(page.paginator.count, filters),
            "query": filters.query(),
        },
    )


WAITING_PAGE = 25


@require_GET
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The worker's own caseload: contacts sent to them to mark received, the children on the
    contacts handed or allocated to them, and late answers from partner agencies."""
    if not can_see_caseload(request.user):
        raise PermissionDenied
    contacts = caseload_contacts(request.user)
    # Red first (forwarding closed them at the front door, so no queue shows them overdue), then
    # the longest waiting, a page at a time.
    waiting_page = Paginator(waiting_handoffs(request.user), WAITING_PAGE).get_page(request.GET.get("waiting"))
    waiting = [handoff_row(h, user=request.user) for h in waiting_page.object_list]
    names = children_named([row.contact_id for row in waiting])
    children = Paginator(children_of(contacts, request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "queues/caseload.html",
        {
            "waiting": [(row, ", ".join(names.get(row.contact_id, ()))) for row in waiting],
            "waiting_page": waiting_page,
            "waiting_heading": "Sent to you, not yet received"
            + (f" ({waiting_page.paginator.count})" if waiting_page.paginator.count else ""),
            "waiting_query": query_without(request, "waiting"),
            "children_query": query_without(request),
            "children": children,
            "page": children,
            "late_answers": alert_rows(late_answers(request.user), for_partner=False),
            "shown": SHOWN,
            "full": len(contacts) >= SHOWN,
        },
    )
