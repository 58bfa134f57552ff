"""Writes to the person index made by hand."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import DomainError
from safehub.people import permissions
from safehub.people.models import Involvement, Person


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
