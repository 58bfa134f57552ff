"""A year of a hub's closed work (`synthetic.year`): deterministic for a seed, shaped like a MASH's
year, its casework brought in through the casework import, and made once."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from safehub.accounts.models import AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.casework.models import Assessment, ChildDetails, Episode, EpisodeReferral
from safehub.casework.upn import is_valid_upn
from safehub.consent.models import ConsentOverride, ConsentRecord
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import Contact, ContactSubject, StateChange
from safehub.contacts.workflow import ContactState, Event, next_state
from safehub.decisions.models import Referral
from safehub.protocols.models import Brag
from safehub.reports.indicators import consent_figures
from safehub.screening.models import Screening, ScreeningRoute
from safehub.strategy.models import StrategyDiscussion
from safehub.synthetic.year import Hub, YearExists, existing, make_year
from safehub.synthetic.year_people import People
from safehub.synthetic.year_plan import Planner, received_times

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # the suite's pinned clock


@pytest.fixture
def hub(mash_team: Team, contact_officer: User, social_worker: User, manager: User, strategy_coordinator: User) -> Hub:
    assessment = TeamFactory(name="Assessment team 1", agency=mash_team.agency)
    agencies, partners = {}, {}
    for kind in (AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION):
        agency = PartnerAgencyFactory(kind=kind, name=f"Example {AgencyKind(kind).label}")
        agencies[kind] = agency
        partners[kind] = [user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(agency=agency))]
    return Hub(
        team=mash_team,
        officers=[contact_officer],
        social_workers=[social_worker],
        managers=[manager],
        coordinators=[strategy_coordinator],
        agencies=agencies,
        partners=partners,
        assessment_team=assessment.name,
        assessment_workers=[user_with_role(Role.SOCIAL_WORKER, team=assessment)],
    )


def _plans(seed: int) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    first = END - dt.timedelta(days=365)
    planner = Planner(rng, People(rng, first=first.date(), last=END.date()), end=END)
    plans = [planner.contact(n, at) for n, at in enumerate(received_times(rng, 300, first=first, last=END))]
    return [
        (
            plan.received,
            plan.fields["source"],
            plan.route,
            tuple((child.person.local_id, child.person.date_of_birth, child.outcome) for child in plan.children),
            tuple(sorted(plan.times.items())),
        )
        for plan in plans
    ]


def test_the_same_seed_plans_the_same_year_and_another_seed_another() -> None:
    assert _plans(5) == _plans(5)
    assert _plans(5) != _plans(6)


def test_red_contacts_are_hurried_to_a_decision_within_the_protocols_hours() -> None:
    """Every seed's Red clocks are hours (a decision within 4 hours of receipt; 004 §6's 2 hours): most of
    a year's Red contacts are approved within 4 hours, where most others take longer."""
    rng = random.Random(11)
    first = END - dt.timedelta(days=365)
    planner = Planner(rng, People(rng, first=first.date(), last=END.date()), end=END)
    plans = [planner.contact(n, at) for n, at in enumerate(received_times(rng, 1500, first=first, last=END))]
    approved = [plan for plan in plans if "approved" in plan.times]

    def within_four_hours(rating: Brag) -> float:
        rated = [plan for plan in approved if plan.rating == rating]
        assert len(rated) >= 20
        return sum(plan.times["approved"] - plan.received <= dt.timedelta(hours=4) for plan in rated) / len(rated)

    assert within_four_hours(Brag.RED) >= 0.75
    assert within_four_hours(Brag.AMBER) <= 0.25


def test_a_year_is_shaped_like_a_mashs_with_its_casework_imported(
    hub: Hub, performance_lead: User, now: dt.datetime
) -> None:
    made = make_year(hub, scale=600, end=END, now=NOW, importer=performance_lead, seed=3)

    contacts = Contact.objects.all()
    assert existing() == contacts.count() == made.counts["contacts"] == 600
    assert set(contacts.values_list("state", flat=True)) == {ContactState.CLOSED}
    assert not contacts.filter(received_at__lt=END - dt.timedelta(days=365)).exists()
    assert not StateChange.objects.filter(at__gt=END).exists()
    # Every child is a person in the index, with what the census asks of a child.
    children = ContactSubject.objects.filter(role__in=["child", "sibling"])
    assert not children.filter(person=None).exists()
    assert not children.filter(person__date_of_birth=None).exists()
    assert not children.filter(person__ethnicity="").exists()
    # About a quarter of contacts signposted at screening, about a quarter became referrals.
    routes = Counter(Screening.objects.values_list("route", flat=True))
    assert 0.15 < routes[ScreeningRoute.SIGNPOST] / 600 < 0.32
    referred = Referral.objects.values("contact").distinct().count()
    assert 0.15 < referred / 600 < 0.32
    # Children seen again are the same person: some are referred more than once.
    again = Counter(Referral.objects.values_list("subject__person", flat=True))
    assert any(n > 1 for n in again.values())
    assert StrategyDiscussion.objects.filter(record__isnull=False).exists()
    # Each contact's history follows the workflow table.
    for contact in contacts.prefetch_related("state_changes")[:100]:
        state = ContactState.RECEIVED
        for change in contact.state_changes.all():
            assert change.from_state == state
            state = next_state(state, Event(change.event))
        assert state == ContactState.CLOSED
    # Every referral is in an episode; the case system's work came back through the casework import.
    assert not Referral.objects.filter(episode_link=None).exists()
    assert EpisodeReferral.objects.filter(starts_episode=True).count() == Episode.objects.count()
    assert Assessment.objects.filter(authorised_on__isnull=False).exclude(factors=[]).exists()
    assert Episode.objects.exclude(primary_need="").exists()
    assert Episode.objects.filter(closed_on__isnull=False).exists()
    upns = [d.upn for d in ChildDetails.objects.exclude(upn="")]
    assert upns
    assert all(is_valid_upn(upn) for upn in upns)
    imports = AuditEvent.objects.filter(verb=Verb.CASEWORK_IMPORTED)
    assert imports.count() == made.imports > 1
    assert not imports.filter(at__gt=NOW).exists()
    # The consent figures count what the dashboard counts: answers given, and what became of each request
    # to share without consent (they once showed none agreed all year beside the dashboard's agreed).
    counted: Counter[str] = Counter()
    for row in consent_figures.figures():
        counted.update(row.counts)
    assert counted["consent_given"] == ConsentRecord.objects.count() > 0
    overrides = Counter(ConsentOverride.objects.values_list("state", flat=True))
    assert overrides[OverrideState.AGREED] > 0
    assert counted["overrides_asked"] == sum(overrides.values())
    assert counted["overrides_agreed"] == overrides[OverrideState.AGREED]
    assert counted["overrides_declined"] == overrides[OverrideState.DECLINED]
    assert counted["overrides_withdrawn"] == overrides[OverrideState.WITHDRAWN]


def test_a_second_year_is_refused(hub: Hub, performance_lead: User, now: dt.datetime) -> None:
    make_year(hub, scale=40, end=END, now=NOW, importer=performance_lead, seed=3)
    before = Contact.objects.count()

    with pytest.raises(YearExists):
        make_year(hub, scale=40, end=END, now=NOW, importer=performance_lead, seed=3)

    assert Contact.objects.count() == before
