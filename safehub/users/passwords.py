"""One-time links to set a password (ADR 0026). A link holds Django's password-reset token: it
stops working once a password is set with it (the token covers the password's hash) and after
PASSWORD_RESET_TIMEOUT (three days by default). The administrator never sees or sends a password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safehub.accounts.models import User


def link_for(user: User, *, site: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site.rstrip("/") + reverse("passwords:set-password", args=[uid, token])


def days_valid() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


def send_link(user: User, *, link: str, first: bool) -> None:
    opening = (
        "An account has been made for you on Safehub, the case management service of the Multi-Agency Safeguarding Hub."
        if first
        else "A Safehub administrator sent you a link to set a new password for your Safehub account."
    )
    days = days_valid()
    body = (
        f"{opening}\n\n"
        f"Your username is {user.username}.\n\n"
        f"Set your password here (the link works once, for {days} day{'s' if days != 1 else ''}):\n{link}\n\n"
        "If you did not expect this email, tell your Safehub administrator."
    )
    send_mail("Set your Safehub password", body, None, [user.email])
