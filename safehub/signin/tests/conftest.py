from __future__ import annotations

from collections.abc import Iterator

import pytest

from safehub.signin import lockout


@pytest.fixture(autouse=True)
def _forget_throttled_clients() -> Iterator[None]:
    """The throttle's memory of refused clients lives in the process, not the rolled-back database."""
    lockout.forget_throttled_clients()
    yield
    lockout.forget_throttled_clients()
