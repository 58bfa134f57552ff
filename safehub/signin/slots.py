"""A cap on password checks running at once on this server (ADR 0023).

A password check (Argon2) takes a core and about 100 MB for a tenth of a second or more. The
client throttle bounds how many checks each client address can ask for, but a flood from many
addresses could still keep every worker hashing, so that signed-in users' pages wait behind it.
So at most SIGN_IN_CONCURRENT_CHECKS checks run at once on one machine, across all its worker
processes and threads: each takes one of that many lock files (flock, released by the kernel if
the process dies). A sign-in that finds them all taken waits a moment for one (SIGN_IN_SLOT_WAIT_MS: two
colleagues pressing "Sign in" together both get in), and is then refused, checking nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
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
    give_up = time.monotonic() + settings.SIGN_IN_SLOT_WAIT_MS / 1000
    while True:
        descriptor = _take_a_slot(folder)
        if descriptor is not None or time.monotonic() >= give_up:
            break
        time.sleep(WAIT_STEP_SECONDS)  # every slot busy: try again shortly, until the wait is over
    if descriptor is None:
        yield False
        return
    try:
        yield True
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


# How often a sign-in waiting for a slot looks again.
WAIT_STEP_SECONDS = 0.05


def _take_a_slot(folder: Path) -> int | None:
    """Lock a free slot's file and return its descriptor; None when every slot is held."""
    for number in range(settings.SIGN_IN_CONCURRENT_CHECKS):
        descriptor = os.open(folder / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        return descriptor
    return None
