"""A year of a hub's closed work at Birmingham's scale (100,000 contacts), for the dashboard and census
benchmarks (issue 16): `synthetic.year` made for the load benchmark's people (`checks_data.make_cast`),
with contact officers, strategy coordinators, a performance lead and an assessment team beside them.

Stored once: `existing` finds a year a run stored before, and `populate` refuses to store a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from safehub.accounts.models import Agency, Membership, Role, Team, User
from safehub.benchmarks.checks_data import TEAM, Cast, _user, make_cast
from safehub.benchmarks.strategy_data import _coordinators
from safehub.contacts.models import Contact
from safehub.synthetic import year
from safehub.synthetic.year_rows import REFERENCE_PREFIX

CONTACTS = 100_000
OFFICERS = 12
ASSESSMENT_WORKERS = 40
ASSESSMENT_TEAM = "Assessment team (load benchmark)"
PERFORMANCE_LEAD = "lb-performance-lead"


@dataclass(frozen=True)
class Stored:
    cast: Cast
    performance_lead: User
    contacts: int
    seconds: float | None = None  # how long storing it took, when this run stored it
    made: year.Made | None = None


def _people(cast: Cast, *, at: datetime) -> tuple[year.Hub, User]:
    officers = []
    for n in range(OFFICERS):
        user = _user(f"lb-co-{n}", "Contact", f"Officer {n}", at=at)
        Membership.objects.get_or_create(user=user, team=cast.team, role=Role.CONTACT_OFFICER)
        officers.append(user)
    lead = _user(PERFORMANCE_LEAD, "Performance", "Lead", at=at)
    Membership.objects.get_or_create(user=lead, team=cast.team, role=Role.PERFORMANCE_LEAD)
    assessment, _ = Team.objects.get_or_create(agency=cast.team.agency, name=ASSESSMENT_TEAM)
    workers = []
    for n in range(ASSESSMENT_WORKERS):
        user = _user(f"lb-asw-{n}", "Assessment", f"Worker {n}", at=at)
        Membership.objects.get_or_create(user=user, team=assessment, role=Role.SOCIAL_WORKER)
        workers.append(user)
    agencies = {agency.kind: agency for agency in Agency.objects.filter(teams__name=TEAM, is_host=False)}
    hub = year.Hub(
        team=cast.team,
        officers=officers,
        social_workers=cast.social_workers,
        managers=cast.managers,
        coordinators=_coordinators(cast, at=at),
        agencies=agencies,
        partners=cast.partners,
        assessment_team=ASSESSMENT_TEAM,
        assessment_workers=workers,
    )
    return hub, lead


def existing(*, now: datetime) -> Stored | None:
    """The year a run stored in this database before, if any."""
    count = Contact.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    lead = User.objects.filter(username=PERFORMANCE_LEAD).first()
    if not count or lead is None:
        return None
    with transaction.atomic():
        cast = make_cast(at=now)
    return Stored(cast=cast, performance_lead=lead, contacts=count)


def populate(
    scale: int = CONTACTS, *, now: datetime, seed: int = 2026, progress: Callable[[str], None] = lambda _: None
) -> Stored:
    """Store a year of `scale` contacts ending at `now`, or the one stored before (whatever its scale)."""
    found = existing(now=now)
    if found is not None:
        return found
    began = time.perf_counter()
    with transaction.atomic():
        cast = make_cast(at=now)
        hub, lead = _people(cast, at=now)
    made = year.make_year(hub, scale=scale, end=now, now=now, importer=lead, seed=seed, progress=progress)
    return Stored(cast=cast, performance_lead=lead, contacts=scale, seconds=time.perf_counter() - began, made=made)
