"""The lockout and throttle services and their audit events, with the clock pinned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.core.errors import DomainError
from safehub.signin import lockout
from safehub.signin.models import AccountLockout, ClientThrottle

pytestmark = pytest.mark.django_db

CLIENT = "192.0.2.10"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.SIGN_IN_LOCKOUT_FAILURES = 3
    settings.SIGN_IN_CLIENT_FAILURES = 5
    settings.SIGN_IN_CLIENT_WINDOW_SECONDS = 900


def _fail(username: str, at: dt.datetime, *, client: str = CLIENT, times: int = 1) -> lockout.Failure:
    failure = lockout.Failure(user=None)
    for _ in range(times):
        failure = lockout.record_failure(username, client=client, at=at)
    return failure


def test_windows_start_at_whole_multiples_of_their_length(now: dt.datetime) -> None:
    at = dt.datetime(2026, 11, 24, 10, 14, 59, tzinfo=dt.UTC)
    assert lockout.window_start(at) == dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    assert lockout.window_end(at) == dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)
    assert lockout.window_start(at + dt.timedelta(seconds=1)) == dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)


def test_each_failure_is_audited_with_the_client_and_never_the_password(now: dt.datetime, social_worker: User) -> None:
    _fail("social.worker", now)

    event = AuditEvent.objects.get(verb=Verb.LOGIN_FAILED)
    assert event.at == now
    assert event.system_process == "sign-in"
    assert event.data == {"username": "social.worker", "client": CLIENT}
    assert AccountLockout.objects.get(user=social_worker).failures == 1


def test_the_account_locks_at_the_limit_and_the_lock_is_audited(now: dt.datetime, social_worker: User) -> None:
    assert not _fail("social.worker", now, times=2).locked_now
    assert not lockout.is_locked("social.worker")

    failure = _fail("social.worker", now)

    assert failure.locked_now
    assert lockout.is_locked("social.worker")
    assert AccountLockout.objects.get(user=social_worker).locked_at == now
    lock = AuditEvent.objects.get(verb=Verb.ACCOUNT_LOCKED)
    assert lock.data == {"username": "social.worker", "user_id": social_worker.pk, "failures": 3}


def test_failures_after_the_lock_are_audited_as_such_and_lock_nothing_again(
    now: dt.datetime, social_worker: User
) -> None:
    _fail("social.worker", now, times=3)

    failure = _fail("social.worker", now)

    assert failure.while_locked
    assert not failure.locked_now
    assert AuditEvent.objects.filter(verb=Verb.ACCOUNT_LOCKED).count() == 1
    last = AuditEvent.objects.filter(verb=Verb.LOGIN_FAILED).last()
    assert last is not None
    assert last.data == {"username": "social.worker", "client": CLIENT, "account_locked": True}
    # The count stops at the lock: "3 wrong passwords in a row" is what locked it, whatever came after
    # (the right password among it, answered as a wrong one).
    assert AccountLockout.objects.get(user=social_worker).failures == 3


def test_a_good_sign_in_starts_the_count_again(now: dt.datetime, social_worker: User) -> None:
    _fail("social.worker", now, times=2)

    lockout.record_success(social_worker)
    _fail("social.worker", now, times=2)

    assert not lockout.is_locked("social.worker")
    assert AccountLockout.objects.get(user=social_worker).failures == 2


def test_an_unknown_username_is_audited_but_locks_no_row(now: dt.datetime) -> None:
    _fail("nobody.here", now, times=4)

    assert not AccountLockout.objects.exists()
    assert not lockout.is_locked("nobody.here")
    assert AuditEvent.objects.filter(verb=Verb.LOGIN_FAILED).count() == 4
    assert not AuditEvent.objects.filter(verb=Verb.ACCOUNT_LOCKED).exists()


def test_an_overlong_username_is_audited_cut_short(now: dt.datetime) -> None:
    _fail("x" * 300, now)

    assert AuditEvent.objects.get(verb=Verb.LOGIN_FAILED).data["username"] == "x" * 150
    assert not lockout.is_locked("x" * 300)


def test_a_client_is_throttled_at_its_limit_until_the_window_ends(now: dt.datetime, time_machine: Any) -> None:
    _fail("nobody.here", now, times=4)
    assert lockout.throttled_until(CLIENT, at=now) is None

    _fail("somebody.else", now)

    assert lockout.throttled_until(CLIENT, at=now) == now + dt.timedelta(minutes=15)
    assert lockout.throttled_until("192.0.2.11", at=now) is None
    later = now + dt.timedelta(minutes=15)
    assert lockout.throttled_until(CLIENT, at=later) is None


def test_a_refusal_is_audited_once_per_client_and_window(now: dt.datetime) -> None:
    _fail("nobody.here", now, times=5)

    for _ in range(3):
        lockout.record_refusal(CLIENT, at=now)
    lockout.forget_throttled_clients()  # as another process would: it claims nothing twice
    lockout.record_refusal(CLIENT, at=now + dt.timedelta(minutes=1))

    event = AuditEvent.objects.get(verb=Verb.SIGN_IN_THROTTLED)
    assert event.system_process == "sign-in"
    assert event.data == {"client": CLIENT, "failures": 5, "refused_until": "2026-11-24T10:15:00+00:00"}


def test_a_new_window_audits_its_refusals_again(now: dt.datetime) -> None:
    later = now + dt.timedelta(minutes=15)
    _fail("nobody.here", now, times=5)
    lockout.record_refusal(CLIENT, at=now)
    _fail("nobody.here", later, times=5)

    lockout.record_refusal(CLIENT, at=later)

    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_THROTTLED).count() == 2


def test_a_refused_client_known_to_this_process_costs_no_query(
    now: dt.datetime, django_assert_num_queries: Any
) -> None:
    _fail("nobody.here", now, times=5)
    assert lockout.throttled_until(CLIENT, at=now) is not None
    lockout.record_refusal(CLIENT, at=now)

    with django_assert_num_queries(0):
        assert lockout.throttled_until(CLIENT, at=now) is not None
        lockout.record_refusal(CLIENT, at=now)


def test_rows_of_windows_long_over_are_cleared(now: dt.datetime) -> None:
    _fail("nobody.here", now - dt.timedelta(days=2))
    _fail("nobody.here", now - dt.timedelta(hours=1))

    _fail("nobody.here", now)

    assert sorted(ClientThrottle.objects.values_list("window_start", flat=True)) == [
        now - dt.timedelta(hours=1),
        now,
    ]


def test_an_administrator_unlocks_with_a_reason_audited(
    now: dt.datetime, social_worker: User, administrator: User
) -> None:
    _fail("social.worker", now, times=3)

    lockout.unlock_account(social_worker, reason="  Rang them;\n it was them  ", by=administrator)

    assert not lockout.is_locked("social.worker")
    assert AccountLockout.objects.get(user=social_worker).failures == 0
    event = AuditEvent.objects.get(verb=Verb.ACCOUNT_UNLOCKED)
    assert event.by == administrator
    assert event.data == {"username": "social.worker", "user_id": social_worker.pk, "reason": "Rang them; it was them"}


@pytest.mark.parametrize(
    ("reason", "message"),
    [("   ", "Enter why you are unlocking the account"), ("x" * 501, "The reason must be 500 characters or fewer")],
)
def test_an_unlock_needs_a_reason(
    now: dt.datetime, social_worker: User, administrator: User, reason: str, message: str
) -> None:
    _fail("social.worker", now, times=3)

    with pytest.raises(DomainError, match=message):
        lockout.unlock_account(social_worker, reason=reason, by=administrator)

    assert lockout.is_locked("social.worker")
    assert not AuditEvent.objects.filter(verb=Verb.ACCOUNT_UNLOCKED).exists()


def test_only_an_administrator_unlocks(now: dt.datetime, social_worker: User, manager: User) -> None:
    _fail("social.worker", now, times=3)

    with pytest.raises(PermissionDenied):
        lockout.unlock_account(social_worker, reason="They asked", by=manager)

    assert lockout.is_locked("social.worker")


def test_an_account_that_is_not_locked_cannot_be_unlocked(social_worker: User, administrator: User) -> None:
    with pytest.raises(DomainError, match="is not locked"):
        lockout.unlock_account(social_worker, reason="They asked", by=administrator)

    assert not AuditEvent.objects.filter(verb=Verb.ACCOUNT_UNLOCKED).exists()
