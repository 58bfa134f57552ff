"""The deployment in docs/operations/audit-trail.md, on PostgreSQL: an owner role owns the tables (it ran
the migrations) and the application's role, given `app_role_grants`, can add to the audit trail
through the service but cannot drop or disable its triggers, nor update, delete or truncate it.

The roles are made inside the test's transaction, so they and the change of owner vanish with it.
Skipped on SQLite, which has no roles; the suite runs on PostgreSQL in CI."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from safehub.audit.models import AuditEvent, Verb
from safehub.audit.roles import app_role_grants
from safehub.audit.services import record, verify_chain

DOC = Path(__file__).resolve().parents[3] / "docs" / "operations" / "audit-trail.md"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@dataclass(frozen=True)
class Roles:
    owner: str
    app: str


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def as_app_role(db: None) -> Iterator[Roles]:
    """This connection, from now on, as the application's role of a separated deployment."""
    suffix = uuid.uuid4().hex[:8]
    roles = Roles(f"safehub_owner_{suffix}", f"safehub_app_{suffix}")
    _execute(f"CREATE ROLE {roles.owner} NOLOGIN")
    _execute(f"CREATE ROLE {roles.app} NOLOGIN")
    # As if the owner had run the migrations: it owns every table and the triggers' function.
    for table in connection.introspection.table_names():
        _execute(f'ALTER TABLE "{table}" OWNER TO {roles.owner}')
    _execute(f"ALTER FUNCTION safehub_audit_append_only() OWNER TO {roles.owner}")
    _execute(f"SET ROLE {roles.owner}")
    for statement in app_role_grants(roles.app):
        _execute(statement)
    _execute(f"SET ROLE {roles.app}")
    try:
        yield roles
    finally:
        _execute("RESET ROLE")


REFUSED = [
    pytest.param("DROP TRIGGER audit_event_append_only ON audit_auditevent", id="drop-trigger"),
    pytest.param("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only", id="disable-trigger"),
    pytest.param("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", id="disable-all-triggers"),
    pytest.param("DROP FUNCTION safehub_audit_append_only() CASCADE", id="drop-trigger-function"),
    pytest.param(
        "CREATE OR REPLACE FUNCTION safehub_audit_append_only() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$"
        " LANGUAGE plpgsql",
        id="replace-trigger-function",
    ),
    pytest.param("UPDATE audit_auditevent SET system_process = 'forged'", id="update"),
    pytest.param("DELETE FROM audit_auditevent", id="delete"),
    pytest.param("TRUNCATE audit_auditevent", id="truncate"),
    pytest.param("DROP TABLE audit_auditevent CASCADE", id="drop-table"),
    pytest.param("ALTER TABLE audit_auditevent ADD COLUMN note text", id="alter-table"),
    pytest.param("DELETE FROM audit_audithead", id="delete-head"),
    pytest.param("TRUNCATE audit_audithead", id="truncate-head"),
]


@pytest.mark.skipif(not ON_POSTGRES, reason="roles and grants are PostgreSQL's; DATABASE_URL selects it")
@pytest.mark.parametrize("sql", REFUSED)
def test_the_app_role_cannot_change_the_audit_trail_or_its_triggers(as_app_role: Roles, sql: str) -> None:
    record(Verb.LOGIN_FAILED, system_process="test")
    with pytest.raises(DatabaseError, match=r"permission denied|must be owner"), transaction.atomic():
        _execute(sql)
    assert AuditEvent.objects.filter(system_process="test").count() == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="roles and grants are PostgreSQL's; DATABASE_URL selects it")
def test_the_app_role_adds_to_the_trail_through_the_service_and_can_check_it(as_app_role: Roles) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (as_app_role.app,)
    with transaction.atomic():
        first = record(Verb.LOGIN_FAILED, system_process="test", data={"username": "a"})
        second = record(Verb.LOGIN_FAILED, system_process="test", data={"username": "b"})
    assert second.prev_hash == first.row_hash
    assert verify_chain().intact
    call_command("verify_audit")


def test_the_documented_grants_are_the_ones_tested() -> None:
    """The operations guide shows the SQL this test runs, word for word."""
    block = re.search(r"<!-- grants -->\n```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    assert block.group(1).splitlines() == [f"{statement};" for statement in app_role_grants("safehub_app")]


def test_the_grants_command_prints_them_and_refuses_a_strange_role_name(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit_grants", "--app", "hub_app")
    assert capsys.readouterr().out.splitlines() == [f"{statement};" for statement in app_role_grants("hub_app")]
    with pytest.raises(CommandError, match="not a plain PostgreSQL role name"):
        call_command("audit_grants", "--app", 'app"; DROP TABLE audit_auditevent; --')
