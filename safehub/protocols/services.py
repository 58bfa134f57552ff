"""Loading and switching local protocols."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError, Value
from django.db.models.functions import Concat

from safehub.accounts.models import AgencyKind, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import ConcurrentChange, DomainError, Problem, Refused
from safehub.core.forms import MAX_LINE
from safehub.core.working_time import ClockUnit
from safehub.protocols import permissions
from safehub.protocols.models import (
    AGENCY_CLOCKS,
    APPROVER_ROLE_VALUES,
    Brag,
    Clock,
    LocalHoliday,
    LocalProtocol,
    ThresholdLevel,
    Timescale,
)
from safehub.protocols.profiles import install

MAX_TIMESCALE = Decimal("9999.99")  # what the column holds (6 digits, 2 after the point)
MAX_NOTE = 300  # Timescale.note
MAX_LEVEL_LABEL = 100  # ThresholdLevel.label
UNITS = frozenset(unit.value for unit in ClockUnit)
WHOLE_DAY_UNITS = frozenset({ClockUnit.WORKING_DAYS.value, ClockUnit.WORKING_DAY_END.value})
LEVEL_CODE = re.compile(r"[a-z0-9_-]{1,40}")


@transaction.atomic
def load_seed_profiles(*, activate: str = "bexley") -> None:
    """Create the four seed hubs' profiles if they are missing (edited ones are left alone)."""
    install(LocalProtocol, ThresholdLevel, Timescale, activate=activate)


@transaction.atomic
def activate_protocol(protocol: LocalProtocol, *, by: User) -> None:
    if not permissions.can_change_protocols(by):
        raise PermissionDenied
    current = LocalProtocol.objects.filter(pk=protocol.pk, version=protocol.version).exists()
    if not current:
        raise ConcurrentChange("protocol")
    LocalProtocol.objects.filter(is_active=True).update(is_active=False)
    LocalProtocol.objects.filter(pk=protocol.pk).update(is_active=True, version=protocol.version + 1)
    record(Verb.PROTOCOL_CHANGED, by=by, data={"protocol": protocol.slug, "change": "activated"})


# When schools start, unless the protocol says otherwise (Operation Encompass).
SCHOOL_DAY_START = time(8, 30)


@dataclass(frozen=True)
class ProtocolSettings:
    """Everything a profile holds besides its levels of need and timescales."""

    name: str
    source: str
    working_day_start: time
    working_day_end: time
    three_month_rule: bool
    daily_meeting: str
    early_help_criteria: tuple[str, ...]
    always_checked_agencies: tuple[str, ...]
    approver_roles: tuple[str, ...]
    meeting_days: tuple[int, ...] = ()
    meeting_time: time | None = None
    meeting_members: tuple[str, ...] = ()
    triage_days: tuple[int, ...] = ()
    triage_time: time | None = None
    triage_members: tuple[str, ...] = ()
    marac_threshold: int = 14
    consent_self_age: int = 16
    consent_competence_age: int = 12
    override_by_senior_practitioner: bool = False
    override_needs_owner_agreement: bool = False
    checks_without_consent: bool = False
    hub_phone: str = ""
    hub_email: str = ""
    hub_address: str = ""
    la_code: str = ""
    school_day_start: time = SCHOOL_DAY_START


# The hub's standing meetings the protocol schedules: each field prefix and what it is called.
STANDING_MEETINGS = (("meeting", "the daily MASH meeting"), ("triage", "the domestic-abuse triage"))
# The ages a protocol may set for a young person's own consent (003 App. 4 §4 sets 16; adulthood is 18).
CONSENT_AGES = (12, 18)
# The DASH checklist's risk questions (SafeLives DASH risk identification checklist, 2009: 24).
DASH_RISK_QUESTIONS = 24


def _schedule_problems(settings: ProtocolSettings) -> list[Problem]:
    """Each standing meeting has days, a time and members, or none of them."""
    problems = []
    for prefix, name in STANDING_MEETINGS:
        days, at, members = (getattr(settings, f"{prefix}_{part}") for part in ("days", "time", "members"))
        if days and at is None:
            problems.append(Problem(f"Give {name} its time, or choose no days", field=f"{prefix}_time"))
        if at is not None and not days:
            problems.append(Problem(f"Choose the days {name} is held on", field=f"{prefix}_days"))
        if not set(days) <= set(range(7)):
            problems.append(Problem("Choose days of the week", field=f"{prefix}_days"))
        if days and not members:
            problems.append(Problem(f"Choose the agencies that sit in {name}", field=f"{prefix}_members"))
        if not set(members) <= set(AgencyKind.values):
            problems.append(Problem("Choose kinds of agency from the list", field=f"{prefix}_members"))
    return problems


