"""A year of MASH checks at the scale of a large hub, for the load benchmark.

`populate` fills the database with contacts, their subjects, MASH checks, agency requests with
their disclosures, responses and alerts, shaped like a year's work: checks started more than two
days ago have been submitted for decision and nearly all their requests answered (some late, a
few never); recent checks are still open with some answers in. The year (100,000 contacts and
150,000 requests by default) is written with bulk inserts, not through the services: through them
it would take hours rather than a minute. The shapes (states, due times from the active protocol,
one disclosure per request) are what the services make, but closed contacts have no history rows.
The newest few hundred other contacts, the open work on every queue, do go through the front
door's services (`open_work`), so their states, due times and histories are the services' own.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.benchmarks.open_work import OPEN_WORK, walk_open_work
from safehub.checks.models import AgencyRequest, AgencyResponse, Alert, ChecksState, MashChecks
from safehub.checks.services import DEFAULT_BASES
from safehub.contacts.models import (
    Channel,
    ConsentPosition,
    Contact,
    ContactSubject,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.search_terms import index_contacts
from safehub.contacts.workflow import ContactState
from safehub.mfa.services import authenticator_for, enrol_demo_account
from safehub.people.models import PersonKind, Sex
from safehub.protocols.models import Brag, LocalProtocol
from safehub.protocols.policy import Deadlines
from safehub.sharing.models import Disclosure
from safehub.synthetic.bulk import batches
from safehub.synthetic.checks_rows import (
    agency_request,
    alerts_for,
    answered_at,
    disclosures_for,
    request_subject,
    responses_to,
    spread,
)

TEAM = "MASH load benchmark"
PREFIX = "LB"
STORM_PREFIX = f"{PREFIX}S"  # the alert storms' contacts (`alert_storm`), not the year's
ALWAYS = (AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION)
SOMETIMES = (
    AgencyKind.HOUSING,
    AgencyKind.PROBATION,
    AgencyKind.DOMESTIC_ABUSE,
    AgencyKind.SUBSTANCE_MISUSE,
    AgencyKind.GP_PRACTICE,
    AgencyKind.EARLY_YEARS,
)
PARTNERS_PER_AGENCY = 5
SOCIAL_WORKERS = 30
MANAGERS = 5
GIVEN = ("Amelia", "Olivia", "Isla", "Noah", "Oliver", "Muhammad", "Leo", "Ava", "Freya", "Harry", "Aisha", "Zain")
FAMILY = ("Smith", "Jones", "Khan", "Ahmed", "Williams", "Taylor", "Brown", "Ali", "Patel", "Evans", "Davies")


@dataclass(frozen=True)
class Scale:
    contacts: int = 100_000
    checks: int = 30_000
    requests: int = 150_000

    def __post_init__(self) -> None:
        if not 0 < self.checks <= self.contacts:
            raise ValueError("There must be at least one set of checks, and no more than there are contacts")
        if not len(ALWAYS) * self.checks <= self.requests <= (len(ALWAYS) + len(SOMETIMES)) * self.checks:
            raise ValueError(
                f"Each set of checks asks {len(ALWAYS)} to {len(ALWAYS) + len(SOMETIMES)} agencies:"
                f" requests must be between {len(ALWAYS) * self.checks} and"
                f" {(len(ALWAYS) + len(SOMETIMES)) * self.checks}"
            )


@dataclass(frozen=True)
class Cast:
    """The people the benchmark signs in as."""

    team: Team
    social_workers: list[User]
    managers: list[User]
    partners: dict[str, list[User]]  # by agency kind

    @property
    def all_partners(self) -> list[User]:
        return [user for users in self.partners.values() for user in users]


@dataclass(frozen=True)
class Populated:
    cast: Cast
    contacts: int
    checks: int
    requests: int
    open_checks: list[int]
    all_checks: list[int]
    open_contacts: list[int]  # on a work queue: not closed
    all_contacts: list[int]


def existing(*, now: datetime) -> Populated | None:
    """The benchmark data already in this database, if a run stored it."""
    team = Team.objects.filter(name=TEAM, agency__is_host=True).first()
    if team is None:
        return None
    contacts = Contact.objects.filter(team=team).exclude(reference__startswith=STORM_PREFIX)
    checks = MashChecks.objects.filter(contact__in=contacts)
    every = list(contacts.order_by("pk").values_list("pk", flat=True))
    return Populated(
        cast=_cast(team),
        contacts=len(every),
        checks=checks.count(),
        requests=AgencyRequest.objects.filter(checks__in=checks).count(),
        open_checks=list(checks.filter(state=ChecksState.OPEN).values_list("pk", flat=True)),
        all_checks=list(checks.values_list("pk", flat=True)),
        open_contacts=list(contacts.exclude(state=ContactState.CLOSED).order_by("pk").values_list("pk", flat=True)),
        all_contacts=every,
    )


def _cast(team: Team) -> Cast:
    members = Membership.objects.filter(team=team).select_related("user")
    partners: dict[str, list[User]] = {}
    for membership in Membership.objects.filter(
        team__name=TEAM, role=Role.PARTNER_PROFESSIONAL, team__agency__is_host=False
    ).select_related("user", "team__agency"):
        partners.setdefault(membership.team.agency.kind, []).append(membership.user)
    return Cast(
        team=team,
        social_workers=[m.user for m in members if m.role == Role.SOCIAL_WORKER],
        managers=[m.user for m in members if m.role == Role.TEAM_MANAGER],
        partners=partners,
    )


def _user(username: str, first: str, last: str, *, at: datetime) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if authenticator_for(user) is None:  # its sessions pass the second step with it (loadtest.sign_in)
        enrol_demo_account(user, at=at, process="benchmark")
    return user


def make_cast(*, at: datetime) -> Cast:
    host = Agency.objects.filter(is_host=True).first() or Agency.objects.create(
        name="Children's social care (load benchmark)", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_host=True
    )
    team, _ = Team.objects.get_or_create(agency=host, name=TEAM)
    for n in range(SOCIAL_WORKERS):
        user = _user(f"lb-sw-{n}", "Social", f"Worker {n}", at=at)
        Membership.objects.get_or_create(user=user, team=team, role=Role.SOCIAL_WORKER)
    for n in range(MANAGERS):
        user = _user(f"lb-tm-{n}", "Team", f"Manager {n}", at=at)
        Membership.objects.get_or_create(user=user, team=team, role=Role.TEAM_MANAGER)
    for kind in (*ALWAYS, *SOMETIMES):
        agency, _ = Agency.objects.get_or_create(
            name=f"{AgencyKind(kind).label} (load benchmark)", defaults={"kind": kind}
        )
        partner_team, _ = Team.objects.get_or_create(agency=agency, name=TEAM)
        for n in range(PARTNERS_PER_AGENCY):
            user = _user(f"lb-{kind}-{n}", AgencyKind(kind).label, f"Partner {n}", at=at)
            Membership.objects.get_or_create(user=user, team=partner_team, role=Role.PARTNER_PROFESSIONAL)
        lead = _user(f"lb-{kind}-lead", AgencyKind(kind).label, "Lead", at=at)
        Membership.objects.get_or_create(user=lead, team=partner_team, role=Role.TEAM_MANAGER)
    return _cast(team)


def _fields(rng: random.Random, received: datetime) -> dict[str, Any]:
    """A contact as its referrer gave it."""
    return {
        "received_at": received,
        "channel": rng.choice(Channel.values),
        "source": rng.choice(ReferralSource.values),
        "referrer_kind": ReferrerKind.PROFESSIONAL,
        "referrer_name": "Benchmark referrer",
        "referrer_agency": "Benchmark agency",
        "narrative": "Generated for the load benchmark.",
        "immediate_protection": YesNoUnknown.NO,
        "parents_aware": YesNoUnknown.YES,
        "parents_agree": YesNoUnknown.YES,
        "consent": ConsentPosition.GIVEN,
    }


def _subjects(rng: random.Random, received: datetime) -> list[dict[str, Any]]:
    """A child and their mother, as the contact names them."""
    family = rng.choice(FAMILY)
    born = received.date() - timedelta(days=rng.randint(200, 17 * 365))
    address = f"{rng.randint(1, 200)} Benchmark Road, Birmingham"
    postcode = f"B{rng.randint(1, 99)} {rng.randint(1, 9)}AA"
    child = {
        "role": SubjectRole.CHILD,
        "kind": PersonKind.CHILD,
        "given_name": rng.choice(GIVEN),
        "family_name": family,
        "sex": rng.choice([Sex.FEMALE, Sex.MALE]),
        "date_of_birth": born,
        "address": address,
        "postcode": postcode,
    }
    parent = {
        "role": SubjectRole.PARENT,
        "kind": PersonKind.ADULT,
        "given_name": rng.choice(GIVEN),
        "family_name": family,
        "sex": Sex.FEMALE,
        "date_of_birth": born - timedelta(days=rng.randint(18 * 365, 40 * 365)),
        "address": address,
        "postcode": postcode,
        "has_parental_responsibility": True,
    }
    return [child, parent]


def populate(
    scale: Scale, *, now: datetime, seed: int = 7, progress: Callable[[str], None] = lambda _: None
) -> Populated:
    """Store a year of contacts and MASH checks ending at `now`. Deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - generating benchmark data, not security
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    if protocol is None:
        raise ValueError("No local protocol is active: choose one before running the benchmark")
    deadlines = Deadlines(protocol)
    with transaction.atomic():
        cast = make_cast(at=now)
    agencies = {a.kind: a for a in Agency.objects.filter(teams__name=TEAM, is_host=False)}
    hub_staff = cast.social_workers + cast.managers
    year = timedelta(days=365)

    progress(f"{scale.contacts:,} contacts and their subjects")
    with_checks = set(rng.sample(range(scale.contacts), scale.checks))
    fields = [
        _fields(rng, now - year + timedelta(seconds=rng.randint(0, int(year.total_seconds()) - 3600)))
        for _ in range(scale.contacts)
    ]
    subjects = [_subjects(rng, f["received_at"]) for f in fields]
    # The newest contacts without checks are the open work, walked through the services below.
    newest = sorted(set(range(scale.contacts)) - with_checks, key=lambda n: fields[n]["received_at"], reverse=True)
    open_work = newest[: sum(count for _, count in OPEN_WORK)]
    contacts = {
        n: Contact(
            reference=f"{PREFIX}{n:07d}",
            team=cast.team,
            state=ContactState.CLOSED,
            recorded_by=rng.choice(hub_staff),
            recorded_at=fields[n]["received_at"],
            **fields[n],
        )
        for n in sorted(set(range(scale.contacts)) - set(open_work))
    }
    # Contacts whose checks are still open are in the MASH checks state (decided below).
    starts = {n: contacts[n].received_at + timedelta(minutes=rng.randint(30, 240)) for n in with_checks}
    recent = now - timedelta(days=2)
    for n, start in starts.items():
        if start > recent:
            contacts[n].state = ContactState.MASH_CHECKS
            contacts[n].current_due_at = start + timedelta(hours=24)
    with transaction.atomic():
        batches(iter(contacts.values()), Contact)
    stored = {c.reference: c.pk for c in Contact.objects.filter(team=cast.team).only("pk", "reference")}
    for contact in contacts.values():
        contact.pk = stored[contact.reference]
    with transaction.atomic():
        batches(
            (
                ContactSubject(contact=contact, order=order, **subject)
                for n, contact in contacts.items()
                for order, subject in enumerate(subjects[n])
            ),
            ContactSubject,
        )
        index_contacts()  # what Find a contact looks them up by (those walked below write their own)
    progress(f"{len(open_work)} of the newest through the front door's services, to wait on the work queues")
    walked = walk_open_work(
        [(fields[n], subjects[n]) for n in open_work],
        team=cast.team,
        social_workers=cast.social_workers,
        managers=cast.managers,
        levels=list(protocol.levels.all()),
        rng=rng,
        now=now,
    )
    contacts.update(zip(open_work, walked, strict=True))

    progress(f"{scale.checks:,} sets of MASH checks")
    order = sorted(with_checks, key=lambda n: starts[n])
    extra = scale.requests - len(ALWAYS) * scale.checks  # requests beyond the always-checked agencies
    extras = spread(extra, scale.checks, len(SOMETIMES), rng)
    checks_rows: list[MashChecks] = []
    for n in order:
        start = starts[n]
        submitted = start <= recent
        checks_rows.append(
            MashChecks(
                contact_id=contacts[n].pk,
                reason="Need and risk are unclear: partner information is needed before deciding",
                rating=rng.choice([Brag.RED, Brag.AMBER, Brag.AMBER, Brag.GREEN]),
                bases=[basis.value for basis in DEFAULT_BASES],
                coordinator=rng.choice(cast.social_workers),
                started_by=rng.choice(cast.managers),
                started_at=start,
                state=ChecksState.SUBMITTED if submitted else ChecksState.OPEN,
                analysis="Partner information gathered; see the responses." if submitted else "",
                submitted_by=rng.choice(cast.social_workers) if submitted else None,
                submitted_at=start + timedelta(hours=rng.uniform(4, 30)) if submitted else None,
            )
        )
    with transaction.atomic():
        batches(iter(checks_rows), MashChecks)
    by_contact = dict(MashChecks.objects.filter(contact__team=cast.team).values_list("contact_id", "pk"))
    for row in checks_rows:
        row.pk = by_contact[row.contact_id]

    progress(f"{scale.requests:,} agency requests with their disclosures, responses and alerts")
    requests: list[AgencyRequest] = []
    for row, n, how_many in zip(checks_rows, order, extras, strict=True):
        people = [request_subject(s) for s in subjects[n]]
        for kind in (*ALWAYS, *rng.sample(SOMETIMES, how_many)):
            due = deadlines.request_due(start=row.started_at, rating=row.rating, agency=kind)
            due = due or row.started_at + timedelta(hours=24)
            answered = answered_at(rng, row, due, now=now)
            requests.append(agency_request(row, agencies[kind], people, due=due, answered=answered))
    with transaction.atomic():
        batches(iter(requests), AgencyRequest)
    ids = {
        (c, a): pk
        for pk, c, a in AgencyRequest.objects.filter(checks__contact__team=cast.team).values_list(
            "pk", "checks_id", "agency_id"
        )
    }
    for request in requests:
        request.pk = ids[(request.checks_id, request.agency_id)]
    checks_by_pk = {row.pk: row for row in checks_rows}
    with transaction.atomic():
        batches(disclosures_for(requests, checks_by_pk, contacts_by_checks=by_contact), Disclosure)
        batches(responses_to(requests, cast.partners, rng), AgencyResponse)
        batches(alerts_for(requests, checks_by_pk, cast.partners, now=now), Alert)
    if connection.vendor == "postgresql":
        progress("planner statistics (ANALYZE), as autovacuum would gather them")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    open_checks = [row.pk for row in checks_rows if row.state == ChecksState.OPEN]
    return Populated(
        cast,
        scale.contacts,
        scale.checks,
        len(requests),
        open_checks,
        [r.pk for r in checks_rows],
        open_contacts=sorted(c.pk for c in contacts.values() if c.state != ContactState.CLOSED),
        all_contacts=sorted(c.pk for c in contacts.values()),
    )
