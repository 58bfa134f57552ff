"""Importing involvements from the hub's case systems as CSV (format: docs/involvements-csv.md).

All or nothing: every bad row is reported with its line number, and then nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.ages import is_child_on
from safehub.core.csv_import import MAX_BYTES, ImportRefused, Row, parse_date, quoted, read_rows
from safehub.matching.index import record_people
from safehub.people.identifiers import is_valid_nhs_number, is_valid_postcode, normalise_nhs_number, normalise_postcode
from safehub.people.models import Address, Involvement, Person, PersonKind, Service

COLUMNS = [
    "local_person_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "postcode",
    "service",
    "started_on",
    "ended_on",
    "allocated_worker",
    "worker_email",
    "team",
    "external_ref",
]
REQUIRED = {"local_person_id", "family_name", "date_of_birth", "service", "started_on"}
# The columns stored as they are, each checked as the model field that keeps it (its length and
# validators: an email address), and named in a problem as a person would say it.
STORED = {
    "local_person_id": (Person, "local_id", "the local person ID"),
    "given_name": (Person, "given_name", "the first name"),
    "family_name": (Person, "family_name", "the last name"),
    "allocated_worker": (Involvement, "allocated_worker", "the allocated worker"),
    "worker_email": (Involvement, "worker_email", "the worker's email"),
    "team": (Involvement, "team", "the team"),
    "external_ref": (Involvement, "external_ref", "the reference in the case system"),
}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created_people: int
    created: int
    updated: int


def _stored_problem(column: str, value: str) -> str | None:
    """What is wrong with a value the model would store for `column`, if anything."""
    model, name, label = STORED[column]
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField)  # noqa: S101 - every stored column is text (STORED)
    limit = field.max_length
    if limit is not None and len(value) > limit:
        return f"{label} ({column}) is {len(value):,} characters long: it can be at most {limit}"
    try:
        field.run_validators(value)
    except ValidationError:
        if isinstance(field, models.EmailField):
            return f"{label} ({column}) {quoted(value)} is not an email address"
        return f"{label} ({column}) {quoted(value)} is not valid"
    return None


def _row_problems(clean: dict[str, Any], *, today: date) -> list[str]:
    """Every problem with one row, its values converted in place (dates, NHS number, postcode)."""
    problems = [f"{name} is required" for name in sorted(REQUIRED) if not clean[name]]
    for name in STORED:
        problem = _stored_problem(name, clean[name]) if clean[name] else None
        if problem is not None:
            problems.append(problem)
    for name in ("date_of_birth", "started_on", "ended_on"):
        if clean[name]:
            try:
                clean[name] = parse_date(clean[name])
            except ValueError:
                problems.append(f"{name} {quoted(clean[name])} is not a real date")
                clean[name] = None
        else:
            clean[name] = None
    if clean["service"] and clean["service"] not in Service.values:
        problems.append(f"service {quoted(clean['service'])} is not one of {', '.join(Service.values)}")
    if clean["nhs_number"]:
        clean["nhs_number"] = normalise_nhs_number(clean["nhs_number"])
        if not is_valid_nhs_number(clean["nhs_number"]):
            problems.append(f"nhs_number {quoted(clean['nhs_number'])} is not a valid NHS number")
    if clean["postcode"]:
        if is_valid_postcode(clean["postcode"]):
            clean["postcode"] = normalise_postcode(clean["postcode"])
        else:
            problems.append(f"postcode {quoted(clean['postcode'])} is not a real postcode")
    born, started, ended = clean["date_of_birth"], clean["started_on"], clean["ended_on"]
    if isinstance(born, date) and born > today:
        problems.append("date_of_birth is in the future")
    if isinstance(started, date) and started > today:
        problems.append("started_on is in the future")
    if isinstance(started, date) and isinstance(ended, date) and ended < started:
        problems.append("ended_on is before started_on")
    return problems


def _parse(raw: bytes, *, today: date) -> list[Row]:
    return read_rows(raw, columns=COLUMNS, problems=lambda clean: _row_problems(clean, today=today))


def import_involvements(file: IO[bytes], *, by: User, at: datetime) -> ImportResult:
    """Import the file, all of it or, if any row is wrong, none of it (ImportRefused says why)."""
    try:
        return _import(file, by=by, at=at)
    except IntegrityError:
        # Another import (or someone recording a person) stored one of these people or involvements
        # after the rows were checked; the transaction is rolled back whole.
        raise ImportRefused(
            [
                "Someone else added some of these people or involvements at the same moment: nothing was"
                " imported. Import the file again."
            ]
        ) from None


@transaction.atomic(durable=True)
def _import(file: IO[bytes], *, by: User, at: datetime) -> ImportResult:
    rows = _parse(file.read(MAX_BYTES + 1), today=at.date())
    ids = {row.values["local_person_id"] for row in rows}
    people = {p.local_id: p for p in Person.objects.filter(local_id__in=ids)}
    errors = [
        f"Line {row.line}: date_of_birth {row.values['date_of_birth']} does not match person {row.values['local_person_id']} ({people[row.values['local_person_id']].date_of_birth})"
        for row in rows
        if row.values["local_person_id"] in people
        and people[row.values["local_person_id"]].date_of_birth != row.values["date_of_birth"]
    ]
    first_seen: dict[str, Row] = {}
    for row in rows:
        earlier = first_seen.setdefault(row.values["local_person_id"], row)
        if earlier.values["date_of_birth"] != row.values["date_of_birth"]:
            errors.append(
                f"Line {row.line}: date_of_birth {row.values['date_of_birth']} does not match person "
                f"{row.values['local_person_id']} on line {earlier.line} ({earlier.values['date_of_birth']})"
            )
    if errors:
        raise ImportRefused(errors)
    new_people: list[Person] = []
    for row in rows:
        v = row.values
        if v["local_person_id"] in people:
            continue
        address = Address(line_1="Address not known", postcode=v["postcode"]) if v["postcode"] else None
        people[v["local_person_id"]] = Person(
            local_id=v["local_person_id"],
            kind=PersonKind.CHILD if is_child_on(v["date_of_birth"], at.date()) else PersonKind.ADULT,
            given_name=v["given_name"],
            family_name=v["family_name"],
            date_of_birth=v["date_of_birth"],
            nhs_number=v["nhs_number"],
            address=address,
        )
        new_people.append(people[v["local_person_id"]])
    record_people(new_people)
    created_people = len(new_people)
    existing = {
        (i.person_id, i.service, i.started_on): i for i in Involvement.objects.filter(person__in=people.values())
    }
    to_create: dict[tuple[int, str, date], Involvement] = {}
    to_update: list[Involvement] = []
    fields = ("ended_on", "allocated_worker", "worker_email", "team", "external_ref")
    for row in rows:
        v = row.values
        person = people[v["local_person_id"]]
        key = (person.pk, v["service"], v["started_on"])
        current = existing.get(key) or to_create.get(key)
        if current is None:
            to_create[key] = Involvement(
                person=person, service=v["service"], started_on=v["started_on"], **{f: v[f] for f in fields}
            )
        else:
            for f in fields:
                setattr(current, f, v[f])
            if current.pk:
                to_update.append(current)
    Involvement.objects.bulk_create(list(to_create.values()), batch_size=1000)
    Involvement.objects.bulk_update(to_update, list(fields), batch_size=1000)
    result = ImportResult(rows=len(rows), created_people=created_people, created=len(to_create), updated=len(to_update))
    record(
        Verb.INVOLVEMENTS_IMPORTED,
        by=by,
        at=at,
        data={
            "rows": result.rows,
            "people_created": created_people,
            "created": result.created,
            "updated": result.updated,
        },
    )
    return result


def involvements_said(file: IO[bytes], by: User, at: datetime) -> str:
    """Import the file (as `import_involvements`) and say what was imported."""
    result = import_involvements(file, by=by, at=at)
    return (
        f"Imported {result.rows} rows: {result.created} involvements created, {result.updated} updated, "
        f"{result.created_people} new people"
    )
