"""The reset service's own refusals, and django-otp's devices kept out of the admin (the pages that
reset are on a user's page in Administration: safehub/users/tests/test_signing_in.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.mfa import services
from safehub.mfa.models import ResetAction

pytestmark = pytest.mark.django_db


def test_the_service_refuses_anyone_but_an_administrator(manager: User, social_worker: User, now: Any) -> None:
    with pytest.raises(services.DomainError, match="Only an administrator"):
        services.reset_authenticator(social_worker, by=manager, action=ResetAction.RESET, reason="x", at=now)
    assert TOTPDevice.objects.filter(user=social_worker).exists()


def test_the_admin_does_not_offer_django_otp_devices() -> None:
    """Secrets and devices are changed through the audited page only, never the admin."""
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_your_account_tells_someone_who_lost_their_phone_whom_to_ask(social_worker_client: Client) -> None:
    html = social_worker_client.get(reverse("mfa:account")).content.decode()
    assert "Lost your phone? Ask a Safehub administrator to reset your authenticator app." in html
