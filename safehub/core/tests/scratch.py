"""An empty database of the same kind as the test run's, apart from the test database: for a subprocess
that migrates its own (a server killed mid-request), or for a migration test that needs only the few
migrations it is about rather than rolling the whole test database back and forth (which re-renders
every model's state twice over, a minute or more a test)."""

from __future__ import annotations

import os
import sqlite3
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
def scratch_database(directory: Path, *, label: str = "scratch", migrated: bool = False) -> Iterator[Scratch]:
    """A new database (SQLite: a file in `directory`; PostgreSQL: a database on the test run's server,
    dropped afterwards, also when a killed run left it behind). Empty, or `migrated`, so that a `migrate`
    of it has nothing left to do: on PostgreSQL a copy of the run's migrated template
    (core.tests.migrated_template), on SQLite a copy of the test database as it stands (call it outside
    a test's transaction, with the database unblocked)."""
    # `vendor` comes from the backend class: reading it does not open the test database.
    if connection.vendor != "postgresql":
        path = directory / f"{label}.sqlite3"
        if migrated:
            _copy_test_database(path)
        yield Scratch(str(path), f"sqlite:///{path}")
        return
    settings_dict = connection.settings_dict
    name = f"safehub_{label}_{os.getpid()}"
    template = settings_dict["TEST"].get("TEMPLATE") if migrated else None
    with admin_connection(settings_dict) as admin:
        drop_database(admin, name)
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        try:
            yield Scratch(name, database_url(settings_dict, name))
        finally:
            drop_database(admin, name)


def _copy_test_database(path: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def admin_connection(settings_dict: dict[str, Any]) -> psycopg.Connection[Any]:
    """A connection to the test server's `postgres` database, to create and drop databases."""
    return psycopg.connect(dbname="postgres", autocommit=True, **_server(settings_dict))


def database_url(settings_dict: dict[str, Any], name: str) -> str:
    """The database `name` on the test server, as DATABASE_URL takes it."""
    server = _server(settings_dict)
    password = server["password"]
    secret = f":{quote(password, safe='')}" if password else ""
    return f"postgres://{quote(server['user'], safe='')}{secret}@{server['host']}:{server['port']}/{name}"


def _server(settings_dict: dict[str, Any]) -> dict[str, Any]:
    return {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
    }


def drop_database(admin: psycopg.Connection[Any], name: str) -> None:
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
