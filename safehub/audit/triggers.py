"""Database triggers that make the audit table append-only on SQLite and PostgreSQL.

Only a test database's teardown may empty the table, through `set_purge_allowed`, which sets a
flag on that one connection; no application code calls it.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
HEAD = "audit_audithead"
_sqlite_purge_allowed: set[int] = set()

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT safehub_audit_purge_allowed()
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON {HEAD}
        WHEN NOT safehub_audit_purge_allowed()
        BEGIN SELECT RAISE(ABORT, 'the audit head cannot be removed'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
]

POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION safehub_audit_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'UPDATE' AND current_setting('safehub.audit_purge', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION safehub_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION safehub_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_head_no_delete ON {HEAD}",
    f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON {HEAD}
        FOR EACH STATEMENT EXECUTE FUNCTION safehub_audit_append_only()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_head_no_delete ON {HEAD}",
    "DROP FUNCTION IF EXISTS safehub_audit_append_only()",
]


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        raw = connection.connection
        key = id(connection)
        raw.create_function(
            "safehub_audit_purge_allowed", 0, lambda: int(key in _sqlite_purge_allowed), deterministic=False
        )


def statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    raise NotImplementedError(f"Safehub's audit triggers support SQLite and PostgreSQL, not {vendor}.")


def set_purge_allowed(connection: BaseDatabaseWrapper, *, allowed: bool) -> None:
    """For test databases only: let this connection's flush empty the audit tables."""
    if connection.vendor == "sqlite":
        if allowed:
            _sqlite_purge_allowed.add(id(connection))
        else:
            _sqlite_purge_allowed.discard(id(connection))
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", ["safehub.audit_purge", "on" if allowed else "off"])


SQLITE_NAMES = ("audit_event_no_update", "audit_event_no_delete", "audit_head_no_delete")
POSTGRES_NAMES = ("audit_event_append_only", "audit_event_no_truncate", "audit_head_no_delete")


def missing(connection: BaseDatabaseWrapper) -> list[str]:
    """The append-only triggers that are gone or disabled on this database, by name."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
            return [name for name in SQLITE_NAMES if name not in present]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
                " AND tgrelid IN (%s::regclass, %s::regclass)",
                [TABLE, HEAD],
            )
            present = {row[0] for row in cursor.fetchall()}
            return [name for name in POSTGRES_NAMES if name not in present]
    return []
