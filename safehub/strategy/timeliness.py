"""How timely a strategy discussion was, measure by measure (000: "Timeliness and partner participation
of strategy meetings is monitored as part of the ongoing performance data"; issue 13): held within the
standard (or the exception), who took part, the record sent in time, the initial conference within 15
working days. Defined once here, for the discussion's page, the contact and the report with its CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from safehub.core.presenters import shown_date
from safehub.strategy.models import TOOK_PART, Invitation, StrategyDiscussion, StrategyRecord


@dataclass(frozen=True)
class Measure:
    """One measure: its name, what happened in words, and whether it was in time (None: not yet known)."""

    name: str
    text: str
    in_time: bool | None


def _late_by(late: float) -> str:
    hours = round(late / 3600)
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


def held(discussion: StrategyDiscussion, kept: StrategyRecord | None, *, at: datetime) -> Measure:
    name = "Held within the standard"
    if kept is None:
        if discussion.is_overdue(at):
            return Measure(name, f"Not held yet: due {shown_date(discussion.due_at)}, overdue", False)
        return Measure(name, f"Not held yet: due {shown_date(discussion.due_at)}", None)
    if kept.held_at <= discussion.standard_due_at:
        return Measure(name, "Held within the protocol's standard", True)
    if discussion.on_exception and kept.held_at <= discussion.due_at:
        return Measure(name, "Held by exception, within the time the risk assessment allowed", True)
    late = (kept.held_at - discussion.due_at).total_seconds()
    return Measure(name, f"Held {_late_by(late)} late", False)


def record_sent(kept: StrategyRecord | None, *, at: datetime) -> Measure:
    name = "Record sent in time"
    if kept is None:
        return Measure(name, "Not held yet", None)
    if kept.sent_at is None:
        if kept.send_due_at < at:
            return Measure(name, f"Not sent: it was due {shown_date(kept.send_due_at)}", False)
        return Measure(name, f"To send by {shown_date(kept.send_due_at)}", None)
    if kept.sent_at <= kept.send_due_at:
        return Measure(name, f"Sent {shown_date(kept.sent_at)}", True)
    return Measure(
        name,
        f"Sent {shown_date(kept.sent_at)}, {_late_by((kept.sent_at - kept.send_due_at).total_seconds())} late",
        False,
    )


def conference(kept: StrategyRecord | None, *, today: date) -> Measure | None:
    """None where the discussion started no section 47 enquiry (no conference follows)."""
    name = "Initial conference within 15 working days"
    if kept is None or kept.conference_due_on is None:
        return None
    due = _day(kept.conference_due_on)
    if kept.conference_not_required:
        return Measure(name, "Not required", True)
    if kept.conference_on is None:
        if kept.conference_due_on < today:
            return Measure(name, f"No date recorded: due by {due}", False)
        return Measure(name, f"No date yet: due by {due}", None)
    in_time = kept.conference_on <= kept.conference_due_on
    return Measure(name, f"{_day(kept.conference_on)} (due by {due})", in_time)


def attendance(invitations: list[Invitation]) -> Measure:
    """The agencies that took part, of those invited."""
    recorded = [i for i in invitations if i.attendance]
    if not recorded:
        return Measure("Attendance", "Not recorded yet", None)
    took_part = [i for i in recorded if i.attendance in TOOK_PART]
    # Who took part is a fact, not a deadline: no "in time" or "late" beside it.
    return Measure(
        "Attendance",
        f"{len(took_part)} of {len(recorded)} invited took part"
        + "".join(f"; {i}: {i.get_attendance_display().lower()}" for i in recorded if i.attendance not in TOOK_PART),
        None,
    )


def measures(discussion: StrategyDiscussion, *, at: datetime, today: date) -> list[Measure]:
    kept: StrategyRecord | None = getattr(discussion, "record", None)
    found = [held(discussion, kept, at=at), attendance(list(discussion.invitations.all())), record_sent(kept, at=at)]
    after = conference(kept, today=today)
    return [*found, *([after] if after is not None else [])]


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"
