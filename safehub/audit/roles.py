"""PostgreSQL role separation (ADR 0025, docs/operations/audit-trail.md): an owner role runs the
migrations and owns every table, trigger and function; the application connects as another role
that may read and write the application's tables but may only add to the audit trail. Not being the
owner, it cannot drop, disable or replace the append-only triggers; without UPDATE, DELETE and
TRUNCATE on the audit table, it could not change a row even if they were gone."""

from __future__ import annotations

import re

from safehub.audit.triggers import HEAD, TABLE

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def is_role_name(name: str) -> bool:
    """A plain PostgreSQL role name (lower case, digits, underscores), safe to write into SQL as is."""
    return _ROLE_NAME.fullmatch(name) is not None


def app_role_grants(app: str) -> list[str]:
    """What the owner runs after every `migrate`, so that the application's role `app` can use the
    tables the migrations made, and cannot change the audit trail. Running it again changes nothing."""
    if not is_role_name(app):
        raise ValueError(f"{app!r} is not a plain PostgreSQL role name (lower-case letters, digits, underscores)")
    return [
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {TABLE} FROM {app}",
        f"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON {HEAD} FROM {app}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM {app}",
    ]
