from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
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
from safehub.strategy import agreements, invitations, permissions, presenters, recording, services
from safehub.strategy.forms import (
    ActionForm,
    ArrangeForm,
    CancelForm,
    CloseActionForm,
    ConferenceForm,
    ContributionAgreementForm,
    ExceptionForm,
    RecordForm,
    SendRecordForm,
    StartForOpenCaseForm,
    StartNowForm,
)
from safehub.strategy.models import Invitation, MeetingFormat, StrategyDiscussion
from safehub.strategy.queries import (
    discussions_of_contact,
    get_discussion_for,
    invitations_for,
    invited_agencies,
    open_actions,
    worktray,
)


@require_GET
def worktray_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_see_strategy(request.user):
        raise PermissionDenied
    at = timezone.now()
    show_all = request.GET.get("all", "")
    found = worktray(request.user, at=at, show_all=show_all)
    sections = [(section, presenters.rows(section.discussions, at=at)) for section in found]
    actions = open_actions(request.user, show_all=show_all == "actions")
    context = {"sections": sections, "actions": presenters.action_rows(actions.actions, at=at), "action_list": actions}
    return render(request, "strategy/worktray.html", context)


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
        "send": SendRecordForm(initial=initial, prefix="send"),
        "conference": ConferenceForm(initial=initial, prefix="conference"),
        "action": ActionForm(prefix="action"),
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
        "invitees": presenters.invitees(
            discussion,
            discussion.invitations.select_related("agency", "invited_by", "record_copy", "agreement__agreed_by"),
        ),
        "kept": getattr(discussion, "record", None),
        "timeliness": presenters.timeliness(discussion),
        "can_record": permissions.can_record(user, discussion),
        "meeting_passed": discussion.meeting_at is not None and discussion.meeting_at <= at,
        "can_send_record": permissions.can_send_record(user, discussion),
        "can_add_action": permissions.can_add_action(user, discussion),
        "can_record_conference": permissions.can_record_conference(user, discussion),
        "actions": presenters.actions(discussion, agencies=frozenset(), user=user, bound=bound),
        **_refused_forms(bound),
    }
    return render(request, "strategy/discussion.html", context, status=status)


def _refused_forms(bound: dict[str, Any] | None) -> dict[str, Any]:
    """The forms sent back with problems: listed in the page's error summary (an action's close form sits
    far down the page), and the first one marks the page's title "Error:"."""
    refused = [form for form in (bound or {}).values() if form.errors]
    return {
        "close_forms": [f for name, f in (bound or {}).items() if name.startswith("close-")],
        "form": refused[0] if refused else None,
    }


