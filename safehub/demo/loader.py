"""Load the demo hub: agencies, one user per role, households, and weeks of contacts in every state."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from safehub.accounts.demo import DEMO_PASSWORD, DEMO_USERNAME_PREFIX
from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.late_answers import forward_late_answers, note_decision
from safehub.contacts.models import Contact, ContactSubject, StateChange
from safehub.contacts.workflow import ContactState, Event, next_state
from safehub.decisions.models import STATUTORY_OUTCOMES, Decision, OutcomeAction, Recommendation, Referral
from safehub.demo.checks import add_mash_checks
from safehub.demo.histories import HistoryMaker, Staff
from safehub.demo.households import create_duplicate_records, create_households
from safehub.matching.duplicates import find_duplicates
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.screening.models import Screening

CONTACTS_PER_WEEK = 525  # Walsall MASH, seed 004 §9
PARTNERS = [
    ("Demo Constabulary", AgencyKind.POLICE, "police"),
    ("Demo Community Health NHS Trust", AgencyKind.HEALTH, "health"),
    ("Demo Borough Education Service", AgencyKind.EDUCATION, "education"),
    ("Demo Medical Practice", AgencyKind.GP_PRACTICE, "gp"),
    ("Demo Probation Delivery Unit", AgencyKind.PROBATION, "probation"),
    ("Demo Borough Housing", AgencyKind.HOUSING, "housing"),
    ("Demo Domestic Abuse Service", AgencyKind.DOMESTIC_ABUSE, "domestic_abuse"),
    ("Demo Recovery Service", AgencyKind.SUBSTANCE_MISUSE, "substance_misuse"),
    ("Demo Early Years Service", AgencyKind.EARLY_YEARS, "early_years"),
    ("Demo Adult Social Care", AgencyKind.ADULT_SOCIAL_CARE, "adult_social_care"),
    ("Demo Early Help Hub", AgencyKind.EARLY_HELP, "early_help"),
    ("Demo Youth Justice Service", AgencyKind.YOUTH_JUSTICE, "youth_justice"),
]
HUB_STAFF = [
    ("contact_officer", Role.CONTACT_OFFICER, "Contact officer"),
    ("contact_officer_2", Role.CONTACT_OFFICER, "Referral and advice officer"),
    ("social_worker", Role.SOCIAL_WORKER, "MASH social worker"),
    ("social_worker_2", Role.SOCIAL_WORKER, "MASH social worker"),
    ("senior_practitioner", Role.SENIOR_PRACTITIONER, "Senior practitioner"),
    ("team_manager", Role.TEAM_MANAGER, "MASH team manager"),
    ("team_manager_2", Role.TEAM_MANAGER, "MASH team manager"),
    ("strategy_coordinator", Role.STRATEGY_COORDINATOR, "Strategy coordinator"),
    ("performance_lead", Role.PERFORMANCE_LEAD, "Performance and quality lead"),
    ("data_protection_officer", Role.DATA_PROTECTION_OFFICER, "Data protection officer"),
    ("administrator", Role.ADMINISTRATOR, "System administrator"),
]

# The social workers statutory outcomes allocate children to: they see those contacts, and late MASH
# check answers about them.
ASSESSMENT_STAFF = ["assessment_social_worker", "assessment_social_worker_2"]


@dataclass(frozen=True)
class DemoSummary:
    people: int
    contacts: int
    states: dict[str, int]
    referrals: int
    overdue: int


class DemoDataExists(Exception):  # noqa: N818 (a plain statement of fact)
    pass


def _users(fake: Faker) -> tuple[Team, dict[str, User]]:
    host = Agency.objects.create(
        name="Demo Borough Council Children's Services", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_host=True
    )
    mash = Team.objects.create(name="MASH", agency=host)
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}

    def make(handle: str, role: Role, title: str, team: Team) -> None:
        user = User.objects.create(
            username=f"{DEMO_USERNAME_PREFIX}{handle}",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{handle}@demo.invalid",
            job_title=title,
            password=password,
            is_staff=role == Role.ADMINISTRATOR,
        )
        Membership.objects.create(user=user, team=team, role=role)
        users[handle] = user

    for handle, role, title in HUB_STAFF:
        make(handle, role, title, mash)
    assessment = Team.objects.create(name="Assessment team 1", agency=host)
    for handle in ASSESSMENT_STAFF:
        make(handle, Role.SOCIAL_WORKER, "Assessment social worker", assessment)
    for name, kind, handle in PARTNERS:
        agency = Agency.objects.create(name=name, kind=kind)
        team = Team.objects.create(name="MASH desk", agency=agency)
        make(f"partner_{handle}", Role.PARTNER_PROFESSIONAL, "Designated MASH professional", team)
    return mash, users


DUPLICATE_RECORDS = 24
MASH_CHECKS = 30


def load_demo(
    *, people: int = 2000, weeks: int = 6, seed: int = 2026, at: datetime, progress: Callable[[str], None] = print
) -> DemoSummary:
    if Contact.objects.exists() or User.objects.filter(username__startswith=DEMO_USERNAME_PREFIX).exists():
        raise DemoDataExists("This database already has contacts or demo users")
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    with transaction.atomic():
        mash, users = _users(fake)
        progress(f"Agencies, teams and {len(users)} demo users")
        houses = create_households(people, rng=rng, fake=fake, at=at)
        count_people = sum(len(h.adults) + len(h.children) + (1 if h.unborn else 0) for h in houses)
        progress(f"{count_people} people in {len(houses)} households")
        duplicates = create_duplicate_records(houses, rng=rng, count=DUPLICATE_RECORDS)
        found = find_duplicates(at=at)
        progress(f"Person index built; {len(duplicates)} children recorded twice, {found.new} pairs queued for review")
        protocol = active_protocol()
        staff = Staff(
            officers=[users["contact_officer"], users["contact_officer_2"]],
            social_workers=[users["social_worker"], users["social_worker_2"], users["senior_practitioner"]],
            managers=[users["team_manager"], users["team_manager_2"]],
            assessment=[users[handle] for handle in ASSESSMENT_STAFF],
        )
        maker = HistoryMaker(
            rng=rng, fake=fake, staff=staff, deadlines=Deadlines(protocol), levels=list(protocol.levels.all()), now=at
        )
        total = weeks * CONTACTS_PER_WEEK
        times = sorted(maker.received_at(weeks) for _ in range(total))
        histories = [maker.contact(rng.choice(houses), received) for received in times]
        progress(f"{total} contacts over {weeks} weeks")
        _save(histories, mash=mash, recorder=users["contact_officer"], at=at)
    checked = add_mash_checks(
        managers=staff.managers, coordinators=staff.social_workers, rng=rng, now=at, count=MASH_CHECKS
    )
    progress(f"MASH checks on {checked} contacts, answered by the demo partner agencies or still outstanding")
    states = Counter(Contact.objects.values_list("state", flat=True))
    summary = DemoSummary(
        people=count_people,
        contacts=total,
        states=dict(states),
        referrals=Referral.objects.count(),
        overdue=Contact.objects.overdue(at=at).count(),
    )
    progress(f"States: {summary.states}; referrals: {summary.referrals}; overdue now: {summary.overdue}")
    return summary


def _save(histories: list, *, mash: Team, recorder: User, at: datetime) -> None:  # type: ignore[type-arg]
    contacts = [
        Contact(
            reference=f"demo-{i}",
            team=mash,
            recorded_by=recorder,
            recorded_at=h.fields["received_at"],
            state=h.state,
            version=len(h.steps),
            current_due_at=h.due_at,
            **h.fields,
        )
        for i, h in enumerate(histories)
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    for contact in contacts:
        contact.reference = f"C{contact.received_at.year}-{contact.pk:06d}"
    Contact.objects.bulk_update(contacts, ["reference"], batch_size=500)
    subjects, changes, screenings, recommendations, actions = [], [], [], [], []
    for contact, h in zip(contacts, histories, strict=True):
        screened = h.screening is not None
        for s in h.subjects:
            person = s["_person"]
            linked = screened or person.pk % 2 == 0
            subjects.append(
                ContactSubject(
                    contact=contact, person=person if linked else None, **{k: v for k, v in s.items() if k != "_person"}
                )
            )
        state = "received"
        for step in h.steps:
            to_state = _next(state, step.event)
            changes.append(
                StateChange(
                    contact=contact,
                    at=step.at,
                    by=step.by,
                    event=step.event,
                    from_state=state,
                    to_state=to_state,
                    note=step.note,
                )
            )
            state = to_state
        if h.screening:
            screenings.append(Screening(contact=contact, **h.screening))
        for r in h.recommendations:
            recommendations.append(Recommendation(contact=contact, **r))
    ContactSubject.objects.bulk_create(subjects, batch_size=1000)
    StateChange.objects.bulk_create(changes, batch_size=1000)
    Screening.objects.bulk_create(screenings, batch_size=1000)
    Recommendation.objects.bulk_create(recommendations, batch_size=1000)
    by_contact: dict[int, list[Recommendation]] = {}
    for rec in recommendations:
        by_contact.setdefault(rec.contact.pk, []).append(rec)
    decisions: list[tuple[Decision, dict]] = []  # type: ignore[type-arg]
    for contact, h in zip(contacts, histories, strict=True):
        for d in h.decisions:
            fields = {k: v for k, v in d.items() if k != "recommendation"}
            decisions.append(
                (Decision(contact=contact, recommendation=by_contact[contact.pk][d["recommendation"]], **fields), d)
            )
    Decision.objects.bulk_create([d for d, _ in decisions], batch_size=1000)
    approved = {d.contact.pk: d for d, _ in decisions if d.verdict == "approved"}
    Referral.objects.bulk_create(
        [
            Referral(contact=d.contact, decision=d, outcome=d.outcome, referred_at=d.decided_at)
            for d in approved.values()
            if d.outcome in STATUTORY_OUTCOMES
        ],
        batch_size=1000,
    )
    for contact, h in zip(contacts, histories, strict=True):
        if h.action:
            actions.append(OutcomeAction(contact=contact, decision=approved[contact.pk], **h.action))
    OutcomeAction.objects.bulk_create(actions, batch_size=1000)
    # What the decision services tell the checks, so that a later answer reaches these people.
    latest = {d.contact.pk: d for d, _ in sorted(decisions, key=lambda pair: pair[0].decided_at)}
    for decision in latest.values():
        note_decision(decision.contact, decided_by=decision.decided_by)
    for action in actions:
        if action.allocated_worker is not None:
            forward_late_answers(action.contact, action.allocated_worker, by=action.actioned_by, at=action.actioned_at)
    for contact in contacts:
        record(
            Verb.CONTACT_RECORDED,
            system_process="demo-loader",
            contact=contact,
            at=at,
            data={"channel": contact.channel, "source": contact.source},
        )


def _next(state: str, event: str) -> str:
    return next_state(ContactState(state), Event(event)).value
