"""A year of MASH checks at the scale of a large hub, for the load benchmark.

`populate` fills the database with contacts, their subjects, MASH checks, agency requests with
their disclosures, responses and alerts, shaped like a year's work: checks started more than two
days ago have been submitted for decision and nearly all their requests answered (some late, a
few never); recent checks are still open with some answers in. The last few days' other contacts
are still on the hub's work queues (OPEN_WORK), each with the screening, recommendation and
decision its state implies, so every queue holds what a large hub's does at any moment. Rows are written with bulk inserts,
not through the services, so that a year takes a minute rather than hours; the shapes (states,
due times from the active protocol, one disclosure per request) are what the services make.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import connection, models, transaction

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.checks.models import (
    AgencyRequest,
    AgencyResponse,
    Alert,
    AlertKind,
    ChecksState,
    MashChecks,
    RequestState,
    ResponseStatus,
)
from safehub.checks.services import DEFAULT_LAWFUL_BASIS, PURPOSE
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
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Decision, Outcome, Recommendation, Verdict
from safehub.people.models import PersonKind, Sex
from safehub.protocols.models import Brag, Clock, LocalProtocol, ThresholdLevel
from safehub.protocols.policy import Deadlines
from safehub.screening.models import KnownStatus, Screening, ScreeningRoute
from safehub.sharing.models import Disclosure, origin_label

TEAM = "MASH load benchmark"
PREFIX = "LB"
BATCH = 5000
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
# The contacts on the work queues at any moment (besides the open MASH checks), newest first: a
# day's intake waiting to be screened, then those waiting for a threshold decision, for a
# manager's approval and for their outcome to be carried out. About 100,000 contacts a year is
# 270 a day, so these are the last three days' contacts that did not need checks.
OPEN_WORK: tuple[tuple[ContactState, int], ...] = (
    (ContactState.RECEIVED, 120),
    (ContactState.SCREENING, 180),
    (ContactState.AWAITING_THRESHOLD, 150),
    (ContactState.AWAITING_APPROVAL, 80),
    (ContactState.APPROVED, 60),
)
FAMILY = ("Smith", "Jones", "Khan", "Ahmed", "Williams", "Taylor", "Brown", "Ali", "Patel", "Evans", "Davies")

Row = TypeVar("Row", bound=models.Model)


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
    contacts = Contact.objects.filter(team=team, reference__regex=rf"^{PREFIX}[0-9]")  # not the alert storms
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


def _user(username: str, first: str, last: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def make_cast() -> Cast:
    host = Agency.objects.filter(is_host=True).first() or Agency.objects.create(
        name="Children's social care (load benchmark)", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_host=True
    )
    team, _ = Team.objects.get_or_create(agency=host, name=TEAM)
    for n in range(SOCIAL_WORKERS):
        user = _user(f"lb-sw-{n}", "Social", f"Worker {n}")
        Membership.objects.get_or_create(user=user, team=team, role=Role.SOCIAL_WORKER)
    for n in range(MANAGERS):
        user = _user(f"lb-tm-{n}", "Team", f"Manager {n}")
        Membership.objects.get_or_create(user=user, team=team, role=Role.TEAM_MANAGER)
    for kind in (*ALWAYS, *SOMETIMES):
        agency, _ = Agency.objects.get_or_create(
            name=f"{AgencyKind(kind).label} (load benchmark)", defaults={"kind": kind}
        )
        partner_team, _ = Team.objects.get_or_create(agency=agency, name=TEAM)
        for n in range(PARTNERS_PER_AGENCY):
            user = _user(f"lb-{kind}-{n}", AgencyKind(kind).label, f"Partner {n}")
            Membership.objects.get_or_create(user=user, team=partner_team, role=Role.PARTNER_PROFESSIONAL)
        lead = _user(f"lb-{kind}-lead", AgencyKind(kind).label, "Lead")
        Membership.objects.get_or_create(user=lead, team=partner_team, role=Role.TEAM_MANAGER)
    return _cast(team)


def _batches(rows: Iterator[Row], model: type[Row]) -> int:
    """Insert rows in batches of BATCH; returns how many."""
    count = 0
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            model._default_manager.bulk_create(chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        model._default_manager.bulk_create(chunk)
        count += len(chunk)
    return count


def _subjects(rng: random.Random, contact: Contact) -> list[ContactSubject]:
    family = rng.choice(FAMILY)
    born = contact.received_at.date() - timedelta(days=rng.randint(200, 17 * 365))
    child = ContactSubject(
        contact=contact,
        role=SubjectRole.CHILD,
        kind=PersonKind.CHILD,
        given_name=rng.choice(GIVEN),
        family_name=family,
        sex=rng.choice([Sex.FEMALE, Sex.MALE]),
        date_of_birth=born,
        address=f"{rng.randint(1, 200)} Benchmark Road, Birmingham",
        postcode=f"B{rng.randint(1, 99)} {rng.randint(1, 9)}AA",
        order=0,
    )
    parent = ContactSubject(
        contact=contact,
        role=SubjectRole.PARENT,
        kind=PersonKind.ADULT,
        given_name=rng.choice(GIVEN),
        family_name=family,
        sex=Sex.FEMALE,
        date_of_birth=born - timedelta(days=rng.randint(18 * 365, 40 * 365)),
        address=child.address,
        postcode=child.postcode,
        has_parental_responsibility=True,
        order=1,
    )
    return [child, parent]


def _person(subject: ContactSubject) -> dict[str, Any]:
    return {
        "name": subject.display_name,
        "role": subject.get_role_display(),
        "date_of_birth": subject.date_of_birth.isoformat() if subject.date_of_birth else "",
        "expected_date_of_delivery": "",
        "address": subject.address,
        "postcode": subject.postcode,
        "nhs_number": "",
    }


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
        cast = make_cast()
    agencies = {a.kind: a for a in Agency.objects.filter(teams__name=TEAM, is_host=False)}
    hub_staff = cast.social_workers + cast.managers
    year = timedelta(days=365)

    progress(f"{scale.contacts:,} contacts and their subjects")
    with_checks = set(rng.sample(range(scale.contacts), scale.checks))
    contacts: list[Contact] = []
    for n in range(scale.contacts):
        received = now - year + timedelta(seconds=rng.randint(0, int(year.total_seconds()) - 3600))
        contacts.append(
            Contact(
                reference=f"{PREFIX}{n:07d}",
                team=cast.team,
                received_at=received,
                channel=rng.choice(Channel.values),
                source=rng.choice(ReferralSource.values),
                referrer_kind=ReferrerKind.PROFESSIONAL,
                referrer_name="Benchmark referrer",
                narrative="Generated for the load benchmark.",
                immediate_protection=YesNoUnknown.NO,
                parents_aware=YesNoUnknown.YES,
                parents_agree=YesNoUnknown.YES,
                consent=ConsentPosition.GIVEN,
                state=ContactState.CLOSED,
                recorded_by=rng.choice(hub_staff),
                recorded_at=received,
            )
        )
    # Contacts whose checks are still open are in the MASH checks state (decided below).
    starts = {n: contacts[n].received_at + timedelta(minutes=rng.randint(30, 240)) for n in with_checks}
    recent = now - timedelta(days=2)
    for n, start in starts.items():
        if start > recent:
            contacts[n].state = ContactState.MASH_CHECKS
            contacts[n].current_due_at = start + timedelta(hours=24)
    newest = sorted((n for n in range(scale.contacts) if n not in with_checks), key=lambda n: contacts[n].received_at)
    open_work = _open_work([contacts[n] for n in reversed(newest)], deadlines)
    with transaction.atomic():
        _batches(iter(contacts), Contact)
    stored = {c.reference: c.pk for c in Contact.objects.filter(team=cast.team).only("pk", "reference")}
    for contact in contacts:
        contact.pk = stored[contact.reference]
    subjects = {n: _subjects(rng, contacts[n]) for n in range(scale.contacts)}
    with transaction.atomic():
        _batches((s for pair in subjects.values() for s in pair), ContactSubject)
        _store_open_work(open_work, cast, list(protocol.levels.all()), rng)

    progress(f"{scale.checks:,} sets of MASH checks")
    order = sorted(with_checks, key=lambda n: starts[n])
    extra = scale.requests - len(ALWAYS) * scale.checks  # requests beyond the always-checked agencies
    extras = _spread(extra, scale.checks, len(SOMETIMES), rng)
    checks_rows: list[MashChecks] = []
    for n in order:
        start = starts[n]
        submitted = start <= recent
        checks_rows.append(
            MashChecks(
                contact_id=contacts[n].pk,
                reason="Need and risk are unclear: partner information is needed before deciding",
                rating=rng.choice([Brag.RED, Brag.AMBER, Brag.AMBER, Brag.GREEN]),
                lawful_basis=DEFAULT_LAWFUL_BASIS,
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
        _batches(iter(checks_rows), MashChecks)
    by_contact = dict(MashChecks.objects.filter(contact__team=cast.team).values_list("contact_id", "pk"))
    for row in checks_rows:
        row.pk = by_contact[row.contact_id]

    progress(f"{scale.requests:,} agency requests with their disclosures, responses and alerts")
    requests: list[AgencyRequest] = []
    for row, n, how_many in zip(checks_rows, order, extras, strict=True):
        people = [_person(s) for s in subjects[n]]
        for kind in (*ALWAYS, *rng.sample(SOMETIMES, how_many)):
            due = deadlines.request_due(start=row.started_at, rating=row.rating, agency=kind)
            due = due or row.started_at + timedelta(hours=24)
            answered = _answered_at(rng, row, due, now=now)
            requests.append(
                AgencyRequest(
                    checks_id=row.pk,
                    agency=agencies[kind],
                    questions="Is the family known to you? Any concerns about the children or the adults?",
                    subjects=people,
                    due_at=due,
                    sent_at=row.started_at,
                    state=RequestState.ANSWERED if answered else RequestState.SENT,
                    answered_at=answered,
                    version=1 if answered else 0,
                )
            )
    with transaction.atomic():
        _batches(iter(requests), AgencyRequest)
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
        _batches(_disclosures(requests, checks_by_pk, contacts_by_checks=by_contact), Disclosure)
        _batches(_responses(requests, cast, rng), AgencyResponse)
        _batches(_alerts(requests, checks_by_pk, cast, now=now), Alert)
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
        open_contacts=sorted(c.pk for c in contacts if c.state != ContactState.CLOSED),
        all_contacts=sorted(c.pk for c in contacts),
    )


def _open_work(newest_first: Sequence[Contact], deadlines: Deadlines) -> list[Contact]:
    """Put the newest contacts on the work queues, OPEN_WORK's numbers of each state, with the due
    time their state's clock gives (the screening clock from receipt, approval from the
    recommendation, as the services start them). Returns the contacts it changed."""
    changed: list[Contact] = []
    remaining = iter(newest_first)
    for state, count in OPEN_WORK:
        for _, contact in zip(range(count), remaining, strict=False):
            contact.state = state
            received = contact.received_at
            clock = {
                ContactState.RECEIVED: Clock.SCREENING,
                ContactState.SCREENING: Clock.SCREENING,
                ContactState.AWAITING_THRESHOLD: Clock.THRESHOLD_DECISION,
                ContactState.AWAITING_APPROVAL: Clock.APPROVAL,
                ContactState.APPROVED: Clock.OUTCOME_TO_REFERRER,
            }[state]
            start = _recommended_at(contact) if state == ContactState.AWAITING_APPROVAL else received
            contact.current_due_at = deadlines.due(clock, start=start) or received + timedelta(hours=24)
            changed.append(contact)
    return changed


def _screened_at(contact: Contact) -> datetime:
    return contact.received_at + timedelta(hours=1)


def _recommended_at(contact: Contact) -> datetime:
    return contact.received_at + timedelta(hours=3)


def _store_open_work(
    contacts: Sequence[Contact], cast: Cast, levels: Sequence[ThresholdLevel], rng: random.Random
) -> None:
    """The screening, recommendation and decision that each open contact's state implies."""
    screened = [c for c in contacts if c.state not in (ContactState.RECEIVED, ContactState.SCREENING)]
    Screening.objects.bulk_create(
        Screening(
            contact=contact,
            known_status=rng.choice(KnownStatus.values),
            route=ScreeningRoute.REFER_FOR_THRESHOLD,
            screened_by=rng.choice(cast.social_workers),
            screened_at=_screened_at(contact),
        )
        for contact in screened
    )
    recommended = [c for c in screened if c.state != ContactState.AWAITING_THRESHOLD]
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            contact=contact,
            rating=rng.choice([Brag.RED, Brag.AMBER, Brag.AMBER, Brag.GREEN]),
            level=rng.choice(levels),
            outcome=rng.choice([Outcome.EARLY_HELP, Outcome.SECTION_17_ASSESSMENT, Outcome.NO_FURTHER_ACTION]),
            rationale="Needs and risks weighed against the threshold document; records checked.",
            recommended_by=rng.choice(cast.social_workers),
            recommended_at=_recommended_at(contact),
        )
        for contact in recommended
    )
    Decision.objects.bulk_create(
        Decision(
            contact=recommendation.contact,
            recommendation=recommendation,
            verdict=Verdict.APPROVED,
            outcome=recommendation.outcome,
            rationale="Agreed with the recommendation.",
            decided_by=rng.choice(cast.managers),
            decided_at=recommendation.recommended_at + timedelta(hours=2),
        )
        for recommendation in recommendations
        if recommendation.contact.state == ContactState.APPROVED
    )


