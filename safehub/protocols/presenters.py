"""Local protocols as their pages show them."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from safehub.accounts.models import AgencyKind, Role
from safehub.protocols.models import Brag, Clock, LocalProtocol, Timescale

# From when each clock counts (protocols.policy; ADR 0004, ADR 0017), as the protocol page says it.
CLOCK_STARTS = {
    Clock.SCREENING: "Counts from receipt",
    Clock.THRESHOLD_DECISION: "Counts from receipt",
    Clock.APPROVAL: "Counts from the recommendation",
    Clock.DECISION: "Counts from receipt to the approved decision: the recommendation and the approval share it",
    Clock.OUTCOME_TO_REFERRER: "Counts from the approved decision",
    Clock.CONSULTATION_SUMMARY: "Counts from the consultation",
    Clock.MASH_CHECKS: "Counts from the request to the agency",
    Clock.CONSENT_SOUGHT: "Counts from the pause: the referrer's time to discuss it with the family",
    Clock.STRATEGY_DISCUSSION: "Counts from the decision to hold one: the approval, or a manager starting it",
    Clock.STRATEGY_EXCEPTION: "Counts from the same start: the latest a manager's recorded risk assessment may move it to",
    Clock.STRATEGY_FROM_RECEIPT: "Counts from receipt: the latest a strategy discussion may be due, however it started",
    Clock.STRATEGY_RECORD: "Counts from the time the discussion was held",
    Clock.PHONE_AGENCY: "A prompt: telephone the agency too when its answer is needed sooner than this",
    Clock.INFORMATION_REQUEST_1: "Counts from the request",
    Clock.INFORMATION_REQUEST_2: "Counts from the request",
    Clock.INFORMATION_REQUEST_3: "Counts from the request",
}


STEP_ORDER = {clock.value: index for index, clock in enumerate(Clock)}
RATING_ORDER = {"": 0, **{rating.value: index for index, rating in enumerate(Brag, start=1)}}


def in_step_order(timescales: Iterable[Timescale]) -> list[Timescale]:
    """The timescales in the order a contact meets the steps, any rating before each rating's own."""
    return sorted(timescales, key=lambda t: (STEP_ORDER.get(t.clock, 99), RATING_ORDER.get(t.rating, 9), t.agency))


def caption(protocol: LocalProtocol) -> str:
    return "Local protocol (active)" if protocol.is_active else "Local protocol"


def approvers(protocol: LocalProtocol) -> str:
    """'Team manager, Senior practitioner': who may approve a recommendation."""
    return ", ".join(Role(role).label for role in protocol.approver_roles if role in Role.values) or "No one"


def override_rule(protocol: LocalProtocol) -> str:
    """Who may agree to share without consent, and whether the owning agency must agree too."""
    who = "A team manager or a senior practitioner" if protocol.override_by_senior_practitioner else "A team manager"
    owner = (
        ", with the agreement of the agency that owns the information"
        if protocol.override_needs_owner_agreement
        else ""
    )
    return f"{who}, never the person who asked, may agree to share without consent{owner}."


def checks_consent(protocol: LocalProtocol) -> str:
    """Whether MASH checks wait for consent (000: "shared initially within CASS with or without consent")."""
    if protocol.checks_without_consent:
        return "MASH checks may start without consent: each request records everyone's consent as it stands."
    return "MASH checks start once everyone has consented, or sharing without consent is agreed."


def agencies(protocol: LocalProtocol) -> str:
    return ", ".join(AgencyKind(kind).label for kind in protocol.always_checked_agencies if kind in AgencyKind.values)


@dataclass(frozen=True)
class TimescaleRow:
    timescale: Timescale | None  # None for the blank row that adds one
    form: Any  # the row of the formset that edits it
    step: str  # "MASH checks: GP practice requests"
    starts: str  # "Counts from receipt"
    label: str  # "MASH checks (GP practice), Red": what the row's fields are for, for their labels


def _describe(timescale: Timescale) -> tuple[str, str, str]:
    clock = timescale.get_clock_display()
    agency = timescale.get_agency_display() if timescale.agency else ""
    rating = timescale.get_rating_display() or "any rating"
    step = f"{clock}: {agency} requests" if agency else clock
    label = f"{clock} ({agency}), {rating}" if agency else f"{clock}, {rating}"
    return step, CLOCK_STARTS.get(Clock(timescale.clock), ""), label


def timescale_rows(timescales: list[Timescale], forms: Any) -> list[TimescaleRow]:
    """A row per timescale (with its form, when the page edits them), then the blank rows that add one."""
    by_pk = {t.pk: t for t in timescales}
    if forms is None:
        return [TimescaleRow(t, None, *_describe(t)) for t in timescales]
    rows = []
    for form in forms:
        timescale = by_pk.get(form.initial.get("pk"))
        if timescale is None:
            rows.append(TimescaleRow(None, form, "New timescale", "", "the new timescale"))
        else:
            rows.append(TimescaleRow(timescale, form, *_describe(timescale)))
    return rows


@dataclass(frozen=True)
class LevelRow:
    form: Any
    label: str  # "Intensive", or "the new level": for the fields' labels


def level_rows(forms: Any) -> list[LevelRow]:
    return [LevelRow(form, form.initial.get("label") or "the new level") for form in forms]


def daily_meeting(protocol: LocalProtocol, kind: str = "meeting") -> str:
    """When a standing meeting is held (`kind` "meeting" for the daily MASH meeting, "triage" for the
    domestic-abuse triage): 'Tuesday, Wednesday, Thursday and Friday at 11:00, with police, …', or 'None'."""
    days_held, starts, sitting = (getattr(protocol, f"{kind}_{part}") for part in ("days", "time", "members"))
    if not days_held or starts is None:
        return "None"
    days = [calendar.day_name[day] for day in sorted(days_held)]
    when = ", ".join(days[:-1]) + f" and {days[-1]}" if len(days) > 1 else days[0]
    members = [AgencyKind(member).label.lower() for member in sitting if member in AgencyKind.values]
    with_whom = f", with {', '.join(members)}" if members else ""
    return f"{when} at {starts:%H:%M}{with_whom}"
