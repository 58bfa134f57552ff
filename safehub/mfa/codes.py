"""Codes, with no database: what an authenticator app shows, recovery codes, and the set-up QR code."""

from __future__ import annotations

import base64
import re
import secrets
from typing import Protocol

import qrcode
import qrcode.image.svg
from django_otp.oath import hotp

RECOVERY_CODES = 10
# Letters and digits that cannot be mistaken for one another when copied from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10  # about 49 bits each
_SIX_DIGITS = re.compile(r"[0-9]{6}", re.ASCII)


class TotpSettings(Protocol):
    """What a django-otp `TOTPDevice` holds that a code is computed from."""

    key: str
    step: int
    t0: int
    digits: int
    drift: int
    last_t: int

    @property
    def bin_key(self) -> bytes: ...


def six_digits(text: str) -> str | None:
    """The code typed, without the spaces people copy from their app ("123 456"), or None when it is
    not six digits (only 0-9: '²' and other Unicode digits are not)."""
    code = "".join(text.split())
    return code if _SIX_DIGITS.fullmatch(code) else None


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    return ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH)) for _ in range(count)]


def normalise_recovery_code(text: str) -> str:
    """A recovery code as stored: lower case, without the spaces and hyphens it is shown or typed with."""
    return re.sub(r"[\s-]", "", text).lower()[:32]


def shown_recovery_code(code: str) -> str:
    """`abcdefghjk` as `abcde-fghjk`, easier to copy."""
    return f"{code[:5]}-{code[5:]}"


def time_step(device: TotpSettings, *, at: float) -> int:
    """The authenticator app's time step at `at` (Unix time), as the device counts them."""
    return (int(at) - device.t0) // device.step + device.drift


def code_at(device: TotpSettings, step: int) -> str:
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def next_usable_code(device: TotpSettings, *, at: float) -> str:
    """The code an authenticator app shows at `at`; when that one has been used already, the next
    one (accepted a step early): for the demo's hint and the tests, never shown outside them."""
    return code_at(device, max(time_step(device, at=at), device.last_t + 1))


def secret_for_typing(device: TotpSettings) -> str:
    """The secret key in base32, in groups of four, for typing into an app that cannot scan."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_data_uri(text: str) -> str:
    """`text` as a QR code: an SVG in a data: address, made here (no outside service sees the secret)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
