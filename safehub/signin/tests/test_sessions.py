"""Session limits: the absolute lifetime, audited idle and lifetime sign-outs, and the end of a
switched-off account's sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import current_code
from safehub.signin.middleware import SIGNED_IN_AT_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = reverse("accounts:login")
PAGE = "/no-such-page/"  # any signed-in page: it answers 404 to a signed-in user


def _busy_until(client: Client, time_machine: Any, *, seconds: int, step: int = 20 * 60) -> None:
    """Keep the session busy (a page every `step` seconds, inside the idle timeout) for `seconds`."""
    for _ in range(seconds // step):
        time_machine.shift(timedelta(seconds=step))
        assert client.get(PAGE).status_code == 404


def test_signing_in_starts_the_session_clock(client: Client, social_worker: User, now: Any) -> None:
    client.post(SIGN_IN, {"username": "social.worker", "password": PASSWORD})

    assert client.session[SIGNED_IN_AT_KEY] == now.timestamp()


def test_a_busy_session_ends_after_ten_hours_and_is_audited(
    client: Client, social_worker: User, now: Any, time_machine: Any
) -> None:
    client.post(SIGN_IN, {"username": "social.worker", "password": PASSWORD})
    client.post(
        reverse("mfa:second-step"), {"code": current_code(social_worker)}
    )  # the session's clock runs from the password
    _busy_until(client, time_machine, seconds=10 * 60 * 60)  # exactly ten hours: still signed in
    assert client.session[SESSION_KEY] == str(social_worker.pk)

    time_machine.shift(timedelta(seconds=1))
    response = client.get(reverse("contacts:record-contact"))

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/contacts/new/"
    assert SESSION_KEY not in client.session
    event = AuditEvent.objects.get(verb=Verb.SIGNED_OUT_SESSION_LIMIT)
    assert event.by == social_worker
    assert event.data == {"signed_in_seconds": 10 * 60 * 60 + 1}
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had been signed in for 10 hours. Sign in again." in page


def test_the_lifetime_comes_from_settings(
    social_worker_client: Client, now: Any, time_machine: Any, settings: Any
) -> None:
    settings.SESSION_ABSOLUTE_LIFETIME_SECONDS = 3600
    social_worker_client.get(PAGE)  # a session made without the sign-in page starts its clock here
    _busy_until(social_worker_client, time_machine, seconds=3600)

    time_machine.shift(timedelta(seconds=1))

    assert social_worker_client.get(PAGE).status_code == 302
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_OUT_SESSION_LIMIT).count() == 1


def test_an_idle_sign_out_is_audited(
    social_worker_client: Client, social_worker: User, settings: Any, now: Any, time_machine: Any
) -> None:
    social_worker_client.get(PAGE)
    time_machine.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT_SECONDS + 5))

    assert social_worker_client.get(PAGE).status_code == 302

    event = AuditEvent.objects.get(verb=Verb.SIGNED_OUT_IDLE)
    assert event.by == social_worker
    assert event.data == {"idle_seconds": settings.SESSION_IDLE_TIMEOUT_SECONDS + 5}
    assert not AuditEvent.objects.filter(verb=Verb.SIGNED_OUT_SESSION_LIMIT).exists()


def test_a_switched_off_accounts_session_ends_at_its_next_request(
    social_worker_client: Client, social_worker: User, now: Any
) -> None:
    assert social_worker_client.get(PAGE).status_code == 404
    social_worker.is_active = False
    social_worker.save()

    response = social_worker_client.get(reverse("contacts:record-contact"))

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    assert SESSION_KEY not in social_worker_client.session
    event = AuditEvent.objects.get(verb=Verb.SESSION_ENDED_ACCOUNT_OFF)
    assert event.by == social_worker
    assert event.data == {"user_id": str(social_worker.pk), "account": "switched off"}
    told = social_worker_client.get(response["Location"]).content.decode()
    assert "You were signed out because your account has been switched off." in told
    # Switched on again, the old session does not come back with it.
    social_worker.is_active = True
    social_worker.save()
    assert social_worker_client.get(reverse("contacts:record-contact")).status_code == 302
    assert AuditEvent.objects.filter(verb=Verb.SESSION_ENDED_ACCOUNT_OFF).count() == 1


def test_a_removed_accounts_session_ends_too(social_worker_client: Client, social_worker: User, now: Any) -> None:
    social_worker_client.get(PAGE)
    user_id = social_worker.pk
    social_worker.memberships.all().delete()
    User.objects.filter(pk=user_id).delete()

    assert social_worker_client.get(reverse("contacts:record-contact")).status_code == 302

    event = AuditEvent.objects.get(verb=Verb.SESSION_ENDED_ACCOUNT_OFF)
    assert event.by is None
    assert event.system_process == "sessions"
    assert event.data == {"user_id": str(user_id), "account": "removed"}
