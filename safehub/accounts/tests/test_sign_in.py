"""Signing in and out: redirects, GOV.UK errors, audit events, safe `next`, demo accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from safehub.accounts.demo import DEMO_PASSWORD, DEMO_USERNAME_PREFIX
from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's password
SIGN_IN = reverse("accounts:login")
SECOND_STEP = reverse("mfa:second-step")


def _sign_in(client: Client, username: str, password: str, *, url: str = SIGN_IN, **extra: str) -> Any:
    return client.post(url, {"username": username, "password": password, **extra})


def test_the_sign_in_page_has_labelled_fields(client: Client) -> None:
    html = client.get(SIGN_IN).content.decode()

    assert '<h1 class="govuk-heading-l">Sign in to Safehub</h1>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_username">Username</label>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_password">Password</label>' in html
    assert 'type="password"' in html
    assert "There is a problem" not in html


def _second_step(client: Client, user: User) -> Any:
    return client.post(SECOND_STEP, {"code": current_code(user)})


def test_good_credentials_go_to_the_second_step_then_the_work_queues_and_are_audited(
    client: Client, social_worker: User
) -> None:
    response = _sign_in(client, "social.worker", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == SECOND_STEP
    assert client.session[SESSION_KEY] == str(social_worker.pk)
    event = AuditEvent.objects.get(verb=Verb.PASSWORD_ACCEPTED)
    assert event.by == social_worker
    # The password alone is not signing in: not audited as one, not the user's last sign-in.
    assert not AuditEvent.objects.filter(verb=Verb.LOGIN).exists()
    social_worker.refresh_from_db()
    assert social_worker.last_login is None
    response = _second_step(client, social_worker)
    assert response.status_code == 302
    assert response["Location"] == reverse("queues:home")
    assert AuditEvent.objects.get(verb=Verb.LOGIN).by == social_worker
    social_worker.refresh_from_db()
    assert social_worker.last_login is not None


def test_bad_credentials_show_a_govuk_error_summary(client: Client, social_worker: User) -> None:
    response = _sign_in(client, "social.worker", "not the password")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert "<li>Enter a correct username and password</li>" in html
    assert "<title>Error: Sign in – Safehub</title>" in html
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(verb=Verb.LOGIN).exists()


def test_a_failed_sign_in_is_audited_without_the_password(client: Client, social_worker: User) -> None:
    _sign_in(client, "social.worker", "Secret-guess-123")

    event = AuditEvent.objects.get(verb=Verb.LOGIN_FAILED)
    assert event.by is None
    assert event.system_process == "sign-in"
    assert event.data == {"username": "social.worker", "client": "127.0.0.1"}
    assert "Secret-guess-123" not in json.dumps(event.data)


def test_a_sign_in_for_an_unknown_username_is_audited(client: Client) -> None:
    _sign_in(client, "nobody.here", "whatever-they-typed")

    assert AuditEvent.objects.get(verb=Verb.LOGIN_FAILED).data == {"username": "nobody.here", "client": "127.0.0.1"}


def test_blank_fields_are_errors(client: Client) -> None:
    response = _sign_in(client, "", "")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<li><a href="#id_username">Enter your username</a></li>' in html
    assert '<li><a href="#id_password">Enter your password</a></li>' in html
    assert AuditEvent.objects.filter(verb=Verb.LOGIN_FAILED).count() == 1


def test_the_username_is_not_autofocused(client: Client) -> None:
    assert "autofocus" not in client.get(SIGN_IN).content.decode()


def test_a_switched_off_account_cannot_sign_in(client: Client, social_worker: User) -> None:
    social_worker.is_active = False
    social_worker.save()

    response = _sign_in(client, "social.worker", PASSWORD)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("field", ["query", "form"])
def test_next_is_honoured_for_a_page_on_this_site(client: Client, social_worker: User, field: str) -> None:
    target = "/contacts/new/?from=queue"
    if field == "query":
        response = _sign_in(client, "social.worker", PASSWORD, url=f"{SIGN_IN}?next=/contacts/new/%3Ffrom%3Dqueue")
    else:
        response = _sign_in(client, "social.worker", PASSWORD, next=target)
    assert response["Location"] == SECOND_STEP

    response = _second_step(client, social_worker)

    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "https:///evil.example",
        "/\\evil.example",
    ],
)
def test_next_pointing_elsewhere_is_ignored(client: Client, social_worker: User, target: str) -> None:
    _sign_in(client, "social.worker", PASSWORD, next=target)
    response = _second_step(client, social_worker)

    assert response.status_code == 302
    assert response["Location"] == reverse("queues:home")


def test_the_next_page_is_kept_in_the_form(client: Client) -> None:
    html = client.get(f"{SIGN_IN}?next=/people/").content.decode()

    assert '<input type="hidden" name="next" value="/people/">' in html


def test_signing_out_needs_a_post(social_worker_client: Client) -> None:
    response = social_worker_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert SESSION_KEY in social_worker_client.session
    assert not AuditEvent.objects.filter(verb=Verb.LOGOUT).exists()


def test_signing_out_ends_the_session_and_is_audited(social_worker_client: Client, social_worker: User) -> None:
    response = social_worker_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert SESSION_KEY not in social_worker_client.session
    assert AuditEvent.objects.get(verb=Verb.LOGOUT).by == social_worker


def test_signed_in_pages_offer_sign_out_as_a_form(social_worker_client: Client) -> None:
    html = social_worker_client.get("/no-such-page/").content.decode()

    assert f'<form method="post" action="{reverse("accounts:logout")}"' in html


@pytest.fixture
def demo_user(mash_team: Any) -> User:
    return user_with_role(Role.SOCIAL_WORKER, team=mash_team, username=f"{DEMO_USERNAME_PREFIX}social.worker")


def test_demo_accounts_are_listed_in_demo_mode(client: Client, demo_user: User, mash_team: Any, settings: Any) -> None:
    settings.DEMO_MODE = True

    html = client.get(SIGN_IN).content.decode()

    assert "Demo accounts" in html
    assert demo_user.username in html
    assert f'<td class="govuk-table__cell">{Role.SOCIAL_WORKER.label}, {mash_team}</td>' in html
    assert DEMO_PASSWORD in html
    assert "Every person in this demo hub is made up" in html


def test_demo_accounts_are_never_listed_outside_demo_mode(client: Client, demo_user: User, settings: Any) -> None:
    settings.DEMO_MODE = False

    html = client.get(SIGN_IN).content.decode()

    assert "Demo accounts" not in html
    assert demo_user.username not in html
    assert DEMO_PASSWORD not in html
