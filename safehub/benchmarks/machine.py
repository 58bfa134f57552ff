"""How fast this machine runs Python, and how much CPU a set of processes has used: the figures
printed beside every benchmark result, so that runs on different machines can be compared."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

LOOP_STEPS = 1_000_000
PROC = Path("/proc")


def _loop(steps: int) -> int:
    """A fixed CPU-bound loop of plain Python (integer arithmetic), like a page's template work."""
    total = 0
    for step in range(steps):
        total = (total + step * step) % 1_000_003
    return total


def speed(*, repeats: int = 5, steps: int = LOOP_STEPS) -> float:
    """Millions of `_loop` steps a second, from the fastest of `repeats` runs (the least disturbed
    by other work on the machine)."""
    fastest = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        _loop(steps)
        fastest = min(fastest, time.perf_counter() - began)
    return steps / fastest / 1e6


@dataclass(frozen=True)
class ProcessStat:
    pid: int
    parent: int
    cpu_ticks: int  # user + system time, in clock ticks


def parse_stat(text: str) -> ProcessStat:
    """One /proc/<pid>/stat line. The command name (field 2) is in brackets and may hold spaces
    or brackets itself, so the fields are counted from the last closing bracket."""
    pid = int(text.split(" ", 1)[0])
    fields = text[text.rindex(")") + 2 :].split()
    # After the name: state (3), ppid (4) … utime (14), stime (15).
    return ProcessStat(pid=pid, parent=int(fields[1]), cpu_ticks=int(fields[11]) + int(fields[12]))


def _stats() -> list[ProcessStat]:
    stats = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stats.append(parse_stat((entry / "stat").read_text()))
        except (OSError, ValueError, IndexError):  # the process ended while we looked
            continue
    return stats


def tree_cpu_seconds(root: int, stats: list[ProcessStat] | None = None) -> float:
    """CPU seconds used so far by process `root` and every process below it (a gunicorn master and
    its workers). Workers that have already exited are not counted."""
    every = _stats() if stats is None else stats
    children: dict[int, list[ProcessStat]] = {}
    by_pid = {}
    for stat in every:
        children.setdefault(stat.parent, []).append(stat)
        by_pid[stat.pid] = stat
    ticks = 0
    todo = [by_pid[root]] if root in by_pid else []
    while todo:
        stat = todo.pop()
        ticks += stat.cpu_ticks
        todo.extend(children.get(stat.pid, []))
    return ticks / os.sysconf("SC_CLK_TCK")


def cores() -> int:
    return len(os.sched_getaffinity(0))
