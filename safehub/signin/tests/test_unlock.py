"""`safehub unlock-account`: unlocking from the server, with a reason (the pages are tested in
safehub/users/tests/test_signing_in.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.signin import lockout

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(locked_out_social_worker: User) -> User:
    return locked_out_social_worker


def test_the_command_lists_and_unlocks(locked: User) -> None:
    out = StringIO()
    call_command("unlock_account", "--list", stdout=out)
    assert "social.worker\tlocked 2026-11-24 10:00 UTC\t2 failures" in out.getvalue()
    assert "1 locked account" in out.getvalue()

    call_command("unlock_account", "social.worker", "--reason", "Rang them", stdout=StringIO())

    assert not lockout.is_locked("social.worker")
    event = AuditEvent.objects.get(verb=Verb.ACCOUNT_UNLOCKED)
    assert event.by is None
    assert event.system_process.startswith("unlock-account command (")
    assert event.data["reason"] == "Rang them"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["social.worker"], "Enter why you are unlocking the account"),
        (["nobody.here", "--reason", "x"], "No account is called 'nobody.here'"),
        ([], "Name the account to unlock, or use --list"),
    ],
)
def test_the_command_refuses_clearly(locked: User, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("unlock_account", *args)

    assert lockout.is_locked("social.worker")
