"""Before a command reads the audit trail: is there one in the database it was pointed at?"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from safehub.audit.models import AuditEvent


def require_trail() -> None:
    """`CommandError` saying which database was asked and what to set, when it holds no audit trail:
    a SQLite file that does not exist (not made empty by looking), or a database never migrated."""
    where = settings.DATABASES["default"]
    name = str(where.get("NAME", ""))
    hint = "Set DATABASE_URL to Safehub's database (the demo's is sqlite:///PATH/safehub-demo.sqlite3 in its checkout)."
    if (
        connection.vendor == "sqlite"
        and name != ":memory:"
        and not name.startswith("file:")
        and not Path(name).exists()
    ):
        raise CommandError(f"There is no database at {name}. {hint}")
    if AuditEvent._meta.db_table not in connection.introspection.table_names():
        database = name if connection.vendor == "sqlite" else f"{name} on {where.get('HOST') or 'the local server'}"
        raise CommandError(f"The database {database} holds no audit trail (it was never migrated). {hint}")
