"""A user's page in Administration: how they sign in, unlocking an account that failed sign-ins
locked, and unlocking or removing their authenticator app, each with a reason (ADR 0023, ADR 0024)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa import services
from safehub.mfa.models import AuthenticatorReset, CodeAttempts, ResetAction
from safehub.signin import lockout

pytestmark = pytest.mark.django_db

LOCKED_ACCOUNTS = reverse("users:locked-accounts")


def _page(user: User) -> str:
    return reverse("users:user", args=[user.pk])


def _unlock(user: User) -> str:
    return reverse("users:change-user", args=[user.pk, "unlock"])


def _reset(user: User) -> str:
    return reverse("users:change-user", args=[user.pk, "reset-sign-in-codes"])


@pytest.fixture
def locked(locked_out_social_worker: User) -> User:
    return locked_out_social_worker


# --- Locked accounts ---------------------------------------------------------------------------


def test_the_list_links_each_locked_account_to_its_users_page(administrator_client: Client, locked: User) -> None:
    html = administrator_client.get(LOCKED_ACCOUNTS).content.decode()

    assert '<h1 class="govuk-heading-l">Locked accounts</h1>' in html
    assert f'<a class="govuk-link" href="{_page(locked)}#signing-in">social.worker</a>' in html
    assert "24 November 2026, 10:00" in html


def test_the_list_says_when_nothing_is_locked(administrator_client: Client) -> None:
    assert "No accounts are locked." in administrator_client.get(LOCKED_ACCOUNTS).content.decode()


def test_the_list_has_the_accounts_whose_code_step_is_locked_too(
    administrator_client: Client, manager: User, now: dt.datetime
) -> None:
    """A user told "signing in to this account is locked" must be findable where locks are listed."""
    CodeAttempts.objects.create(user=manager, failures=10, locked_at=now)

    html = administrator_client.get(LOCKED_ACCOUNTS).content.decode()

    assert f"{manager.username}</a>" in html
    assert "Sign-in code: wrong codes" in html
    assert "1 account locked" in administrator_client.get(reverse("users:home")).content.decode()


def test_the_list_is_one_query_whatever_its_length(
    administrator_client: Client, locked: User, manager: User, now: dt.datetime, django_assert_num_queries: Any
) -> None:
    for _ in range(2):
        lockout.record_failure(manager.username, client="192.0.2.10", at=now)
    administrator_client.get(LOCKED_ACCOUNTS)
    with django_assert_num_queries(4):  # the session, the user with their memberships, the two locks
        html = administrator_client.get(LOCKED_ACCOUNTS).content.decode()
    assert f"{manager.username}</a>" in html


def test_administration_counts_the_locked_accounts(administrator_client: Client, locked: User) -> None:
    html = administrator_client.get(reverse("users:home")).content.decode()
    assert "1 account locked by wrong passwords or wrong codes." in html
    assert f'href="{LOCKED_ACCOUNTS}"' in html


def test_the_users_page_says_the_account_is_locked_and_offers_the_unlock(
    administrator_client: Client, locked: User
) -> None:
    html = administrator_client.get(_page(locked)).content.decode()

    assert '<h2 class="govuk-heading-m" id="signing-in">Signing in</h2>' in html
    assert "Locked on 24 November 2026, 10:00 after 2 wrong passwords in a row" in html
    assert f'action="{_unlock(locked)}#signing-in"' in html


def test_an_account_that_is_not_locked_offers_no_unlock(administrator_client: Client, manager: User) -> None:
    html = administrator_client.get(_page(manager)).content.decode()
    assert "Not locked" in html
    assert _unlock(manager) not in html


def test_an_administrator_unlocks_with_a_reason(
    administrator_client: Client, administrator: User, locked: User
) -> None:
    response = administrator_client.post(_unlock(locked), {"reason": "Rang them: it was them"})

    assert response.status_code == 302
    assert response["Location"] == _page(locked)
    assert not lockout.is_locked("social.worker")
    event = AuditEvent.objects.get(verb=Verb.ACCOUNT_UNLOCKED)
    assert event.by == administrator
    assert event.data["reason"] == "Rang them: it was them"
    html = administrator_client.get(_page(locked)).content.decode()
    assert "social.worker can sign in again" in html
    assert "Not locked" in html


@pytest.mark.parametrize(
    ("reason", "message"),
    [("  ", "Enter why you are unlocking the account"), ("x" * 501, "enter no more than 500 characters")],
)
def test_an_unlock_without_a_good_reason_is_an_error_and_changes_nothing(
    administrator_client: Client, locked: User, reason: str, message: str
) -> None:
    response = administrator_client.post(_unlock(locked), {"reason": reason})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert message in html
    assert lockout.is_locked("social.worker")
    assert not AuditEvent.objects.filter(verb=Verb.ACCOUNT_UNLOCKED).exists()


def test_unlocking_twice_says_the_account_is_not_locked(administrator_client: Client, locked: User) -> None:
    """Two administrators, or one form sent twice: one unlock, and a message for the other."""
    administrator_client.post(_unlock(locked), {"reason": "Rang them"})

    response = administrator_client.post(_unlock(locked), {"reason": "Rang them"})

    assert response.status_code == 200
    assert "The account social.worker is not locked" in response.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.ACCOUNT_UNLOCKED).count() == 1


# --- The authenticator app ---------------------------------------------------------------------


def test_the_users_page_shows_their_authenticator_app(administrator_client: Client, social_worker: User) -> None:
    html = administrator_client.get(_page(social_worker)).content.decode()
    assert "Set up on " in html
    assert "Recovery codes left" in html
    assert f'action="{_reset(social_worker)}#signing-in"' in html


def test_an_administrator_removes_someones_app_with_a_reason(
    administrator_client: Client, administrator: User, social_worker: User, now: Any
) -> None:
    services.regenerate_recovery_codes(social_worker, at=now)

    response = administrator_client.post(
        _reset(social_worker), {"action": "reset", "reason": "Phone stolen; called them back"}
    )

    assert response["Location"] == _page(social_worker)
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticDevice.objects.filter(user=social_worker).exists()
    reset = AuthenticatorReset.objects.get()
    assert (reset.user, reset.by, reset.action, reset.reason) == (
        social_worker,
        administrator,
        ResetAction.RESET,
        "Phone stolen; called them back",
    )
    event = AuditEvent.objects.get(verb=Verb.MFA_RESET)
    assert event.by == administrator
    assert event.data == {
        "user": social_worker.pk,
        "username": social_worker.username,
        "reset": reset.pk,
        "reason": "Phone stolen; called them back",
    }
    html = administrator_client.get(_page(social_worker)).content.decode()
    assert "social.worker&#x27;s authenticator app is removed" in html
    assert "Not set up: they set up an authenticator app the next time they sign in" in html
    assert _reset(social_worker) not in html  # nothing left to reset


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "", "reason": "x"}, "Choose what to do"),
        ({"action": "erase", "reason": "x"}, "Choose what to do"),
        ({"action": "reset", "reason": "  "}, "Enter why you are doing this"),
        ({"action": "unlock", "reason": "x"}, "is not locked out"),
    ],
)
def test_a_reset_that_cannot_be_done_says_why_and_changes_nothing(
    administrator_client: Client, social_worker: User, data: dict[str, str], message: str
) -> None:
    response = administrator_client.post(_reset(social_worker), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert TOTPDevice.objects.filter(user=social_worker).exists()
    assert not AuthenticatorReset.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=[Verb.MFA_RESET, Verb.MFA_UNLOCKED]).exists()


def test_an_administrator_cannot_reset_their_own_app(administrator_client: Client, administrator: User) -> None:
    assert _reset(administrator) not in administrator_client.get(_page(administrator)).content.decode()

    response = administrator_client.post(_reset(administrator), {"action": "reset", "reason": "x"})

    assert "You cannot reset your own sign-in codes: ask another administrator" in response.content.decode()
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_removing_the_app_of_someone_without_one_says_so(administrator_client: Client, social_worker: User) -> None:
    TOTPDevice.objects.filter(user=social_worker).delete()
    response = administrator_client.post(_reset(social_worker), {"action": "reset", "reason": "x"})
    assert "has no authenticator app: there is nothing to reset" in response.content.decode()


def test_an_administrator_unlocks_someones_code_step(
    administrator_client: Client, social_worker: User, now: Any
) -> None:
    CodeAttempts.objects.create(user=social_worker, failures=10, locked_at=now)
    assert "locked after too many wrong codes" in administrator_client.get(_page(social_worker)).content.decode()

    administrator_client.post(_reset(social_worker), {"action": "unlock", "reason": "Typo streak"})

    assert not services.is_locked(social_worker)
    assert CodeAttempts.objects.get(user=social_worker).failures == 0
    assert TOTPDevice.objects.filter(user=social_worker).exists()  # they keep their app
    assert AuditEvent.objects.get(verb=Verb.MFA_UNLOCKED).data["username"] == "social.worker"


@pytest.mark.parametrize(("fixture", "status"), [("manager_client", 403), ("police_partner_client", 404)])
def test_nobody_else_sees_or_unlocks(request: Any, fixture: str, status: int, locked: User) -> None:
    client: Client = request.getfixturevalue(fixture)
    assert client.get(LOCKED_ACCOUNTS).status_code == status
    assert client.post(_unlock(locked), {"reason": "Let me in"}).status_code == status
    assert client.post(_reset(locked), {"action": "reset", "reason": "x"}).status_code == status
    assert lockout.is_locked("social.worker")
    assert TOTPDevice.objects.filter(user=locked).exists()
