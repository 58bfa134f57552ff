"""Checkpoints of the audit chain, kept outside the database (ADR 0025).

One append-only file, `audit-checkpoints.jsonl`, in SAFEHUB_AUDIT_CHECKPOINT_DIR: a line per
checkpoint with the chain's last entry (seq and hash), the time, where signing began, the id of
the key that signed the line, the previous line's signature, and its own signature. Someone who
can rewrite the database cannot make its chain agree with these lines, and without the key cannot
write a line of their own; a removed line breaks the next line's link to it.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from safehub.audit.chain import Anchor, Problem
from safehub.audit.keys import AuditKey, sign

FILE_NAME = "audit-checkpoints.jsonl"
_TAIL_BYTES = 4096  # a line is about 250 bytes


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    keyed_from: int | None
    key: str
    prev: str
    mac: str = ""

    def signed_text(self) -> str:
        fields = asdict(self)
        del fields["mac"]
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def anchor(self) -> Anchor:
        return Anchor(self.seq, self.hash, self.at, self.keyed_from)


def _parse(text: str) -> Checkpoint | None:
    try:
        fields: Any = json.loads(text)
    except ValueError:
        return None
    if not isinstance(fields, dict) or set(fields) != {"seq", "hash", "at", "keyed_from", "key", "prev", "mac"}:
        return None
    strings = ("hash", "at", "key", "prev", "mac")
    if not all(isinstance(fields[name], str) for name in strings):
        return None
    if type(fields["seq"]) is not int or not (fields["keyed_from"] is None or type(fields["keyed_from"]) is int):
        return None
    return Checkpoint(**fields)


def read(directory: Path, keys: Mapping[str, AuditKey]) -> tuple[list[Anchor], list[Problem]]:
    """The checkpoints in `directory` that are genuine (signed by a key in `keys`), and what is wrong
    with the file: lines that cannot be read, are not signed by the key, or do not follow the line
    before them."""
    path = directory / FILE_NAME
    anchors: list[Anchor] = []
    problems: list[Problem] = []
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        return anchors, problems
    except OSError as error:
        return anchors, [Problem(f"the checkpoints in {path} cannot be read: {error.strerror}")]
    previous_mac = ""
    with handle:
        for number, text in enumerate(handle, start=1):
            checkpoint = _parse(text)
            if checkpoint is None:
                problems.append(Problem(f"checkpoint line {number} in {path} cannot be read"))
                continue
            key = keys.get(checkpoint.key)
            if key is None:
                problems.append(
                    Problem(
                        f"checkpoint line {number} in {path} is signed with key {checkpoint.key}, which this check"
                        " was not given"
                    )
                )
                continue
            if sign(key, checkpoint.signed_text()) != checkpoint.mac:
                problems.append(
                    Problem(f"checkpoint line {number} in {path} is not signed by the audit key: altered or forged")
                )
                continue
            if checkpoint.prev != previous_mac:
                problems.append(
                    Problem(
                        f"checkpoint line {number} in {path} does not follow the line before it: a checkpoint was removed"
                    )
                )
            previous_mac = checkpoint.mac
            anchors.append(checkpoint.anchor())
    return anchors, problems


class CheckpointLog:
    """The checkpoint file, locked against other writers for as long as it is open."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def last(self) -> Checkpoint | None:
        size = os.fstat(self._fd).st_size
        if size == 0:
            return None
        start = max(0, size - _TAIL_BYTES)
        tail = os.pread(self._fd, size - start, start).decode("utf-8", errors="replace")
        lines = [line for line in tail.splitlines() if line.strip()]
        return _parse(lines[-1]) if lines else None

    def append(self, *, seq: int, hash: str, at: str, keyed_from: int | None, key: AuditKey) -> Checkpoint:
        last = self.last()
        unsigned = Checkpoint(seq, hash, at, keyed_from, key.id, last.mac if last else "")
        checkpoint = Checkpoint(**{**asdict(unsigned), "mac": sign(key, unsigned.signed_text())})
        os.write(self._fd, (checkpoint.line() + "\n").encode("utf-8"))
        os.fsync(self._fd)
        return checkpoint


@contextmanager
def opened(directory: Path) -> Iterator[CheckpointLog]:
    """The checkpoint file in `directory` (made if need be), for appending, under an exclusive lock."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(directory / FILE_NAME, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield CheckpointLog(fd)
    finally:
        os.close(fd)
