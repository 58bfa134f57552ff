"""Default deny for a session that has passed only the password: it reaches the second step, the
pages that set up an authenticator app, and signing out, and nothing else (the admin included).
Every other request is sent to the second step, before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from safehub.mfa.sessions import passed_second_step, second_step_url

# The pages a password-only session may see (by URL name).
OPEN_BEFORE_SECOND_STEP = ("mfa:second-step", "mfa:recovery-code", "mfa:set-up", "accounts:logout")


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_BEFORE_SECOND_STEP)


@cache
def _static_prefix() -> str:
    url = settings.STATIC_URL or "/static/"
    return url if url.startswith("/") else "/" + url


class SecondStepRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and request.path not in _open_paths()
            and not request.path.startswith(_static_prefix())
            and not passed_second_step(request)
        ):
            target = request.get_full_path() if request.method in ("GET", "HEAD") else ""
            return HttpResponseRedirect(second_step_url(target) if target else reverse("mfa:second-step"))
        return self.get_response(request)
