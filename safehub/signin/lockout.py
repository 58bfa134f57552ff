"""Guessing limits on signing in (ADR 0023).

Two limits, each counted from failed sign-ins:

- an **account** is locked after SIGN_IN_LOCKOUT_FAILURES failures in a row and stays locked until
  an administrator unlocks it with a reason. A locked account is answered exactly as a wrong
  password, after a password check's worth of work, so that nobody can tell a locked account, an
  unknown username and a wrong password apart;
- a **client address** is refused for the rest of a SIGN_IN_CLIENT_WINDOW_SECONDS window once
  SIGN_IN_CLIENT_FAILURES sign-ins from it have failed in that window. The refusal is cheap: no
  password is checked and nothing is written but one audit entry for the client and window.

Every failure, every lock and every unlock is audited; throttled refusals are audited once per
client and window (an entry each would be a database write per refused attempt, which a flood of
them must not cost).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from safehub.accounts.models import User
from safehub.accounts.permissions import can_unlock_accounts
from safehub.audit import services as audit
from safehub.audit.models import Verb
from safehub.core.errors import DomainError
from safehub.signin.models import AccountLockout, ClientThrottle

SYSTEM_PROCESS = "sign-in"
USERNAME_LIMIT = 150  # the User model's; a longer name names no account
REASON_LIMIT = 500
# How long a client's rows are kept after their window, for the audit trail's reader to compare.
KEEP_CLIENT_ROWS = dt.timedelta(days=1)


# ----- client addresses --------------------------------------------------------------------------


def window_start(at: dt.datetime) -> dt.datetime:
    """The start of the fixed window `at` falls in (windows start at whole multiples of its length)."""
    length = settings.SIGN_IN_CLIENT_WINDOW_SECONDS
    seconds = int(at.timestamp())
    return dt.datetime.fromtimestamp(seconds - seconds % length, tz=dt.UTC)


def window_end(at: dt.datetime) -> dt.datetime:
    return window_start(at) + dt.timedelta(seconds=settings.SIGN_IN_CLIENT_WINDOW_SECONDS)


@dataclass
class _Known:
    """What this process already knows of a throttled client in one window."""

    window: dt.datetime
    audited: bool = False


# Clients this process has seen throttled, so that their further refusals in the same window need
# no query at all. Only a throttled state is kept: it cannot change until its window ends, whereas a
# client that may still try can be throttled at any moment by another process's failures.
_throttled: dict[str, _Known] = {}
_THROTTLED_KEPT = 10_000


def forget_throttled_clients() -> None:
    """Empty this process's memory of throttled clients (for tests)."""
    _throttled.clear()


def throttled_until(client: str, *, at: dt.datetime) -> dt.datetime | None:
    """When the client may sign in again, if its sign-ins are refused now; None if it may try.
    At most one indexed read, and none for a client this process has already refused this window."""
    start = window_start(at)
    known = _throttled.get(client)
    if known is not None and known.window == start:
        return window_end(at)
    failures = (
        ClientThrottle.objects.filter(client=client, window_start=start).values_list("failures", flat=True).first()
    )
    if failures is None or failures < settings.SIGN_IN_CLIENT_FAILURES:
        return None
    if len(_throttled) >= _THROTTLED_KEPT:
        _throttled.clear()
    _throttled[client] = _Known(start)
    return window_end(at)


def record_refusal(client: str, *, at: dt.datetime) -> None:
    """A sign-in refused because the client is throttled: audited once per client and window
    (whichever process refuses first claims the window's row), nothing written after that."""
    start = window_start(at)
    known = _throttled.setdefault(client, _Known(start))
    if known.window != start:
        known.window, known.audited = start, False
    if known.audited:
        return
    with transaction.atomic():
        claimed = ClientThrottle.objects.filter(client=client, window_start=start, refusal_audited=False).update(
            refusal_audited=True
        )
        if claimed:
            audit.record(
                Verb.SIGN_IN_THROTTLED,
                system_process=SYSTEM_PROCESS,
                at=at,
                data={
                    "client": client,
                    "failures": settings.SIGN_IN_CLIENT_FAILURES,
                    "refused_until": window_end(at).isoformat(),
                },
            )
    known.audited = True


def _count_client_failure(client: str, *, at: dt.datetime) -> None:
    start = window_start(at)
    rows = ClientThrottle.objects.filter(client=client, window_start=start)
    if rows.update(failures=F("failures") + 1):
        return
    try:
        with transaction.atomic():
            ClientThrottle.objects.create(client=client, window_start=start, failures=1)
    except IntegrityError:  # another request made the row first
        rows.update(failures=F("failures") + 1)
    # A new window's first failure clears out the rows of windows long over.
    ClientThrottle.objects.filter(window_start__lt=start - KEEP_CLIENT_ROWS).delete()


# ----- accounts ----------------------------------------------------------------------------------


def is_locked(username: str) -> bool:
    if len(username) > USERNAME_LIMIT:
        return False
    return AccountLockout.objects.filter(user__username=username, locked_at__isnull=False).exists()


