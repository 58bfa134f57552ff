"""For tests: sign a test client in past both steps, and the code a user's authenticator app shows."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.mfa.codes import next_usable_code
from safehub.mfa.sessions import PASSED_KEY


def sign_in_both_steps(client: Client, user: object) -> Client:
    """`client.force_login(user)` and the second step passed with the user's authenticator app
    (UserFactory gives every user one): what every signed-in test client must be, now that a
    password-only session reaches nothing but the second step."""
    if not isinstance(user, get_user_model()):
        raise TypeError(f"{user!r} is not a user")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        raise AssertionError(
            f"{user} has no authenticator app, so cannot pass the second step: make them with UserFactory "
            "(which gives them one) or give them a confirmed TOTPDevice"
        )
    client.force_login(user)
    session = client.session
    session[PASSED_KEY] = device.pk
    session.save()
    return client


def current_code(user: object) -> str:
    """The code the user's authenticator app shows now (or the next, when that one was used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").get()
    return next_usable_code(device, at=time.time())
