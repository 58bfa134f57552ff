from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safehub.accounts.models import Team
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.presenters import shown_date
from safehub.core.working_time import LONDON
from safehub.meetings import permissions, presenters, services
from safehub.meetings.forms import AttendanceForm, CloseMeetingForm, DecisionForm
from safehub.meetings.models import DECISIONS, DailyMeeting, MeetingKind
from safehub.meetings.queries import agenda_for, get_meeting_for, recent_meetings
from safehub.meetings.workflow import MeetingState
from safehub.protocols.models import LocalProtocol
from safehub.protocols.permissions import can_change_protocols
from safehub.protocols.presenters import daily_meeting


def _team(request: AuthenticatedHttpRequest) -> Team | None:
    return Team.objects.filter(pk__in=sorted(request.user.team_ids()), agency__is_host=True).order_by("pk").first()


# Each kind's list page (its URL name).
LIST_PAGES = {MeetingKind.MASH: "meetings:meetings", MeetingKind.TRIAGE: "meetings:triage"}


@require_GET
def meetings_page(request: AuthenticatedHttpRequest, kind: str = MeetingKind.MASH) -> HttpResponse:
    """The team's meetings of a kind, today's first, and the button that opens today's."""
    if not permissions.can_see_meetings(request.user):
        raise PermissionDenied
    kind = MeetingKind(kind)
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    at = timezone.now()
    meetings = recent_meetings(request.user, kind)
    today = at.astimezone(LONDON).date()
    context = {
        "kind": kind,
        "next_meeting": presenters.next_meeting(protocol, at=at, kind=kind) if protocol is not None else None,
        "meetings": [(m, presenters.state_tag_class(m)) for m in meetings],
        "schedule": daily_meeting(protocol, kind.setting) if protocol is not None else "None",
        "can_open": permissions.can_run_meeting(request.user)
        and protocol is not None
        and services.is_meeting_day(protocol, at, kind)
        and not any(m.held_on == today for m in meetings),
        "can_set_up": can_change_protocols(request.user),
    }
    return render(request, "meetings/meetings.html", context)


@require_POST
def open_meeting(request: AuthenticatedHttpRequest, kind: str = MeetingKind.MASH) -> HttpResponse:
    if not permissions.can_run_meeting(request.user):
        raise PermissionDenied
    team = _team(request)
    if team is None:
        raise PermissionDenied
    try:
        meeting = services.open_meeting(team, by=request.user, at=timezone.now(), kind=kind)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(LIST_PAGES[MeetingKind(kind)])
    count = meeting.items.count()
    noun = MeetingKind(meeting.kind).noun
    where = "list" if meeting.kind == MeetingKind.TRIAGE else "agenda"
    messages.success(request, f"Today's {noun} is open: {count} item{'s' if count != 1 else ''} on its {where}")
    return redirect(meeting.get_absolute_url())


def _page(
    request: AuthenticatedHttpRequest, meeting: DailyMeeting, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    items, hidden = agenda_for(request.user, meeting)
    is_open = meeting.state == MeetingState.OPEN
    attendance = list(meeting.attendance.select_related("agency"))
    members = [(a.agency_id, a.agency.name) for a in attendance]
    attendance_form = (bound or {}).get("attendance") or AttendanceForm(
        initial={"version": meeting.version, "attended": [a.agency_id for a in attendance if a.attended]},
        members=members,
        prefix="attendance",
    )
    refused = [form for form in (bound or {}).values() if form.errors]
    context = {
        "meeting": meeting,
        "state_tag_class": presenters.state_tag_class(meeting),
        "rows": presenters.agenda_rows(
            items,
            user=request.user,
            kind=meeting.kind,
            open_meeting=is_open and permissions.can_record_at_meeting(request.user),
            bound=bound,
        ),
        "list_page": LIST_PAGES[MeetingKind(meeting.kind)],
        "list_name": "All triage" if meeting.kind == MeetingKind.TRIAGE else "All meetings",
        "noun": MeetingKind(meeting.kind).noun,
        "hidden": hidden,
        "attendance": attendance,
        "attendance_form": attendance_form if is_open and permissions.can_record_at_meeting(request.user) else None,
        "close_form": CloseMeetingForm(initial={"version": meeting.version}, prefix="close")
        if is_open and permissions.can_run_meeting(request.user)
        else None,
        "refused": refused,
        "undecided": sum(1 for item in items if not item.decision) + hidden,
        "form": refused[0] if refused else None,
    }
    return render(request, "meetings/meeting.html", context, status=status)


@require_GET
def meeting_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, purpose="daily meeting")
    return _page(request, meeting)