def _spread(total: int, buckets: int, most: int, rng: random.Random) -> list[int]:
    """`total` extra agencies over `buckets` sets of checks, at most `most` each."""
    counts = [total // buckets] * buckets
    for index in rng.sample(range(buckets), total % buckets):
        counts[index] += 1
    if max(counts) > most:
        raise ValueError("Too many requests for the number of checks")
    return counts


def _answered_at(rng: random.Random, checks: MashChecks, due: datetime, *, now: datetime) -> datetime | None:
    """Most answers come before the due time, one in ten late, one in 200 never (for old checks)."""
    start = checks.started_at
    if checks.state == ChecksState.OPEN and rng.random() < 0.5:
        return None
    if checks.state == ChecksState.SUBMITTED and rng.random() < 0.005:
        return None
    span = max((due - start).total_seconds(), 600.0)
    late = rng.random() < 0.1
    answered = start + timedelta(seconds=rng.uniform(0.1, 1.0 if not late else 2.5) * span)
    return min(answered, now - timedelta(minutes=1))


def _disclosures(
    requests: Sequence[AgencyRequest], checks: dict[int, MashChecks], *, contacts_by_checks: dict[int, int]
) -> Iterator[Disclosure]:
    contact_of = {pk: contact for contact, pk in contacts_by_checks.items()}
    for request in requests:
        row = checks[request.checks_id]
        yield Disclosure(
            origin=origin_label(request),
            origin_id=request.pk,
            contact_id=contact_of[request.checks_id],
            agency=request.agency,
            disclosed_by_id=row.started_by_id,
            disclosed_at=request.sent_at,
            purpose=PURPOSE,
            lawful_basis=row.lawful_basis,
            consent_position=ConsentPosition.GIVEN.label,
            content={
                "subjects": request.subjects,
                "reason": row.reason,
                "risk": Brag(row.rating).label,
                "consent": ConsentPosition.GIVEN.label,
                "questions": request.questions,
                "respond_by": request.due_at.isoformat(),
            },
        )


def _responses(requests: Sequence[AgencyRequest], cast: Cast, rng: random.Random) -> Iterator[AgencyResponse]:
    for request in requests:
        if request.answered_at is None:
            continue
        nothing = rng.random() < 0.6
        yield AgencyResponse(
            request_id=request.pk,
            status=ResponseStatus.SUBMITTED,
            nothing_known=nothing,
            information="" if nothing else "Known to the agency: two incidents at the address this year.",
            analysis="" if nothing else "Suggests a pattern of escalating risk to the child.",
            sources_searched="The agency's case records",
            author=rng.choice(cast.partners[request.agency.kind]),
            created_at=request.answered_at,
            submitted_at=request.answered_at,
        )


def _alerts(
    requests: Sequence[AgencyRequest], checks: dict[int, MashChecks], cast: Cast, *, now: datetime
) -> Iterator[Alert]:
    """The reminders and escalations a year of work leaves behind, all sent, as the worker makes them."""
    for request in requests:
        answered = request.answered_at
        reminded = request.due_at - timedelta(hours=1)
        if reminded > now or (answered is not None and answered <= reminded):
            continue
        partners = cast.partners[request.agency.kind]
        for user in partners:
            yield Alert(
                request_id=request.pk, kind=AlertKind.REMINDER, recipient=user, created_at=reminded, sent_at=reminded
            )
        if request.due_at <= now and (answered is None or answered > request.due_at):
            for user_id in {checks[request.checks_id].coordinator_id, *(p.pk for p in partners)}:
                yield Alert(
                    request_id=request.pk,
                    kind=AlertKind.BREACH,
                    recipient_id=user_id,
                    created_at=request.due_at,
                    sent_at=request.due_at,
                    read_at=answered,
                )
