from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safehub.signin import lockout


@pytest.fixture(autouse=True)
def _forget_throttled_clients() -> None:
    """Each test starts with no client remembered as refused (the root conftest forgets them after)."""
    lockout.forget_throttled_clients()


@pytest.fixture(autouse=True)
def _slots_of_our_own(settings: Any, tmp_path: Path) -> None:
    """Password check slots no other test run on this machine holds."""
    settings.SIGN_IN_SLOTS_DIR = str(tmp_path / "slots")