@dataclass(frozen=True)
class LevelRow:
    """A level of need as the form sends it: an existing one (`pk`) or a new one; `order` places it."""

    pk: int | None
    order: int
    code: str
    label: str
    description: str = ""
    remove: bool = False


@dataclass(frozen=True)
class TimescaleRow:
    """A timescale as the form sends it: an existing row (`pk`) or a new one."""

    pk: int | None
    clock: str
    rating: str
    agency: str
    amount: Decimal
    unit: str
    note: str = ""
    remove: bool = False


# The steps every contact, consultation and MASH check needs a due time for, at any rating: each
# with the clocks that can give it one (the recommendation and the approval also by the overall
# decision clock from receipt, ADR 0017).
STEPS_NEEDING_A_TIME: list[tuple[str, tuple[Clock, ...]]] = [
    ("basic screening", (Clock.SCREENING,)),
    ("the threshold recommendation", (Clock.THRESHOLD_DECISION, Clock.DECISION)),
    ("the approval", (Clock.APPROVAL, Clock.DECISION)),
    ("the outcome sent to the referrer", (Clock.OUTCOME_TO_REFERRER,)),
    ("the consultation summary", (Clock.CONSULTATION_SUMMARY,)),
    ("MASH checks", (Clock.MASH_CHECKS,)),
]
SETTINGS_FIELDS = tuple(field.name for field in fields(ProtocolSettings))


def _settings_problems(settings: ProtocolSettings) -> list[Problem]:
    problems = []
    if not settings.name.strip():
        problems.append(Problem("Enter the protocol's name", field="name"))
    if settings.la_code and not (len(settings.la_code) == 3 and settings.la_code.isdigit()):
        problems.append(Problem("The DfE local authority number is three digits, like 330", field="la_code"))
    if settings.working_day_start >= settings.working_day_end:
        problems.append(Problem("The working day must end after it starts", field="working_day_end"))
    if not settings.approver_roles:
        problems.append(Problem("Choose who may approve a threshold recommendation", field="approver_roles"))
    if not set(settings.approver_roles) <= APPROVER_ROLE_VALUES:
        problems.append(Problem("Only team managers and senior practitioners can approve", field="approver_roles"))
    if not set(settings.always_checked_agencies) <= set(AgencyKind.values) - {AgencyKind.CHILDRENS_SOCIAL_CARE}:
        problems.append(Problem("Choose partner agencies to check always", field="always_checked_agencies"))
    problems += _schedule_problems(settings)
    if not 1 <= settings.marac_threshold <= DASH_RISK_QUESTIONS:
        problems.append(
            Problem(
                f"The MARAC threshold is a number of “yes” answers from 1 to {DASH_RISK_QUESTIONS}",
                field="marac_threshold",
            )
        )
    if not CONSENT_AGES[0] <= settings.consent_self_age <= CONSENT_AGES[1]:
        problems.append(
            Problem(
                f"A young person answers for themselves from an age of {CONSENT_AGES[0]} to {CONSENT_AGES[1]}",
                field="consent_self_age",
            )
        )
    elif not 0 < settings.consent_competence_age <= settings.consent_self_age:
        problems.append(
            Problem(
                "The age from which a competent young person answers for themselves is at most the age at which"
                " every young person does",
                field="consent_competence_age",
            )
        )
    if any(not text.strip() or len(text) > MAX_LINE for text in settings.early_help_criteria):
        problems.append(
            Problem(
                f"Write each early help criterion on a line of at most {MAX_LINE} characters",
                field="early_help_criteria",
            )
        )
    return problems


def _level_problems(levels: Sequence[LevelRow], existing: dict[int, ThresholdLevel]) -> list[Problem]:
    problems = []
    if any(level.pk is not None and level.pk not in existing for level in levels):  # one to remove too
        raise DomainError("A level of need does not belong to this protocol")
    kept = [(index, level) for index, level in enumerate(levels) if not level.remove]
    if not kept:
        problems.append(Problem("Keep at least one level of need", field="levels"))
    codes: dict[str, int] = {}
    orders: dict[int, int] = {}
    # Levels the form did not list (a row sent without its id) stay as they are, codes and all.
    listed = {level.pk for level in levels}
    unlisted = {level.code for pk, level in existing.items() if pk not in listed}
    for index, level in kept:
        if level.pk is not None and level.pk not in existing:
            raise DomainError("A level of need does not belong to this protocol")
        if not level.label.strip() or len(level.label) > MAX_LEVEL_LABEL:
            problems.append(
                Problem(f"Enter the level's name, in at most {MAX_LEVEL_LABEL} characters", field="label", item=index)
            )
        if not LEVEL_CODE.fullmatch(level.code):
            problems.append(
                Problem(
                    "Enter a code of lower-case letters, numbers, hyphens or underscores (at most 40)",
                    field="code",
                    item=index,
                )
            )
        if level.code in codes or level.code in unlisted:
            problems.append(Problem(f"Two levels have the code '{level.code}': change one", field="code", item=index))
        if level.order in orders:
            problems.append(
                Problem(f"Two levels are number {level.order}: number each once", field="order", item=index)
            )
        codes[level.code], orders[level.order] = index, index
    return problems