def spend_a_password_check(password: str) -> None:
    """Hash the password with the default hasher and throw the result away: a refused locked
    account then takes as long as a wrong password does (Django's backend does the same for an
    unknown username)."""
    make_password(password)


@dataclass(frozen=True)
class Failure:
    """What one failed sign-in did to the account it named (if any)."""

    user: User | None
    failures: int = 0
    locked_now: bool = False
    while_locked: bool = False


@transaction.atomic
def record_failure(username: str, *, client: str, at: dt.datetime) -> Failure:
    """A failed sign-in: counted against the client, and against the account if the username names
    one (locking it at the limit); audited, without the password."""
    _count_client_failure(client, at=at)
    # A NUL byte names no account (no username can hold one), and PostgreSQL stores none: it is
    # recorded as the replacement character, so the audit shows that something odd was typed.
    names_one = 0 < len(username) <= USERNAME_LIMIT and "\x00" not in username
    user = User.objects.filter(username=username).first() if names_one else None
    username = username.replace("\x00", "\N{REPLACEMENT CHARACTER}")
    failure = Failure(user=None)
    if user is not None:
        failure = _count_account_failure(user, at=at)
    data: dict[str, object] = {"username": username[:USERNAME_LIMIT], "client": client}
    if failure.while_locked:
        data["account_locked"] = True
    audit.record(Verb.LOGIN_FAILED, system_process=SYSTEM_PROCESS, at=at, data=data)
    if failure.locked_now:
        audit.record(
            Verb.ACCOUNT_LOCKED,
            system_process=SYSTEM_PROCESS,
            at=at,
            data={"username": username, "user_id": user.pk if user else None, "failures": failure.failures},
        )
    return failure


@transaction.atomic
def record_wrong_current_password(user: User, *, at: dt.datetime) -> Failure:
    """A signed-in user gave a wrong current password when changing it: a way to guess the password
    too, so it counts towards the account's lock. Not towards the client's throttle: the session
    already proved who it is, and one person's mistyping must not shut out the office behind their
    address (walk-through, issue 12)."""
    failure = _count_account_failure(user, at=at)
    audit.record(
        Verb.PASSWORD_CHANGE_REFUSED,
        by=user,
        at=at,
        data={"user_id": user.pk, "username": user.username, "failures": failure.failures},
    )
    if failure.locked_now:
        audit.record(
            Verb.ACCOUNT_LOCKED,
            by=user,
            at=at,
            data={"username": user.username, "user_id": user.pk, "failures": failure.failures, "when": "changing"},
        )
    return failure


def tries_left(failure: Failure) -> int:
    """How many more wrong passwords the account takes before it locks."""
    return max(settings.SIGN_IN_LOCKOUT_FAILURES - failure.failures, 0)


def _count_account_failure(user: User, *, at: dt.datetime) -> Failure:
    AccountLockout.objects.get_or_create(user=user)
    rows = AccountLockout.objects.filter(user=user)
    # A locked account's count stops at the lock: what comes after (the right password among it,
    # answered as a wrong one) is audited, and would only blur what locked it for the administrator.
    rows.filter(locked_at__isnull=True).update(failures=F("failures") + 1, last_failure_at=at)
    lockout = rows.get()
    if lockout.locked_at is not None:
        return Failure(user, lockout.failures, while_locked=True)
    if lockout.failures < settings.SIGN_IN_LOCKOUT_FAILURES:
        return Failure(user, lockout.failures)
    locked_now = bool(rows.filter(locked_at__isnull=True).update(locked_at=at))
    return Failure(user, lockout.failures, locked_now=locked_now)


def record_success(user: User) -> None:
    """A good sign-in starts the account's count of failures again (a write only if it had any)."""
    AccountLockout.objects.filter(user=user, locked_at__isnull=True, failures__gt=0).update(
        failures=0, last_failure_at=None
    )


def locked_accounts() -> QuerySet[AccountLockout]:
    """The accounts locked now, the latest locked first."""
    return AccountLockout.objects.filter(locked_at__isnull=False).select_related("user").order_by("-locked_at")


@transaction.atomic
def unlock_account(user: User, *, reason: str, by: User | None = None, system_process: str = "") -> None:
    """Unlock `user`'s account, with the reason, audited. `by` is the administrator; a command run
    on the server names itself in `system_process` instead."""
    if by is not None and not can_unlock_accounts(by):
        raise PermissionDenied
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("Enter why you are unlocking the account", field="reason")
    if len(reason) > REASON_LIMIT:
        raise DomainError(f"The reason must be {REASON_LIMIT} characters or fewer", field="reason")
    unlocked = AccountLockout.objects.filter(user=user, locked_at__isnull=False).update(
        locked_at=None, failures=0, last_failure_at=None
    )
    if not unlocked:
        raise DomainError(f"The account {user.username} is not locked: someone may have unlocked it already")
    audit.record(
        Verb.ACCOUNT_UNLOCKED,
        by=by,
        system_process=system_process,
        data={"username": user.username, "user_id": user.pk, "reason": reason},
    )
