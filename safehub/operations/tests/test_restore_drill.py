"""`safehub backup-database` and `safehub restore-drill` against this test run's own PostgreSQL database
(committed data: a transactional test): a good backup restores with every row and an intact audit
chain; a backup with rows missing against its manifest, or with an audit entry rewritten, fails the
drill with the problem named. On SQLite they skip: backups and drills are for PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import record
from safehub.contacts.tests.factories import ContactFactory
from safehub.operations.backups import PG_BIN_FALLBACK, manifest_path


@pytest.fixture(autouse=True)
def postgresql_with_its_programs(transactional_db: None) -> None:
    """Committed data (pg_dump sees nothing of a test's open transaction), on PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("Backups and restore drills are for PostgreSQL; this run is on SQLite")
    missing = [p for p in ("pg_dump", "pg_restore") if not (shutil.which(p) or (PG_BIN_FALLBACK / p).is_file())]
    if missing and _required_here():
        pytest.fail(f"CI must run the restore drill, but {', '.join(missing)} are not installed")
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")


@pytest.fixture
def hub_with_work(mash_team: object, contact_officer: User) -> None:
    for _ in range(3):
        contact = ContactFactory(team=mash_team, recorded_by=contact_officer)
        record(Verb.CONTACT_RECORDED, by=contact_officer, contact=contact, data={"channel": "phone"})


def _drill(dump: Path, *args: str) -> str:
    out = io.StringIO()
    try:
        call_command("restore_drill", str(dump), *args, stdout=out)
    except CommandError as error:
        raise AssertionError(f"{out.getvalue()}\n{error}") from None
    return out.getvalue()


def _failed_drill(dump: Path, *args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError, match="Restore drill failed"):
        call_command("restore_drill", str(dump), *args, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("hub_with_work")
def test_a_backup_restores_with_every_row_and_an_intact_audit_chain(tmp_path: Path) -> None:
    dump = tmp_path / "safehub.dump"
    call_command("backup_database", str(dump))
    manifest = json.loads(manifest_path(dump).read_text(encoding="utf-8"))
    assert manifest["counts"]["contacts_contact"] == 3
    assert manifest["counts"]["audit_auditevent"] == AuditEvent.objects.count() > 0

    report = _drill(dump)
    assert "Restore drill passed" in report
    assert "Audit chain in the restored copy: intact" in report
    assert "MISMATCH" not in report
    # The scratch database is gone afterwards.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [f"{connection.settings_dict['NAME']}_restore_drill"]
        )
        assert cursor.fetchone() is None


@pytest.mark.usefixtures("hub_with_work")
def test_rows_missing_from_a_backup_fail_the_drill_and_are_named(tmp_path: Path) -> None:
    dump = tmp_path / "safehub.dump"
    call_command("backup_database", str(dump))
    path = manifest_path(dump)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["counts"]["contacts_contact"] += 2  # the backup holds two contacts fewer than it should
    path.write_text(json.dumps(manifest), encoding="utf-8")

    report = _failed_drill(dump)
    assert "MISMATCH: contacts_contact: 3 rows restored, 5 expected" in report


@pytest.mark.usefixtures("hub_with_work")
def test_an_audit_entry_rewritten_in_the_backup_fails_the_drill(tmp_path: Path) -> None:
    first = AuditEvent.objects.order_by("seq").first()
    assert first is not None
    with connection.cursor() as cursor:  # someone with the owner's rights edits history, then backs it up
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute('UPDATE audit_auditevent SET data = \'{"channel": "email"}\' WHERE seq = %s', [first.seq])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    dump = tmp_path / "tampered.dump"
    call_command("backup_database", str(dump))

    report = _failed_drill(dump)
    assert "MISMATCH: audit chain broken at entry #" in report
    assert "Audit chain in the restored copy: BROKEN" in report


@pytest.mark.usefixtures("hub_with_work")
def test_a_drill_against_the_source_database_finds_rows_written_since(tmp_path: Path, contact_officer: User) -> None:
    dump = tmp_path / "safehub.dump"
    call_command("backup_database", str(dump))
    assert "Restore drill passed" in _drill(dump, "--against-source")
    ContactFactory(recorded_by=contact_officer)
    report = _failed_drill(dump, "--against-source")
    assert "contacts_contact: 3 rows restored, 4 expected" in report


def test_a_missing_backup_or_manifest_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore_drill", str(tmp_path / "none.dump"))
    (tmp_path / "lonely.dump").write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="Cannot read the manifest"):
        call_command("restore_drill", str(tmp_path / "lonely.dump"))


def _required_here() -> bool:
    """In CI (CI=true, or SAFEHUB_REQUIRE_POSTGRESQL_TOOLS=true as .ci/run sets) a missing tool is a failure."""
    return any(os.environ.get(name, "").lower() == "true" for name in ("CI", "SAFEHUB_REQUIRE_POSTGRESQL_TOOLS"))
