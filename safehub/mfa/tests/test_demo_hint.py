"""Only in demo mode, the second step says what a demo account's code is now (the demo has no phones)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.demo import DEMO_USERNAME_PREFIX
from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import user_with_role
from safehub.mfa.testing import current_code

pytestmark = pytest.mark.django_db

SECOND_STEP = reverse("mfa:second-step")
HINT = re.compile(r"<strong data-demo-code>(\d{6})</strong>")


def _after_password(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": "correct horse battery staple"})
    return client


@pytest.fixture
def demo_user(mash_team: Any) -> User:
    return user_with_role(Role.SOCIAL_WORKER, team=mash_team, username=f"{DEMO_USERNAME_PREFIX}social.worker")


def test_in_demo_mode_the_second_step_shows_a_demo_accounts_code_which_works(demo_user: User, settings: Any) -> None:
    settings.DEMO_MODE = True
    client = _after_password(demo_user.username)

    html = client.get(SECOND_STEP).content.decode()

    hint = HINT.search(html)
    assert hint is not None
    assert "This is a demo hub, so there is no phone" in html
    assert client.post(SECOND_STEP, {"code": hint.group(1)})["Location"] == reverse("queues:home")
    # Signing in again at once: the hint moves on to a code not used yet.
    again = _after_password(demo_user.username)
    hint = HINT.search(again.get(SECOND_STEP).content.decode())
    assert hint is not None
    assert again.post(SECOND_STEP, {"code": hint.group(1)})["Location"] == reverse("queues:home")


def test_outside_demo_mode_the_second_step_never_shows_a_code(demo_user: User, settings: Any) -> None:
    settings.DEMO_MODE = False
    client = _after_password(demo_user.username)

    html = client.get(SECOND_STEP).content.decode()

    assert "data-demo-code" not in html
    assert "demo hub" not in html
    assert current_code(demo_user) not in html


def test_in_demo_mode_an_account_that_is_not_a_demo_account_gets_no_hint(social_worker: User, settings: Any) -> None:
    settings.DEMO_MODE = True
    html = _after_password(social_worker.username).get(SECOND_STEP).content.decode()
    assert "data-demo-code" not in html
    assert current_code(social_worker) not in html
