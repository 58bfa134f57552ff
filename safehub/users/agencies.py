"""Adding and renaming the hub's agencies and teams, each audited with the old and new names."""

from __future__ import annotations

from django.db import IntegrityError, transaction

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
    name = name.strip()
    problem = name_problem(name, what="agency")
    if problem is not None:
        raise DomainError(problem, field="name")
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
    name = name.strip()
    problem = name_problem(name, what="agency")
    if problem is not None:
        raise DomainError(problem, field="name")
    if name == old_name:
        return
    if Agency.objects.filter(name__iexact=name).exclude(pk=agency.pk).exists():
        raise DomainError(f"There is already an agency called {name}", field="name")
    try:
        with transaction.atomic():
            changed = Agency.objects.filter(pk=agency.pk, name=old_name).update(name=name)
    except IntegrityError:
        raise DomainError(f"There is already an agency called {name}", field="name") from None
    if not changed:
        raise ConcurrentChange("agency")
    record(Verb.AGENCY_RENAMED, by=by, data={"agency_id": agency.pk, "old": {"name": old_name}, "new": {"name": name}})


@transaction.atomic
def create_team(agency: Agency, *, name: str, by: User) -> Team:
    require_manager(by)
    name = name.strip()
    problem = name_problem(name, what="team")
    if problem is not None:
        raise DomainError(problem, field="name")
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
    name = name.strip()
    problem = name_problem(name, what="team")
    if problem is not None:
        raise DomainError(problem, field="name")
    if name == old_name:
        return
    if Team.objects.filter(agency_id=team.agency_id, name__iexact=name).exclude(pk=team.pk).exists():
        raise DomainError(f"{team.agency.name} already has a team called {name}", field="name")
    try:
        with transaction.atomic():
            changed = Team.objects.filter(pk=team.pk, name=old_name).update(name=name)
    except IntegrityError:
        raise DomainError(f"{team.agency.name} already has a team called {name}", field="name") from None
    if not changed:
        raise ConcurrentChange("team")
    record(
        Verb.TEAM_RENAMED,
        by=by,
        data={"team_id": team.pk, "agency_id": team.agency_id, "old": {"name": old_name}, "new": {"name": name}},
    )
