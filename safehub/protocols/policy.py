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


def timescale_for(protocol: LocalProtocol, clock: Clock, rating: str = "") -> Timescale | None:
    rows = {t.rating: t for t in protocol.timescales.filter(clock=clock)}
    return rows.get(rating) or rows.get("")


def due_time(
    clock: Clock, *, start: datetime, rating: str = "", protocol: LocalProtocol | None = None
) -> datetime | None:
    """When `clock` started at `start` is due under the protocol, or None if it sets no time."""
    protocol = protocol or active_protocol()
    timescale = timescale_for(protocol, clock, rating)
    if timescale is None:
        return None
    return due_at(
        start,
        float(timescale.amount),
        ClockUnit(timescale.unit),
        hours=protocol.working_hours,
        extra_holidays=protocol.extra_holidays(),
    )
