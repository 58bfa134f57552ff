"""The second step of signing in: setting up an authenticator app, checking its codes and the
recovery codes, getting new recovery codes, and administrators' unlocks and resets. Every outcome
is audited; a code is never written anywhere but django-otp's own tables (ADR 0024).

A wrong code counts towards `MFA_MAX_FAILED_CODES` in a row, after which the second step is locked
until an administrator unlocks it. An attempt is counted before the code is checked, so that codes
sent at the same moment cannot go past the limit; a right code sets the count back to zero.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.accounts.permissions import can_reset_mfa
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import DomainError
from safehub.mfa.codes import new_recovery_codes, normalise_recovery_code, six_digits
from safehub.mfa.models import AuthenticatorReset, CodeAttempts, ResetAction

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


# A wrong code says how many tries are left once this few are.
TRIES_LEFT_WARNING = 3


class WrongCode(DomainError):  # noqa: N818 (what the user did)
    """The code is not right (or was used already)."""


class SecondStepLocked(DomainError):  # noqa: N818 (a state)
    def __init__(self) -> None:
        super().__init__(
            "You have entered too many wrong codes, so signing in to this account is locked. "
            "Ask a Safehub administrator to unlock it."
        )


def authenticator_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device


def is_locked(user: User) -> bool:
    return CodeAttempts.objects.filter(user=user, locked_at__isnull=False).exists()


def locked_second_steps() -> QuerySet[CodeAttempts]:
    """The users whose second step is locked now, the latest locked first."""
    return CodeAttempts.objects.filter(locked_at__isnull=False).select_related("user").order_by("-locked_at")


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user).count())


def start_set_up(user: User) -> TOTPDevice:
    """The authenticator app the user is setting up: a new secret the first time, the same one when
    the page is shown again (they may have scanned it already)."""
    if authenticator_for(user) is not None:
        raise DomainError("You have already set up an authenticator app")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def confirm_set_up(user: User, text: str, *, at: datetime) -> tuple[TOTPDevice, list[str]]:
    """The user typed the code their new app shows: the app is theirs from now on, and they get
    their recovery codes (returned here, to be shown once). A wrong code is audited; it does not
    count towards the limit, since the secret is on the user's screen."""
    if authenticator_for(user) is not None:
        raise DomainError("You have already set up an authenticator app")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise DomainError("Start setting up your authenticator app again", field="code")
    code = _six_digits_or_refuse(text)
    with transaction.atomic():
        confirmed = _claim_step(device, code, at=at) and (
            TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True) == 1
        )
        if confirmed:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _replace_recovery_codes(user)
            CodeAttempts.objects.filter(user=user).update(failures=0, locked_at=None)
            record(Verb.MFA_ENROLLED, by=user, at=at, data={"authenticator": device.pk})
    if not confirmed:
        with transaction.atomic():
            record(Verb.MFA_CODE_REFUSED, by=user, at=at, data={"step": "set-up"})
        raise WrongCode(
            "The code is not right. Enter the code your authenticator app shows now, for Safehub", field="code"
        )
    device.refresh_from_db()
    return device, codes


def check_code(user: User, text: str, *, at: datetime) -> TOTPDevice:
    """The second step with the authenticator app: returns the app, or raises `WrongCode` or
    `SecondStepLocked`. Each code works once."""
    device = _authenticator_or_refuse(user)
    code = _six_digits_or_refuse(text)
    _attempt(
        user,
        at=at,
        step="authenticator",
        check=lambda: _claim_step(device, code, at=at),
        accepted=lambda: record(Verb.MFA_CODE_ACCEPTED, by=user, at=at, data={"authenticator": device.pk}),
        wrong="The code is not right. Enter the code your authenticator app shows now",
    )
    return device


def check_recovery_code(user: User, text: str, *, at: datetime) -> tuple[TOTPDevice, int]:
    """The second step with a recovery code, which is used up: returns the user's authenticator app
    (the session passes the second step as if with it) and how many recovery codes are left."""
    device = _authenticator_or_refuse(user)
    code = normalise_recovery_code(text)
    if not code:
        raise DomainError("Enter one of your recovery codes", field="code")

    def use_it() -> bool:
        used, _ = StaticToken.objects.filter(device__user=user, token=code).delete()
        return bool(used == 1)

    def accepted() -> None:
        record(Verb.MFA_RECOVERY_CODE_USED, by=user, at=at, data={"left": recovery_codes_left(user)})

    _attempt(
        user,
        at=at,
        step="recovery code",
        check=use_it,
        accepted=accepted,
        wrong="That recovery code is not right, or it has been used already",
    )
    return device, recovery_codes_left(user)


@transaction.atomic
def regenerate_recovery_codes(user: User, *, at: datetime) -> list[str]:
    """New recovery codes for a user who has passed the second step; the old ones stop working."""
    if authenticator_for(user) is None:
        raise DomainError("Set up an authenticator app first")
    codes = _replace_recovery_codes(user)
    record(Verb.MFA_RECOVERY_CODES_REGENERATED, by=user, at=at, data={"codes": len(codes)})
    return codes