@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, purpose="daily meeting: attendance")
    if not permissions.can_record_at_meeting(request.user):
        raise PermissionDenied
    members = [(a.agency_id, a.agency.name) for a in meeting.attendance.select_related("agency")]
    form = AttendanceForm(request.POST, members=members, prefix="attendance")
    if form.is_valid():
        try:
            services.record_attendance(
                meeting,
                attended=form.cleaned_data["attended"],
                by=request.user,
                at=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
            meeting.refresh_from_db()
            return _page(request, meeting, bound={"attendance": form}, status=status)
        messages.success(request, "Attendance saved")
        return redirect(meeting.get_absolute_url())
    return _page(request, meeting, bound={"attendance": form})


@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, purpose="daily meeting: decision")
    items, _ = agenda_for(request.user, meeting)
    item = next((i for i in items if i.pk == item_pk), None)
    if item is None or not permissions.can_record_at_meeting(request.user):
        raise Http404("No such item")
    prefix = f"item-{item.pk}"
    decisions = DECISIONS[meeting.kind]
    names = presenters.item_names(item)
    form = DecisionForm(request.POST, prefix=prefix, decisions=decisions)
    form.names = names
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(
                item,
                decision=data["decision"],
                acts=data["acts"],
                note=data["note"],
                by=request.user,
                at=timezone.now(),
                version=data["version"],
                noted=presenters.notifications_now(request.user, [item]).get(item.pk),
            )
        except services.DecidedMeanwhile as clash:
            # Theirs stands; ours is shown again with the version that replaces theirs if saved again.
            data = request.POST.copy()
            data[f"{prefix}-version"] = str(clash.version)
            again = DecisionForm(data, prefix=prefix, decisions=decisions)
            again.names = names
            again.is_valid()
            again.add_error(None, clash.message)
            meeting.refresh_from_db()
            return _page(request, meeting, bound={prefix: again}, status=409)
        except DomainError as error:
            status = add_refusal(form, error)
            meeting.refresh_from_db()
            return _page(request, meeting, bound={prefix: form}, status=status)
        messages.success(request, f"Decision recorded for {item.contact.reference}: {item.get_decision_display()}")
        return redirect(f"{presenters.meeting_url(meeting)}#item-{item.pk}")
    return _page(request, meeting, bound={prefix: form})


@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, purpose="daily meeting: close")
    if not permissions.can_run_meeting(request.user):
        raise PermissionDenied
    form = CloseMeetingForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            items, _ = agenda_for(request.user, meeting)
            services.close_meeting(
                meeting,
                by=request.user,
                at=timezone.now(),
                version=form.cleaned_data["version"],
                noted=presenters.notifications_now(request.user, [i for i in items if not i.decision]),
            )
        except DomainError as error:
            status = add_refusal(form, error)
            meeting.refresh_from_db()
            return _page(request, meeting, bound={"close": form}, status=status)
        left = meeting.items.filter(decision="").count()
        noun = MeetingKind(meeting.kind).noun
        messages.success(
            request,
            f"{noun.capitalize()} closed at {shown_date(meeting.closed_at, 'H:i')}"
            + (f": {left} item{'s' if left != 1 else ''} not reached go to the next {noun}" if left else ""),
        )
        return redirect(meeting.get_absolute_url())
    return _page(request, meeting, bound={"close": form})
