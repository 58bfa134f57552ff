from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from safehub.audit.models import AuditEvent, AuditHead, Verb
from safehub.audit.services import AnonymousAuditError, record, verify_chain
from safehub.audit.triggers import statements

pytestmark = pytest.mark.django_db


def _append(n: int) -> list[AuditEvent]:
    return [record(Verb.LOGIN_FAILED, system_process="test", data={"n": i}) for i in range(n)]


def test_each_entry_links_to_the_one_before() -> None:
    first, second = _append(2)
    assert first.seq + 1 == second.seq
    assert second.prev_hash == first.row_hash
    assert AuditHead.objects.get(pk=1).last_hash == second.row_hash


def test_an_untouched_chain_is_intact(capsys: pytest.CaptureFixture[str]) -> None:
    _append(3)
    assert verify_chain().intact
    call_command("verify_audit")
    assert "intact: 3 entries checked" in capsys.readouterr().out


def test_an_entry_needs_an_actor() -> None:
    with pytest.raises(AnonymousAuditError):
        record(Verb.LOGIN)


def test_free_text_is_never_copied_into_audit_data() -> None:
    with pytest.raises(ValueError, match="narrative"):
        record(Verb.CONTACT_RECORDED, system_process="test", data={"narrative": "a case note"})


def test_database_refuses_to_update_an_entry() -> None:
    (event,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb=Verb.LOGIN)


def test_database_refuses_to_delete_an_entry() -> None:
    (event,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def _tamper(sql: str, params: list[object]) -> None:
    """Do what an attacker with database access could: drop the triggers and edit a row."""
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, install=False):
            cursor.execute(statement)
        cursor.execute(sql, params)


def test_a_tampered_entry_is_reported_with_its_number() -> None:
    events = _append(4)
    _tamper("UPDATE audit_auditevent SET data = %s WHERE seq = %s", ['{"n": 99}', events[2].seq])
    report = verify_chain()
    assert not report.intact
    assert report.broken_at == events[2].seq
    with pytest.raises(CommandError, match=f"broken at entry #{events[2].seq}"):
        call_command("verify_audit")


def test_a_deleted_entry_is_reported() -> None:
    events = _append(3)
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    report = verify_chain()
    assert report.broken_at == events[1].seq
