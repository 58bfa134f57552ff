"""The hash chain: how a row is made canonical and how the chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


def canonical(
    *,
    seq: int,
    at: datetime,
    verb: str,
    by_id: int | None,
    system_process: str,
    contact_id: int | None,
    person_id: int | None,
    data: dict[str, Any],
) -> str:
    body = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "verb": verb,
        "by": by_id,
        "system_process": system_process,
        "contact": contact_id,
        "person": person_id,
        "data": data,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def link_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(rows: Iterable[Any], *, head_seq: int, head_hash: str) -> ChainReport:
    """Walk rows in seq order; report the first row whose link does not hold."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for row in rows:
        if row.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"entry #{expected_seq} is missing (the next is #{row.seq})")
        if row.prev_hash != expected_prev:
            return ChainReport(checked, row.seq, "the link to the previous entry does not match")
        body = canonical(
            seq=row.seq,
            at=row.at,
            verb=row.verb,
            by_id=row.by_id,
            system_process=row.system_process,
            contact_id=row.contact_id,
            person_id=row.person_id,
            data=json.loads(json.dumps(row.data, cls=DjangoJSONEncoder)),
        )
        if link_hash(row.prev_hash, body) != row.row_hash:
            return ChainReport(checked, row.seq, "the entry's contents do not match its hash")
        expected_prev = row.row_hash
        expected_seq += 1
        checked += 1
    if checked != head_seq or expected_prev != head_hash:
        return ChainReport(checked, checked + 1, f"the chain ends at #{checked} but the head says #{head_seq}")
    return ChainReport(checked)
