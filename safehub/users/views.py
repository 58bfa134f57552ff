"""The administrator's pages: users, their roles, agencies and teams, and how each user signs in
(locked accounts, their authenticator app). Anyone else is refused as on every other hub page they
have no part in: 403 for the hub's staff, 404 for a partner (core.views.forbidden; ADR 0026)."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest, query_without
from safehub.mfa import services as mfa
from safehub.mfa.forms import ResetForm
from safehub.mfa.models import ResetAction
from safehub.protocols.permissions import can_change_protocols
from safehub.signin import lockout
from safehub.signin.forms import GovukSetPasswordForm, UnlockForm
from safehub.users import agencies, presenters, services
from safehub.users.forms import (
    AgencyEmailForm,
    AgencyForm,
    AgencySecureEmailForm,
    CreateUserForm,
    DetailsForm,
    GrantRoleForm,
    ReasonForm,
    RemoveRoleForm,
    RenameForm,
    StateForm,
    TeamForm,
    UserSearchForm,
)
from safehub.users.passwords import days_valid
from safehub.users.permissions import can_manage_users
from safehub.users.queries import users_matching

PAGE_SIZE = 50


def _administrators_only(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_users(request.user):
        raise PermissionDenied


def _site(request: AuthenticatedHttpRequest) -> str:
    return request.build_absolute_uri("/")


F = TypeVar("F", bound=forms.Form)


def _refused(form: F, error: DomainError, **now: str) -> tuple[F, int]:
    """The form shown again with the service's refusal. A stale one (the record changed since the
    page was drawn) comes back carrying the record as it is `now` (its hidden version), beside what
    the user typed: sending it again, after reading the page, is a deliberate change over what is
    there now, never one made blind."""
    if not isinstance(error, ConcurrentChange):
        return form, add_refusal(form, error)
    data = QueryDict(mutable=True)
    data.update(form.data)
    for name, value in now.items():
        data[form.add_prefix(name)] = value
    fresh = type(form)(data, auto_id=form.auto_id, prefix=form.prefix)
    fresh.is_valid()
    return fresh, add_refusal(fresh, error)


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The administrator's start page: what they look after, and how much of it there is."""
    _administrators_only(request)
    return render(
        request,
        "users/home.html",
        {
            "active_users": User.objects.filter(is_active=True).count(),
            "agencies": Agency.objects.count(),
            "teams": Team.objects.count(),
            "locked_accounts": len({row.user.pk for row in presenters.locked_rows()}),
            "can_change_protocols": can_change_protocols(request.user),
        },
    )


# --- Users ---------------------------------------------------------------------------------------


@require_GET
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrators_only(request)
    form = UserSearchForm(request.GET if request.GET.keys() - {"page"} else None)
    criteria: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        criteria = {
            "text": data["q"],
            "agency_id": int(data["agency"]) if data["agency"] else None,
            "team_id": int(data["team"]) if data["team"] else None,
            "role": data["role"],
            "status": data["status"],
        }
    page = Paginator(users_matching(**criteria), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "users/user_list.html",
        {
            "form": form,
            "page": page,
            "rows": presenters.user_rows(page.object_list),
            "query": query_without(request),
            "searched": bool(criteria),
        },
    )


@require_http_methods(["GET", "POST"])
def create_user(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrators_only(request)
    form = CreateUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                services.NewUser(
                    username=data["username"],
                    details=services.UserDetails(
                        data["first_name"], data["last_name"], data["email"], data["job_title"]
                    ),
                    team=form.chosen_team(),
                    role=Role(data["role"]),
                ),
                by=request.user,
                site=_site(request),
            )
        except services.AlreadyAdded as added:
            messages.info(request, added.message)
            return redirect("users:user", pk=added.user.pk)
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                f"{user} is added as {Role(data['role']).label.lower()} in {form.chosen_team().name}."
                f" A link to set their password was sent to {user.email}.",
            )
            return redirect("users:user", pk=user.pk)
    return render(request, "users/create_user.html", {"form": form, "days": days_valid()})


def _user_page(
    request: AuthenticatedHttpRequest, user: User, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    state = services.account_state(user)
    initial = {"state": state}
    memberships = Membership.objects.filter(user=user).select_related("team__agency").order_by("pk")
    details = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
    }
    page_forms: dict[str, forms.Form] = {
        action: form_class(initial=initial | (details if action == "details" else {}), auto_id=f"id_{action}_%s")
        for action, (form_class, _) in ACTIONS.items()
    }
    page_forms |= bound or {}
    return render(
        request,
        "users/user.html",
        {
            "subject": user,
            "summary": presenters.user_summary(user),
            "memberships": presenters.membership_rows(memberships),
            "state": state,
            "forms": {name.replace("-", "_"): form for name, form in page_forms.items()},
            "is_self": user.pk == request.user.pk,
            "sign_in": presenters.sign_in(user),
            "form": next(iter((bound or {}).values()), None),  # the one that was sent, for the page's title
        },
        status=status,
    )


