from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import Agency, User
from safehub.contacts.queries import get_contact_for
from safehub.core.errors import DomainError
from safehub.core.forms import VersionForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.presenters import shown_date
from safehub.people.queries import get_person_for
from safehub.strategy import invitations, permissions, presenters, services
from safehub.strategy.forms import ArrangeForm, CancelForm, ExceptionForm, StartForOpenCaseForm, StartNowForm
from safehub.strategy.models import MeetingFormat, StrategyDiscussion
from safehub.strategy.queries import get_discussion_for, invitations_for, invited_agencies, worktray


@require_GET
def worktray_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_see_strategy(request.user):
        raise PermissionDenied
    at = timezone.now()
    sections = [(section, presenters.rows(section.discussions, at=at)) for section in worktray(request.user, at=at)]
    return render(request, "strategy/worktray.html", {"sections": sections})


def _forms(discussion: StrategyDiscussion, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": discussion.version}
    arrange_initial = dict(initial)
    if discussion.meeting_at is not None:
        local = timezone.localtime(discussion.meeting_at)
        arrange_initial |= {
            "meeting_on": local.date(),
            "meeting_time": local.strftime("%H:%M"),
            "meeting_format": discussion.meeting_format,
            "place": discussion.place,
            "chair": discussion.chair_id,
        }
    invited = [invitation.agency_id for invitation in discussion.invitations.all() if invitation.agency_id]
    arrange_initial["agencies"] = invited or [
        p.agency.pk for p in invitations.proposed(discussion, on=timezone.localdate())
    ]
    forms = {
        "arrange": ArrangeForm(initial=arrange_initial, prefix="arrange"),
        "exception": ExceptionForm(initial=initial, prefix="exception"),
        "cancel": CancelForm(initial=initial, prefix="cancel"),
    }
    return forms | (bound or {})


def _page(
    request: AuthenticatedHttpRequest,
    discussion: StrategyDiscussion,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    at = timezone.now()
    user = request.user
    limit = services.exception_limit(discussion.started_at)
    context = {
        "discussion": discussion,
        "row": presenters.row(discussion, at=at),
        "forms": _forms(discussion, bound),
        "can_arrange": permissions.can_arrange(user, discussion),
        "can_record_exception": permissions.can_record_exception(user, discussion) and limit is not None,
        "can_cancel": permissions.can_cancel(user, discussion),
        "exception_limit": limit,
        "latest_meeting": services.latest_meeting(discussion, at=at),
        "overdue": discussion.is_overdue(at),
        "place_is_link": discussion.place.startswith("https://") and " " not in discussion.place,
        "history": presenters.history(discussion),
        "invitations": discussion.invitations.select_related("agency", "invited_by"),
    }
    return render(request, "strategy/discussion.html", context, status=status)


@require_GET
def discussion_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    discussion = get_discussion_for(request.user, pk, purpose="strategy discussion")
    if permissions.sees_as_an_invited_agency(request.user):
        # What was sent to their agency, and nothing else of the hub's record.
        agencies = invited_agencies(request.user)
        mine = [i for i in discussion.invitations.select_related("agency", "papers") if i.agency_id in agencies]
        meeting_now = shown_date(discussion.meeting_at)  # as the papers wrote it, to say whether it moved
        context = {"discussion": discussion, "invitations": mine, "meeting_now": meeting_now}
        return render(request, "strategy/invitation.html", context)
    return _page(request, discussion)


@require_GET
def invitations_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A partner's strategy discussions: those their agency is invited to."""
    if not permissions.sees_as_an_invited_agency(request.user):
        raise PermissionDenied
    return render(request, "strategy/invitations.html", {"invitations": invitations_for(request.user)})


def _act(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    name: str,
    form_class: type[VersionForm],
    allowed: Callable[[User], bool],
    act: Callable[[StrategyDiscussion, dict[str, Any]], str],
) -> HttpResponse:
    """One of the discussion page's forms (`name`), sent: checked, then `act` (a service call that
    returns what to tell the user); a refusal shows the page again with why beside the form."""
    discussion = get_discussion_for(request.user, pk, purpose=f"strategy discussion: {name}")
    if not allowed(request.user):
        raise PermissionDenied
    form = form_class(request.POST, prefix=name)
    if not form.is_valid():
        return _page(request, discussion, bound={name: form})
    try:
        message = act(discussion, form.cleaned_data)
    except DomainError as error:
        status = add_refusal(form, error)
        discussion.refresh_from_db()  # shown as it is now, with why nothing changed
        return _page(request, discussion, bound={name: form}, status=status)
    messages.success(request, message)
    return redirect("strategy:discussion", pk=discussion.pk)


@require_POST
def arrange(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(discussion: StrategyDiscussion, data: dict[str, Any]) -> str:
        chair = User.objects.filter(pk=data["chair"]).first()
        arrangement = services.Arrangement(
            data["meeting_at"],
            MeetingFormat(data["meeting_format"]),
            data["place"],
            chair,
            agencies=tuple(Agency.objects.filter(pk__in=data["agencies"], is_host=False).order_by("name")),
            referrer=data["referrer"],
        )
        services.arrange(discussion, arrangement, by=request.user, at=timezone.now(), version=data["version"])
        return f"Strategy discussion arranged for {shown_date(data['meeting_at'])}, chaired by {chair}"

    return _act(request, pk, name="arrange", form_class=ArrangeForm, allowed=permissions.can_arrange, act=act)


@require_POST
def record_exception(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(discussion: StrategyDiscussion, data: dict[str, Any]) -> str:
        services.record_exception(
            discussion,
            due_at=data["due_at"],
            reason=data["reason"],
            by=request.user,
            at=timezone.now(),
            version=data["version"],
        )
        return f"Exception recorded: the discussion is now due by {shown_date(data['due_at'])}"

    allowed = permissions.can_record_exception
    return _act(request, pk, name="exception", form_class=ExceptionForm, allowed=allowed, act=act)


@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(discussion: StrategyDiscussion, data: dict[str, Any]) -> str:
        services.cancel(discussion, reason=data["reason"], by=request.user, at=timezone.now(), version=data["version"])
        return "Strategy discussion cancelled"

    return _act(request, pk, name="cancel", form_class=CancelForm, allowed=permissions.can_cancel, act=act)


@require_http_methods(["GET", "POST"])
def start_now(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """A manager starts a strategy discussion straight from a contact: protection cannot wait."""
    contact = get_contact_for(request.user, contact_pk, purpose="start strategy discussion")
    if not permissions.can_start_strategy(request.user):
        raise PermissionDenied
    children = [(s.pk, s.display_name) for s in contact.subjects.all() if s.is_child]
    form = StartNowForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        try:
            discussion = services.start_now(
                contact,
                subject_ids=form.cleaned_data["children"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
            )
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                f"Strategy discussion started: due by {shown_date(discussion.due_at)}. The strategy coordinators"
                " have it to arrange.",
            )
            return redirect("strategy:discussion", pk=discussion.pk)
    back = reverse("contacts:contact", args=[contact.pk])
    return render(request, "strategy/start_now.html", {"contact": contact, "form": form, "back": back})


@require_http_methods(["GET", "POST"])
def start_for_person(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    """A manager starts a strategy discussion for a child already open to children's social care."""
    person = get_person_for(request.user, person_pk, purpose="start strategy discussion")
    if not permissions.can_start_strategy(request.user):
        raise PermissionDenied
    form = StartForOpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion = services.start_for_open_case(
                person, reason=form.cleaned_data["reason"], by=request.user, at=timezone.now()
            )
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                f"Strategy discussion started: due by {shown_date(discussion.due_at)}. The strategy coordinators"
                " have it to arrange.",
            )
            return redirect("strategy:discussion", pk=discussion.pk)
    back = reverse("people:person", args=[person.pk])
    return render(request, "strategy/start_for_person.html", {"person": person, "form": form, "back": back})