def reset_authenticator(user: User, *, by: User, action: ResetAction, reason: str, at: datetime) -> AuthenticatorReset:
    """An administrator unlocks `user`'s second step, or removes their authenticator app and
    recovery codes (every session of theirs then has to pass the second step again, after setting
    up a new app)."""
    if not can_reset_mfa(by):
        raise DomainError("Only an administrator can reset someone's sign-in codes")
    if user.pk == by.pk:
        raise DomainError("You cannot reset your own sign-in codes: ask another administrator")
    if not reason.strip():
        raise DomainError("Enter why you are doing this", field="reason")
    with transaction.atomic():
        if action == ResetAction.UNLOCK:
            unlocked = CodeAttempts.objects.filter(user=user, locked_at__isnull=False).update(
                failures=0, locked_at=None
            )
            if not unlocked:
                raise DomainError(f"{user.username} is not locked out: there is nothing to unlock", field="action")
            verb = Verb.MFA_UNLOCKED
        else:
            removed, _ = TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            CodeAttempts.objects.filter(user=user).update(failures=0, locked_at=None)
            if not removed:
                raise DomainError(
                    f"{user.username} has no authenticator app: there is nothing to reset", field="action"
                )
            verb = Verb.MFA_RESET
        reset = AuthenticatorReset.objects.create(user=user, by=by, at=at, action=action, reason=reason.strip())
        data = {"user": user.pk, "username": user.username, "reset": reset.pk, "reason": reset.reason}
        record(verb, by=by, at=at, data=data)
    return reset


@transaction.atomic
def enrol_demo_account(user: User, *, at: datetime, process: str = "load-demo") -> TOTPDevice:
    """A made-up account (the demo's, the load benchmark's) comes with an authenticator app (a
    secret of its own) and recovery codes, so that its second step works from the start (in demo
    mode the second step shows a demo account's code). `process` is what made it, for the audit."""
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    _replace_recovery_codes(user)
    record(Verb.MFA_ENROLLED, system_process=process, at=at, data={"user": user.pk, "authenticator": device.pk})
    return device


def _authenticator_or_refuse(user: User) -> TOTPDevice:
    device = authenticator_for(user)
    if device is None:
        raise DomainError("Set up an authenticator app first")
    return device


def _six_digits_or_refuse(text: str) -> str:
    code = six_digits(text)
    if code is None:
        raise DomainError("Enter the 6-digit code, like 123456", field="code")
    return code


def _attempt(
    user: User,
    *,
    at: datetime,
    step: str,
    check: Callable[[], bool],
    accepted: Callable[[], object],
    wrong: str,
) -> None:
    if not _take_attempt(user):
        raise SecondStepLocked()
    with transaction.atomic():
        right = check()
        if right:
            CodeAttempts.objects.filter(user=user).update(failures=0)
            accepted()
    if right:
        return
    limit = settings.MFA_MAX_FAILED_CODES
    with transaction.atomic():
        failures = CodeAttempts.objects.values_list("failures", flat=True).get(user=user)
        record(Verb.MFA_CODE_REFUSED, by=user, at=at, data={"step": step, "wrong_in_a_row": failures})
        locked = failures >= limit and CodeAttempts.objects.filter(user=user, locked_at__isnull=True).update(
            locked_at=at
        )
        if locked:
            record(Verb.MFA_LOCKED, by=user, at=at, data={"wrong_in_a_row": failures})
    if failures >= limit:
        raise SecondStepLocked()
    left = limit - failures
    if left <= TRIES_LEFT_WARNING:
        wrong = f"{wrong}. After {left} more wrong code{'s' if left != 1 else ''}, signing in to this account locks"
    raise WrongCode(wrong, field="code")


def _take_attempt(user: User) -> bool:
    """Count one more attempt, unless the second step is locked (then False)."""
    CodeAttempts.objects.get_or_create(user=user)
    taken = CodeAttempts.objects.filter(
        user=user, locked_at__isnull=True, failures__lt=settings.MFA_MAX_FAILED_CODES
    ).update(failures=F("failures") + 1)
    return taken == 1


def _claim_step(device: TOTPDevice, code: str, *, at: datetime) -> bool:
    """Whether `code` is the app's code for now (a step either side allowed, for slow clocks), and
    not used before: the step is claimed in one statement, so a code sent twice at once works once."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    if not totp.verify(int(code), device.tolerance, device.last_t + 1):
        return False
    step = totp.t()
    claimed = TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
        last_t=step, drift=totp.drift, last_used_at=at
    )
    return bool(claimed == 1)


def _replace_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_CODES_NAME})
    StaticToken.objects.filter(device=device).delete()
    codes = new_recovery_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
