"""Setting up an authenticator app on first sign-in, recovery codes shown once, and getting new ones."""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa import services
from safehub.mfa.codes import RECOVERY_CODES, code_at, time_step
from safehub.mfa.models import CodeAttempts

pytestmark = pytest.mark.django_db

SET_UP = reverse("mfa:set-up")
CODES = reverse("mfa:recovery-codes")


@pytest.fixture
def new_starter(mash_team: Any) -> User:
    return user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="new.starter", authenticator=False)


@pytest.fixture
def starting(client: Client, new_starter: User) -> Client:
    client.post(
        reverse("accounts:login") + "?next=/people/",
        {"username": "new.starter", "password": "correct horse battery staple"},
    )
    return client


def _code_from_the_page(html: str) -> str:
    """What an app would show after the user typed the key on the page (not read from the database)."""
    key = re.search(r"data-secret-key>([A-Z2-7 ]+)<", html)
    assert key is not None
    secret = base64.b32decode(key.group(1).replace(" ", ""))
    device = TOTPDevice(key=secret.hex())
    return code_at(device, time_step(device, at=time.time()))


def test_the_set_up_page_shows_a_qr_code_and_the_key_to_type(starting: Client, new_starter: User) -> None:
    html = starting.get(SET_UP).content.decode()

    assert '<h1 class="govuk-heading-l">Set up an authenticator app</h1>' in html
    qr = re.search(r'<img class="app-qr-code" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr is not None
    assert base64.b64decode(qr.group(1)).startswith(b"<svg")
    assert 'alt="QR code to add Safehub to your authenticator app.' in html
    device = TOTPDevice.objects.get(user=new_starter)
    assert not device.confirmed
    assert "otpauth://totp/Safehub%3Anew.starter" in device.config_url
    # Shown again, the page keeps the same secret: the user may have scanned it already.
    assert _code_from_the_page(starting.get(SET_UP).content.decode()) == _code_from_the_page(html)
    assert TOTPDevice.objects.filter(user=new_starter).count() == 1


def test_setting_up_an_app_then_saving_the_recovery_codes(starting: Client, new_starter: User) -> None:
    code = _code_from_the_page(starting.get(SET_UP).content.decode())

    response = starting.post(SET_UP, {"code": code})

    assert response["Location"] == CODES
    assert services.authenticator_for(new_starter) is not None
    assert AuditEvent.objects.get(verb=Verb.MFA_ENROLLED).by == new_starter
    html = starting.get(CODES).content.decode()
    shown = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", html)
    assert len(shown) == RECOVERY_CODES
    assert "You will not be shown these codes again" in html

    response = starting.post(CODES, {})
    assert "Confirm that you have saved your recovery codes" in response.content.decode()

    response = starting.post(CODES, {"saved": "on"})
    assert response["Location"] == "/people/"  # where they were going when they signed in
    assert starting.get("/people/").status_code == 200
    # Shown once: the page does not show them again.
    assert starting.get(CODES)["Location"] == reverse("mfa:account")
    assert services.check_recovery_code(new_starter, shown[0], at=new_starter.date_joined)[1] == RECOVERY_CODES - 1


def test_a_wrong_code_when_setting_up_is_refused_audited_and_not_counted(starting: Client, new_starter: User) -> None:
    code = _code_from_the_page(starting.get(SET_UP).content.decode())
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = starting.post(SET_UP, {"code": wrong})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=new_starter).confirmed
    assert AuditEvent.objects.get(verb=Verb.MFA_CODE_REFUSED).data == {"step": "set-up"}
    assert not CodeAttempts.objects.filter(user=new_starter, failures__gt=0).exists()
    assert starting.get("/people/")["Location"].startswith(reverse("mfa:second-step"))


def test_a_user_with_an_app_cannot_set_up_another(social_worker_client: Client, social_worker: User) -> None:
    response = social_worker_client.get(SET_UP)
    assert response["Location"] == reverse("mfa:second-step")
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1


def test_your_account_shows_the_app_and_the_codes_left(social_worker_client: Client, social_worker: User) -> None:
    services.regenerate_recovery_codes(social_worker, at=social_worker.date_joined)
    html = social_worker_client.get(reverse("mfa:account")).content.decode()
    assert '<h1 class="govuk-heading-l">Your account</h1>' in html
    assert f"{RECOVERY_CODES} left" in html
    assert f'href="{reverse("mfa:account")}"' in html  # in the menu


def test_getting_new_recovery_codes_shows_them_once_and_the_old_ones_stop_working(
    social_worker_client: Client, social_worker: User, now: Any
) -> None:
    old = services.regenerate_recovery_codes(social_worker, at=now)
    AuditEvent.objects.filter(verb=Verb.MFA_RECOVERY_CODES_REGENERATED).count()

    response = social_worker_client.post(reverse("mfa:new-recovery-codes"))

    assert response["Location"] == CODES
    html = social_worker_client.get(CODES).content.decode()
    new = [code.replace("-", "") for code in re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", html)]
    assert len(new) == RECOVERY_CODES
    assert not set(new) & set(old)
    assert social_worker_client.post(CODES, {"saved": "on"})["Location"] == reverse("mfa:account")
    assert AuditEvent.objects.filter(verb=Verb.MFA_RECOVERY_CODES_REGENERATED, by=social_worker).count() == 2
    with pytest.raises(services.WrongCode):
        services.check_recovery_code(social_worker, old[0], at=now)
    assert services.check_recovery_code(social_worker, new[0], at=now)[1] == RECOVERY_CODES - 1


def test_new_recovery_codes_need_a_post(social_worker_client: Client) -> None:
    assert social_worker_client.get(reverse("mfa:new-recovery-codes")).status_code == 405