def _timescale_label(row: TimescaleRow) -> str:
    """'MASH checks (GP practice), Red': which row a message is about."""
    clock = Clock(row.clock).label if row.clock in Clock.values else row.clock
    agency = f" ({AgencyKind(row.agency).label})" if row.agency in AgencyKind.values else ""
    rating = Brag(row.rating).label if row.rating in Brag.values else "any rating"
    return f"{clock}{agency}, {rating}"


def _timescale_row_problems(index: int, row: TimescaleRow) -> list[Problem]:
    if row.clock not in Clock.values or row.unit not in UNITS:
        return [Problem("Choose the step and the unit of time", field="clock", item=index)]
    if row.rating and row.rating not in Brag.values:
        return [Problem("Choose a rating, or any rating", field="rating", item=index)]
    if row.agency and (row.agency not in AgencyKind.values or row.clock not in AGENCY_CLOCKS):
        return [Problem("Only MASH checks and the telephone prompt can be for one agency", field="agency", item=index)]
    if row.amount <= 0:
        return [
            Problem(
                "A timescale must be more than zero: a step cannot be due when it starts", field="amount", item=index
            )
        ]
    if row.amount > MAX_TIMESCALE:
        return [Problem(f"A timescale can be at most {MAX_TIMESCALE:,}", field="amount", item=index)]
    if row.unit in WHOLE_DAY_UNITS and row.amount != row.amount.to_integral_value():
        return [Problem("Working days must be a whole number", field="amount", item=index)]
    if len(row.note) > MAX_NOTE:
        return [Problem(f"Enter no more than {MAX_NOTE} characters", field="note", item=index)]
    return []


def _timescale_problems(rows: Sequence[TimescaleRow], existing: dict[int, Timescale]) -> list[Problem]:
    problems = []
    if any(row.pk is not None and row.pk not in existing for row in rows):  # one to remove too
        raise DomainError("A timescale does not belong to this protocol")
    # Timescales the form did not list (a row sent without its id) stay as they are.
    listed = {row.pk for row in rows}
    seen = {(t.clock, t.rating, t.agency) for pk, t in existing.items() if pk not in listed}
    kept = [(index, row) for index, row in enumerate(rows) if not row.remove]
    for index, row in kept:
        if row.pk is not None and row.pk not in existing:
            raise DomainError("A timescale does not belong to this protocol")
        found = _timescale_row_problems(index, row)
        key = (row.clock, row.rating, row.agency)
        if not found and key in seen:
            found = [Problem(f"Two timescales are for {_timescale_label(row)}: remove one", field="clock", item=index)]
        seen.add(key)
        problems += found
    for step, clocks in STEPS_NEEDING_A_TIME:
        if not any(row.clock in clocks and not row.rating and not row.agency for _, row in kept):
            problems.append(Problem(f"Keep a timescale for {step} at any rating", field="timescales"))
    return problems


