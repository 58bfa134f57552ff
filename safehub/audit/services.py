"""Writing to the audit trail. Services call `record`; reads are noted by the audited fetches (`reads`);
signing in and out is recorded here too."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from safehub.audit.chain import ChainReport, canonical, link_hash, verify
from safehub.audit.models import AuditEvent, AuditHead, Verb

if TYPE_CHECKING:
    from datetime import datetime

    from safehub.accounts.models import User
    from safehub.contacts.models import Contact
    from safehub.people.models import Person


class AnonymousAuditError(ValueError):
    """Every audit entry needs a user or a named system process."""


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    excluded = settings.AUDIT_EXCLUDED_FIELDS
    leaked = excluded & set(data)
    if leaked:
        raise ValueError(f"Audit data must not contain free-text fields: {sorted(leaked)}")
    # Round-trip through JSON so that what is hashed is exactly what the database returns.
    cleaned: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return cleaned


def record(
    verb: Verb,
    *,
    by: User | None = None,
    system_process: str = "",
    contact: Contact | None = None,
    person: Person | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    contact_id: int | None = None,
    person_id: int | None = None,
) -> AuditEvent:
    """Append one entry to the chain, inside the caller's transaction. A record may be named by
    instance or by id (`contact_id`, `person_id`: a refused read knows only the id)."""
    if by is None and not system_process:
        raise AnonymousAuditError("An audit entry needs `by` or `system_process`.")
    contact_id = contact.pk if contact is not None else contact_id
    person_id = person.pk if person is not None else person_id
    payload = _clean(data or {})
    moment = at or timezone.now()
    # No savepoint of its own: an append that fails fails the caller's transaction with it.
    with transaction.atomic(savepoint=False):
        seq, last_hash = _advance_head()
        body = canonical(
            seq=seq,
            at=moment,
            verb=str(verb),
            by_id=by.pk if by else None,
            system_process=system_process,
            contact_id=contact_id,
            person_id=person_id,
            data=payload,
        )
        row_hash = link_hash(last_hash, body)
        event = AuditEvent.objects.create(
            seq=seq,
            at=moment,
            verb=verb,
            by=by,
            system_process=system_process,
            contact_id=contact_id,
            person_id=person_id,
            data=payload,
            prev_hash=last_hash,
            row_hash=row_hash,
        )
        with connection.cursor() as cursor:
            cursor.execute(SET_LAST_HASH, [row_hash])
    return event


# The head row's two statements, written out: every write in Safehub appends to the chain, and the
# ORM took four statements and most of an append's time to do what these do in two.
ADVANCE_HEAD = 'UPDATE "audit_audithead" SET "seq" = "seq" + 1 WHERE "id" = 1 RETURNING "seq", "last_hash"'
SET_LAST_HASH = 'UPDATE "audit_audithead" SET "last_hash" = %s WHERE "id" = 1'


def _advance_head() -> tuple[int, str]:
    """Move the head on by one and return its new position and the hash to chain to. The UPDATE
    takes the head row's lock (PostgreSQL) or the write lock (SQLite), so concurrent appends queue
    here and the chain cannot fork."""
    with connection.cursor() as cursor:
        cursor.execute(ADVANCE_HEAD)
        row = cursor.fetchone()
    if row is None:
        raise AuditHead.DoesNotExist("The audit head row is missing: run the migrations")
    return int(row[0]), str(row[1])


@transaction.atomic
def record_sign_in(user: User) -> None:
    record(Verb.LOGIN, by=user, at=timezone.now())


@transaction.atomic
def record_failed_sign_in(username: str) -> None:
    # The username typed is kept (it may not exist); never the password.
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": username[:150]})


@transaction.atomic
def record_sign_out(user: User) -> None:
    record(Verb.LOGOUT, by=user)


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    head = AuditHead.objects.get(pk=1)
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    return verify(rows, head_seq=head.seq, head_hash=head.last_hash)
