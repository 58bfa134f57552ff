"""At most SIGN_IN_CONCURRENT_CHECKS password checks at once; a sign-in finding none free is refused
at once, checking no password."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent
from safehub.signin.slots import password_check_slot
from safehub.signin.tests.hashers import CountingHasher

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_slots_are_taken_and_given_back(settings: Any) -> None:
    settings.SIGN_IN_CONCURRENT_CHECKS = 2
    with password_check_slot() as first, password_check_slot() as second, password_check_slot() as third:
        assert (first, second, third) == (True, True, False)
    with password_check_slot() as again:
        assert again


def test_a_sign_in_when_every_slot_is_busy_is_refused_checking_nothing(
    client: Client, social_worker: User, settings: Any
) -> None:
    settings.SIGN_IN_CONCURRENT_CHECKS = 2
    settings.PASSWORD_HASHERS = ["safehub.signin.tests.hashers.CountingHasher"]
    CountingHasher.calls.clear()
    events = AuditEvent.objects.count()
    with ExitStack() as held:
        for _ in range(2):
            assert held.enter_context(password_check_slot())

        response = client.post(reverse("accounts:login"), {"username": "social.worker", "password": PASSWORD})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Safehub is busy signing other people in. Wait a few seconds, then try again." in response.content.decode()
    assert CountingHasher.calls == []
    assert AuditEvent.objects.count() == events
    assert SESSION_KEY not in client.session
    # Once a slot is free, the same sign-in goes through.
    again = client.post(reverse("accounts:login"), {"username": "social.worker", "password": PASSWORD})
    assert again.status_code == 302
