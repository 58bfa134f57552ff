"""A signed-in user changes their own password: the current one first, the rules for a new one, a
wrong current one counted as a failed sign-in, and every other session of theirs ended."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import sign_in_both_steps
from safehub.signin import lockout
from safehub.signin.forms import GovukPasswordChangeForm, GovukSetPasswordForm
from safehub.signin.models import AccountLockout
from safehub.signin.slots import password_check_slot
from safehub.signin.tests.hashers import CountingHasher

pytestmark = pytest.mark.django_db

URL = reverse("signin:change-password")
OLD = "an old password of theirs"
NEW = "plum orbit kettle marsh"


@pytest.fixture
def worker(social_worker: User) -> User:
    social_worker.set_password(OLD)
    social_worker.save()
    return social_worker


def _client(user: User) -> Client:
    return sign_in_both_steps(Client(), user)


def test_your_account_links_to_the_page(social_worker_client: Client) -> None:
    html = social_worker_client.get(reverse("mfa:account")).content.decode()
    assert f'<a class="govuk-link" href="{URL}">Change your password</a>' in html


def test_a_user_changes_their_password_and_their_other_sessions_end(worker: User) -> None:
    here, elsewhere = _client(worker), _client(worker)

    response = here.post(URL, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa:account")
    worker.refresh_from_db()
    assert worker.check_password(NEW)
    assert "Your password is changed." in here.get(response["Location"]).content.decode()  # still signed in
    sent_away = elsewhere.get(reverse("mfa:account"))
    assert sent_away.status_code == 302  # sent to sign in, and told why
    assert (
        "You were signed out because your password was changed" in elsewhere.get(sent_away["Location"]).content.decode()
    )
    assert AuditEvent.objects.get(verb=Verb.SESSION_ENDED_PASSWORD_CHANGED).by == worker
    event = AuditEvent.objects.get(verb=Verb.PASSWORD_CHANGED)
    assert event.by == worker
    assert NEW not in str(event.data)
    assert OLD not in str(event.data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "", "new_password1": NEW, "new_password2": NEW}, "Enter your current password"),
        ({"old_password": OLD, "new_password1": "", "new_password2": ""}, "Enter a new password"),
        ({"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"}, "The two passwords are not the same"),
        ({"old_password": OLD, "new_password1": "short one", "new_password2": "short one"}, "at least 12 characters"),
        ({"old_password": OLD, "new_password1": "Summer2026!!", "new_password2": "Summer2026!!"}, "common word"),
        ({"old_password": OLD, "new_password1": OLD, "new_password2": OLD}, "not the one you have now"),
    ],
)
def test_a_change_that_cannot_be_made_says_why_and_changes_nothing(
    worker: User, data: dict[str, str], message: str
) -> None:
    response = _client(worker).post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert message in html
    worker.refresh_from_db()
    assert worker.check_password(OLD)
    assert not AuditEvent.objects.filter(verb=Verb.PASSWORD_CHANGED).exists()


def test_a_wrong_current_password_counts_towards_the_accounts_lock(worker: User, settings: Any) -> None:
    """Otherwise the page would be a way to guess a password with no limit. Whoever locks the
    account here does not know its password: they are signed out, and told why."""
    settings.SIGN_IN_LOCKOUT_FAILURES = 5
    client = _client(worker)
    guess = {"old_password": "a guess at it", "new_password1": NEW, "new_password2": NEW}
    for _ in range(4):
        response = client.post(URL, guess)
        assert "Your current password is not right" in response.content.decode()
    assert "After 1 more wrong password, your account locks" in response.content.decode()

    response = client.post(URL, guess)

    assert response.status_code == 302
    assert "your account is locked" in client.get(response["Location"]).content.decode()
    assert client.get(URL).status_code == 302  # signed out
    assert lockout.is_locked(worker.username)
    assert AccountLockout.objects.get(user=worker).failures == 5
    refused = AuditEvent.objects.filter(verb=Verb.PASSWORD_CHANGE_REFUSED)
    assert refused.count() == 5
    assert {event.by for event in refused} == {worker}
    assert AuditEvent.objects.get(verb=Verb.ACCOUNT_LOCKED).by == worker
    # The session proved who it was: one person's mistyping counts against their account, not the
    # office behind their address (no failed sign-ins from it).
    assert not AuditEvent.objects.filter(verb=Verb.LOGIN_FAILED).exists()


def test_a_locked_account_is_signed_out_of_the_page(worker: User, now: Any) -> None:
    client = _client(worker)
    for _ in range(10):
        lockout.record_failure(worker.username, client="192.0.2.10", at=now)

    response = client.get(URL)

    assert response.status_code == 302
    assert "your account is locked" in client.get(response["Location"]).content.decode()
    worker.refresh_from_db()
    assert worker.check_password(OLD)


def test_when_every_password_check_is_busy_nothing_is_checked_or_counted(worker: User, settings: Any) -> None:
    """Else a guess at the current password would be checked, and answered, without being counted."""
    client = _client(worker)
    settings.PASSWORD_HASHERS = ["safehub.signin.tests.hashers.CountingHasher"]
    CountingHasher.calls.clear()
    with password_check_slot() as free:
        assert free
        response = client.post(URL, {"old_password": "a guess", "new_password1": NEW, "new_password2": NEW})

    assert CountingHasher.calls == []
    assert "Your current password is not right" not in response.content.decode()

    assert response.status_code == 503
    assert "Safehub is busy signing other people in" in response.content.decode()
    assert not AccountLockout.objects.filter(user=worker).exists()


@pytest.mark.parametrize("form_class", [GovukPasswordChangeForm, GovukSetPasswordForm])
def test_what_the_rules_refuse_is_said_beside_the_new_password(worker: User, form_class: Any) -> None:
    data = {"old_password": OLD, "new_password1": "Summer2026!!", "new_password2": "Summer2026!!"}
    form = form_class(worker, data=data)

    assert not form.is_valid()
    assert "common word with numbers or symbols" in form.errors["new_password1"][0]
    assert "new_password2" not in form.errors


def test_two_new_passwords_that_differ_are_said_once_beside_the_repetition(worker: User) -> None:
    form = GovukPasswordChangeForm(worker, data={"old_password": OLD, "new_password1": "short", "new_password2": NEW})

    assert not form.is_valid()
    assert form.errors["new_password2"] == ["The two passwords are not the same"]
    assert "new_password1" not in form.errors
