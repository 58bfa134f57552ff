"""On PostgreSQL, one test run migrates one database and every test database of the run is a copy of it.

Each test process (one per pytest-xdist worker) would otherwise migrate its own test database from
nothing: three at once on two cores took about 75 s of the PostgreSQL pass's start, and the scratch
databases of the server-killed tests as long again. The first process of a run to need a test database
migrates a template (its name carries the run's id and the time it was made); Django's test database
is then created `WITH TEMPLATE` it, and `migrate` on the copy finds nothing left to apply.

Templates left by a run that was killed are dropped by a later run once they are a few hours old, so
that a run beside it (a second checkout's tests) never loses the template it is copying."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from safehub.core.tests.scratch import admin_connection, database_url, drop_database

ROOT = Path(__file__).resolve().parents[3]
PREFIX = "safehub_template_"
STALE_SECONDS = 6 * 3600
# One lock for every run on the server: only one process at a time makes (or drops) a template.
LOCK_KEY = 7_316_101_016
_RUN_ID = uuid.uuid4().hex  # a process outside pytest-xdist is a run of its own


def run_id(config: Any) -> str:
    """The id every process of one pytest run shares: pytest-xdist's, given to its workers (conftest
    chooses it in the controlling process), or this process's own."""
    workerinput = getattr(config, "workerinput", None)
    shared = workerinput["testrunuid"] if workerinput else getattr(config.option, "testrunuid", None)
    return str(shared) if shared else _RUN_ID


def template_name(run: str, *, made_at: float | None = None) -> str:
    return f"{PREFIX}{int(time.time() if made_at is None else made_at)}_{run[:12]}"


def ensure_template(settings_dict: dict[str, Any], run: str) -> str:
    """The name of this run's migrated template on the test server, made now if no process of the run
    has made it yet."""
    with admin_connection(settings_dict) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            names = _templates(admin)
            mine = [name for name in names if name.endswith(f"_{run[:12]}")]
            if mine:
                return mine[0]
            for name in names:
                if _is_stale(name):
                    drop_database(admin, name)
            name = template_name(run)
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                _migrate(database_url(settings_dict, name))
            except BaseException:
                drop_database(admin, name)
                raise
            return name
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _templates(admin: Any) -> list[str]:
    return [
        row[0]
        for row in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{PREFIX}%"]).fetchall()
    ]


def _is_stale(name: str) -> bool:
    made = re.fullmatch(rf"{PREFIX}(\d+)_\w+", name)
    return made is not None and time.time() - int(made.group(1)) > STALE_SECONDS


def _migrate(url: str) -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "safehub.settings", "DATABASE_URL": url}
    environment.pop("DATABASE_CONN_MAX_AGE", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Could not migrate the test run's template database:\n{done.stderr[-3000:]}")


def drop_template(settings_dict: dict[str, Any], run: str) -> None:
    """Drop this run's template (at the end of the run)."""
    with admin_connection(settings_dict) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            for name in _templates(admin):
                if name.endswith(f"_{run[:12]}"):
                    drop_database(admin, name)
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
