"""Whether each thing was done by its due time, where the due time is the active protocol's clock
(protocols.policy.Deadlines, core.working_time): the same clock the queues set due times by, never a
copy of its working hours.

A year holds a hundred thousand contacts, and working out each one's due time takes the clock code tens
of microseconds. So `InTime` asks the clock for the due times at the start and end of the hour (UTC) each
thing started in, remembered for every thing started in that hour: every clock is monotone (a later
start is never due sooner, in working hours, working days or elapsed hours), so something done by the due
time of its hour's start was done in time, and something done after the due time of its hour's end was
late. Only what was done between the two, near its due time, has its own due time worked out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

HOUR = timedelta(hours=1)


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


class InTime:
    """`due(*starts)` is a clock that is monotone in each start; `done_in_time(done, *starts)` says
    whether `done` was by it (None when the protocol sets it no time)."""

    def __init__(self, due: Callable[..., datetime | None]) -> None:
        self._due = due
        self._known: dict[tuple[datetime, ...], datetime | None] = {}
        self.exact = 0  # how many due times were worked out for one thing alone (for tests and timing)

    def due(self, *starts: datetime) -> datetime | None:
        if starts not in self._known:
            self._known[starts] = self._due(*starts)
        return self._known[starts]

    def done_in_time(self, done: datetime, *starts: datetime) -> bool | None:
        hours = tuple(_hour(start) for start in starts)
        earliest = self.due(*hours)
        if earliest is None:
            return None
        if done <= earliest:
            return True
        latest = self.due(*(hour + HOUR for hour in hours))
        if latest is not None and done > latest:
            return False
        self.exact += 1
        own = self._due(*starts)
        return None if own is None else done <= own
