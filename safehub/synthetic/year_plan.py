"""What happens to each of a year's contacts at the front door (`synthetic.year`), planned in Python
before anything is written: who it is about, how it came, its screening, its threshold decision and
each child's outcome, and when each step was taken. Pure: no database.

The shapes are a large hub's (Birmingham, 001; Walsall, 004 §9): about a quarter of contacts are
signposted at screening, a few forwarded to an open case's worker, the rest sent for a threshold
decision, a fifth of those with MASH checks first; about one contact in four becomes a referral
(education's about half); a strategy discussion for a quarter of those. A family seen before is
more likely to be seen again, and a family referred before more likely still: its children are the
same person records, so re-referrals within 12 months come out near England's 22%."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from safehub.consent.workflow import OverrideState
from safehub.contacts.models import (
    Channel,
    ConcernCategory,
    ConsentPosition,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.core.working_time import LONDON
from safehub.decisions.models import STATUTORY_OUTCOMES, Outcome
from safehub.people.models import Person
from safehub.protocols.models import Brag
from safehub.screening.models import KnownStatus, ScreeningRoute
from safehub.synthetic.year_people import Family, People

# Contacts by CIN referral source (police notifications are the largest stream).
SOURCES = (
    (ReferralSource.POLICE, 27),
    (ReferralSource.SCHOOLS, 16),
    (ReferralSource.EDUCATION_SERVICES, 2),
    (ReferralSource.HEALTH_GP, 3),
    (ReferralSource.HEALTH_VISITOR, 4),
    (ReferralSource.HEALTH_A_AND_E, 4),
    (ReferralSource.HEALTH_OTHER, 4),
    (ReferralSource.LA_SOCIAL_CARE, 4),
    (ReferralSource.LA_HOUSING, 3),
    (ReferralSource.EARLY_HELP, 2),
    (ReferralSource.INDIVIDUAL_FAMILY, 8),
    (ReferralSource.INDIVIDUAL_ACQUAINTANCE, 4),
    (ReferralSource.INDIVIDUAL_SELF, 2),
    (ReferralSource.ANONYMOUS, 4),
    (ReferralSource.OTHER_LEGAL, 3),
    (ReferralSource.OTHER, 10),
)
EDUCATION = frozenset({ReferralSource.SCHOOLS, ReferralSource.EDUCATION_SERVICES})
CONCERNS: dict[str, tuple[ConcernCategory, ...]] = {
    ReferralSource.POLICE: (
        ConcernCategory.DOMESTIC_ABUSE,
        ConcernCategory.GOING_MISSING,
        ConcernCategory.PHYSICAL_ABUSE,
        ConcernCategory.CHILD_CRIMINAL_EXPLOITATION,
        ConcernCategory.PARENTAL_SUBSTANCE_MISUSE,
    ),
    ReferralSource.SCHOOLS: (
        ConcernCategory.NEGLECT,
        ConcernCategory.EMOTIONAL_ABUSE,
        ConcernCategory.PHYSICAL_ABUSE,
        ConcernCategory.SCHOOL_EXCLUSION,
        ConcernCategory.SELF_HARM,
    ),
}
OTHER_CONCERNS: tuple[ConcernCategory, ...] = (
    ConcernCategory.NEGLECT,
    ConcernCategory.PARENTAL_MENTAL_HEALTH,
    ConcernCategory.DOMESTIC_ABUSE,
    ConcernCategory.HOUSING,
    ConcernCategory.EMOTIONAL_ABUSE,
    ConcernCategory.DISABILITY,
)
RATING_FOR = {
    Outcome.STRATEGY_DISCUSSION: Brag.RED,
    Outcome.SECTION_17_ASSESSMENT: Brag.AMBER,
    Outcome.CHILDREN_WITH_DISABILITY: Brag.AMBER,
    Outcome.EARLY_HELP: Brag.GREEN,
    Outcome.NO_FURTHER_ACTION: Brag.BLUE,
    Outcome.SIGNPOST: Brag.BLUE,
}
# Where each rating sits among the protocol's threshold levels (lowest first): its top for Red.
LEVEL_FOR = {Brag.RED: -1, Brag.AMBER: -2, Brag.GREEN: 1, Brag.BLUE: 0}
STATUTORY = (
    (Outcome.SECTION_17_ASSESSMENT, 63),
    (Outcome.STRATEGY_DISCUSSION, 28),
    (Outcome.CHILDREN_WITH_DISABILITY, 9),
)
NOT_STATUTORY = ((Outcome.EARLY_HELP, 45), (Outcome.NO_FURTHER_ACTION, 35), (Outcome.SIGNPOST, 20))
ROUTES = (
    (ScreeningRoute.SIGNPOST, 23),
    (ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER, 5),
    (ScreeningRoute.REFER_FOR_THRESHOLD, 72),
)
# Of the contacts sent for a threshold decision, the share that become referrals (education's more).
STATUTORY_SHARE = 0.29
EDUCATION_STATUTORY_SHARE = 0.6
CHECKS_SHARE = 0.2
RETURNED_SHARE = 0.05
OVERRIDE_SHARE = 0.12
OVERRIDES = ((OverrideState.AGREED, 65), (OverrideState.DECLINED, 25), (OverrideState.WITHDRAWN, 10))
STRATEGY_AGAIN_AFTER = timedelta(days=120)
LATE_SHARE = 0.08  # steps taken well after their time
# A Red contact is hurried through each step: every protocol's Red clocks are hours, not days (the decision
# within 4 hours of receipt, or 004 §6's "maximum of 2 hours"; Red MASH checks within 4 hours, 001 §13).
RED_PACE = 0.1
NEW_FAMILY = 0.62  # the chance a contact is about a family the hub has not seen this year
REFERRED_AGAIN = 0.6  # of contacts about a family seen before, the chance it is one referred before


@dataclass
class ChildPlan:
    person: Person
    role: SubjectRole
    outcome: Outcome | None = None  # the approved outcome, for a contact sent for a threshold decision


@dataclass
class ContactPlan:
    number: int
    received: datetime
    fields: dict[str, Any]
    family: Family
    children: list[ChildPlan]
    parent: Person | None
    route: ScreeningRoute
    known: KnownStatus
    checks: bool = False
    returned: bool = False
    override: str = ""  # a request to share without consent for MASH checks, and what became of it
    # Each step's moment: screening_started, screened, and (sent for a threshold decision)
    # checks_started, checks_submitted, recommended, returned, recommended_again, approved, actioned.
    times: dict[str, datetime] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)  # who took each step: an index into its role's list

    @property
    def outcome(self) -> Outcome | None:
        """The contact's outcome: its most serious child's."""
        outcomes = [child.outcome for child in self.children if child.outcome is not None]
        return min(outcomes, key=lambda o: list(RATING_FOR).index(o)) if outcomes else None

    @property
    def rating(self) -> Brag | None:
        outcome = self.outcome
        return None if outcome is None else RATING_FOR[outcome]

    @property
    def referred(self) -> list[ChildPlan]:
        return [child for child in self.children if child.outcome in STATUTORY_OUTCOMES]

    @property
    def closed_at(self) -> datetime:
        return self.times["actioned"] if "actioned" in self.times else self.times["screened"]


def _weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def received_times(rng: random.Random, count: int, *, first: datetime, last: datetime) -> list[datetime]:
    """`count` moments between `first` and `last`, mostly on weekdays in office hours, in order."""
    span = (last - first).total_seconds()
    found: list[datetime] = []
    while len(found) < count:
        moment = first + timedelta(seconds=rng.uniform(0, span))
        local = moment.astimezone(LONDON)
        if local.weekday() >= 5 and rng.random() < 0.75:
            continue
        if not 8 <= local.hour < 18 and rng.random() < 0.7:
            continue
        found.append(moment)
    return sorted(found)


class Planner:
    """Plans contacts one at a time, in the order they were received."""

    def __init__(self, rng: random.Random, people: People, *, end: datetime) -> None:
        self.rng, self.people, self.end = rng, people, end
        self.seen: list[Family] = []
        self.referred: list[Family] = []

    def _family(self, received: datetime) -> Family:
        rng = self.rng
        day = received.astimezone(LONDON).date()
        if self.seen and rng.random() > NEW_FAMILY:
            pool = self.referred if self.referred and rng.random() < REFERRED_AGAIN else self.seen
            family = rng.choice(pool)
            if family.born_by(day):
                return family
        family = self.people.family()
        self.seen.append(family)
        return family

    def _fields(self, source: str) -> dict[str, Any]:
        rng = self.rng
        concerns = rng.sample(CONCERNS.get(source, OTHER_CONCERNS), k=rng.choice([1, 1, 2]))
        public = source.startswith("1")
        anonymous = source == ReferralSource.ANONYMOUS
        consent = (
            ConsentPosition.NOT_REQUIRED_PUBLIC
            if public or anonymous
            else _weighted(rng, ((ConsentPosition.GIVEN, 6), (ConsentPosition.INFORMED, 3)))
        )
        if anonymous:
            referrer: dict[str, Any] = {"referrer_kind": ReferrerKind.ANONYMOUS}
        elif public:
            referrer = {
                "referrer_kind": ReferrerKind.PUBLIC,
                "referrer_name": "A member of the family",
                "referrer_relationship": rng.choice(["Grandparent", "Neighbour", "Aunt", "Family friend"]),
            }
        else:
            referrer = {
                "referrer_kind": ReferrerKind.PROFESSIONAL,
                "referrer_name": "Named professional",
                "referrer_agency": ReferralSource(source).label.split(":")[0],
                "referrer_email": "referrer@example.org",
            }
        return {
            "source": source,
            "channel": Channel.POLICE_NOTIFICATION
            if source == ReferralSource.POLICE
            else _weighted(rng, ((Channel.PHONE, 5), (Channel.EMAIL, 3), (Channel.FORM, 4), (Channel.IN_PERSON, 1))),
            "concern_categories": [c.value for c in concerns],
            "narrative": "Generated history: " + "; ".join(ConcernCategory(c).label.lower() for c in concerns) + ".",
            "immediate_protection": YesNoUnknown.NO,
            "parents_aware": YesNoUnknown.YES
            if consent != ConsentPosition.NOT_REQUIRED_PUBLIC
            else YesNoUnknown.UNKNOWN,
            "parents_agree": YesNoUnknown.YES if consent == ConsentPosition.GIVEN else YesNoUnknown.UNKNOWN,
            "consent": consent,
            **referrer,
        }

    def _outcomes(self, plan: ContactPlan) -> None:
        rng = self.rng
        education = plan.fields["source"] in EDUCATION
        if rng.random() < (EDUCATION_STATUTORY_SHARE if education else STATUTORY_SHARE):
            main = _weighted(rng, STATUTORY)
        else:
            main = _weighted(rng, NOT_STATUTORY)
        if main == Outcome.EARLY_HELP and plan.fields["consent"] != ConsentPosition.GIVEN:
            main = Outcome.SIGNPOST  # early help needs consent (002 §19)
        last = plan.family.last_strategy
        if main == Outcome.STRATEGY_DISCUSSION and last is not None and plan.received - last < STRATEGY_AGAIN_AFTER:
            # The family's section 47 enquiry of weeks ago is still going: the new concern joins its work.
            main = Outcome.SECTION_17_ASSESSMENT
        if main == Outcome.STRATEGY_DISCUSSION:
            plan.family.last_strategy = plan.received
        # Siblings often need something else: in one statutory contact in three, the other children
        # go to early help (with consent) or need nothing further.
        other = main
        if main in STATUTORY_OUTCOMES and rng.random() < 1 / 3:
            other = Outcome.EARLY_HELP if plan.fields["consent"] == ConsentPosition.GIVEN else Outcome.NO_FURTHER_ACTION
        for child in plan.children:
            child.outcome = main if child.role == SubjectRole.CHILD else other

    def _hours(self, low: float, high: float) -> timedelta:
        late = 6.0 if self.rng.random() < LATE_SHARE else 1.0
        return timedelta(hours=self.rng.uniform(low, high) * late)

    def _times(self, plan: ContactPlan) -> None:
        steps: list[tuple[str, timedelta]] = [
            ("screening_started", self._hours(0.05, 1.5)),
            ("screened", self._hours(0.1, 2.0)),
        ]
        if plan.route == ScreeningRoute.REFER_FOR_THRESHOLD:
            if plan.override:
                steps += [("override_asked", self._hours(0.5, 3.0)), ("override_decided", self._hours(0.5, 6.0))]
            if plan.checks:
                steps += [("checks_started", self._hours(0.5, 3.0)), ("checks_submitted", self._hours(4.0, 28.0))]
            steps.append(("recommended", self._hours(1.0, 16.0)))
            if plan.returned:
                steps += [("returned", self._hours(0.5, 6.0)), ("recommended_again", self._hours(1.0, 8.0))]
            steps += [("approved", self._hours(0.5, 8.0)), ("actioned", self._hours(1.0, 24.0))]
        pace = RED_PACE if plan.rating == Brag.RED else 1.0
        total = sum((gap for _, gap in steps), timedelta()) * pace
        room = self.end - timedelta(minutes=5) - plan.received
        scale = pace * min(1.0, room / total) if total else pace
        at = plan.received
        for name, gap in steps:
            at += gap * scale
            plan.times[name] = at

    def contact(self, number: int, received: datetime) -> ContactPlan:
        rng = self.rng
        family = self._family(received)
        source = _weighted(rng, SOURCES)
        day = received.astimezone(LONDON).date()
        born = family.born_by(day)
        named = rng.sample(born, k=min(len(born), rng.choice([1, 1, 1, 2, 2, 3])))
        children = [
            ChildPlan(person, SubjectRole.CHILD if order == 0 else SubjectRole.SIBLING)
            for order, person in enumerate(named)
        ]
        route = _weighted(rng, ROUTES)
        known = KnownStatus.OPEN_CASE if route == ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER else KnownStatus.NOT_KNOWN
        if known == KnownStatus.NOT_KNOWN and family.contacts:
            known = KnownStatus.KNOWN_CLOSED
        plan = ContactPlan(
            number=number,
            received=received,
            fields=self._fields(source),
            family=family,
            children=children,
            parent=family.adults[0] if rng.random() < 0.6 else None,
            route=route,
            known=known,
        )
        if route == ScreeningRoute.REFER_FOR_THRESHOLD:
            consent = plan.fields["consent"]
            plan.checks = consent == ConsentPosition.GIVEN and rng.random() < CHECKS_SHARE * 1.5
            if consent == ConsentPosition.INFORMED and rng.random() < OVERRIDE_SHARE:
                # The family were told but did not agree: a social worker asks a manager to share without
                # consent, and the checks go ahead when it is agreed (002 §19, §21).
                plan.override = _weighted(rng, OVERRIDES)
                plan.checks = plan.override == OverrideState.AGREED
            plan.returned = rng.random() < RETURNED_SHARE
            self._outcomes(plan)
        self._times(plan)
        plan.staff = {step: rng.randrange(1_000_000) for step in ("officer", "worker", "worker_2", "manager", "other")}
        family.contacts += 1
        if plan.referred and not family.referred:
            family.referred = True
            self.referred.append(family)
        return plan
