"""Load the demo hub: agencies, one user per role, households, and weeks of contacts in every state."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from safehub.accounts.demo import DEMO_PASSWORD, DEMO_USERNAME_PREFIX
from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.contacts.models import Contact
from safehub.core.presenters import how_many
from safehub.decisions.models import Referral
from safehub.demo.checks import add_mash_checks
from safehub.demo.consent import add_waiting_for_consent, add_waiting_overrides
from safehub.demo.domestic_abuse import add_domestic_abuse_notifications
from safehub.demo.histories import HistoryMaker, Staff
from safehub.demo.households import create_duplicate_records, create_households
from safehub.demo.information_requests import add_information_requests
from safehub.demo.letters import add_letters
from safehub.demo.meetings import add_daily_meetings
from safehub.demo.onward import add_referral_packs
from safehub.demo.strategy import add_strategy_discussions
from safehub.matching.duplicates import find_duplicates
from safehub.meetings.models import MeetingKind
from safehub.mfa.services import enrol_demo_account
from safehub.protocols.policy import active_protocol
from safehub.synthetic.walk import walk_together
from safehub.synthetic.year import Hub, bring_casework_up_to_date, make_year

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


def _users(fake: Faker, *, at: datetime) -> tuple[Team, dict[str, User]]:
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
        enrol_demo_account(user, at=at)  # the sign-in page shows its codes, in demo mode only
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
# Requests to share without consent left for a manager to decide (the demo's consent queue).
WAITING_OVERRIDES = 3
# Professionals' requests paused while the referrer asks the family for consent (002 §19).
WAITING_FOR_CONSENT = 1
# Contacts in the year of closed work before the weeks walked through the services (synthetic.year), in
# bulk: every dashboard figure and both statutory returns have a year to count.
YEAR_CONTACTS = 2000


def _hub(mash: Team, users: dict[str, User], staff: Staff) -> Hub:
    """The demo's people as the year's: its front door, strategy coordinator, partner agencies and the
    assessment team statutory outcomes go to."""
    agencies = {agency.kind: agency for agency in Agency.objects.filter(is_host=False)}
    return Hub(
        team=mash,
        officers=staff.officers,
        social_workers=staff.social_workers,
        managers=staff.managers,
        coordinators=[users["strategy_coordinator"]],
        agencies=agencies,
        partners={kind: [users[f"partner_{handle}"]] for _, kind, handle in PARTNERS},
        assessment_team="Assessment team 1",
        assessment_workers=staff.assessment,
    )


def load_demo(
    *,
    people: int = 2000,
    weeks: int = 3,
    per_week: int = CONTACTS_PER_WEEK,
    year: int = YEAR_CONTACTS,
    seed: int = 2026,
    at: datetime,
    progress: Callable[[str], None] = print,
) -> DemoSummary:
    if Contact.objects.exists() or User.objects.filter(username__startswith=DEMO_USERNAME_PREFIX).exists():
        raise DemoDataExists("This database already has contacts or demo users")
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    with transaction.atomic():
        mash, users = _users(fake, at=at)
        progress(f"Agencies, teams and {len(users)} demo users")
        houses = create_households(people, rng=rng, fake=fake, at=at)
        count_people = sum(len(h.adults) + len(h.children) + (1 if h.unborn else 0) for h in houses)
        progress(f"{count_people} people in {len(houses)} households")
        duplicates = create_duplicate_records(houses, rng=rng, count=DUPLICATE_RECORDS)
        found = find_duplicates(at=at)
        progress(f"Person index built; {len(duplicates)} children recorded twice, {found.new} pairs queued for review")
    staff = Staff(
        officers=[users["contact_officer"], users["contact_officer_2"]],
        social_workers=[users["social_worker"], users["social_worker_2"], users["senior_practitioner"]],
        managers=[users["team_manager"], users["team_manager_2"]],
        assessment=[users[handle] for handle in ASSESSMENT_STAFF],
    )
    if year:
        first_walked = at - timedelta(weeks=weeks)
        made = make_year(
            _hub(mash, users, staff),
            scale=year,
            end=first_walked,
            now=at,
            importer=users["performance_lead"],
            seed=seed,
            progress=progress,
        )
        progress(f"A year of closed work before the weeks walked below: {made.summary()}")
    maker = HistoryMaker(
        rng=rng, fake=fake, staff=staff, team=mash, levels=list(active_protocol().levels.all()), now=at
    )
    total = weeks * per_week
    times = sorted(maker.received_at(weeks) for _ in range(total))
    walks = [maker.contact(houses, received) for received in times]
    progress(
        f"{how_many(total, 'contact', 'contacts')} over {how_many(weeks, 'week', 'weeks')}, each recorded, screened"
        " and decided through the services:"
    )

    first_day = at - timedelta(weeks=weeks)

    def reached(moment: datetime) -> None:
        recorded = sum(walk.contact is not None for walk in walks)
        progress(f"  day {(moment - first_day).days} of {weeks * 7}: {recorded} contacts recorded")

    walk_together(walks, until=at, every=timedelta(days=3), progress=reached)
    # Before the MASH checks and the requests to share without consent take their contacts: these are
    # professionals' requests still without consent, which those would settle.
    paused = add_waiting_for_consent(workers=staff.social_workers, now=at, count=WAITING_FOR_CONSENT)
    progress(f"Professionals' requests waiting while the referrer seeks consent: {paused}")
    checked = add_mash_checks(
        managers=staff.managers, coordinators=staff.social_workers, rng=rng, now=at, count=MASH_CHECKS
    )
    progress(f"MASH checks on {checked} contacts, answered by the demo partner agencies or still outstanding")
    waiting = add_waiting_overrides(workers=staff.social_workers, rng=rng, now=at, count=WAITING_OVERRIDES)
    progress(f"Requests to share without consent waiting for a manager: {waiting}")
    discussions = add_strategy_discussions(
        coordinator=users["strategy_coordinator"], managers=staff.managers, rng=rng, now=at
    )
    progress(f"Strategy discussions: {dict(sorted(discussions.items()))}")
    notifications = add_domestic_abuse_notifications(officers=staff.officers, rng=rng, now=at)
    progress(f"Police domestic-abuse notifications with their risk assessments: {dict(sorted(notifications.items()))}")
    meetings = add_daily_meetings(team=mash, managers=staff.managers, staff=staff.social_workers, rng=rng, now=at)
    progress(f"Daily MASH meetings: {meetings} in the last week")
    triage = add_daily_meetings(
        team=mash, managers=staff.managers, staff=staff.social_workers, rng=rng, now=at, kind=MeetingKind.TRIAGE
    )
    if triage:
        progress(f"Domestic-abuse triage: {triage} in the last week")
    asked = add_information_requests(
        officers=staff.officers,
        workers=staff.social_workers,
        managers=staff.managers,
        dpo=users["data_protection_officer"],
        now=at,
        seed=seed + 14,
    )
    progress(f"Information requests from other professionals: {dict(sorted(asked.items()))}")
    written = add_letters(workers=staff.social_workers, team=mash, now=at, seed=seed + 15)
    progress(f"Letters and messages: {dict(sorted(written.items()))}")
    referred = add_referral_packs(
        workers=staff.social_workers,
        assessment=Team.objects.get(name="Assessment team 1"),
        receivers=staff.assessment,
        now=at,
        seed=seed + 16,
    )
    progress(f"Onward referrals: {dict(sorted(referred.items()))}")
    if year:
        brought = bring_casework_up_to_date(importer=users["performance_lead"], now=at, seed=seed)
        progress(f"The case system's latest import: what it has done in the weeks' {brought} new episodes")
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
