"""`safehub check --deploy` reports an audit trail that would be unsigned or unanchored (ADR 0025)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_audit_key_and_checkpoints(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not settings.AUDIT_KEYS:
        messages.append(
            Error(
                "SAFEHUB_AUDIT_KEY is not set: the web server will refuse to start, and the audit trail cannot be"
                " signed or checked.",
                hint="Set SAFEHUB_AUDIT_KEY, or SAFEHUB_AUDIT_KEY_FILE to the path of a file that holds it.",
                id="safehub.E002",
            )
        )
    if settings.AUDIT_CHECKPOINT_DIR is None:
        messages.append(
            Error(
                "SAFEHUB_AUDIT_CHECKPOINT_DIR is not set: the worker writes no checkpoints of the audit trail, so"
                " verify-audit cannot tell if its last entries were removed or the whole chain rewritten.",
                hint="Set it to a directory outside the database's reach (see docs/operations/audit-trail.md).",
                id="safehub.E003",
            )
        )
    return messages
