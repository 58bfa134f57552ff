from __future__ import annotations

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from safehub.accounts.demo import DEMO_PASSWORD, DEMO_USERNAME_PREFIX
from safehub.accounts.forms import BUSY, SignInForm, throttled_message
from safehub.accounts.models import User
from safehub.accounts.permissions import can_administer
from safehub.accounts.presenters import DemoAccount, demo_accounts
from safehub.audit import services as audit
from safehub.core.http import AuthenticatedHttpRequest, local_redirect_target
from safehub.mfa.sessions import begin_second_step
from safehub.signin import lockout
from safehub.signin.clients import client_address
from safehub.signin.middleware import SIGNED_IN_AT_KEY
from safehub.signin.slots import password_check_slot

logger = logging.getLogger(__name__)


def _demo_accounts() -> list[DemoAccount]:
    if not settings.DEMO_MODE:
        return []
    return demo_accounts(
        User.objects.filter(username__startswith=DEMO_USERNAME_PREFIX)
        .prefetch_related("memberships__team")
        .order_by("username")
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    client = client_address(request)
    if request.method == "POST":
        refused_until = lockout.throttled_until(client, at=timezone.now())
        if refused_until is not None:
            # Cheap: no password is checked and, after the first in a window, nothing is written.
            lockout.record_refusal(client, at=timezone.now())
            return _refused(request, throttled_message(refused_until), HTTPStatus.TOO_MANY_REQUESTS)
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        with password_check_slot() as free:
            if not free:
                # Every password check this server allows at once is running: a flood of sign-ins
                # must not slow the pages of those already signed in. Nothing checked, nothing written.
                logger.warning("Sign-in refused: every password check slot was busy")
                response = _refused(request, BUSY, HTTPStatus.SERVICE_UNAVAILABLE)
                response["Retry-After"] = "5"
                return response
            valid = form.is_valid()
        if valid:
            user = form.get_user()
            lockout.record_success(user)
            login(request, user)
            request.session[SIGNED_IN_AT_KEY] = time.time()
            audit.record_password_accepted(user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            # The password is the first step: the second (or setting one up) comes next, then `target`.
            return redirect(begin_second_step(request, target))
        lockout.record_failure(str(request.POST.get("username", "")), client=client, at=timezone.now())
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "demo_accounts": _demo_accounts(),
            "demo_password": DEMO_PASSWORD,
            "signed_in_as": request.user if request.user.is_authenticated else None,
        },
    )


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    form = SignInForm(request, data=request.POST, refused_because=message)
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


@login_not_required
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's own sign-in page is replaced by Safehub's, with its guessing limits and audit.
    Someone signed in already is not sent to sign in again (the admin would send them straight
    back): a staff account goes on to the admin, anyone else is refused as on any page they have
    no part in (403; a partner 404)."""
    target = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        return redirect(local_redirect_target(request, target) or reverse("admin:index"))
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


@login_not_required
def admin_index(request: HttpRequest) -> HttpResponse:
    """The admin's start page, for a staff account with something in it to change; anyone else
    signed in is sent where Safehub manages users, or refused (the admin would show an empty page)."""
    if request.user.is_authenticated and request.user.is_staff and admin.site.get_app_list(request):
        return admin.site.admin_view(admin.site.index)(request)
    if request.user.is_authenticated and can_administer(request.user):
        messages.info(request, "Users, teams and agencies are managed here, in Safehub's own pages.")
        return redirect("users:home")
    return admin_sign_in(request)


@require_POST
def sign_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    audit.record_sign_out(request.user)
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
