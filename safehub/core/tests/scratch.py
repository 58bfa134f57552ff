"""An empty database of the same kind as the test run's, apart from the test database: for a subprocess
that migrates its own (a server killed mid-request), or for a migration test that needs only the few
migrations it is about rather than rolling the whole test database back and forth (which re-renders
every model's state twice over, a minute or more a test)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend


@dataclass(frozen=True)
class Scratch:
    name: str  # the SQLite file or the PostgreSQL database
    url: str  # as DATABASE_URL takes it


@contextmanager
def scratch_database(directory: Path, *, label: str = "scratch") -> Iterator[Scratch]:
    """A new, empty database (SQLite: a file in `directory`; PostgreSQL: a database on the test run's
    server, dropped afterwards, also when a killed run left it behind)."""
    # `vendor` comes from the backend class: reading it does not open the test database.
    if connection.vendor != "postgresql":
        path = directory / f"{label}.sqlite3"
        yield Scratch(str(path), f"sqlite:///{path}")
        return
    db = connection.settings_dict
    host, port, user, password = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"], db["PASSWORD"]
    name = f"safehub_{label}_{os.getpid()}"
    params: dict[str, Any] = {"host": host, "port": port, "user": user, "password": password or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        _drop(admin, name)
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            secret = f":{quote(password, safe='')}" if password else ""
            yield Scratch(name, f"postgres://{quote(user, safe='')}{secret}@{host}:{port}/{name}")
        finally:
            _drop(admin, name)


def _drop(admin: psycopg.Connection[Any], name: str) -> None:
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def scratch_connection(directory: Path, *, alias: str = "scratch") -> Iterator[BaseDatabaseWrapper]:
    """A Django connection to a scratch database, known as `alias` while it lasts (so that a historical
    model's `objects.using(alias)` reaches it); closed before the database is dropped."""
    with scratch_database(directory, label=alias) as scratch:
        settings_dict = {**connection.settings_dict, "NAME": scratch.name}
        opened: BaseDatabaseWrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        connections[alias] = opened
        try:
            yield opened
        finally:
            opened.close()
            del connections[alias]
