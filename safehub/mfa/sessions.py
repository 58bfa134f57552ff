"""What a session remembers about the second step of signing in.

A session has passed the second step when it holds the id of the user's confirmed authenticator app
(`PASSED_KEY`), and that app is still theirs: `accounts.backends` reads the app's id with the user, in
the same query, so checking costs no query, and an administrator's reset ends the second step of
every session at its next request.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.services import record_sign_in
from safehub.core.http import local_redirect_target

PASSED_KEY = "safehub_second_step"
NEXT_KEY = "safehub_second_step_next"
FRESH_CODES_KEY = "safehub_fresh_recovery_codes"


def passed_second_step(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    passed = request.session.get(PASSED_KEY)
    return passed is not None and passed == getattr(user, "authenticator_id", None)


def begin_second_step(request: HttpRequest, target: str) -> str:
    """After the password: forget any earlier second step, keep where to go afterwards, and return
    the address of the second step (which sends a user without an authenticator app to set one up)."""
    request.session.pop(PASSED_KEY, None)
    request.session[NEXT_KEY] = safe_target(request, target)
    return reverse("mfa:second-step")


def pass_second_step(request: HttpRequest, authenticator_id: int) -> None:
    """The user proved the second step: a new session key (the session's rights changed), marked
    passed, and the user signed in, audited (the password alone is not: ADR 0024)."""
    request.session.cycle_key()
    request.session[PASSED_KEY] = authenticator_id
    user = request.user
    if isinstance(user, User):  # signed in with the password: the second step's views are for no one else
        record_sign_in(user)


def safe_target(request: HttpRequest, target: str) -> str:
    return local_redirect_target(request, target) or ""


def take_next(request: HttpRequest, default: str) -> str:
    """Where the user was going when they signed in (once), or `default`."""
    target = request.session.pop(NEXT_KEY, "") or ""
    return safe_target(request, str(target)) or default


def second_step_url(path: str) -> str:
    """The second step's address, coming back to `path` afterwards."""
    return f"{reverse('mfa:second-step')}?{urlencode({'next': path})}"
