"""The administrator's "Locked accounts" page, unlocking with a reason, and the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.signin import lockout

pytestmark = pytest.mark.django_db

LIST = reverse("signin:locked-accounts")


@pytest.fixture
def locked(social_worker: User, now: dt.datetime, settings: Any) -> User:
    settings.SIGN_IN_LOCKOUT_FAILURES = 2
    for _ in range(2):
        lockout.record_failure("social.worker", client="192.0.2.10", at=now)
    return social_worker


def _unlock_url(user: User) -> str:
    return reverse("signin:unlock-account", args=[user.pk])


def test_the_list_shows_each_locked_account(administrator_client: Client, locked: User) -> None:
    html = administrator_client.get(LIST).content.decode()

    assert '<h1 class="govuk-heading-l">Locked accounts</h1>' in html
    assert '<td class="govuk-table__cell">social.worker</td>' in html
    assert "24 November 2026, 10:00" in html
    assert f'href="{_unlock_url(locked)}"' in html


def test_the_list_says_when_nothing_is_locked(administrator_client: Client) -> None:
    assert "No accounts are locked." in administrator_client.get(LIST).content.decode()


def test_the_list_is_one_query_whatever_its_length(
    administrator_client: Client, locked: User, manager: User, now: dt.datetime, django_assert_num_queries: Any
) -> None:
    for _ in range(2):
        lockout.record_failure(manager.username, client="192.0.2.10", at=now)
    administrator_client.get(LIST)
    with django_assert_num_queries(3):  # the session, the user with their memberships, the list
        html = administrator_client.get(LIST).content.decode()
    assert f'<td class="govuk-table__cell">{manager.username}</td>' in html


def test_an_administrator_unlocks_with_a_reason(
    administrator_client: Client, administrator: User, locked: User
) -> None:
    response = administrator_client.post(_unlock_url(locked), {"reason": "Rang them: it was them"})

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not lockout.is_locked("social.worker")
    event = AuditEvent.objects.get(verb=Verb.ACCOUNT_UNLOCKED)
    assert event.by == administrator
    assert event.data["reason"] == "Rang them: it was them"
    assert "social.worker can sign in again" in administrator_client.get(LIST).content.decode()


def test_an_unlock_without_a_reason_is_an_error_and_changes_nothing(administrator_client: Client, locked: User) -> None:
    response = administrator_client.post(_unlock_url(locked), {"reason": "  "})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert "Enter why you are unlocking the account" in html
    assert lockout.is_locked("social.worker")


def test_an_overlong_reason_is_an_error(administrator_client: Client, locked: User) -> None:
    response = administrator_client.post(_unlock_url(locked), {"reason": "x" * 501})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert lockout.is_locked("social.worker")


def test_an_account_that_is_not_locked_has_no_unlock_page(administrator_client: Client, manager: User) -> None:
    assert administrator_client.get(_unlock_url(manager)).status_code == 404
    assert administrator_client.post(_unlock_url(manager), {"reason": "x"}).status_code == 404


def test_other_roles_cannot_unlock(manager_client: Client, locked: User) -> None:
    assert manager_client.get(LIST).status_code == 403
    assert manager_client.post(_unlock_url(locked), {"reason": "Let me in"}).status_code == 403
    assert lockout.is_locked("social.worker")


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
