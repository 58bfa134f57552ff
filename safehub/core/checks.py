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
