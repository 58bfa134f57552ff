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

from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import BigIntegerField, Func

from safehub.protocols.models import Clock
from safehub.protocols.policy import Deadlines
from safehub.reports.measures.tiles import Figure, Rate, Row, Table, Tile, rate_lines, rate_of, share
from safehub.reports.periods import Period

HOUR = timedelta(hours=1)
HOUR_MS = 3_600_000
STEP_MS = 15 * 60_000  # the bounds' step: a quarter of an hour
# Due times at the steps' starts, kept between requests for each clock (the timescale, working hours and
# closure days it was worked out from are its key, so a changed protocol is a new clock): the past's due
# times do not change, and a year has thirty-five thousand quarter hours.
_SHARED: dict[Hashable, dict[tuple[int, ...], int | None]] = {}
SHARED_LIMIT = 250_000


class EpochMs(Func):
    """A time as whole milliseconds since 1970 (UTC), as the database works it out: a number is read
    back a hundred thousand times faster than a time with its zone."""

    output_field = BigIntegerField()
    template = "CAST(ROUND(EXTRACT(EPOCH FROM %(expressions)s) * 1000) AS BIGINT)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400000.0) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


def ms(at: datetime) -> int:
    return round(at.timestamp() * 1000)


def from_ms(number: int) -> datetime:
    """A time in milliseconds since 1970 (EpochMs) as a time in UTC."""
    return datetime.fromtimestamp(number / 1000, UTC)


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


class InTime:
    """`due(*starts)` is a clock that is monotone in each start; `done_in_time(done, *starts)` says
    whether `done` was by it (None when the protocol sets it no time)."""

    def __init__(self, due: Callable[..., datetime | None], *, key: Hashable = None) -> None:
        """`key` names the clock exactly (what its due times are worked out from), for its due times at
        each step to be kept between requests; without one they are kept for this one only."""
        self._due = due
        self._known: dict[tuple[datetime, ...], datetime | None] = {}
        if key is not None and sum(len(known) for known in _SHARED.values()) > SHARED_LIMIT:
            _SHARED.clear()
        self._known_ms: dict[tuple[int, ...], int | None] = {} if key is None else _SHARED.setdefault(key, {})
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

    def done_in_time_ms(self, done: int, *starts: int) -> bool | None:
        """The same, for times in milliseconds since 1970 (EpochMs), bounded by quarter hours."""
        steps = tuple(start - start % STEP_MS for start in starts)
        earliest = self.due_ms(*steps)
        if earliest is None:
            return None
        if done <= earliest:
            return True
        latest = self.due_ms(*(step + STEP_MS for step in steps))
        if latest is not None and done > latest:
            return False
        self.exact += 1
        own = self._due(*(from_ms(start) for start in starts))
        return None if own is None else done <= ms(own)

    def due_ms(self, *steps: int) -> int | None:
        if steps not in self._known_ms:
            due = self._due(*(from_ms(step) for step in steps))
            self._known_ms[steps] = None if due is None else ms(due)
        return self._known_ms[steps]


def clock_key(deadlines: Deadlines, clocks: list[tuple[Clock, str]]) -> Hashable:
    """What the due times of `clocks` (each a clock at a rating) are worked out from: each one's
    timescale (the rating's, or any rating's), the working day and the closure days."""
    timescales = []
    for clock, rating in clocks:
        timescale = deadlines.timescale(clock, rating)
        timescales.append((clock, rating, None if timescale is None else (timescale.amount, timescale.unit)))
    hours = deadlines.hours
    return (tuple(timescales), hours.start, hours.end, deadlines.holidays)


TIMELINESS = ["in_time", "late", "overdue"]  # each step's contacts: done in time, done late, not done and overdue


def known(counts: dict[str, int]) -> Rate:
    """The share done in time, of those whose timeliness is known."""
    return rate_of(counts["in_time"], counts["in_time"] + counts["late"] + counts["overdue"])


def timeliness_tile(
    period: Period, days: dict[date, dict[str, int]], *, slug: str, heading: str, counted: tuple[str, str],
    done: str, nothing: str, caption: str, columns: tuple[str, str, str], chart: str, described: str, note: str,
) -> Tile:  # fmt: skip
    """A step's tile: per bucket, done in time, late, not done and overdue, and the rate in time. Its
    summary: '9 of 20 `counted` (45%) were `done`.', or `nothing` when none was due; `described` is
    formatted with `grain` and `rate` (the period's Rate)."""
    total = {name: sum(c[name] for c in days.values()) for name in TIMELINESS}
    overall = known(total)
    rates = [(period.bucket_label(day), known(c)) for day, c in days.items()]
    return Tile(
        slug=slug,
        heading=heading,
        summary=f"{share(overall, *counted)} {done}." if overall.whole else nothing,
        figures=(
            Figure(
                Table(
                    "by-period",
                    caption.format(grain=period.grain_noun.lower()),
                    (period.grain_noun, *columns, "In time"),
                    tuple(
                        Row(period.bucket_label(day), (c["in_time"], c["late"], c["overdue"], known(c)))
                        for day, c in days.items()
                    ),
                ),
                rate_lines(
                    chart,
                    described.format(grain=period.grain_noun.lower(), rate=overall),
                    [label for label, _ in rates],
                    [(columns[0], [rate for _, rate in rates])],
                ),
            ),
        ),
        notes=(note,),
    )
