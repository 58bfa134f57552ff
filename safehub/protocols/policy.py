"""Due times: one place that turns a step, a rating and a start time into a deadline.

Each clock counts from its own start (ADR 0004, ADR 0017): screening and the threshold
recommendation from the contact's receipt, the approval from the recommendation, the outcome to
the referrer from the approved decision. The overall decision clock (Clock.DECISION) counts from
receipt to the approved decision and is shared by the recommendation and the approval: each is
due by the earlier of its own clock and the overall one, so a seed's "24 hours to a clear
decision" (000) is 24 hours from receipt, never 24 hours and then 24 more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cached_property

from safehub.core.errors import DomainError
from safehub.core.working_time import ClockUnit, due_at
from safehub.protocols.models import Clock, LocalProtocol, Timescale, default_approver_roles


def approver_roles() -> frozenset[str]:
    """The roles the active protocol lets approve a threshold recommendation (a team manager, 004
    §5, §7; Bexley's senior practitioners too, 002 roles table); a team manager when no protocol is
    active, as before the setting existed."""
    roles = LocalProtocol.objects.filter(is_active=True).values_list("approver_roles", flat=True).first()
    return frozenset(roles) if roles is not None else frozenset(default_approver_roles())


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

    def threshold_due(self, *, received_at: datetime, rating: str = "") -> datetime | None:
        """When the recommendation is due: its own clock from receipt, or the overall decision
        clock from receipt if that is sooner (Bexley 002 §9–10, Birmingham 000, Walsall 004 §6)."""
        return _earliest(
            self.due(Clock.THRESHOLD_DECISION, start=received_at, rating=rating),
            self.due(Clock.DECISION, start=received_at, rating=rating),
        )

    def approval_due(self, *, received_at: datetime, recommended_at: datetime, rating: str = "") -> datetime | None:
        """When the approval is due: its own clock from the recommendation, or the overall decision
        clock from receipt if that is sooner. The overall clock is the same one the recommendation
        had: time the recommendation took counts against it."""
        return _earliest(
            self.due(Clock.APPROVAL, start=recommended_at, rating=rating),
            self.due(Clock.DECISION, start=received_at, rating=rating),
        )

    def phone_prompt(self, *, sent_at: datetime, due_at: datetime, agency: str, rating: str = "") -> Timescale | None:
        """The protocol's telephone prompt when a request to an agency of kind `agency`, sent at
        `sent_at` and to be answered by `due_at`, is needed sooner than the prompt's time (Sefton
        003 §2.6: GP surgeries are telephoned too when information is required within less than 24
        working hours); None when it is not. A prompt for the agency's kind wins over one for any."""
        clock = Clock.PHONE_AGENCY
        prompt = (
            self.by_agency.get((clock, rating, agency))
            or self.by_agency.get((clock, "", agency))
            or self.timescales.get((clock, rating))
            or self.timescales.get((clock, ""))
        )
        return prompt if prompt is not None and due_at < self._due(prompt, sent_at) else None

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


def _earliest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None


def _deadlines(clocks: Iterable[Clock], protocol: LocalProtocol | None) -> Deadlines:
    """The protocol's (or the active protocol's) timescales for `clocks` alone. Every service that
    moves a contact on asks for a due time, so this reads only those timescales with the active
    protocol joined in, and the protocol's own holidays only for a clock that counts working time
    (one query or two, where loading the whole protocol took three and made every timescale)."""
    if protocol is not None:
        return Deadlines(protocol)
    timescales = list(
        Timescale.objects.filter(protocol__is_active=True, clock__in=list(clocks)).select_related("protocol").order_by()
    )
    active = timescales[0].protocol if timescales else active_protocol()
    return Deadlines(active, timescales=timescales)


def deadlines_for(*clocks: Clock) -> Deadlines:
    """The active protocol's timescales for `clocks` alone, to compute several due times from."""
    return _deadlines(clocks, None)


def due_time(
    clock: Clock, *, start: datetime, rating: str = "", protocol: LocalProtocol | None = None
) -> datetime | None:
    """When `clock` started at `start` is due under the (active) protocol, or None if it sets no time."""
    return _deadlines([clock], protocol).due(clock, start=start, rating=rating)


def telephone_prompts() -> Deadlines | None:
    """The active protocol's telephone prompts alone (Deadlines.phone_prompt), from one query; None
    when it has none, or no protocol is active (a page that shows requests still shows them)."""
    prompts = list(
        Timescale.objects.filter(protocol__is_active=True, clock=Clock.PHONE_AGENCY).select_related("protocol")
    )
    return Deadlines(prompts[0].protocol, timescales=prompts) if prompts else None


def threshold_due_time(
    *, received_at: datetime, rating: str = "", protocol: LocalProtocol | None = None
) -> datetime | None:
    """When a contact received at `received_at` needs its recommendation (Deadlines.threshold_due)."""
    deadlines = _deadlines([Clock.THRESHOLD_DECISION, Clock.DECISION], protocol)
    return deadlines.threshold_due(received_at=received_at, rating=rating)


def approval_due_time(
    *, received_at: datetime, recommended_at: datetime, rating: str = "", protocol: LocalProtocol | None = None
) -> datetime | None:
    """When a recommendation made at `recommended_at` on a contact received at `received_at` needs
    its approval (Deadlines.approval_due)."""
    deadlines = _deadlines([Clock.APPROVAL, Clock.DECISION], protocol)
    return deadlines.approval_due(received_at=received_at, recommended_at=recommended_at, rating=rating)
