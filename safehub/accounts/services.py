from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record


@transaction.atomic
def record_sign_in(user: User) -> None:
    record(Verb.LOGIN, by=user, at=timezone.now())


@transaction.atomic
def record_failed_sign_in(username: str) -> None:
    # The username typed is kept (it may not exist); never the password.
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": username[:150]})


@transaction.atomic
def record_sign_out(user: User) -> None:
    record(Verb.LOGOUT, by=user)
