"""An agency agreeing that its answer may go where its handling conditions bar it (issue 14: "unless
the originating agency's agreement is recorded — which only that agency's partner can give,
audited"). Each agreement opens one route (`sharing.exits.Exit`) for one answer; a refusal is
recorded in the audit trail, as every refusal is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks import permissions
from safehub.checks.models import AgencyResponse, HandlingAgreement
from safehub.core.errors import DomainError, Problem, Refused
from safehub.sharing.exits import Exit, barred_routes

MIN_NOTE = 10  # characters: what was agreed, and any limit on it


def agreement_problems(response: AgencyResponse, routes: Sequence[Exit], note: str) -> list[Problem]:
    problems = []
    barred = barred_routes(response.conditions)
    agreed = {Exit(route) for route in response.agreements.values_list("route", flat=True)}
    if not routes:
        problems.append(Problem("Choose where your answer may go", field="routes"))
    for route in routes:
        if route not in barred:
            problems.append(
                Problem(f"Your conditions do not keep your answer from {route.label.lower()}", field="routes")
            )
        elif route in agreed:
            problems.append(Problem(f"You have already agreed to {route.label.lower()}", field="routes"))
    if len(note.strip()) < MIN_NOTE:
        problems.append(
            Problem(f"Say what you agree to, and any limit on it, in at least {MIN_NOTE} characters", field="note")
        )
    return problems


def agree_to_share(
    response: AgencyResponse, *, routes: Sequence[Exit], note: str, by: User, at: datetime
) -> list[HandlingAgreement]:
    """The agency that gave `response` agrees that it may go down `routes`. Anyone else is refused,
    and the refusal recorded: only the originating agency can lift its own conditions."""
    if not permissions.can_agree_handling(by, response):
        with transaction.atomic():
            record(
                Verb.HANDLING_AGREEMENT_REFUSED,
                by=by,
                contact=response.request.checks.contact,
                at=at,
                data={"response": response.pk, "routes": [Exit(route).value for route in routes]},
            )
        raise PermissionDenied
    return _agree(response, routes=routes, note=note, by=by, at=at)


@transaction.atomic(durable=True)
def _agree(
    response: AgencyResponse, *, routes: Sequence[Exit], note: str, by: User, at: datetime
) -> list[HandlingAgreement]:
    locked = AgencyResponse.objects.select_for_update().get(pk=response.pk)  # two partners at once: one each route
    problems = agreement_problems(locked, routes, note)
    if problems:
        raise Refused(problems)
    try:
        made = [
            HandlingAgreement.objects.create(
                response=locked, route=route, note=note.strip(), agreed_by=by, agreed_at=at
            )
            for route in dict.fromkeys(routes)
        ]
    except IntegrityError as error:  # a colleague agreed the same at the same moment (SQLite takes no row lock)
        raise DomainError("A colleague has just agreed to this: read their agreement on the page") from error
    record(
        Verb.HANDLING_AGREED,
        by=by,
        contact=locked.request.checks.contact,
        at=at,
        data={"response": locked.pk, "routes": [agreement.route for agreement in made]},
    )
    return made
