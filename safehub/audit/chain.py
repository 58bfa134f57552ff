"""The chain: how a row is made canonical, how it is signed, and how the chain is checked against its
checkpoints (ADR 0003, keyed and anchored by ADR 0025).

An entry written with a key carries the key's id and `row_hash = HMAC-SHA-256(key, prev_hash || body)`,
where the body names the key too. Entries written before the chain was keyed have no key id and
`row_hash = SHA-256(prev_hash || body)`; they still verify, but once one entry is signed every later
one must be, and a checkpoint pins where signing began.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from safehub.audit.keys import AuditKey, sign

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
    key_id: str | None = None,
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
    if key_id is not None:
        body["key"] = key_id
    return json.dumps(body, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def stored_body(row: Any, *, key_id: str | None) -> str:
    """The canonical body of an entry as stored (its data read back as the database gives it), signed
    as `key_id`'s: what its hash must cover."""
    return canonical(
        seq=row.seq,
        at=row.at,
        verb=row.verb,
        by_id=row.by_id,
        system_process=row.system_process,
        contact_id=row.contact_id,
        person_id=row.person_id,
        data=json.loads(json.dumps(row.data, cls=DjangoJSONEncoder)),
        key_id=key_id,
    )


def link_hash(prev_hash: str, body: str, key: AuditKey | None = None) -> str:
    """The entry's hash: keyed (HMAC-SHA-256) when a key is given, plain SHA-256 for entries written
    before the chain was keyed."""
    if key is None:
        return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()
    return sign(key, prev_hash + body)


@dataclass(frozen=True)
class Anchor:
    """A checkpoint as the check uses it: the chain was at `seq`, ending in `hash`, at `at`."""

    seq: int
    hash: str
    at: str
    keyed_from: int | None = None


@dataclass(frozen=True)
class Problem:
    reason: str
    seq: int | None = None  # the first bad entry, where the problem is with an entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: tuple[Problem, ...] = ()
    keyed_from: int | None = None
    checkpoints: int = 0
    latest_checkpoint: Anchor | None = None

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        """The problem with the lowest-numbered entry; one about no entry (triggers, checkpoint
        files) only if there is none about an entry."""
        with_entry = [problem for problem in self.problems if problem.seq is not None]
        if with_entry:
            return min(with_entry, key=lambda problem: problem.seq or 0)
        return self.problems[0] if self.problems else None

    @property
    def broken_at(self) -> int | None:
        first = self.first_problem
        return first.seq if first else None

    @property
    def reason(self) -> str:
        first = self.first_problem
        return first.reason if first else ""


class _Walk:
    """The state of one pass along the chain."""

    def __init__(self, keys: Mapping[str, AuditKey], anchors: Sequence[Anchor]) -> None:
        self.keys = keys
        self.anchors: dict[int, list[Anchor]] = defaultdict(list)
        for anchor in anchors:
            self.anchors[anchor.seq].append(anchor)
        pinned = [anchor for anchor in anchors if anchor.keyed_from is not None]
        self.pinned = min(pinned, key=lambda anchor: anchor.keyed_from or 0) if pinned else None
        self.expected_prev = GENESIS
        self.expected_seq = 1
        self.checked = 0
        self.keyed_from: int | None = None
        self.last_anchored = 0

    def check(self, row: Any) -> Problem | None:
        if row.seq != self.expected_seq:
            return Problem(f"entry #{self.expected_seq} is missing (the next is #{row.seq})", self.expected_seq)
        if row.prev_hash != self.expected_prev:
            return Problem("the link to the previous entry does not match", row.seq)
        key_id = row.key_id or None
        key = None
        if key_id is None:
            if self.keyed_from is not None:
                return Problem(f"the entry is not signed, though the chain is signed from #{self.keyed_from}", row.seq)
            if self.pinned is not None and self.pinned.keyed_from is not None and row.seq >= self.pinned.keyed_from:
                return Problem(
                    f"the entry is not signed, though the checkpoint of {self.pinned.at} records the chain"
                    f" signed from #{self.pinned.keyed_from}",
                    row.seq,
                )
        else:
            key = self.keys.get(key_id)
            if key is None:
                return Problem(
                    f"the entry is signed with key {key_id}, which this check was not given (a forged entry,"
                    " or a key missing from SAFEHUB_AUDIT_KEY_FILE)",
                    row.seq,
                )
        body = stored_body(row, key_id=key_id)
        if link_hash(row.prev_hash, body, key) != row.row_hash:
            if key is None:
                return Problem("the entry's contents do not match its hash", row.seq)
            return Problem(
                "the entry does not match its signature: it was altered, or written without the audit key", row.seq
            )
        for anchor in self.anchors.get(row.seq, ()):
            if anchor.hash != row.row_hash:
                return Problem(
                    f"the entry is not the one checkpointed at {anchor.at}: an entry after #{self.last_anchored}"
                    " was rewritten",
                    row.seq,
                )
        if row.seq in self.anchors:
            self.last_anchored = row.seq
        if key is not None and self.keyed_from is None:
            self.keyed_from = row.seq
        self.expected_prev = row.row_hash
        self.expected_seq += 1
        self.checked += 1
        return None


def verify(
    rows: Iterable[Any],
    *,
    head_seq: int,
    head_hash: str,
    keys: Mapping[str, AuditKey] | None = None,
    anchors: Sequence[Anchor] = (),
) -> ChainReport:
    """Walk rows in seq order against the head and the checkpoints (`anchors`); report the first
    entry that does not hold, and any checkpoint the chain falls short of."""
    walk = _Walk(keys or {}, anchors)
    problems: list[Problem] = []
    for row in rows:
        problem = walk.check(row)
        if problem is not None:
            problems.append(problem)
            break
    else:
        problems.extend(_ends(walk, head_seq=head_seq, head_hash=head_hash, anchors=anchors))
    latest = max(anchors, key=lambda anchor: anchor.seq) if anchors else None
    return ChainReport(walk.checked, tuple(problems), walk.keyed_from, len(anchors), latest)


def _ends(walk: _Walk, *, head_seq: int, head_hash: str, anchors: Sequence[Anchor]) -> list[Problem]:
    """What is wrong with where an otherwise sound chain ends: against its head and its checkpoints."""
    problems = []
    end = walk.checked
    if head_seq < end:
        problems.append(
            Problem(f"the head says the chain ends at #{head_seq}: entries after it were added around it", head_seq + 1)
        )
    elif head_seq > end:
        problems.append(Problem(f"the chain ends at #{end} but the head says #{head_seq}", end + 1))
    elif head_hash != walk.expected_prev:
        problems.append(Problem("the head's hash is not the last entry's", end))
    beyond = [anchor for anchor in anchors if anchor.seq > end]
    if beyond:
        latest = max(beyond, key=lambda anchor: anchor.seq)
        problems.append(
            Problem(
                f"entries #{end + 1} to #{latest.seq} are missing: the checkpoint of {latest.at} recorded"
                f" the chain at #{latest.seq}",
                end + 1,
            )
        )
    return problems
