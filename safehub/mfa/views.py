"""The second step of signing in, setting up an authenticator app, recovery codes, the user's own
account page, and an administrator's reset. Pages a password-only session may see show no menu."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.accounts.demo import DEMO_USERNAME_PREFIX
from safehub.accounts.models import User
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.mfa import services
from safehub.mfa.codes import next_usable_code, qr_code_data_uri, secret_for_typing, shown_recovery_code
from safehub.mfa.forms import CodeForm, RecoveryCodeForm, SavedCodesForm
from safehub.mfa.sessions import (
    FRESH_CODES_KEY,
    NEXT_KEY,
    pass_second_step,
    passed_second_step,
    safe_target,
    take_next,
)

# Before the second step the menu would offer pages the session cannot reach yet.
NO_MENU: dict[str, Any] = {"navigation": []}
LOW_ON_RECOVERY_CODES = 3


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The form's data when it was sent, even empty (an empty form gets its errors)."""
    return request.POST if request.method == "POST" else None


def _refused_code(form: Any, error: DomainError) -> None:
    """The refusal beside the box, and the box empty: a wrong code is of no use to type over."""
    add_refusal(form, error)
    form.data = form.data.copy()
    form.data["code"] = ""


def _keep_next(request: AuthenticatedHttpRequest) -> None:
    """A `next` on the address (a page asked for before the second step) is where to go after it."""
    target = safe_target(request, request.GET.get("next", ""))
    if target:
        request.session[NEXT_KEY] = target


def _demo_code(user: User) -> str:
    """In demo mode only, the code a demo account's app would show now (the demo has no phones)."""
    if not settings.DEMO_MODE or not user.username.startswith(DEMO_USERNAME_PREFIX):
        return ""
    device = services.authenticator_for(user)
    return next_usable_code(device, at=time.time()) if device is not None else ""


@require_http_methods(["GET", "POST"])
def second_step(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    _keep_next(request)
    if passed_second_step(request):
        return redirect(take_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    if services.authenticator_for(user) is None:
        return redirect("mfa:set-up")
    form = CodeForm(_posted(request))
    locked = services.is_locked(user)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            device = services.check_code(user, form.cleaned_data["code"], at=timezone.now())
        except services.SecondStepLocked:
            locked = True
        except DomainError as error:
            _refused_code(form, error)
        else:
            pass_second_step(request, device.pk)
            return redirect(take_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(
        request,
        "mfa/second_step.html",
        {
            **NO_MENU,
            "form": form,
            "locked": locked,
            "heading": "Signing in is locked" if locked else "Enter the 6-digit code",
            "demo_code": "" if locked else _demo_code(user),
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_code(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if passed_second_step(request):
        return redirect(take_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    if services.authenticator_for(user) is None:
        return redirect("mfa:set-up")
    form = RecoveryCodeForm(_posted(request))
    locked = services.is_locked(user)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            device, left = services.check_recovery_code(user, form.cleaned_data["code"], at=timezone.now())
        except services.SecondStepLocked:
            locked = True
        except DomainError as error:
            _refused_code(form, error)
        else:
            pass_second_step(request, device.pk)
            # Each code works once: say so, and how many are left (a warning when few are).
            if left < LOW_ON_RECOVERY_CODES:
                messages.warning(
                    request, f"You used a recovery code and have {left} left. Get new ones from Your account."
                )
            else:
                messages.info(request, f"You used a recovery code. You have {left} left: each one works once.")
            return redirect(take_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(request, "mfa/recovery_code.html", {**NO_MENU, "form": form, "locked": locked})


@require_http_methods(["GET", "POST"])
def set_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Setting up an authenticator app, the first time a user signs in (or after a reset)."""
    user = request.user
    _keep_next(request)
    if services.authenticator_for(user) is not None:
        return redirect("mfa:second-step")
    device = services.start_set_up(user)
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_set_up(user, form.cleaned_data["code"], at=timezone.now())
        except DomainError as error:
            add_refusal(form, error)
        else:
            pass_second_step(request, device.pk)
            request.session[FRESH_CODES_KEY] = codes
            return redirect("mfa:recovery-codes")
    return render(
        request,
        "mfa/set_up.html",
        {
            **NO_MENU,
            "form": form,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": secret_for_typing(device),
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes, shown once: until the user says they have saved them."""
    codes: list[str] = request.session.get(FRESH_CODES_KEY) or []
    if not codes:
        return redirect("mfa:account")
    form = SavedCodesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        del request.session[FRESH_CODES_KEY]
        return redirect(take_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(request, "mfa/recovery_codes.html", {"form": form, "codes": [shown_recovery_code(c) for c in codes]})


def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    device = services.authenticator_for(user)
    return render(
        request,
        "mfa/account.html",
        {"device": device, "codes_left": services.recovery_codes_left(user)},
    )


@require_POST
def new_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        codes = services.regenerate_recovery_codes(request.user, at=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("mfa:account")
    request.session[FRESH_CODES_KEY] = codes
    request.session[NEXT_KEY] = reverse("mfa:account")
    return redirect("mfa:recovery-codes")
