"""Writing to the audit trail. Services call `record`; reads are noted by the audited fetches (`reads`);
signing in and out is recorded here too. The trail is signed with the audit key and anchored by
checkpoints outside the database (`checkpoint_chain`); `verify_chain` checks both (ADR 0025)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from safehub.audit import checkpoints, triggers
from safehub.audit.chain import ChainReport, Problem, canonical, link_hash, verify
from safehub.audit.checkpoints import Checkpoint
from safehub.audit.keys import keyring, signing_key
from safehub.audit.models import AuditEvent, AuditHead, Verb

if TYPE_CHECKING:
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
    key = signing_key()
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
            key_id=key.id,
        )
        row_hash = link_hash(last_hash, body, key)
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
            key_id=key.id,
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
def record_password_accepted(user: User) -> None:
    """The first step of signing in: the password was right. Signed in is the second step's (mfa)."""
    record(Verb.PASSWORD_ACCEPTED, by=user, at=timezone.now())


@transaction.atomic
def record_sign_in(user: User) -> None:
    """Signed in: both steps passed. The user's "last signed in" is this moment too."""
    at = timezone.now()
    user.__class__._default_manager.filter(pk=user.pk).update(last_login=at)  # a request.user is a lazy proxy
    user.last_login = at
    record(Verb.LOGIN, by=user, at=at)


@transaction.atomic
def record_failed_sign_in(username: str) -> None:
    # The username typed is kept (it may not exist); never the password.
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": username[:150]})


@transaction.atomic
def record_sign_out(user: User) -> None:
    record(Verb.LOGOUT, by=user)


def verify_chain(*, batch_size: int = 2000, checkpoint_dir: Path | None = None) -> ChainReport:
    """Walk the chain with every key this process holds, against the checkpoints in `checkpoint_dir`
    (SAFEHUB_AUDIT_CHECKPOINT_DIR by default), and check that the append-only triggers are there."""
    keys = keyring()
    directory = checkpoint_dir or settings.AUDIT_CHECKPOINT_DIR
    anchors, problems = checkpoints.read(directory, keys) if directory else ([], [])
    # Entries appended while the check runs are not its business: it walks the chain up to the head as
    # it was at the start. An entry beyond the head as it is at the end was added around the service
    # (an append moves the head in the same transaction).
    head = _head()
    rows = AuditEvent.objects.filter(seq__lte=head.seq).order_by("seq").iterator(chunk_size=batch_size)
    report = verify(rows, head_seq=head.seq, head_hash=head.last_hash, keys=keys, anchors=anchors)
    head_now = AuditHead.objects.values_list("seq", flat=True).get(pk=1)
    beyond = AuditEvent.objects.filter(seq__gt=head_now).order_by("seq").values_list("seq", flat=True).first()
    if beyond is not None:
        problems.append(
            Problem(f"the entry is beyond the head (#{head_now}): it was added around the audit service", beyond)
        )
    gone = triggers.missing(connection)
    if gone:
        problems.append(Problem(f"triggers missing: {', '.join(gone)} (the audit table is not append-only)"))
    if not problems:
        return report
    return ChainReport(
        report.checked, (*report.problems, *problems), report.keyed_from, report.checkpoints, report.latest_checkpoint
    )


def _head() -> AuditHead:
    return AuditHead.objects.get(pk=1)


@dataclass(frozen=True)
class CheckpointResult:
    written: Checkpoint | None
    note: str
    warning: bool = False


def checkpoint_chain(*, at: datetime | None = None, checkpoint_dir: Path | None = None) -> CheckpointResult:
    """Write where the chain ends to the checkpoint file outside the database, unless the last
    checkpoint already says so. A chain that ends before or differs from the last checkpoint is not
    checkpointed again: that is for `verify-audit` to report and a person to look at."""
    directory = checkpoint_dir or settings.AUDIT_CHECKPOINT_DIR
    if directory is None:
        raise ImproperlyConfigured("Set SAFEHUB_AUDIT_CHECKPOINT_DIR to the directory the audit checkpoints go in.")
    key = signing_key()
    moment = (at or timezone.now()).astimezone(UTC)
    with checkpoints.opened(directory) as log:
        # Read the chain under the file's lock, so that checkpoints are written in the chain's order.
        end = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash").first()
        if end is None:
            return CheckpointResult(None, "the audit trail is empty: nothing to checkpoint")
        seq, row_hash = end
        last = log.last()
        if last is not None and (last.seq, last.hash) == (seq, row_hash):
            return CheckpointResult(None, f"already checkpointed at #{seq}")
        if last is not None and seq <= last.seq:
            return CheckpointResult(
                None,
                f"not checkpointed: the chain ends at #{seq}, which is not after the last checkpoint (#{last.seq}):"
                " run verify-audit",
                warning=True,
            )
        keyed_from = last.keyed_from if last is not None and last.keyed_from is not None else _first_signed()
        written = log.append(
            seq=seq, hash=row_hash, at=moment.isoformat(timespec="seconds"), keyed_from=keyed_from, key=key
        )
    return CheckpointResult(written, f"checkpointed at #{seq}")


def _first_signed() -> int | None:
    return AuditEvent.objects.filter(key_id__isnull=False).order_by("seq").values_list("seq", flat=True).first()
