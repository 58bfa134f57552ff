"""The audit commands pointed at the wrong database say so in a line, and make no database there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SAFEHUB_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "SAFEHUB_AUDIT_KEY": "k" * 64, "SECRET_KEY": "x" * 50}
    command = [sys.executable, "-m", "safehub.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603 - our own interpreter and fixed arguments


@pytest.mark.parametrize("command", ["verify-audit", "checkpoint-audit"])
def test_no_database_there_is_a_line_not_a_traceback_and_no_empty_file(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "safehub.sqlite3"

    done = _run(command, database=missing)

    assert done.returncode == 1
    assert f"There is no database at {missing}. Set DATABASE_URL to Safehub's database" in done.stderr
    assert "Traceback" not in done.stderr
    assert not missing.exists()


def test_a_database_never_migrated_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()

    done = _run("verify-audit", database=empty)

    assert done.returncode == 1
    assert f"The database {empty} holds no audit trail (it was never migrated)." in done.stderr
    assert "Traceback" not in done.stderr
