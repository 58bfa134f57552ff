"""A signed-in user changes their own password (ADR 0023 addendum)."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.accounts.forms import BUSY
from safehub.core.http import AuthenticatedHttpRequest
from safehub.signin import lockout
from safehub.signin.clients import client_address
from safehub.signin.forms import GovukPasswordChangeForm
from safehub.signin.passwords import change_own_password
from safehub.signin.slots import password_check_slot


@require_http_methods(["GET", "POST"])
def change_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current password, then the new one twice. A wrong current password counts as a failed
    sign-in (towards the account's lock and the client's throttle), since it is a way to guess it;
    checking it takes a password check slot as signing in does. Once changed, this session goes
    on and every other session of the user's ends at its next request."""
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
            lockout.record_failure(request.user.username, client=client_address(request), at=timezone.now())
        if valid:
            change_own_password(request.user, form.cleaned_data["new_password1"])
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password is changed. Anywhere else you were signed in, you are signed out.")
            return redirect("mfa:account")
    return render(request, "signin/change_password.html", {"form": form})
