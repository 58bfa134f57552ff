"""The audit trail's keys: held outside the database (SAFEHUB_AUDIT_KEY or SAFEHUB_AUDIT_KEY_FILE).

Each entry is signed with the first key (HMAC-SHA-256) and names it by its id, a fingerprint that
says which key it is without revealing it. Earlier keys stay in the key file, after the first, so
that what they signed still verifies after a rotation (ADR 0025).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_LENGTH = 12
_KEY_ID_MESSAGE = b"safehub audit key id"


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes = b""

    def __repr__(self) -> str:  # never print the secret
        return f"AuditKey({self.id!r})"


@cache
def _key(text: str) -> AuditKey:
    secret = text.encode("utf-8")
    fingerprint = hmac.new(secret, _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]
    return AuditKey(fingerprint, secret)


def keyring() -> dict[str, AuditKey]:
    """Every key this process holds, by id: the signing key and the earlier ones."""
    return {key.id: key for key in map(_key, settings.AUDIT_KEYS)}


def signing_key() -> AuditKey:
    """The key new entries and checkpoints are signed with; a clear setting error if there is none."""
    if not settings.AUDIT_KEYS:
        raise ImproperlyConfigured(
            "Set SAFEHUB_AUDIT_KEY (or SAFEHUB_AUDIT_KEY_FILE): the audit trail is signed and checked with it."
        )
    return _key(settings.AUDIT_KEYS[0])


def sign(key: AuditKey, message: str) -> str:
    return hmac.new(key.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()
