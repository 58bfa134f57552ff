"""Backups of the PostgreSQL database that say what they hold, and drills that restore one and check it.

`back_up` writes a pg_dump custom-format file and, beside it, a manifest: the number of rows in every
Safehub table and the audit trail's head, counted in the very snapshot the dump was taken from (the
snapshot is exported to pg_dump), so the two agree even while people go on working. `drill` restores a
dump into a scratch database on the same server, counts the same tables there, verifies the audit chain
there, and compares: a row missing or added, a head that moved, or a chain that does not verify is a
failed drill. The scratch database is counted by `inspect`, run in a process whose DATABASE_URL names it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from safehub.audit.models import AuditHead
from safehub.audit.services import verify_chain

MANIFEST_SUFFIX = ".manifest.json"
PG_BIN_FALLBACK = Path("/usr/lib/postgresql/15/bin")


class BackupError(Exception):
    """A backup or drill that cannot be done (not PostgreSQL, no pg_dump, a file that cannot be read)."""


def program(name: str) -> str:
    found = shutil.which(name) or (str(PG_BIN_FALLBACK / name) if (PG_BIN_FALLBACK / name).is_file() else None)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client programs are needed)")
    return found


def _require_postgresql() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise BackupError("Backups and restore drills are for PostgreSQL; this Safehub runs on SQLite")
    return dict(settings.DATABASES["default"])


def libpq_env(database: dict[str, Any], *, name: str | None = None) -> dict[str, str]:
    """The environment that points PostgreSQL's programs at `database` (its password never on a command line)."""
    env = {**os.environ, "PGDATABASE": name or str(database["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def database_url(database: dict[str, Any], *, name: str) -> str:
    user = quote(str(database.get("USER") or ""), safe="")
    password = f":{quote(str(database['PASSWORD']), safe='')}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def counted_tables() -> list[str]:
    """Every table of Safehub's own apps (users, contacts, people, checks, decisions, the audit trail…)."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("safehub.") and model._meta.managed and not model._meta.proxy
    )


def inspect() -> dict[str, Any]:
    """This database's row counts, audit head and what `verify_chain` says of the audit trail."""
    counts = _counts()
    head = _head()
    report = verify_chain()
    return {
        "counts": counts,
        "audit_head": head,
        "chain": {
            "intact": report.intact,
            "checked": report.checked,
            "broken_at": report.broken_at,
            "reason": report.reason,
        },
    }


def _head() -> dict[str, Any]:
    """The audit trail's head: the last entry's number and hash."""
    head = AuditHead.objects.filter(pk=1).first()
    return {"seq": head.seq, "hash": head.last_hash} if head is not None else {}


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in counted_tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            row = cursor.fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


def back_up(output: Path) -> dict[str, Any]:
    """pg_dump (custom format) of this database to `output`, and its manifest beside it; returns the manifest."""
    database = _require_postgresql()
    pg_dump = program("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        snapshot = str(row[0]) if row else ""
        counts = _counts()
        head = _head()
        done = subprocess.run(  # noqa: S603 - PostgreSQL's own program, fixed arguments
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={output}"],
            env=libpq_env(database),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    manifest = {
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": str(database["NAME"]),
        "counts": counts,
        "audit_head": head,
    }
    manifest_path(output).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


@dataclass
class DrillReport:
    dump: Path
    scratch: str
    expected_from: str  # "manifest <path>" or "the source database"
    mismatches: list[str] = field(default_factory=list)
    restored: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.mismatches

    def lines(self) -> list[str]:
        counts: dict[str, int] = self.restored.get("counts", {})
        chain = self.restored.get("chain", {})
        out = [
            f"Restored {self.dump} into the scratch database {self.scratch}",
            f"Compared with {self.expected_from}: {len(counts)} tables, {sum(counts.values())} rows",
            "Audit chain in the restored copy: "
            + (f"intact ({chain.get('checked')} entries)" if chain.get("intact") else f"BROKEN: {chain}"),
        ]
        out += [f"MISMATCH: {problem}" for problem in self.mismatches]
        out.append("Restore drill passed" if self.passed else f"Restore drill FAILED: {len(self.mismatches)} problems")
        return out


def compare(expected: dict[str, Any], restored: dict[str, Any]) -> list[str]:
    problems = []
    want: dict[str, int] = expected.get("counts", {})
    have: dict[str, int] = restored.get("counts", {})
    for table in sorted(set(want) | set(have)):
        if table not in have:
            problems.append(f"{table}: in the manifest ({want[table]} rows) but not in the restored copy")
        elif table not in want:
            problems.append(f"{table}: in the restored copy ({have[table]} rows) but not in the manifest")
        elif want[table] != have[table]:
            problems.append(f"{table}: {have[table]} rows restored, {want[table]} expected")
    if expected.get("audit_head") and expected["audit_head"] != restored.get("audit_head"):
        problems.append(f"audit head: restored {restored.get('audit_head')}, expected {expected['audit_head']}")
    chain = restored.get("chain", {})
    if not chain.get("intact"):
        problems.append(f"audit chain broken at entry #{chain.get('broken_at')}: {chain.get('reason')}")
    return problems


def drill(dump: Path, *, manifest: Path | None, against_source: bool, scratch: str | None, keep: bool) -> DrillReport:
    """Restore `dump` into a scratch database, count it and verify its audit chain there, and compare
    with the manifest (by default the one beside the dump) or, with `against_source`, this database."""
    database = _require_postgresql()
    if not dump.is_file():
        raise BackupError(f"No backup at {dump}")
    if against_source:
        expected, expected_from = inspect(), "the source database"
    else:
        path = manifest or manifest_path(dump)
        try:
            expected = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise BackupError(f"Cannot read the manifest {path}: {error} (or use --against-source)") from None
        if not isinstance(expected, dict) or not isinstance(expected.get("counts"), dict):
            raise BackupError(f"{path} is not a backup manifest: it has no table counts")
        expected_from = f"manifest {path}"
    name = scratch or f"{database['NAME']}_restore_drill"
    if name == database["NAME"]:
        raise BackupError("The scratch database must not be the database Safehub runs on")
    report = DrillReport(dump, name, expected_from)
    with _scratch_database(database, name, keep=keep):
        restored = subprocess.run(  # noqa: S603 - PostgreSQL's own program, fixed arguments
            [program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={name}", str(dump)],
            env=libpq_env(database, name=name),
            capture_output=True,
            text=True,
            check=False,
        )
        if restored.returncode != 0:
            report.mismatches.append(
                f"pg_restore failed (exit {restored.returncode}): {restored.stderr.strip()[-1500:]}"
            )
            return report
        report.restored = _inspect_elsewhere(database_url(database, name=name))
    report.mismatches += compare(expected, report.restored)
    return report


@contextmanager
def _scratch_database(database: dict[str, Any], name: str, *, keep: bool) -> Iterator[None]:
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")  # a drill's leftovers, never Safehub's own (checked)
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield
    finally:
        if not keep:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def _inspect_elsewhere(url: str) -> dict[str, Any]:
    """`inspect` in a process of its own against the database at `url`."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "safehub.settings"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "safehub.cli", "restore-drill", "--inspect-this-database"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"Counting the restored copy failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
