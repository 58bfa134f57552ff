"""The email backend of demo mode (settings.EMAIL_BACKEND when SAFEHUB_DEMO=true and no other is
chosen): it sends nothing and prints nothing; it keeps each email for the Outbox page and in a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from safehub.outbox.services import keep_email


class OutboxEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.folder = Path(settings.OUTBOX_DIR)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        kept = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                keep_email(message, at=timezone.now(), folder=self.folder)
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                kept += 1
        return kept
