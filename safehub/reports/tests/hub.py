"""A small hub whose November 2026 every dashboard figure is counted by hand in test_measures.py.

The clock is pinned at Tuesday 24 November 2026, 10:00 (conftest.NOW); the active protocol is Bexley's
(screening within 4 working hours, Red within 1 hour; a decision within 24 hours of receipt, Red 4).
London is on GMT in November, so London times are UTC times here.

    contact  received      channel  source  children          rating        what happened
    C1       Mon 2 Nov     phone    2A      Ann (P1), Ben     amber (rec)   screened in time; Ann s17, Ben NFA
    C2       Tue 3 Nov     email    6       Ann again (P1)    red (rec)     screened late; strategy discussion
    C3       Tue 10 Nov    form     2A      Cat (P3)          green (init)  screened late, signposted and closed
    C4       Wed 11 Nov    phone    3A      Dan (P4)          amber (rec)   screened in time; NFA, late decision
    C5       Fri 20 Nov    phone    2A      Eve, Fay, a mum   none          screened in time; decision overdue
    C7       Thu 12 Nov    phone    6       Gus (P6)          amber (rec)   s17; Gus referred 2025-11-11 too
    C8       Fri 13 Nov    phone    3A      Hal (P7)          amber (rec)   disability; Hal referred 2025-11-13
    C9       Mon 23 Nov    police   6       Ivy               blue (init)   in screening, overdue
    C10      Tue 24 Nov    letter   1A      Jo                none          received, not yet due

Before the period: C-old6 (2025-11-11, Gus referred) and C-old7 (2025-11-13, Hal referred).
Strategy discussions: on C2 (3 Nov, arranged), on C8 (13 Nov, cancelled), one with no contact (20 Nov, held).
Requests to share without consent: C1 declined (2 Nov), C2 agreed (3 Nov), C4 withdrawn (11 Nov), C5 asked (20 Nov).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safehub.accounts.models import Team, User
from safehub.consent.models import ConsentOverride, ConsentPurpose, OverridePower
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import Channel, Contact, ContactSubject, ReferralSource, SubjectRole
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import (
    STATUTORY_OUTCOMES,
    ChildDecision,
    Decision,
    Outcome,
    OutcomeAction,
    Recommendation,
    Referral,
    Verdict,
)
from safehub.people.models import Person, PersonKind
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.models import Brag
from safehub.screening.models import KnownStatus, Screening, ScreeningRoute
from safehub.strategy.models import MeetingFormat, StartRoute, StrategyDiscussion
from safehub.strategy.workflow import DiscussionState


def at(day: int, hour: int, minute: int = 0, *, month: int = 11, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@dataclass
class Hub:
    team: Team
    contact_officer: User
    social_worker: User
    manager: User
    contacts: dict[str, Contact] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def contact(
    hub: Hub,
    name: str,
    received_at: dt.datetime,
    *,
    channel: str = Channel.PHONE,
    source: str = ReferralSource.SCHOOLS,
    children: list[str | Person | None],
    rating: str = "",
    state: str = ContactState.CLOSED,
    due: dt.datetime | None = None,
    team: Team | None = None,
) -> Contact:
    """A contact with its children (a Person to link them to the person index, or a name)."""
    found: Contact = ContactFactory(
        team=team or hub.team,
        received_at=received_at,
        channel=channel,
        source=source,
        initial_rating=rating,
        state=state,
        current_due_at=due,
        recorded_by=hub.contact_officer,
        subject=None,
    )
    for order, child in enumerate(children):
        person = child if isinstance(child, Person) else None
        given = person.given_name if person else (child or "Child")
        ContactSubjectFactory(
            contact=found,
            role=SubjectRole.CHILD if order == 0 else SubjectRole.SIBLING,
            given_name=given,
            person=person,
            order=order,
        )
    hub.contacts[name] = found
    return found


def screen(hub: Hub, found: Contact, screened_at: dt.datetime, route: str = ScreeningRoute.REFER_FOR_THRESHOLD) -> None:
    Screening.objects.create(
        contact=found,
        known_status=KnownStatus.NOT_KNOWN,
        route=route,
        screened_by=hub.contact_officer,
        screened_at=screened_at,
    )


def decide(
    hub: Hub,
    found: Contact,
    outcomes: list[Outcome],
    *,
    rating: str = Brag.AMBER,
    recommended_at: dt.datetime,
    decided_at: dt.datetime,
) -> None:
    """A recommendation at `rating`, approved with each child's outcome (in the contact's order), the
    referrals it makes, and the outcome actioned (the contact closed)."""
    recommendation = Recommendation.objects.create(
        contact=found,
        rating=rating,
        rationale="Concern",
        recommended_by=hub.social_worker,
        recommended_at=recommended_at,
    )
    decision = Decision.objects.create(
        contact=found,
        recommendation=recommendation,
        verdict=Verdict.APPROVED,
        rationale="Agreed",
        decided_by=hub.manager,
        decided_at=decided_at,
    )
    subjects = list(ContactSubject.objects.filter(contact=found).order_by("order"))
    for subject, outcome in zip(subjects, outcomes, strict=False):
        ChildDecision.objects.create(decision=decision, subject=subject, outcome=outcome)
        if outcome in STATUTORY_OUTCOMES:
            Referral.objects.create(
                contact=found, subject=subject, decision=decision, outcome=outcome, referred_at=decided_at
            )
    if found.state == ContactState.CLOSED:
        OutcomeAction.objects.create(contact=found, decision=decision, actioned_by=hub.manager, actioned_at=decided_at)


def discussion(hub: Hub, found: Contact | None, started_at: dt.datetime, state: str) -> StrategyDiscussion:
    arranged: dict[str, Any] = {}
    if state != DiscussionState.CANCELLED:
        arranged = {
            "meeting_at": started_at + dt.timedelta(hours=2),
            "chair": hub.manager,
            "meeting_format": MeetingFormat.PHONE,
        }
    return StrategyDiscussion.objects.create(
        contact=found,
        team=hub.team,
        route=StartRoute.APPROVED_OUTCOME if found else StartRoute.OPEN_CASE,
        reason="" if found else "Open case: a new injury",
        started_at=started_at,
        started_by=hub.manager,
        standard_due_at=started_at + dt.timedelta(hours=4),
        due_at=started_at + dt.timedelta(hours=4),
        state=state,
        **arranged,
    )


def override(hub: Hub, found: Contact, asked_at: dt.datetime, state: OverrideState) -> None:
    decided: dict[str, Any] = {}
    if state in (OverrideState.AGREED, OverrideState.DECLINED):
        decided = {"decided_by": hub.manager, "decided_at": asked_at + dt.timedelta(hours=1), "rationale": "Risk"}
        if state == OverrideState.AGREED:
            decided["power"] = OverridePower.CHILDREN_ACT_S47
    ConsentOverride.objects.create(
        contact=found,
        purpose=ConsentPurpose.MASH_CHECKS,
        reason="Telling the family would put the child at risk",
        asked_by=hub.social_worker,
        asked_at=asked_at,
        state=state.value,
        **decided,
    )


def build(team: Team, *, contact_officer: User, social_worker: User, manager: User) -> Hub:
    hub = Hub(team, contact_officer, social_worker, manager)
    ann, cat, dan, gus, hal = (
        PersonFactory(given_name=n, kind=PersonKind.CHILD) for n in ("Ann", "Cat", "Dan", "Gus", "Hal")
    )
    hub.people = {"Ann": ann, "Cat": cat, "Dan": dan, "Gus": gus, "Hal": hal}
    s17, nfa = Outcome.SECTION_17_ASSESSMENT, Outcome.NO_FURTHER_ACTION

    # Before the period: Gus and Hal were referred a year or so before.
    old6 = contact(hub, "C-old6", at(11, 9, year=2025), source=ReferralSource.POLICE, children=[gus])
    decide(hub, old6, [s17], recommended_at=at(11, 10, year=2025), decided_at=at(11, 11, year=2025))
    old7 = contact(hub, "C-old7", at(13, 9, year=2025), source=ReferralSource.POLICE, children=[hal])
    decide(hub, old7, [s17], recommended_at=at(13, 10, year=2025), decided_at=at(13, 11, year=2025))

    c1 = contact(hub, "C1", at(2, 10), children=[ann, "Ben"])
    screen(hub, c1, at(2, 11))  # due 14:00 (4 working hours): in time
    decide(hub, c1, [s17, nfa], recommended_at=at(2, 14), decided_at=at(2, 15))  # due 3 Nov 10:00: in time

    c2 = contact(
        hub, "C2", at(3, 9, 30), channel=Channel.EMAIL, source=ReferralSource.POLICE, children=[ann], rating=Brag.RED
    )
    screen(hub, c2, at(3, 11))  # Red: due 10:30 (1 hour): late
    decide(hub, c2, [Outcome.STRATEGY_DISCUSSION], rating=Brag.RED, recommended_at=at(3, 11, 30), decided_at=at(3, 12))
    discussion(hub, c2, at(3, 12), DiscussionState.ARRANGED)

    c3 = contact(hub, "C3", at(10, 14), channel=Channel.FORM, children=[cat], rating=Brag.GREEN)
    screen(hub, c3, at(11, 10, 30), route=ScreeningRoute.SIGNPOST)  # due 11 Nov 10:00: late
    removed = ContactSubjectFactory(contact=c3, role=SubjectRole.SIBLING, given_name="Kit", order=1)
    ContactSubject.everyone.filter(pk=removed.pk).update(removed_at=at(10, 15))

    c4 = contact(hub, "C4", at(11, 9), source=ReferralSource.HEALTH_GP, children=[dan])
    screen(hub, c4, at(11, 9, 30))  # in time
    decide(hub, c4, [nfa], recommended_at=at(12, 8), decided_at=at(12, 10))  # due 12 Nov 09:00: late

    c5 = contact(hub, "C5", at(20, 9), children=["Eve", "Fay"], state=ContactState.AWAITING_THRESHOLD, due=at(21, 9))
    ContactSubjectFactory(contact=c5, role=SubjectRole.PARENT, given_name="Mum", order=2)
    screen(hub, c5, at(20, 12))  # due 13:00: in time; the decision, due 21 Nov, is overdue

    c7 = contact(hub, "C7", at(12, 9), source=ReferralSource.POLICE, children=[gus])
    decide(hub, c7, [s17], recommended_at=at(12, 11), decided_at=at(12, 12))  # Gus: 366 days after: not a re-referral

    c8 = contact(hub, "C8", at(13, 9), source=ReferralSource.HEALTH_GP, children=[hal])
    decide(
        hub, c8, [Outcome.CHILDREN_WITH_DISABILITY], recommended_at=at(13, 10), decided_at=at(13, 11)
    )  # 365 days: is
    discussion(hub, c8, at(13, 12), DiscussionState.CANCELLED)

    contact(
        hub,
        "C9",
        at(23, 9),
        channel=Channel.POLICE_NOTIFICATION,
        source=ReferralSource.POLICE,
        children=["Ivy"],
        rating=Brag.BLUE,
        state=ContactState.SCREENING,
        due=at(23, 13),
    )
    contact(
        hub,
        "C10",
        at(24, 9, 30),
        channel=Channel.LETTER,
        source=ReferralSource.INDIVIDUAL_FAMILY,
        children=["Jo"],
        state=ContactState.RECEIVED,
        due=at(24, 13, 30),
    )
    discussion(hub, None, at(20, 10), DiscussionState.HELD)

    override(hub, c1, at(2, 12), OverrideState.DECLINED)
    override(hub, c2, at(3, 10), OverrideState.AGREED)
    override(hub, c4, at(11, 10), OverrideState.WITHDRAWN)
    override(hub, c5, at(20, 13), OverrideState.ASKED)
    return hub
