"""Building, checking and exporting the statutory returns (issue 16; ADR 0040).

A return is built from live data, written as the file its collector takes, and run through the
collector's own rules in their environment (`external`). What the validator found is kept as a
`ReturnCheck`, by rule, with the children each rule names. An export that the validator would refuse
is refused here instead, naming the rules and children that stop it; one that passes is recorded in
the audit trail and as a disclosure, to the DfE or Ofsted, of every child in it."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.casework.services import follow_front_door
from safehub.core.working_time import london_date
from safehub.people.models import Person
from safehub.returns import annex_a_check, annex_a_rows, census_rows, cin_check, cin_xml
from safehub.returns.annex_a_codes import AnnexAList
from safehub.returns.annex_a_xlsx import RowRefused, to_xlsx, window
from safehub.returns.external import ValidatorUnavailable
from safehub.returns.models import ReturnCheck, ReturnKind
from safehub.sharing.exits import Exit, Release, release
from safehub.sharing.queries import is_disclosed
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import Basis, Category, Purpose

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Issue:
    """One rule the return breaks (an error) or asks a person to look at (a query), and the children it names."""

    rule: str
    message: str
    children: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"rule": self.rule, "message": self.message, "children": list(self.children)}


@dataclass
class Built:
    """A return in memory and what its validator found."""

    data: bytes
    filename: str
    children: set[str]
    rows: int
    errors: list[Issue] = field(default_factory=list)
    queries: list[Issue] = field(default_factory=list)


UNEXPECTED = (
    "The return could not be built because of a fault in Safehub, not in the data. Ask again later; if it"
    " fails again, tell the system administrator (the worker's log has the details)."
)


class ReturnRefused(Exception):  # noqa: N818 (a statement of what happened)
    """The return cannot be built for that period, or would not pass its collector's rules."""

    def __init__(self, message: str, *, issues: list[Issue] | None = None, check: ReturnCheck | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or []
        self.check = check


def _grouped(found: list[tuple[str, str, str | None]]) -> list[Issue]:
    """(rule, message, child) triples as one issue a rule and message, its children in order."""
    by_rule: dict[tuple[str, str], list[str]] = {}
    for rule, message, child in found:
        children = by_rule.setdefault((rule, message), [])
        if child and child not in children:
            children.append(child)
    return [Issue(rule, message, tuple(children)) for (rule, message), children in sorted(by_rule.items())]


# Annex A ------------------------------------------------------------------------------------------


def annex_a_period(period: str) -> date:
    """The as-at date: a real date, after Annex A began (ReturnRefused otherwise)."""
    try:
        as_at = date.fromisoformat(period)
    except ValueError:
        raise ReturnRefused(f"{period!r} is not a date: give the as-at date as YYYY-MM-DD") from None
    try:
        window(as_at)
    except ValueError as error:
        raise ReturnRefused(str(error)) from None
    return as_at


def _not_yet(kind: ReturnKind, period: str, *, today: date) -> None:
    """Annex A as at a day still to come is refused: it lists what has happened."""
    if kind == ReturnKind.ANNEX_A and (as_at := annex_a_period(period)) > today:
        raise ReturnRefused(
            f"{as_at:%-d %B %Y} is in the future: Annex A lists what has happened, so the as-at date is today or earlier"
        )


def build_annex_a(period: str) -> Built:
    as_at = annex_a_period(period)
    annex = annex_a_rows.build(as_at)
    data = to_xlsx(annex)
    lists = annex.lists()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annex-a.xlsx"
        path.write_bytes(data)
        validation = annex_a_check.validate(path)
    found: list[tuple[str, str, str | None]] = []

    def child_at(list_name: str | None, row: int | None) -> str | None:
        if list_name not in set(AnnexAList) or row is None:
            return None
        rows = lists[AnnexAList(str(list_name))]
        return rows[row - 2].child.child_id if 0 <= row - 2 < len(rows) else None

    for problem in validation.errors:
        rule = ": ".join(part for part in (problem.list_name, problem.column) if part) or str(problem.kind)
        found.append((rule, problem.message, child_at(problem.list_name, problem.row)))
    for cell in validation.recoded:
        message = f"written {cell.value!r}, read by the cleaner as {cell.cleaned!r}"
        found.append((f"{cell.list_name}: {cell.column}", message, child_at(cell.list_name, cell.row)))
    return Built(
        data=data,
        filename=f"annex-a-{as_at.isoformat()}.xlsx",
        children={row.child.child_id for rows in lists.values() for row in rows},
        rows=sum(len(rows) for rows in lists.values()),
        errors=_grouped(found),
    )


def _annex_a_period(today: date) -> str:
    return today.isoformat()


# The DfE Children in Need census -----------------------------------------------------------------


def census_year(period: str) -> int:
    """The collection year (the one its reference date, 31 March, falls in); ReturnRefused otherwise."""
    try:
        year = int(period)
    except ValueError:
        raise ReturnRefused(f"{period!r} is not a year: give the census year as four digits, such as 2026") from None
    try:
        cin_xml.collection_period(year)
    except ValueError as error:
        raise ReturnRefused(str(error)) from None
    return year


def _next_serial(period: str) -> int:
    """The census's SerialNo: one more than the year's returns that left Safehub. A check that was
    refused, failed to build, or whose file could not be written takes none (its export rolled back)."""
    return ReturnCheck.objects.filter(kind=ReturnKind.CIN_CENSUS, period=period, exported=True).count() + 1


def build_census(period: str) -> Built:
    year = census_year(period)
    serial = _next_serial(period)
    try:
        census, children = census_rows.build(year, serial=serial, made_at=timezone.now())
    except census_rows.CensusNotPossible as error:
        raise ReturnRefused(str(error)) from None
    data = cin_xml.to_xml(census)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.xml"
        path.write_bytes(data)
        validation = cin_check.validate(path, year=year)
    errors = [(issue.rule, issue.message, issue.child) for issue in validation.errors]
    errors += [
        (rule, f"The validator could not run this rule, so the return is not fully checked: {error}", None)
        for rule, error in validation.rules_not_run.items()
    ]
    return Built(
        data=data,
        filename=f"cin-census-{year}.xml",
        children=set(children),
        rows=len(children),
        errors=_grouped(errors),
        queries=_grouped([(issue.rule, issue.message, issue.child) for issue in validation.queries]),
    )


def _census_period(today: date) -> str:
    """The census year today is in: from 1 April, the year after."""
    return str(today.year + 1 if today.month >= 4 else today.year)


# Every return --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnType:
    kind: ReturnKind
    parse: Callable[[str], object]  # the period, or ReturnRefused saying what is wrong with it
    build: Callable[[str], Built]
    nightly_period: Callable[[date], str]  # the period the worker rebuilds each night
    recipient: str


RETURNS: dict[ReturnKind, ReturnType] = {
    ReturnKind.CIN_CENSUS: ReturnType(
        ReturnKind.CIN_CENSUS, census_year, build_census, _census_period, "Department for Education"
    ),
    ReturnKind.ANNEX_A: ReturnType(ReturnKind.ANNEX_A, annex_a_period, build_annex_a, _annex_a_period, "Ofsted"),
}


def _finish(check: ReturnCheck, built: Built, *, at: datetime) -> ReturnCheck:
    check.finished_at = at
    check.children = len(built.children)
    check.children_ids = sorted(built.children)
    check.filename = built.filename
    check.rows = built.rows
    check.errors = [issue.as_json() for issue in built.errors]
    check.queries = [issue.as_json() for issue in built.queries]
    check.sha256 = hashlib.sha256(built.data).hexdigest()
    check.save()
    return check


def _checked(kind: ReturnKind, period: str, *, check: ReturnCheck, at: datetime) -> Built:
    """Build and validate; the check records the outcome, a failure to build or validate included."""
    try:
        _not_yet(kind, period, today=london_date(at))
        built = RETURNS[kind].build(period)
    except ReturnRefused as refused:
        ReturnCheck.objects.filter(pk=check.pk).update(finished_at=at, failure=refused.message)
        raise
    except ValidatorUnavailable as error:
        ReturnCheck.objects.filter(pk=check.pk).update(finished_at=at, failure=str(error))
        raise ReturnRefused(f"The return was built but could not be checked: {error}") from None
    except RowRefused as error:
        failure = f"The return could not be built: {error}. Correct the record and ask again."
        ReturnCheck.objects.filter(pk=check.pk).update(finished_at=at, failure=failure)
        raise ReturnRefused(failure) from None
    _finish(check, built, at=at)
    return built


def check_return(kind: ReturnKind, period: str, *, by: User | None, at: datetime) -> tuple[ReturnCheck, Built]:
    """Build the return for `period` and check it; its ReturnCheck says what the validator found."""
    follow_front_door()
    check = ReturnCheck.objects.create(kind=kind, period=period, started_at=at, made_by=by)
    built = _checked(kind, period, check=check, at=at)
    check.refresh_from_db()
    return check, built


def _disclose(check: ReturnCheck, built_children: set[str], *, by: User, at: datetime) -> None:
    """The file leaves Safehub: a ledger row naming every child in it, and the audit event. The same file
    taken again (a second download of it) is the disclosure already in the ledger: only the audit event
    records that it was taken again."""
    released = release((), route=Exit.STATUTORY_RETURN, to=None)
    ReturnCheck.objects.filter(pk=check.pk).update(exported=True)
    check.exported = True
    again = is_disclosed(check)
    if not again:
        _disclose_file(check, built_children, released, by=by, at=at)
    record(
        Verb.RETURN_EXPORTED,
        by=by,
        at=at,
        data={
            "return": check.kind,
            "period": check.period,
            "children": check.children,
            "check": check.pk,
            "again": again,
        },
    )


def _disclose_file(check: ReturnCheck, built_children: set[str], released: Release, *, by: User, at: datetime) -> None:
    record_disclosure(
        None,
        to=RETURNS[ReturnKind(check.kind)].recipient,
        released=released,
        content={
            "return": check.kind,
            "period": check.period,
            "file": check.filename,
            "sha256": check.sha256,
            "children": check.children,
            "rows": check.rows,
        },
        purpose=Purpose.STATUTORY_RETURN,
        bases=[Basis.GDPR_6_1_C, Basis.GDPR_9_2_G],
        categories=[Category.IDENTITY, Category.INVOLVEMENT, Category.HEALTH],
        consent_position="Not sought: a return the law requires of the council",
        origin=check,
        people=Person.objects.filter(local_id__in=built_children),
        by=by,
        at=at,
    )


def export_return(
    kind: ReturnKind, period: str, *, by: User, at: datetime, deliver: Callable[[Built], None] | None = None
) -> tuple[ReturnCheck, Built]:
    """The return's file, checked clean, recorded as a disclosure of every child in it; ReturnRefused
    (naming the rules and children that stop it) when it would not pass. `deliver` hands the file on
    (writes it) inside the transaction that records it: if it fails, nothing is recorded as sent and the
    census's serial number is not used up."""
    RETURNS[kind].parse(period)  # a period that makes no sense is refused before a check is kept
    check, built = check_return(kind, period, by=by, at=at)
    if built.errors:
        raise ReturnRefused(
            f"The return breaks {len(built.errors)} of its collector's rules: nothing was exported",
            issues=built.errors,
            check=check,
        )
    with transaction.atomic():
        _disclose(check, built.children, by=by, at=at)
        if deliver is not None:
            deliver(built)
    return check, built


def period_problem(kind: ReturnKind, period: str) -> str | None:
    """What is wrong with the period asked for, before anything is built (None: nothing)."""
    try:
        RETURNS[kind].parse(period)
        _not_yet(kind, period, today=london_date(timezone.now()))
    except ReturnRefused as refused:
        return refused.message
    return None


def request_export(
    kind: ReturnKind, period: str, *, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> ReturnCheck:
    """Ask the worker to build the return for `by` to download. A form sent again (its one-time key),
    or the same request while it is still being built, lands on the request already made."""
    problem = period_problem(kind, period)
    if problem is not None:
        raise ReturnRefused(problem)
    if submission_key is not None:
        earlier = ReturnCheck.objects.filter(submission_key=submission_key, made_by=by).first()
        if earlier is not None:
            return earlier
    with transaction.atomic():
        waiting = (
            ReturnCheck.objects.select_for_update()
            .filter(kind=kind, period=period, made_by=by, requested=True, finished_at__isnull=True)
            .first()
        )
        if waiting is not None:
            return waiting
        check = ReturnCheck.objects.create(
            kind=kind, period=period, made_by=by, requested=True, started_at=at, submission_key=submission_key
        )
        record(Verb.RETURN_REQUESTED, by=by, at=at, data={"return": kind.value, "period": period, "check": check.pk})
    return check


def build_requested(*, at: datetime) -> int:
    """The worker builds each return asked for and not yet claimed (one worker claims each), keeping the
    file of one that passes for the person who asked; how many it built."""
    built_count = 0
    for pk in ReturnCheck.objects.filter(requested=True, claimed_at__isnull=True).values_list("pk", flat=True):
        if not ReturnCheck.objects.filter(pk=pk, claimed_at__isnull=True).update(claimed_at=at):
            continue  # another worker took it
        check = ReturnCheck.objects.get(pk=pk)
        follow_front_door()
        try:
            built = _checked(ReturnKind(check.kind), check.period, check=check, at=at)
        except ReturnRefused:
            continue  # the check records why
        except Exception:
            # A fault of ours: the request says so rather than "being built" for ever, and the worker goes on.
            logger.exception("Return check %s could not be built", pk)
            ReturnCheck.objects.filter(pk=pk).update(finished_at=at, failure=UNEXPECTED)
            continue
        if not built.errors:
            ReturnCheck.objects.filter(pk=pk).update(file=built.data, filename=built.filename)
        built_count += 1
    return built_count


def download(check: ReturnCheck, *, by: User, at: datetime) -> bytes:
    """A built return's file for the person who asked for it, recorded as a disclosure each time."""
    if check.made_by_id != by.pk or not check.requested or check.file is None or not check.passes:
        raise ReturnRefused("This return is not ready to download")
    with transaction.atomic():
        _disclose(check, set(check.children_ids), by=by, at=at)
    return bytes(check.file)


def rebuild_nightly(*, at: datetime) -> list[ReturnCheck]:
    """The worker's nightly rebuild: each return for its current period, once a night (the first
    worker to claim the night builds it; another finds it claimed)."""
    today = london_date(at)
    made = []
    for kind, return_type in RETURNS.items():
        try:
            with transaction.atomic():
                check = ReturnCheck.objects.create(
                    kind=kind, period=return_type.nightly_period(today), started_at=at, nightly_on=today
                )
        except IntegrityError:
            continue  # rebuilt tonight already, or being rebuilt
        follow_front_door()
        with contextlib.suppress(ReturnRefused):  # the check records why
            _checked(kind, check.period, check=check, at=at)
        check.refresh_from_db()
        made.append(check)
    return made


def latest_checks() -> dict[ReturnKind, ReturnCheck | None]:
    """Each return's latest finished nightly check (not one asked for, or exported, in the day)."""
    return {
        kind: ReturnCheck.objects.filter(kind=kind, finished_at__isnull=False, nightly_on__isnull=False)
        .defer("file")
        .order_by("-started_at", "-pk")
        .first()
        for kind in RETURNS
    }
