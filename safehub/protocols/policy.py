"""Due times: one place that turns a step, a rating and a start time into a deadline."""

from __future__ import annotations

from datetime import datetime

from safehub.core.errors import DomainError
from safehub.core.working_time import ClockUnit, due_at
from safehub.protocols.models import Clock, LocalProtocol, Timescale


def active_protocol() -> LocalProtocol:
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    if protocol is None:
        raise DomainError("No local protocol is active. An administrator must choose one.")
    return protocol


class Deadlines:
    """A protocol's timescales held in memory, for computing many due times at once."""

    def __init__(self, protocol: LocalProtocol) -> None:
        self.protocol = protocol
        self.timescales: dict[tuple[str, str], Timescale] = {(t.clock, t.rating): t for t in protocol.timescales.all()}
        self.hours = protocol.working_hours
        self.holidays = protocol.extra_holidays()

    def timescale(self, clock: Clock, rating: str = "") -> Timescale | None:
        return self.timescales.get((clock, rating)) or self.timescales.get((clock, ""))

    def due(self, clock: Clock, *, start: datetime, rating: str = "") -> datetime | None:
        """When `clock`, started at `start`, is due; None if the protocol sets no time for it."""
        timescale = self.timescale(clock, rating)
        if timescale is None:
            return None
        return due_at(
            start, float(timescale.amount), ClockUnit(timescale.unit), hours=self.hours, extra_holidays=self.holidays
        )


def timescale_for(protocol: LocalProtocol, clock: Clock, rating: str = "") -> Timescale | None:
    return Deadlines(protocol).timescale(clock, rating)


def due_time(
    clock: Clock, *, start: datetime, rating: str = "", protocol: LocalProtocol | None = None
) -> datetime | None:
    """When `clock` started at `start` is due under the (active) protocol, or None if it sets no time."""
    return Deadlines(protocol or active_protocol()).due(clock, start=start, rating=rating)
