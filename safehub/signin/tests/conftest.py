from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safehub.signin import lockout


@pytest.fixture(autouse=True)
def _forget_throttled_clients() -> Iterator[None]:
    """The throttle's memory of refused clients lives in the process, not the rolled-back database."""
    lockout.forget_throttled_clients()
    yield
    lockout.forget_throttled_clients()


@pytest.fixture(autouse=True)
def _slots_of_our_own(settings: Any, tmp_path: Path) -> None:
    """Password check slots no other test run on this machine holds."""
    settings.SIGN_IN_SLOTS_DIR = str(tmp_path / "slots")
