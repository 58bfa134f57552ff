"""System checks of our own: `safehub check --deploy` reports what would stop the web server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_secret_key_is_given(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An offline command runs with a key it made up (ADR 0013); a deployment must have a real one."""
    if getattr(settings, "SECRET_KEY_IS_EPHEMERAL", False):
        return [
            Error(
                "SECRET_KEY is not set: the web server will refuse to start.",
                hint="Set SECRET_KEY, or SECRET_KEY_FILE to the path of a file that holds it.",
                id="safehub.E001",
            )
        ]
    return []


@register(Tags.compatibility, deploy=True)
def check_notify_can_send_files(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Through GOV.UK Notify, an email with a file (a GP practice's request, a referral pack) needs the
    template that carries one (core.notify): without it those emails are refused, never sent without it."""
    if settings.EMAIL_BACKEND != "safehub.core.notify.NotifyEmailBackend":
        return []
    if getattr(settings, "NOTIFY_FILE_EMAIL_TEMPLATE_ID", ""):
        return []
    return [
        Error(
            "NOTIFY_FILE_EMAIL_TEMPLATE_ID is not set: requests to GP practices and referral packs, which carry a"
            " PDF, cannot be emailed through GOV.UK Notify.",
            hint="Make a Notify email template with ((subject)), ((body)) and ((link_to_file)), and set its id.",
            id="safehub.E004",
        )
    ]