def discussion_response(
    request: AuthenticatedHttpRequest, discussion: StrategyDiscussion, *, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The discussion's page: the hub's record and forms, or for a partner what was sent to their agency."""
    if permissions.sees_as_an_invited_agency(request.user):
        # What was sent to their agency, and nothing else of the hub's record.
        agencies = invited_agencies(request.user)
        mine = [
            i
            for i in discussion.invitations.select_related(
                "agency", "papers", "record_copy__disclosure", "agreement__agreed_by"
            )
            if i.agency_id in agencies
        ]
        agreement_forms = {i.pk: _agreement_form(i, bound) for i in mine}
        actions = presenters.actions(discussion, agencies=frozenset(agencies), user=request.user, bound=bound)
        meeting_now = shown_date(discussion.meeting_at)  # as the papers wrote it, to say whether it moved
        context = {
            "discussion": discussion,
            "invitations": [
                (invitation, presenters.taking_part_as_sent(invitation), agreement_forms[invitation.pk])
                for invitation in mine
            ],
            "agreement_refused": next((f for f in agreement_forms.values() if f is not None and f.errors), None),
            "meeting_now": meeting_now,
            "actions": actions,
            **_refused_forms(bound),
        }
        return render(request, "strategy/invitation.html", context)
    return _page(request, discussion, bound=bound)


def _agreement_form(invitation: Invitation, bound: dict[str, Any] | None) -> ContributionAgreementForm | None:
    """While the record is not yet sent, the form that lets the invited agency pass on the
    contribution it asked to keep from the others (the one sent back with problems, if it was)."""
    prefix = f"agree-{invitation.pk}"
    sent_back = (bound or {}).get(prefix)
    if isinstance(sent_back, ContributionAgreementForm):
        return sent_back
    return ContributionAgreementForm(prefix=prefix) if agreements.open_to_agree(invitation) else None


@require_POST
def agree_contribution(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """The invited agency agrees that its contribution may go in the record sent to the other agencies."""
    discussion = get_discussion_for(request.user, pk, purpose="strategy discussion: agree to pass on")
    invitation = discussion.invitations.filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    prefix = f"agree-{invitation.pk}"
    form = ContributionAgreementForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            agreements.agree_to_pass_on(invitation, note=form.cleaned_data["note"], by=request.user, at=timezone.now())
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Agreed: your contribution will go in the record sent to the other agencies")
            return redirect("strategy:discussion", pk=discussion.pk)
    return discussion_response(request, discussion, bound={prefix: form})


@require_GET
def discussion_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    discussion = get_discussion_for(request.user, pk, purpose="strategy discussion")
    return discussion_response(request, discussion)


@require_GET
def invitations_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A partner's strategy discussions: those their agency is invited to."""
    if not permissions.sees_as_an_invited_agency(request.user):
        raise PermissionDenied
    show_all = request.GET.get("all", "")
    actions = open_actions(request.user, agencies=invited_agencies(request.user), show_all=show_all == "actions")
    rows = presenters.action_rows(actions.actions, at=timezone.now())
    found = invitations_for(request.user, show_all=show_all)
    context = {
        "upcoming": found.upcoming,
        "upcoming_rows": presenters.invitation_rows(found.upcoming.invitations),
        "recent": found.recent,
        "recent_rows": presenters.invitation_rows(found.recent.invitations),
        "actions": rows,
        "action_list": actions,
    }
    return render(request, "strategy/invitations.html", context)


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
    # Those started already (reconvening one is right; starting the same twice by mistake is not).
    existing = presenters.rows(discussions_of_contact(request.user, contact), at=timezone.now())
    context = {"contact": contact, "form": form, "back": back, "existing": existing}
    return render(request, "strategy/start_now.html", context)


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


ACTION_ROWS = 3  # empty action rows on the record's page; more can be added once it is recorded


def _action_forms(data: Any = None) -> list[ActionForm]:
    return [ActionForm(data, prefix=f"action-{index}") for index in range(ACTION_ROWS)]


def _record_page(
    request: AuthenticatedHttpRequest,
    discussion: StrategyDiscussion,
    form: RecordForm,
    actions: list[ActionForm],
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "discussion": discussion,
        "row": presenters.row(discussion, at=timezone.now()),
        "form": form,
        "actions": actions,
        "back": reverse("strategy:discussion", args=[discussion.pk]),
    }
    return render(request, "strategy/record.html", context, status=status)


# The service's names for what the record's form asks in two boxes (a date and a time).
RECORD_FIELDS = {"held_at": "held_time", "tell_by": "tell_time", "due_at": "due_time"}


def _all_problems(discussion: StrategyDiscussion, form: RecordForm, actions: list[ActionForm]) -> list[ActionForm]:
    """A form with a box it cannot read (a time of 25:99) still shows, in the same round, everything
    else the service would refuse, beside the boxes that have no error yet. Returns the action rows
    given (those not empty)."""
    form.cleaned_data = getattr(form, "cleaned_data", {})
    given = [a for a in actions if not getattr(a, "cleaned_data", None) or not a.is_empty()]
    for action in given:
        action.cleaned_data = getattr(action, "cleaned_data", {})
    outcome = form.outcome(tuple(action.action() for action in given))
    for problem in recording.outcome_problems(discussion, outcome, at=timezone.now()):
        target = given[problem.item] if problem.item is not None and problem.item < len(given) else form
        name = RECORD_FIELDS.get(problem.field or "", problem.field)
        if name in target.fields and name not in target.errors:
            target.add_error(name, problem.message)
        elif name not in target.fields and not target.non_field_errors():
            target.add_error(None, problem.message)
    return given


@require_http_methods(["GET", "POST"])
def record_discussion(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The chair, or the coordinator minuting for them, records the discussion once it has been held."""
    discussion = get_discussion_for(request.user, pk, purpose="record strategy discussion")
    if not permissions.can_record(request.user):
        raise PermissionDenied
    invited = list(discussion.invitations.select_related("agency"))
    if request.method == "GET":
        if not permissions.can_record(request.user, discussion):
            who = recording.recorded_by_whom(discussion)
            state = discussion.get_state_display().lower()
            messages.info(request, f"{who}: it is recorded already" if who else f"This strategy discussion is {state}")
            return redirect("strategy:discussion", pk=discussion.pk)
        initial: dict[str, Any] = {"version": discussion.version}
        if discussion.meeting_at is not None and discussion.meeting_at <= timezone.now():
            local = timezone.localtime(discussion.meeting_at)
            initial |= {"held_on": local.date(), "held_time": local.strftime("%H:%M")}
        return _record_page(request, discussion, RecordForm(initial=initial, invitations=invited), _action_forms())
    form = RecordForm(request.POST, invitations=invited)
    actions = _action_forms(request.POST)
    if not all([form.is_valid(), *(action.is_valid() for action in actions)]):
        _all_problems(discussion, form, actions)
        return _record_page(request, discussion, form, actions)
    given = [action for action in actions if not action.is_empty()]
    try:
        recording.hold(
            discussion,
            form.outcome(tuple(action.action() for action in given)),
            by=request.user,
            at=timezone.now(),
            version=form.cleaned_data["version"],
        )
    except recording.RecordedAlready as error:
        form.add_error(None, error.message)
        discussion.refresh_from_db()
        return _record_page(request, discussion, form, actions, status=HTTPStatus.CONFLICT)
    except DomainError as error:
        status = add_refusal(form, error, fields=RECORD_FIELDS, items=given)
        discussion.refresh_from_db()
        return _record_page(request, discussion, form, actions, status=status)
    messages.success(request, "Strategy discussion recorded. Send the record to those who took part.")
    return redirect("strategy:discussion", pk=discussion.pk)


@require_POST
def send_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(discussion: StrategyDiscussion, data: dict[str, Any]) -> str:
        copies = recording.send_record(discussion, by=request.user, at=timezone.now(), version=data["version"])
        agencies = ", ".join(str(copy.invitation) for copy in copies)
        return f"Record sent to {agencies}" if copies else "Record kept: nobody who took part has Safehub to send it to"

    return _act(request, pk, name="send", form_class=SendRecordForm, allowed=permissions.can_send_record, act=act)


@require_POST
def add_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    discussion = get_discussion_for(request.user, pk, purpose="strategy discussion: add action")
    if not permissions.can_add_action(request.user, discussion):
        raise PermissionDenied
    form = ActionForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            made = recording.add_action(discussion, form.action(), by=request.user, at=timezone.now())
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"Action added for {made.agency}, due {shown_date(made.due_at)}")
            return redirect("strategy:discussion", pk=discussion.pk)
    return _page(request, discussion, bound={"action": form})


@require_POST
def close_action(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    discussion = get_discussion_for(request.user, pk, purpose="strategy discussion: close action")
    action = discussion.actions.filter(pk=action_pk).select_related("agency").first()
    agencies = frozenset(invited_agencies(request.user))
    if action is None or not permissions.can_close_action(request.user, action, agencies=agencies):
        raise Http404("No such action")
    form = CloseActionForm(request.POST, prefix=f"close-{action.pk}")
    if form.is_valid():
        try:
            recording.close_action(
                action,
                note=form.cleaned_data["note"],
                by=request.user,
                at=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"Action closed: {action}")
            return redirect("strategy:discussion", pk=discussion.pk)
    return discussion_response(request, discussion, bound={f"close-{action.pk}": form})


@require_POST
def record_conference(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(discussion: StrategyDiscussion, data: dict[str, Any]) -> str:
        kept = recording.record_conference(
            discussion,
            on=data.get("conference_on") if data["held"] == "date" else None,
            not_required=data.get("not_required") or "" if data["held"] == "not_required" else "",
            by=request.user,
            at=timezone.now(),
            version=data["version"],
        )
        if kept.conference_on is not None:
            return f"Conference recorded for {shown_date(kept.conference_on, 'j F Y')}"
        return "Recorded: no conference is required"

    allowed = permissions.can_record_conference
    return _act(request, pk, name="conference", form_class=ConferenceForm, allowed=allowed, act=act)
