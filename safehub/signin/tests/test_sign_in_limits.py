"""The sign-in page under guessing: a locked account answers as a wrong password does, a throttled
client is refused without a password being checked, the admin signs in through the same page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import sign_in_both_steps
from safehub.signin import lockout
from safehub.signin.models import AccountLockout
from safehub.signin.tests.hashers import CountingHasher

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's password
SIGN_IN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.SIGN_IN_LOCKOUT_FAILURES = 3
    settings.SIGN_IN_CLIENT_FAILURES = 8


def _post(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def _page(response: Any) -> str:
    """The page without what differs between any two responses (the CSRF token's masking, the
    scripts' nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_locked_account_is_answered_exactly_as_a_wrong_password(
    client: Client, social_worker: User, now: Any
) -> None:
    wrong = _post(client, "social.worker", "not the password")
    for _ in range(2):
        _post(client, "social.worker", "not the password")
    assert lockout.is_locked("social.worker")

    locked = _post(client, "social.worker", PASSWORD)  # the right password, too late
    unknown = _post(client, "nobody.here", PASSWORD)

    assert SESSION_KEY not in client.session
    assert locked.status_code == wrong.status_code == unknown.status_code == 200
    assert _page(locked) == _page(wrong) == _page(unknown).replace("nobody.here", "social.worker")
    assert "<li>Enter a correct username and password</li>" in _page(locked)
    assert [t.name for t in locked.templates] == [t.name for t in wrong.templates]


def test_a_locked_account_costs_one_password_check_as_a_wrong_password_does(
    client: Client, social_worker: User, settings: Any, now: Any
) -> None:
    settings.PASSWORD_HASHERS = ["safehub.signin.tests.hashers.CountingHasher"]
    for _ in range(3):
        _post(client, "social.worker", "not the password")
    CountingHasher.calls.clear()
    _post(client, "social.worker", "not the password")
    wrong_while_locked = list(CountingHasher.calls)
    CountingHasher.calls.clear()
    _post(client, "nobody.here", "not the password")
    unknown = list(CountingHasher.calls)

    assert len(wrong_while_locked) == len(unknown) == 1


def test_the_right_password_signs_in_before_the_limit_and_resets_the_count(
    client: Client, social_worker: User, now: Any
) -> None:
    for _ in range(2):
        _post(client, "social.worker", "not the password")

    response = _post(client, "social.worker", PASSWORD)

    assert response.status_code == 302
    assert AccountLockout.objects.get(user=social_worker).failures == 0


def test_a_throttled_client_is_refused_without_checking_a_password(
    client: Client, social_worker: User, settings: Any, now: Any
) -> None:
    settings.PASSWORD_HASHERS = ["safehub.signin.tests.hashers.CountingHasher"]
    for number in range(8):
        _post(client, f"guess.{number}", "not the password")
    CountingHasher.calls.clear()
    events = AuditEvent.objects.count()

    responses = [_post(client, "social.worker", PASSWORD) for _ in range(5)]

    assert CountingHasher.calls == []
    assert {r.status_code for r in responses} == {429}
    assert SESSION_KEY not in client.session
    html = responses[0].content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert "Too many sign-ins from your network have failed. Wait until 10:15, then try again" in html
    # One audit entry for all five refusals; no failure is counted against the account.
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.last().verb == Verb.SIGN_IN_THROTTLED
    assert not AccountLockout.objects.filter(user=social_worker).exists()


