"""Writes to the person index made by hand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import localdate

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.people import permissions
from safehub.people.models import Involvement, Person, Service


@transaction.atomic(durable=True)
def record_involvement(
    person: Person,
    *,
    service: str,
    started_on: date,
    ended_on: date | None,
    allocated_worker: str = "",
    worker_email: str = "",
    team: str = "",
    external_ref: str = "",
    by: User,
    at: datetime,
) -> Involvement:
    if not permissions.can_record_involvement(by, person):
        raise PermissionDenied
    if Involvement.objects.filter(person=person, service=service, started_on=started_on).exists():
        raise DomainError("This person already has that service starting on that date", field="started_on")
    involvement = Involvement.objects.create(
        person=person,
        service=service,
        started_on=started_on,
        ended_on=ended_on,
        allocated_worker=allocated_worker,
        worker_email=worker_email,
        team=team,
        external_ref=external_ref,
    )
    record(Verb.INVOLVEMENT_RECORDED, by=by, person=person, at=at, data={"service": service, "open": ended_on is None})
    return involvement


def open_involvements_from_outcome(
    people: Iterable[Person],
    *,
    service: Service,
    started_on: date,
    allocated_worker: str,
    worker_email: str,
    team: str,
    external_ref: str,
    by: User,
    at: datetime,
) -> list[Involvement]:
    """The hub's own actioned outcome as an open involvement of each child it covers, so the next
    contact about them finds them known, forwards to their worker and applies the three-month
    rule. A child already open to that service keeps the involvement they have. Runs inside the
    outcome's transaction (decisions.services.action_outcome), which checked who may action it."""
    opened = []
    for person in people:
        already = Involvement.objects.filter(person=person, service=service).filter(
            Q(ended_on__isnull=True) | Q(started_on=started_on)
        )
        if already.exists():
            continue
        involvement = Involvement.objects.create(
            person=person,
            service=service,
            started_on=started_on,
            allocated_worker=allocated_worker,
            worker_email=worker_email,
            team=team,
            external_ref=external_ref,
        )
        record(
            Verb.INVOLVEMENT_RECORDED,
            by=by,
            person=person,
            at=at,
            data={"service": service.value, "open": True, "from_contact": external_ref},
        )
        opened.append(involvement)
    return opened


@transaction.atomic(durable=True)
def end_involvement(involvement: Involvement, *, ended_on: date, by: User, at: datetime) -> None:
    """Record that an open involvement has ended (the case system's import does the same in bulk)."""
    if not permissions.can_record_involvement(by, involvement.person):
        raise PermissionDenied
    if ended_on > localdate(at):
        raise DomainError("The end date must be today or in the past", field="ended_on")
    if ended_on < involvement.started_on:
        raise DomainError("The end date must be the same as or after the start date", field="ended_on")
    changed = Involvement.objects.filter(pk=involvement.pk, ended_on__isnull=True).update(ended_on=ended_on)
    if changed != 1:
        raise ConcurrentChange("involvement")
    involvement.ended_on = ended_on
    record(
        Verb.INVOLVEMENT_ENDED,
        by=by,
        person=involvement.person,
        at=at,
        data={"service": involvement.service, "ended_on": ended_on.isoformat()},
    )


@transaction.atomic(durable=True)
def record_warnings(
    person: Person,
    *,
    missing_since: date | None,
    worker_safety_warning: str,
    by: User,
    at: datetime,
    version: int,
) -> Person:
    """Record (or clear) that a child is missing and a warning for workers' safety: the flags at
    the top of the person page. A form loaded before someone else changed them changes nothing."""
    if not permissions.can_record_warnings(by, person):
        raise PermissionDenied
    if missing_since is not None and missing_since > localdate(at):
        raise DomainError("The date they went missing must be today or in the past", field="missing_since")
    warning = worker_safety_warning.strip()
    changed = Person.objects.filter(pk=person.pk, version=version).update(
        missing_since=missing_since, worker_safety_warning=warning, version=version + 1
    )
    if changed != 1:
        raise ConcurrentChange("person record")
    was_missing, was_warned = person.missing_since is not None, bool(person.worker_safety_warning)
    person.missing_since, person.worker_safety_warning, person.version = missing_since, warning, version + 1
    record(
        Verb.PERSON_WARNINGS_RECORDED,
        by=by,
        person=person,
        at=at,
        data={
            "missing": missing_since is not None,
            "was_missing": was_missing,
            "worker_safety_warning": bool(warning),
            "had_worker_safety_warning": was_warned,
        },
    )
    return person
