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


def test_a_sign_in_waits_a_moment_for_a_slot_another_is_about_to_free(settings: Any) -> None:
    """Walk-through: two people signing in at once, one was refused. A busy slot is waited for briefly."""
    import threading

    settings.SIGN_IN_CONCURRENT_CHECKS = 1
    settings.SIGN_IN_SLOT_WAIT_MS = 2000
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with password_check_slot() as held:
            assert held
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)
    threading.Timer(0.3, release.set).start()
    with password_check_slot() as mine:
        assert mine  # got the slot once the first check ended, inside the wait
    holder.join(5)
    settings.SIGN_IN_SLOT_WAIT_MS = 100
    with password_check_slot() as first, password_check_slot() as second:
        assert (first, second) == (True, False)  # still refused when the wait runs out
