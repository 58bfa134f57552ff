"""Due times: one place that turns a step, a rating and a start time into a deadline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cached_property

from safehub.core.errors import DomainError
from safehub.core.working_time import ClockUnit, due_at
from safehub.protocols.models import Clock, LocalProtocol, Timescale


def active_protocol() -> LocalProtocol:
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    if protocol is None:
        raise DomainError("No local protocol is active. An administrator must choose one.")
    return protocol


class Deadlines:
    """A protocol's timescales held in memory, for computing many due times at once (or only some of
    them, `timescales`, when the caller read just those)."""

    def __init__(self, protocol: LocalProtocol, *, timescales: Iterable[Timescale] | None = None) -> None:
        self.protocol = protocol
        every = list(protocol.timescales.all() if timescales is None else timescales)
        self.timescales: dict[tuple[str, str], Timescale] = {(t.clock, t.rating): t for t in every if not t.agency}
        self.by_agency: dict[tuple[str, str, str], Timescale] = {
            (t.clock, t.rating, t.agency): t for t in every if t.agency
        }
        self.hours = protocol.working_hours

    @cached_property
    def holidays(self) -> frozenset[date]:
        """The protocol's own closure days, read when a clock first counts working time."""
        return self.protocol.extra_holidays()

    def _due(self, timescale: Timescale, start: datetime) -> datetime:
        unit = ClockUnit(timescale.unit)
        holidays = frozenset() if unit is ClockUnit.ELAPSED_HOURS else self.holidays
        return due_at(start, float(timescale.amount), unit, hours=self.hours, extra_holidays=holidays)

    def timescale(self, clock: Clock, rating: str = "") -> Timescale | None:
        return self.timescales.get((clock, rating)) or self.timescales.get((clock, ""))

    def due(self, clock: Clock, *, start: datetime, rating: str = "") -> datetime | None:
        """When `clock`, started at `start`, is due; None if the protocol sets no time for it."""
        timescale = self.timescale(clock, rating)
        if timescale is None:
            return None
        return self._due(timescale, start)

    def request_due(self, *, start: datetime, rating: str = "", agency: str = "") -> datetime | None:
        """When a MASH check request to `agency` is due: the strictest rule that applies to it.

        A rule for the rating (Bexley red: 4 hours), for the agency (Walsall health: 1 hour) or for
        both may apply alongside the default; the earliest due time wins.
        """
        clock = Clock.MASH_CHECKS
        rules = [
            self.timescales.get((clock, rating)),
            self.timescales.get((clock, "")),
            self.by_agency.get((clock, rating, agency)),
            self.by_agency.get((clock, "", agency)),
        ]
        times = [self._due(t, start) for t in rules if t is not None]
        return min(times) if times else None


def due_time(
    clock: Clock, *, start: datetime, rating: str = "", protocol: LocalProtocol | None = None
) -> datetime | None:
    """When `clock` started at `start` is due under the (active) protocol, or None if it sets no time.
    Every service that moves a contact on asks this, so it reads only the clock's timescales with the
    active protocol joined in, and the protocol's own holidays only for a clock that counts working
    time (one query or two, where loading the whole protocol took three and made every timescale)."""
    if protocol is not None:
        return Deadlines(protocol).due(clock, start=start, rating=rating)
    timescales = list(
        Timescale.objects.filter(protocol__is_active=True, clock=clock).select_related("protocol").order_by()
    )
    active = timescales[0].protocol if timescales else active_protocol()
    return Deadlines(active, timescales=timescales).due(clock, start=start, rating=rating)
