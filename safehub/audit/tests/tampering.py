"""What an attacker with write access to the database (but not the audit key, nor the checkpoint
directory) can do to the audit table, as plain SQL. Tests only: run on the test database, the copy."""

from __future__ import annotations

from django.db import connection

from safehub.audit.chain import canonical, link_hash, stored_body
from safehub.audit.keys import AuditKey
from safehub.audit.models import AuditEvent
from safehub.audit.triggers import statements

UNKEYED = None


def drop_triggers() -> None:
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, install=False):
            cursor.execute(statement)


def execute(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def relink(from_seq: int, *, key: AuditKey | None, key_id: str | None = None) -> None:
    """Recompute every entry from `from_seq` on so that each links to the one before: with no key (as
    before the chain was keyed), or with a key of the attacker's own. `key_id` is what the rewritten
    entries claim to be signed with (the key's own id unless given)."""
    claimed = key_id if key_id is not None else (key.id if key else None)
    previous = AuditEvent.objects.filter(seq__lt=from_seq).order_by("-seq").values_list("row_hash", flat=True).first()
    prev_hash = previous or "0" * 64
    for row in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq"):
        body = stored_body(row, key_id=claimed)
        row_hash = link_hash(prev_hash, body, key)
        execute(
            "UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s, key_id = %s WHERE id = %s",
            [prev_hash, row_hash, claimed, row.pk],
        )
        prev_hash = row_hash
    rewind_head()


def renumber() -> None:
    """Close the gaps that deleted entries left, as if they had never been written."""
    for number, pk in enumerate(AuditEvent.objects.order_by("seq").values_list("pk", flat=True), start=1):
        execute("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [number, pk])


def rewind_head() -> None:
    """Make the head agree with what is left of the chain."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash").first() or (0, "0" * 64)
    execute("UPDATE audit_audithead SET seq = %s, last_hash = %s WHERE id = 1", list(last))


def append_forged(*, by_id: int, key: AuditKey | None, key_id: str | None) -> int:
    """Add an entry after the last, linked to it and hashed as well as the attacker can (no trigger
    stops an INSERT), and move the head on to it. Returns its seq."""
    last = AuditEvent.objects.order_by("-seq").get(seq=AuditEvent.objects.count())
    seq = last.seq + 1
    body = canonical(
        seq=seq,
        at=last.at,
        verb="contact_viewed",
        by_id=by_id,
        system_process="",
        contact_id=None,
        person_id=None,
        data={},
        key_id=key_id,
    )
    execute(
        "INSERT INTO audit_auditevent (seq, at, verb, by_id, system_process, data, prev_hash, row_hash, key_id)"
        " VALUES (%s, %s, %s, %s, '', %s, %s, %s, %s)",
        [seq, last.at, "contact_viewed", by_id, "{}", last.row_hash, link_hash(last.row_hash, body, key), key_id],
    )
    rewind_head()
    return seq


def restore_triggers() -> None:
    """Put the triggers back after the edit, so that only the chain can tell."""
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, install=True):
            cursor.execute(statement)
