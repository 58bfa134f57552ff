"""Session limits (ADR 0023): an idle timeout, an absolute lifetime, and an end to the sessions of an
account that has been switched off or whose password has changed. Each ending is audited and said."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from safehub.accounts.models import User
from safehub.audit import services as audit
from safehub.audit.models import Verb
from safehub.core.middleware import IDLE_KEY

SIGNED_IN_AT_KEY = "safehub_signed_in_at"
SYSTEM_PROCESS = "sessions"


class SessionLimitsMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT_SECONDS without a request (to within a thirtieth
    of it) or SESSION_ABSOLUTE_LIFETIME_SECONDS after they signed in, whatever they did since; end
    the session of an account switched off (or removed) since it signed in, at its next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        named = request.session.get(SESSION_KEY)
        user = request.user  # read now: Django ends a session whose password changed since sign-in
        if isinstance(user, User) and user.is_authenticated:
            ended = self._limits(request, user)
            if ended is not None:
                return ended
        elif named is not None and SESSION_KEY not in request.session:
            # Django emptied the session: its password hash is no longer the account's.
            _audit_password_ending(str(named))
            return _signed_out(
                request,
                "You were signed out because your password was changed. Sign in with the new password.",
            )
        elif SESSION_KEY in request.session:
            # The session names a user, yet nobody is signed in: the account was switched off or removed.
            _end_switched_off_session(request)
            return _signed_out(
                request,
                "You were signed out because your account has been switched off."
                " If you still need to use Safehub, ask a Safehub administrator.",
            )
        return self.get_response(request)

    def _limits(self, request: HttpRequest, user: User) -> HttpResponse | None:
        now = time.time()
        signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
        if signed_in_at is None:  # a session from before the lifetime was kept, or made without the sign-in page
            request.session[SIGNED_IN_AT_KEY] = signed_in_at = now
        lifetime = settings.SESSION_ABSOLUTE_LIFETIME_SECONDS
        if now - float(signed_in_at) > lifetime:
            _audit_ending(Verb.SIGNED_OUT_SESSION_LIMIT, user, {"signed_in_seconds": int(now - float(signed_in_at))})
            logout(request)
            hours = lifetime / 3600
            span = f"{hours:g} hours" if hours >= 1 else f"{lifetime // 60} minutes"
            return _signed_out(
                request, f"You were signed out because you had been signed in for {span}. Sign in again."
            )
        last_seen = request.session.get(IDLE_KEY)
        timeout = settings.SESSION_IDLE_TIMEOUT_SECONDS
        if last_seen is not None and now - float(last_seen) > timeout:
            _audit_ending(Verb.SIGNED_OUT_IDLE, user, {"idle_seconds": int(now - float(last_seen))})
            logout(request)
            return _signed_out(request, "You were signed out because you were inactive. Sign in again.")
        # Saving the session is a database write: do it when the clock has moved on by a
        # thirtieth of the timeout (a minute of a half-hour timeout), not on every page.
        if last_seen is None or now - float(last_seen) >= max(1, min(60, timeout // 30)):
            request.session[IDLE_KEY] = now
        return None


def _audit_ending(verb: Verb, user: User, data: dict[str, int]) -> None:
    with transaction.atomic():
        audit.record(verb, by=user, data=data)


def _audit_session_ended(verb: Verb, user_id: str, **data: str) -> User | None:
    """A session ended for its account's sake (its password changed, it was switched off or removed),
    audited against the account the session named (its id as the session held it)."""
    user = User.objects.filter(pk=int(user_id)).first() if user_id.isascii() and user_id.isdecimal() else None
    with transaction.atomic():
        audit.record(
            verb,
            by=user,
            system_process="" if user is not None else SYSTEM_PROCESS,
            data={"user_id": user_id[:20], **data},
        )
    return user


def _audit_password_ending(user_id: str) -> None:
    _audit_session_ended(Verb.SESSION_ENDED_PASSWORD_CHANGED, user_id)


def _end_switched_off_session(request: HttpRequest) -> None:
    user_id = str(request.session.get(SESSION_KEY))
    known = User.objects.filter(pk=int(user_id)).exists() if user_id.isascii() and user_id.isdecimal() else False
    _audit_session_ended(Verb.SESSION_ENDED_ACCOUNT_OFF, user_id, account="switched off" if known else "removed")
    request.session.flush()


def _signed_out(request: HttpRequest, message: str) -> HttpResponse:
    # This middleware runs before MessageMiddleware has set up `request._messages`, so the
    # message goes straight into a message store of its own, saved on the redirect.
    store = default_storage(request)
    store.add(messages.INFO, message)
    response = redirect_to_login(request.get_full_path())
    store.update(response)
    return response