@require_GET
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _administrators_only(request)
    return _user_page(request, get_object_or_404(User, pk=pk))


Action = Callable[[AuthenticatedHttpRequest, User, dict[str, Any]], str]


def _change_details(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    details = services.UserDetails(data["first_name"], data["last_name"], data["email"], data["job_title"])
    services.change_details(user, details, state=data["state"], by=request.user)
    return f"{user.username}'s details saved"


def _grant_role(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    team = Team.objects.select_related("agency").get(pk=int(data["team"]))
    role = Role(data["role"])
    services.grant_role(user, team=team, role=role, state=data["state"], by=request.user)
    return f"{user} is now a {role.label.lower()} in {team.name}"


def _remove_role(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    services.remove_role(user, membership_id=data["membership"], state=data["state"], by=request.user)
    return f"Role taken away from {user}"


def _deactivate(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    services.deactivate_user(user, reason=data["reason"], state=data["state"], by=request.user)
    return f"{user} is deactivated: they cannot sign in, and are signed out at their next click"


def _reactivate(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    services.reactivate_user(user, reason=data["reason"], state=data["state"], by=request.user)
    return f"{user} is active again and can sign in"


def _send_link(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    services.send_set_password_link(user, state=data["state"], by=request.user, site=_site(request))
    return f"A new link to set their password was sent to {user.email}"


def _unlock(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    lockout.unlock_account(user, reason=data["reason"], by=request.user)
    return f"{user.username} can sign in again"


def _reset_sign_in_codes(request: AuthenticatedHttpRequest, user: User, data: dict[str, Any]) -> str:
    action = ResetAction(data["action"])
    mfa.reset_authenticator(user, by=request.user, action=action, reason=data["reason"], at=timezone.now())
    if action == ResetAction.UNLOCK:
        return f"{user.username}'s code step is unlocked"
    return f"{user.username}'s authenticator app is removed: they set up a new one when they next sign in"


ACTIONS: dict[str, tuple[type[forms.Form], Action]] = {
    "details": (DetailsForm, _change_details),
    "grant-role": (GrantRoleForm, _grant_role),
    "remove-role": (RemoveRoleForm, _remove_role),
    "deactivate": (ReasonForm, _deactivate),
    "reactivate": (ReasonForm, _reactivate),
    "send-link": (StateForm, _send_link),
    "unlock": (UnlockForm, _unlock),
    "reset-sign-in-codes": (ResetForm, _reset_sign_in_codes),
}


@require_POST
def change_user(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the user page's forms. A refusal shows the page again with the form's errors (409
    when the account changed since the page was drawn); a change redirects back to the page."""
    _administrators_only(request)
    if action not in ACTIONS:
        raise Http404("No such change")
    user = get_object_or_404(User, pk=pk)
    form_class, act = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"id_{action}_%s")
    status: int = HTTPStatus.OK
    if form.is_valid():
        try:
            message = act(request, user, form.cleaned_data)
        except DomainError as error:
            user.refresh_from_db()
            form, status = _refused(form, error, state=services.account_state(user))
        else:
            messages.success(request, message)
            return redirect("users:user", pk=user.pk)
    return _user_page(request, user, bound={action: form}, status=status)


@require_GET
def locked_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The accounts wrong passwords or wrong codes have locked, each linking to its user's page to unlock it."""
    _administrators_only(request)
    return render(request, "users/locked_accounts.html", {"lockouts": presenters.locked_rows()})


# --- Agencies and teams --------------------------------------------------------------------------


@require_GET
def agency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrators_only(request)
    counts = dict(Team.objects.values("agency_id").annotate(n=Count("pk")).values_list("agency_id", "n"))
    agencies = Agency.objects.order_by("-is_host", "name")
    return render(request, "users/agency_list.html", {"rows": presenters.agency_rows(agencies, counts)})


@require_http_methods(["GET", "POST"])
def create_agency(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrators_only(request)
    has_host = Agency.objects.filter(is_host=True).exists()
    form = AgencyForm(request.POST or None)
    if has_host:
        del form.fields["is_host"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = agencies.create_agency(
                name=data["name"], kind=AgencyKind(data["kind"]), is_host=data.get("is_host", False), by=request.user
            )
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"{agency.name} added. Add its teams below.")
            return redirect("users:agency", pk=agency.pk)
    return render(request, "users/create_agency.html", {"form": form})


def _agency_page(
    request: AuthenticatedHttpRequest,
    agency: Agency,
    *,
    rename: RenameForm | None = None,
    add_team: TeamForm | None = None,
    address: AgencyEmailForm | None = None,
    secure: AgencySecureEmailForm | None = None,
    status: int = 200,
) -> HttpResponse:
    teams = list(agency.teams.annotate(members=Count("memberships__user", distinct=True)).order_by("name"))
    return render(
        request,
        "users/agency.html",
        {
            "agency": agency,
            "caption": f"{agency.get_kind_display()}, the host agency" if agency.is_host else agency.get_kind_display(),
            "teams": teams,
            "rename": rename or RenameForm(initial={"name": agency.name, "old_name": agency.name}, prefix="rename"),
            "add_team": add_team or TeamForm(prefix="team"),
            "address": address
            or AgencyEmailForm(initial={"email": agency.email, "old_email": agency.email}, prefix="address"),
            "secure": secure
            or AgencySecureEmailForm(
                initial={"email": agency.secure_email, "old_email": agency.secure_email}, prefix="secure"
            ),
            "form": rename or add_team or address or secure,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def agency_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The agency, its teams, and the forms that rename it and add a team."""
    _administrators_only(request)
    agency = get_object_or_404(Agency, pk=pk)
    if request.method == "GET":
        return _agency_page(request, agency)
    if "rename-name" in request.POST:
        rename = RenameForm(request.POST, prefix="rename")
        status: int = HTTPStatus.OK
        if rename.is_valid():
            try:
                agencies.rename_agency(
                    agency, name=rename.cleaned_data["name"], old_name=rename.cleaned_data["old_name"], by=request.user
                )
            except DomainError as error:
                agency.refresh_from_db()
                rename, status = _refused(rename, error, old_name=agency.name)
            else:
                messages.success(request, "Agency renamed")
                return redirect("users:agency", pk=agency.pk)
        return _agency_page(request, agency, rename=rename, status=status)
    if "address-old_email" in request.POST:
        address = AgencyEmailForm(request.POST, prefix="address")
        status = HTTPStatus.OK
        if address.is_valid():
            try:
                agencies.set_agency_email(
                    agency,
                    email=address.cleaned_data["email"],
                    old_email=address.cleaned_data["old_email"],
                    by=request.user,
                )
            except DomainError as error:
                status = add_refusal(address, error)
            else:
                messages.success(
                    request,
                    "Shared email address saved" if address.cleaned_data["email"] else "Shared email address removed",
                )
                return redirect("users:agency", pk=agency.pk)
        return _agency_page(request, agency, address=address, status=status)
    if "secure-old_email" in request.POST:
        return _set_secure_email(request, agency)
    add_team = TeamForm(request.POST, prefix="team")
    if add_team.is_valid():
        try:
            team = agencies.create_team(agency, name=add_team.cleaned_data["name"], by=request.user)
        except DomainError as error:
            add_refusal(add_team, error)
        else:
            messages.success(request, f"Team {team.name} added to {agency.name}")
            return redirect("users:agency", pk=agency.pk)
    return _agency_page(request, agency, add_team=add_team)


def _set_secure_email(request: AuthenticatedHttpRequest, agency: Agency) -> HttpResponse:
    secure = AgencySecureEmailForm(request.POST, prefix="secure")
    status: int = HTTPStatus.OK
    if secure.is_valid():
        try:
            agencies.set_agency_secure_email(
                agency, email=secure.cleaned_data["email"], old_email=secure.cleaned_data["old_email"], by=request.user
            )
        except DomainError as error:
            status = add_refusal(secure, error)
        else:
            saved = (
                "Agreed secure email address saved"
                if secure.cleaned_data["email"]
                else "Agreed secure email address removed"
            )
            messages.success(request, saved)
            return redirect("users:agency", pk=agency.pk)
    return _agency_page(request, agency, secure=secure, status=status)


@require_http_methods(["GET", "POST"])
def rename_team(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _administrators_only(request)
    team = get_object_or_404(Team.objects.select_related("agency"), pk=pk)
    form = RenameForm(request.POST or None, initial={"name": team.name, "old_name": team.name})
    status: int = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        try:
            agencies.rename_team(
                team, name=form.cleaned_data["name"], old_name=form.cleaned_data["old_name"], by=request.user
            )
        except DomainError as error:
            team.refresh_from_db()
            form, status = _refused(form, error, old_name=team.name)
        else:
            messages.success(request, "Team renamed")
            return redirect("users:agency", pk=team.agency_id)
    return render(request, "users/rename_team.html", {"team": team, "form": form}, status=status)


# --- Setting a password from a one-time link -----------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's own page for a password-reset link (it moves the token out of the address before
    showing the form), for a new user's first password or a new link; it signs nobody in, so the
    second step of signing in is never skipped. A deactivated user's link does not work."""

    template_name = "users/set_password.html"
    form_class = GovukSetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():  # the password and its audit entry together
            response = super().form_valid(form)
            services.record_password_set(form.user)
        messages.success(self.request, "Your password is set. Sign in with your username and new password.")
        return response
