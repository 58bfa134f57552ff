"""The pages of onward referrals: sending a contact's referral pack to the team its outcome sends a
child to (with the pack shown first), a pack's own page, its PDF, the team accepting it, the list of
referrals (a receiving team's worktray; the hub's referrals still to send), and the register of teams."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.permissions import refusal_is_not_found
from safehub.contacts.queries import get_contact_for
from safehub.core.errors import DomainError
from safehub.core.forms import VersionForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.queries import by_pk
from safehub.decisions.models import Outcome
from safehub.onward import permissions, services
from safehub.onward.forms import ReceivingTeamForm, ReturnForm, SendForm
from safehub.onward.models import PACK_OUTCOMES, ReceivingTeam, ReferralPack
from safehub.onward.pdf import pack_pdf
from safehub.onward.presenters import pack_status
from safehub.onward.queries import can_open_contact, get_pack_for, sent_waiting, still_to_send, worktray
from safehub.onward.workflow import PackState

OUTCOMES = {outcome.value: outcome for outcome in PACK_OUTCOMES}
# The most rows a list on the Referrals page shows (its heading gives the whole count).
LIST_LIMIT = 200


@require_http_methods(["GET", "POST"])
def send(request: AuthenticatedHttpRequest, pk: int, outcome: str) -> HttpResponse:
    """Send the referral pack for the children the outcome sends to one service: the pack as the team
    will read it, the team to choose, and Send."""
    if outcome not in OUTCOMES:
        raise Http404("No such outcome")
    chosen = Outcome(OUTCOMES[outcome])
    contact = get_contact_for(request.user, pk, purpose="send-referral-pack", related=("outcome_action",))
    if not permissions.can_send_packs(request.user):
        raise PermissionDenied
    try:
        route = services.route_for(contact, chosen)
    except DomainError as error:
        messages.error(request, f"{error.message}. Nothing was sent.")
        return redirect(contact)
    if route.packs:
        pack = route.packs[0]
        messages.info(request, f"The referral pack was already sent to {pack.receiving_team.name}")
        return redirect(pack)
    teams = services.teams_taking(chosen)
    suggested = services.suggested(route, teams)
    form = SendForm(
        request.POST or None,
        teams=teams,
        initial={"submission_key": uuid.uuid4(), "team": suggested.pk if suggested else None},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        team = next(team for team in teams if team.pk == form.cleaned_data["team"])
        try:
            pack = services.send_pack(
                contact,
                outcome=chosen,
                team=team,
                by=request.user,
                at=timezone.now(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            sent = services.route_for(contact, chosen).packs
            if sent:  # someone else sent it meanwhile: their pack, not a form to send again
                messages.error(request, error.message)
                return redirect(sent[0])
            status = add_refusal(form, error)
        else:
            where = (
                f"will be emailed to {pack.receiving_team.name} within minutes"
                if pack.by_email
                else f"is in {pack.receiving_team.name}'s worktray"
            )
            messages.success(request, f"Referral pack sent: it {where}")
            return redirect(contact)
    preview = None
    if teams:
        try:
            preview = services.preview(contact, route, suggested or teams[0], at=timezone.now())
        except DomainError as error:
            form.add_error(None, error.message)
    context = {"contact": contact, "route": route, "form": form, "teams": teams, "content": preview}
    return render(request, "onward/send.html", context, status=status)


@require_GET
def pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_pack_for(request.user, pk, purpose="referral-pack")
    return _pack_page(request, found, ReturnForm(initial={"version": found.version}))


def _pack_page(request: AuthenticatedHttpRequest, found: ReferralPack, return_form: ReturnForm) -> HttpResponse:
    """A pack's page: what the team reads, its state, and (for the team, while it waits) accept or return."""
    return render(
        request,
        "onward/pack.html",
        {
            "pack": found,
            "content": found.content,
            "status": pack_status(found),
            "can_accept": found.state == PackState.WAITING and permissions.can_accept_pack(request.user, found),
            "return_form": return_form,
            "can_open_contact": can_open_contact(request.user, found),
            "version_form": VersionForm(initial={"version": found.version}),
        },
    )


@require_GET
def pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_pack_for(request.user, pk, purpose="referral-pack-pdf")
    response = HttpResponse(pack_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{found.contact.reference}.pdf"'
    return response


@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_pack_for(request.user, pk, purpose="referral-pack-accept")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "This page is out of date: reload the page and try again")
        return redirect(found)
    try:
        services.accept_pack(found, by=request.user, at=timezone.now(), version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(found)
    messages.success(request, f"Accepted for {found.receiving_team.name}: it has left the worktray")
    return redirect("onward:packs")


@require_POST
def return_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_pack_for(request.user, pk, purpose="referral-pack-return")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_pack(
                found,
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_refusal(form, error)
            found.refresh_from_db()  # someone in the team may have moved it on: show it as it is now
        else:
            messages.success(request, "Returned to the MASH with your reason: it has left the worktray")
            return redirect("onward:packs")
    return _pack_page(request, found, form)


@require_GET
def packs(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Referrals: those sent to the user's teams waiting to be accepted; for those who send them, the
    outcomes whose referral pack is still to send, and those sent that the team does not have yet."""
    user = request.user
    if not permissions.can_see_packs(user):
        if refusal_is_not_found(user):
            raise Http404("No such page")
        raise PermissionDenied
    sender = permissions.can_send_packs(user)
    at = timezone.now()
    to_send = still_to_send(user, at=at, sender=sender)
    waiting = sent_waiting(user, sender=sender)
    return render(
        request,
        "onward/packs.html",
        {
            "worktray": list(worktray(user)[:LIST_LIMIT]),
            "to_send": list(to_send[:LIST_LIMIT]),
            "to_send_count": to_send.count(),
            "waiting": list(waiting[:LIST_LIMIT]),
            "waiting_count": waiting.count(),
            "sender": sender,
            "receives": permissions.receives_referrals(user),
        },
    )


@require_GET
def teams(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_receiving_teams(request.user):
        raise PermissionDenied
    found = ReceivingTeam.objects.select_related("team")
    labels = {outcome.value: outcome.label for outcome in PACK_OUTCOMES}
    rows = [(team, [labels[value] for value in team.outcomes if value in labels]) for team in found]
    return render(request, "onward/teams.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def team(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a team that receives referrals, or change one (it moves into Safehub, say)."""
    if not permissions.can_manage_receiving_teams(request.user):
        raise PermissionDenied
    found = None
    if pk is not None:
        found = by_pk(ReceivingTeam.objects.all(), pk)
        if found is None:
            raise Http404("No such team")
    initial = (
        {
            "name": found.name,
            "outcomes": found.outcomes,
            "safehub_team": found.team_id,
            "email": found.email,
            "is_active": found.is_active,
            "version": found.version,
        }
        if found is not None
        else {"is_active": True, "version": 0}
    )
    form = ReceivingTeamForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_receiving_team(
                found,
                name=data["name"],
                outcomes=data["outcomes"],
                safehub_team_id=data["safehub_team"],
                email=data["email"],
                is_active=data["is_active"],
                by=request.user,
                at=timezone.now(),
                version=data["version"],
            )
        except DomainError as error:
            status = add_refusal(form, error, fields={"email": "email", "safehub_team": "safehub_team"})
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect("onward:teams")
    return render(request, "onward/team.html", {"form": form, "team": found}, status=status)
