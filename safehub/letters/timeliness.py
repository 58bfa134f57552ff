"""When each message was due, and whether it went in time: issue 15's "acknowledgement on time;
referrer told within the protocol's window; family letters sent or withheld with a reason;
consultation summaries within 48 hours", and Sefton's GP practices told the outcome within three working
days (003 §2.6). The contact's timeline and the telling-people report read
the same answers from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from safehub.core.working_time import LONDON, ClockUnit, due_at, is_working_day
from safehub.protocols.models import Clock
from safehub.protocols.policy import Deadlines

# Issue 15: "Acknowledge every professional referrer within one working day of the contact."
ACKNOWLEDGE_WITHIN_WORKING_DAYS = 1
# Sefton 003 §2.6: the GP surgery is told the outcome "within three working days".
GP_OUTCOME_WITHIN_WORKING_DAYS = 3


@dataclass(frozen=True)
class Timed:
    due: datetime | None  # None: the protocol sets no time
    done: datetime | None  # None: not done yet

    def on_time(self) -> bool | None:
        """True or False once done (or once late and still not done); None while it may still be in time."""
        if self.due is None:
            return None if self.done is None else True
        if self.done is None:
            return None
        return self.done <= self.due

    def late_by(self, at: datetime) -> bool:
        """Not done, and past its due time."""
        return self.done is None and self.due is not None and at > self.due


def acknowledgement_due(received_at: datetime, deadlines: Deadlines) -> datetime:
    return due_at(
        received_at,
        ACKNOWLEDGE_WITHIN_WORKING_DAYS,
        ClockUnit.WORKING_DAYS,
        hours=deadlines.hours,
        extra_holidays=deadlines.holidays,
    )


def gp_outcome_due(actioned_at: datetime, deadlines: Deadlines) -> datetime:
    """When each GP practice asked for checks must have been told the outcome: three working days after
    it was actioned, at the same time of day (weekends, bank holidays and the protocol's closure days
    not counted)."""
    return due_at(
        actioned_at,
        GP_OUTCOME_WITHIN_WORKING_DAYS,
        ClockUnit.WORKING_DAYS,
        hours=deadlines.hours,
        extra_holidays=deadlines.holidays,
    )


def outcome_due(decided_at: datetime, deadlines: Deadlines) -> datetime | None:
    """The protocol's time to tell the referrer the outcome, from the approved decision (002 §12:
    48 hours; 003 App. 4 §10: one working day)."""
    return deadlines.due(Clock.OUTCOME_TO_REFERRER, start=decided_at)


def encompass_due(received_at: datetime, *, school_day_start: time, extra_holidays: frozenset[date]) -> datetime:
    """Before the start of the next school day after the police's notification came (Home Office
    statutory guidance on Operation Encompass, November 2025: weekends and holidays included): the
    first weekday that is not a bank holiday or a closure day, at the time schools start. School
    holidays are not known here, so during one the time is sooner than the school's next day: a
    notice is never counted in time when it was late."""
    local = received_at.astimezone(LONDON)
    day = local.date()
    while True:
        start = datetime.combine(day, school_day_start, tzinfo=LONDON)
        if start > local and is_working_day(day, extra_holidays=extra_holidays):
            return start
        day += timedelta(days=1)
