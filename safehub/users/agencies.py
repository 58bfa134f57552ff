"""Adding and renaming the hub's agencies and teams, each audited with the old and new names."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from safehub.accounts.models import Agency, AgencyKind, Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.users.services import name_problem, require_manager


@transaction.atomic
def create_agency(*, name: str, kind: AgencyKind, is_host: bool, by: User) -> Agency:
    """An agency of the hub. Exactly one is the host (the local authority that runs the hub, whose
    children's social care staff hold the hub's roles); every other is a partner."""
    require_manager(by)
    name = _good_name(name, what="agency")
    if Agency.objects.filter(name__iexact=name).exists():
        raise DomainError(f"There is already an agency called {name}", field="name")
    if is_host:
        if Agency.objects.filter(is_host=True).exists():
            raise DomainError("The hub already has its host agency: a new agency is a partner", field="is_host")
        if kind != AgencyKind.CHILDRENS_SOCIAL_CARE:
            raise DomainError("The host agency is the local authority's children's social care", field="kind")
    try:
        with transaction.atomic():
            agency = Agency.objects.create(name=name, kind=kind, is_host=is_host)
    except IntegrityError:
        raise DomainError(
            f"There is already an agency called {name}, or the hub already has its host", field="name"
        ) from None
    record(
        Verb.AGENCY_CREATED,
        by=by,
        data={"agency_id": agency.pk, "new": {"name": name, "kind": kind.value, "is_host": is_host}},
    )
    return agency


@transaction.atomic
def rename_agency(agency: Agency, *, name: str, old_name: str, by: User) -> None:
    """Compare-and-set on the name the form showed: a rename from a stale page changes nothing."""
    require_manager(by)
    taken = "There is already an agency called {name}"
    new = _rename(Agency.objects.all(), agency.pk, name=name, old_name=old_name, what="agency", taken=taken)
    if new is not None:
        record(
            Verb.AGENCY_RENAMED, by=by, data={"agency_id": agency.pk, "old": {"name": old_name}, "new": {"name": new}}
        )


@transaction.atomic
def set_agency_email(agency: Agency, *, email: str, old_email: str, by: User) -> None:
    """The agency's shared safeguarding inbox (strategy invitations reach it even when nobody there uses
    Safehub). Compare-and-set on the address the form showed: a change from a stale page changes nothing."""
    require_manager(by)
    new = email.strip().lower()
    if Agency.objects.filter(pk=agency.pk, email=old_email).update(email=new) != 1:
        raise ConcurrentChange("agency")
    record(
        Verb.AGENCY_ADDRESS_CHANGED,
        by=by,
        data={"agency_id": agency.pk, "old": {"email": old_email}, "new": {"email": new}},
    )


@transaction.atomic
def set_agency_secure_email(agency: Agency, *, email: str, old_email: str, by: User) -> None:
    """The address the agency agreed for information that names people (003 §2.6: a GP surgery's
    agreed email address): requests for information to it are emailed there, with their form. Compare-
    and-set on the address the form showed: a change from a stale page changes nothing."""
    require_manager(by)
    new = email.strip().lower()
    if agency.is_host:
        raise DomainError("The host agency is the hub: it is sent no requests", field="email")
    if Agency.objects.filter(pk=agency.pk, secure_email=old_email).update(secure_email=new) != 1:
        raise ConcurrentChange("agency")
    record(
        Verb.AGENCY_SECURE_ADDRESS_CHANGED,
        by=by,
        data={"agency_id": agency.pk, "old": {"secure_email": old_email}, "new": {"secure_email": new}},
    )


@transaction.atomic
def create_team(agency: Agency, *, name: str, by: User) -> Team:
    require_manager(by)
    name = _good_name(name, what="team")
    if Team.objects.filter(agency=agency, name__iexact=name).exists():
        raise DomainError(f"{agency.name} already has a team called {name}", field="name")
    try:
        with transaction.atomic():
            team = Team.objects.create(agency=agency, name=name)
    except IntegrityError:
        raise DomainError(f"{agency.name} already has a team called {name}", field="name") from None
    record(
        Verb.TEAM_CREATED,
        by=by,
        data={"team_id": team.pk, "agency_id": agency.pk, "agency": agency.name, "new": {"name": name}},
    )
    return team


@transaction.atomic
def rename_team(team: Team, *, name: str, old_name: str, by: User) -> None:
    require_manager(by)
    teams = Team.objects.filter(agency_id=team.agency_id)
    taken = f"{team.agency.name} already has a team called {{name}}"
    new = _rename(teams, team.pk, name=name, old_name=old_name, what="team", taken=taken)
    if new is not None:
        record(
            Verb.TEAM_RENAMED,
            by=by,
            data={"team_id": team.pk, "agency_id": team.agency_id, "old": {"name": old_name}, "new": {"name": new}},
        )


def _good_name(name: str, *, what: str) -> str:
    """The name without its surrounding spaces, or `DomainError` when it is not one (blank, too long)."""
    name = name.strip()
    problem = name_problem(name, what=what)
    if problem is not None:
        raise DomainError(problem, field="name")
    return name


def _rename(rows: QuerySet[Any], pk: int, *, name: str, old_name: str, what: str, taken: str) -> str | None:
    """Rename the record `pk` of `rows` (the records whose names must differ from it, whatever the
    case) from `old_name`, the name its form showed, to `name`: a compare-and-set, so that a rename
    from a stale page changes nothing (`ConcurrentChange`). The new name, or None when it is the
    same. `taken` is the refusal when another record has the name, with `{name}` in it."""
    name = _good_name(name, what=what)
    if name == old_name:
        return None
    if rows.filter(name__iexact=name).exclude(pk=pk).exists():
        raise DomainError(taken.format(name=name), field="name")
    try:
        with transaction.atomic():
            changed = rows.filter(pk=pk, name=old_name).update(name=name)
    except IntegrityError:
        raise DomainError(taken.format(name=name), field="name") from None
    if not changed:
        raise ConcurrentChange(what)
    return name
