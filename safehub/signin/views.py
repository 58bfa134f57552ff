"""The administrator's "Locked accounts" pages: the accounts failed sign-ins have locked, and
unlocking one with a reason (ADR 0023)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.permissions import can_unlock_accounts
from safehub.core.errors import DomainError
from safehub.core.http import AuthenticatedHttpRequest
from safehub.signin import lockout
from safehub.signin.forms import UnlockForm


@require_GET
def locked_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_unlock_accounts(request.user):
        raise PermissionDenied
    return render(request, "signin/locked_accounts.html", {"lockouts": lockout.locked_accounts()})


@require_http_methods(["GET", "POST"])
def unlock_account(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    if not can_unlock_accounts(request.user):
        raise PermissionDenied
    locked = get_object_or_404(lockout.locked_accounts(), user_id=user_id)
    form = UnlockForm(request.POST or None)
    if form.is_valid():
        try:
            lockout.unlock_account(locked.user, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{locked.user.username} can sign in again")
            return redirect("signin:locked-accounts")
    return render(request, "signin/unlock_account.html", {"lockout": locked, "form": form})
