from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safehub.accounts.demo import DEMO_PASSWORD, DEMO_USERNAME_PREFIX
from safehub.accounts.forms import SignInForm
from safehub.accounts.models import User
from safehub.accounts.presenters import DemoAccount, demo_accounts
from safehub.audit import services as audit
from safehub.core.http import AuthenticatedHttpRequest, local_redirect_target


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
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            audit.record_sign_in(user)
            target = local_redirect_target(request, request.POST.get("next") or request.GET.get("next") or "")
            return redirect(target or settings.LOGIN_REDIRECT_URL)
        audit.record_failed_sign_in(request.POST.get("username", ""))
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "demo_accounts": _demo_accounts(),
            "demo_password": DEMO_PASSWORD,
        },
    )


@require_POST
def sign_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    audit.record_sign_out(request.user)
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