def test_throttled_refusals_write_nothing_after_the_first(
    client: Client, now: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(9):
        _post(client, f"guess.{number}", "not the password")  # the ninth is the first refusal

    with django_assert_max_num_queries(0):
        response = _post(client, "guess.10", "not the password")

    assert response.status_code == 429


def test_other_clients_are_not_throttled(client: Client, social_worker: User, now: Any) -> None:
    for number in range(8):
        _post(client, f"guess.{number}", "not the password", REMOTE_ADDR="192.0.2.66")

    response = _post(client, "social.worker", PASSWORD, REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 302


def test_the_throttle_lifts_when_its_window_ends(
    client: Client, social_worker: User, now: Any, time_machine: Any
) -> None:
    for number in range(8):
        _post(client, f"guess.{number}", "not the password")
    assert _post(client, "social.worker", PASSWORD).status_code == 429

    time_machine.move_to("2026-11-24T10:15:00Z", tick=False)

    assert _post(client, "social.worker", PASSWORD).status_code == 302


def test_viewing_the_sign_in_page_is_never_throttled(client: Client, now: Any) -> None:
    for number in range(9):
        _post(client, f"guess.{number}", "not the password")

    assert client.get(SIGN_IN).status_code == 200


def test_a_300_character_username_gets_a_clear_refusal(client: Client, now: Any) -> None:
    response = _post(client, "u" * 300, "whatever they typed")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert "Enter a username of 150 characters or fewer" in html
    assert AuditEvent.objects.get(verb=Verb.LOGIN_FAILED).data["username"] == "u" * 150


def test_a_username_with_a_nul_byte_gets_a_clear_refusal(client: Client, now: Any) -> None:
    response = _post(client, "social\x00worker", "whatever they typed")

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    failed = AuditEvent.objects.get(verb=Verb.LOGIN_FAILED)  # PostgreSQL stores no NUL byte: shown as such
    assert failed.data["username"] == "social\N{REPLACEMENT CHARACTER}worker"


@pytest.mark.parametrize(
    ("path", "target"), [("/admin/login/?next=/admin/auth/", "%2Fadmin%2Fauth%2F"), ("/admin/login/", "%2Fadmin%2F")]
)
def test_the_admin_sign_in_page_sends_to_safehubs_own(client: Client, path: str, target: str, settings: Any) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True  # off by default outside development and the demo: then a 404
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={target}"


def test_the_admin_sends_anonymous_users_to_safehubs_sign_in(client: Client, settings: Any) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == f"{SIGN_IN}?next=%2Fadmin%2F"
    assert "Sign in to Safehub" in response.content.decode()


@pytest.mark.parametrize(("fixture", "status"), [("social_worker_client", 403), ("police_partner_client", 404)])
def test_someone_signed_in_is_not_sent_round_to_sign_in_again_by_the_admin(
    request: Any, fixture: str, status: int, settings: Any
) -> None:
    """/admin/ sends a non-staff user to /admin/login/, which sent them to sign in, which sent them
    back: now they are refused as on any page they have no part in."""
    settings.SAFEHUB_ADMIN_ENABLED = True
    signed_in: Client = request.getfixturevalue(fixture)

    response = signed_in.get("/admin/", follow=True)

    assert response.status_code == status
    assert all(SIGN_IN not in address for address, _ in response.redirect_chain)


def test_a_signed_in_staff_account_goes_on_to_the_admin(client: Client, settings: Any) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True
    admin_user = User.objects.create_superuser("site.admin", password=PASSWORD)
    TOTPDevice.objects.create(user=admin_user, name="Authenticator app", confirmed=True)
    sign_in_both_steps(client, admin_user)

    response = client.get("/admin/login/?next=/admin/auth/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/auth/"
    assert client.get("/admin/login/?next=https://elsewhere.example/")["Location"] == "/admin/"


def test_the_sign_in_page_says_who_is_signed_in_already(social_worker_client: Client) -> None:
    html = social_worker_client.get(SIGN_IN).content.decode()
    assert "You are signed in as " in html
    assert "(social.worker)" in html
    assert "Signing in here as someone else signs you out first." in html


def test_a_post_to_the_admin_sign_in_checks_no_password(client: Client, social_worker: User) -> None:
    client.post("/admin/login/", {"username": "social.worker", "password": PASSWORD})

    assert SESSION_KEY not in client.session


def test_admin_sign_ins_are_limited_and_audited_like_any_other(client: Client, now: Any) -> None:
    admin_user = User.objects.create_superuser("site.admin", password=PASSWORD)
    for _ in range(3):
        _post(client, "site.admin", "not the password", QUERY_STRING="next=/admin/")

    response = client.post(f"{SIGN_IN}?next=/admin/", {"username": "site.admin", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert AccountLockout.objects.get(user=admin_user).locked_at is not None
    assert AuditEvent.objects.filter(verb=Verb.LOGIN_FAILED, data__username="site.admin").count() == 4


def test_an_administrator_is_sent_from_the_empty_admin_to_safehubs_administration(
    administrator_client: Client, settings: Any
) -> None:
    """The admin showed a staff account without admin rights "You don't have permission to view or
    edit anything", and offered a password change that went round Safehub's audit."""
    settings.SAFEHUB_ADMIN_ENABLED = True

    response = administrator_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("users:home")
    assert administrator_client.get("/admin/password_change/")["Location"] == reverse("signin:change-password")
