"""A cap on password checks running at once on this server (ADR 0023).

A password check (Argon2) takes a core and about 100 MB for a tenth of a second or more. The
client throttle bounds how many checks each client address can ask for, but a flood from many
addresses could still keep every worker hashing, so that signed-in users' pages wait behind it.
So at most SIGN_IN_CONCURRENT_CHECKS checks run at once on one machine, across all its worker
processes and threads: each takes one of that many lock files (flock, released by the kernel if
the process dies). A sign-in that finds them all taken is refused at once, checking nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings


def slots_folder() -> Path:
    """SIGN_IN_SLOTS_DIR, or a folder in the temporary directory named for this installation, so that
    two installations on one machine do not share their slots."""
    if settings.SIGN_IN_SLOTS_DIR:
        return Path(settings.SIGN_IN_SLOTS_DIR)
    installation = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"safehub-sign-in-slots-{installation}"


@contextlib.contextmanager
def password_check_slot() -> Iterator[bool]:
    """Hold one of the slots while the block runs and yield True; yield False if every slot is taken."""
    folder = slots_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for number in range(settings.SIGN_IN_CONCURRENT_CHECKS):
        descriptor = os.open(folder / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)
        return
    yield False