def _changes(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


def _save_levels(
    protocol: LocalProtocol, levels: Sequence[LevelRow], existing: dict[int, ThresholdLevel]
) -> dict[str, list[str]]:
    """Write the levels in the order asked (renumbered 1, 2, …); what changed, by code."""
    change: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for level in levels:
        if level.remove and level.pk is not None:
            old = existing[level.pk]
            try:
                old.delete()
            except ProtectedError:
                raise DomainError(
                    f"The level '{old.label}' is in recommendations already, so it stays: rename it instead",
                    field="levels",
                ) from None
            change["removed"].append(old.code)
    kept = sorted((level for level in levels if not level.remove), key=lambda level: level.order)
    # Codes are unique in a protocol: moved out of the way first, so that two levels can swap codes.
    ThresholdLevel.objects.filter(pk__in=[level.pk for level in kept if level.pk is not None]).update(
        code=Concat(Value("~"), "pk", output_field=models.CharField())
    )
    for order, level in enumerate(kept, start=1):
        values = {
            "order": order,
            "code": level.code,
            "label": level.label.strip(),
            "description": level.description.strip(),
        }
        if level.pk is None:
            ThresholdLevel.objects.create(protocol=protocol, **values)
            change["added"].append(level.code)
            continue
        old = existing[level.pk]
        ThresholdLevel.objects.filter(pk=level.pk).update(**values)
        if any(getattr(old, name) != value for name, value in values.items()):
            change["changed"].append(level.code)
    return change


def _save_timescales(
    protocol: LocalProtocol, rows: Sequence[TimescaleRow], existing: dict[int, Timescale]
) -> dict[str, list[str]]:
    change: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    removed = [row.pk for row in rows if row.remove and row.pk is not None]
    Timescale.objects.filter(pk__in=removed).delete()
    change["removed"] = [_timescale_label(_as_row(existing[pk])) for pk in removed]
    kept = [row for row in rows if not row.remove]
    # Each row's step, rating and agency are unique in a protocol: moved out of the way first.
    Timescale.objects.filter(pk__in=[row.pk for row in kept if row.pk is not None]).update(
        agency=Concat(Value("~"), "pk", output_field=models.CharField())
    )
    for row in kept:
        values = {
            "clock": row.clock,
            "rating": row.rating,
            "agency": row.agency,
            "amount": row.amount,
            "unit": row.unit,
            "note": row.note.strip(),
        }
        if row.pk is None:
            Timescale.objects.create(protocol=protocol, **values)
            change["added"].append(_timescale_label(row))
            continue
        Timescale.objects.filter(pk=row.pk).update(**values)
        if _as_row(existing[row.pk]) != replace(row, note=row.note.strip()):
            change["changed"].append(_timescale_label(row))
    return change


def _as_row(timescale: Timescale) -> TimescaleRow:
    return TimescaleRow(
        timescale.pk,
        timescale.clock,
        timescale.rating,
        timescale.agency,
        timescale.amount,
        timescale.unit,
        timescale.note,
    )


@transaction.atomic(durable=True)
def update_protocol(
    protocol: LocalProtocol,
    *,
    settings: ProtocolSettings,
    levels: Sequence[LevelRow],
    timescales: Sequence[TimescaleRow],
    by: User,
    version: int,
    closure_days: Sequence[tuple[date, str]] | None = None,
) -> None:
    """Change everything a profile holds, all or nothing: its settings, levels of need (added,
    changed, reordered, removed) and timescales (likewise), with one audit event that names each
    change. Every problem is refused at once (`Refused`: a level's or timescale's problem names its
    row, `field` "levels" or "timescales" with `item`, or the row's own field with `item`)."""
    if not permissions.can_change_protocols(by):
        raise PermissionDenied
    existing_levels = {level.pk: level for level in protocol.levels.all()}
    existing_timescales = {timescale.pk: timescale for timescale in protocol.timescales.all()}
    level_problems = _level_problems(levels, existing_levels)
    timescale_problems = _timescale_problems(timescales, existing_timescales)
    problems = (
        _settings_problems(settings)
        + [_tagged(problem, "level") for problem in level_problems]
        + [_tagged(problem, "timescale") for problem in timescale_problems]
    )
    if problems:
        raise Refused(problems)
    values = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    lists = ("early_help_criteria", "always_checked_agencies", "approver_roles", "meeting_days", "meeting_members")
    for name in (*lists, "triage_days", "triage_members"):
        values[name] = list(values[name])
    before = {name: getattr(protocol, name) for name in SETTINGS_FIELDS}
    changed = LocalProtocol.objects.filter(pk=protocol.pk, version=version).update(**values, version=version + 1)
    if changed != 1:
        raise ConcurrentChange("protocol")
    level_change = _save_levels(protocol, levels, existing_levels)
    timescale_change = _save_timescales(protocol, timescales, existing_timescales)
    closure_change = _save_closure_days(protocol, closure_days) if closure_days is not None else {}
    record(
        Verb.PROTOCOL_CHANGED,
        by=by,
        data={
            "protocol": protocol.slug,
            "change": "edited",
            "settings": _changes(before, values),
            "levels": level_change,
            "timescales": timescale_change,
            "closure_days": closure_change,
        },
    )
    for name, value in values.items():
        setattr(protocol, name, value)
    protocol.version = version + 1


def _save_closure_days(protocol: LocalProtocol, days: Sequence[tuple[date, str]]) -> dict[str, list[str]]:
    """The protocol's local closure days become exactly these; what changed, by date. A day added or
    removed moves only the clocks that start from now on: due times already given stand."""
    existing = {holiday.day: holiday for holiday in protocol.local_holidays.all()}
    wanted = dict(days)
    change: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for day, holiday in existing.items():
        if day not in wanted:
            holiday.delete()
            change["removed"].append(day.isoformat())
    for day, name in wanted.items():
        if day not in existing:
            LocalHoliday.objects.create(protocol=protocol, day=day, name=name)
            change["added"].append(day.isoformat())
        elif existing[day].name != name:
            LocalHoliday.objects.filter(pk=existing[day].pk).update(name=name)
            change["changed"].append(day.isoformat())
    return change


def _tagged(problem: Problem, kind: str) -> Problem:
    """A row's problem with its field named for the formset it belongs to ('timescale:amount')."""
    if problem.item is None:
        return problem
    return Problem(problem.message, field=f"{kind}:{problem.field}", item=problem.item)
