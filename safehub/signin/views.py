"""A signed-in user changes their own password (ADR 0023 addendum)."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.accounts.forms import BUSY
from safehub.audit import services as audit
from safehub.core.http import AuthenticatedHttpRequest
from safehub.signin import lockout
from safehub.signin.forms import GovukPasswordChangeForm
from safehub.signin.passwords import change_own_password
from safehub.signin.slots import password_check_slot

# A wrong current password says how many tries are left once this few are.
TRIES_LEFT_WARNING = 3


@require_http_methods(["GET", "POST"])
def change_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current password, then the new one twice. A wrong current password counts towards the
    account's lock, since it is a way to guess it (not towards the client's throttle: ADR 0023
    addendum); checking it takes a password check slot as signing in does. An account that locks
    here is signed out here: whoever is at the keyboard does not know its password. Once changed,
    this session goes on and every other session of the user's ends at its next request."""
    if lockout.is_locked(request.user.username):
        return _signed_out_locked(request)
    form = GovukPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        with password_check_slot() as free:
            if not free:
                # Every check this server allows at once is running: nothing sent is looked at.
                form = GovukPasswordChangeForm(request.user, request.POST, refused_because=BUSY)
                status = HTTPStatus.SERVICE_UNAVAILABLE
                return render(request, "signin/change_password.html", {"form": form}, status=status)
            valid = form.is_valid()
        if not valid and form.has_error("old_password", "password_incorrect"):
            failure = lockout.record_wrong_current_password(request.user, at=timezone.now())
            if failure.locked_now or failure.while_locked:
                return _signed_out_locked(request)
            left = lockout.tries_left(failure)
            if left <= TRIES_LEFT_WARNING:
                form.errors["old_password"] = form.error_class(
                    [
                        f"Your current password is not right. After {left} more wrong"
                        f" password{'s' if left != 1 else ''}, your account locks"
                    ]
                )
        if valid:
            change_own_password(request.user, form.cleaned_data["new_password1"])
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password is changed. Anywhere else you were signed in, you are signed out.")
            return redirect("mfa:account")
    return render(request, "signin/change_password.html", {"form": form})


def _signed_out_locked(request: AuthenticatedHttpRequest) -> HttpResponse:
    audit.record_sign_out(request.user)
    logout(request)
    messages.error(
        request,
        "You were signed out: your account is locked after too many wrong passwords."
        " Ask a Safehub administrator to unlock it.",
    )
    return redirect(settings.LOGIN_URL)
