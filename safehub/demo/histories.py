"""Synthetic contact histories: each contact walks the real lifecycle table, step by step in time."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from safehub.accounts.models import User
from safehub.contacts.models import (
    Channel,
    ConcernCategory,
    ConsentPosition,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.workflow import ContactState, Event, next_state
from safehub.core.working_time import LONDON
from safehub.decisions.models import STATUTORY_OUTCOMES, Outcome
from safehub.demo.households import Household
from safehub.protocols.models import Brag, Clock, ThresholdLevel
from safehub.protocols.policy import Deadlines
from safehub.screening.models import KnownStatus, ScreeningRoute

# Share of contacts by CIN referral source (police notifications are the largest stream).
SOURCES = [
    (ReferralSource.POLICE, 27),
    (ReferralSource.SCHOOLS, 16),
    (ReferralSource.EDUCATION_SERVICES, 2),
    (ReferralSource.HEALTH_GP, 3),
    (ReferralSource.HEALTH_VISITOR, 4),
    (ReferralSource.HEALTH_A_AND_E, 4),
    (ReferralSource.HEALTH_OTHER, 4),
    (ReferralSource.LA_SOCIAL_CARE, 4),
    (ReferralSource.LA_HOUSING, 3),
    (ReferralSource.INDIVIDUAL_FAMILY, 8),
    (ReferralSource.INDIVIDUAL_ACQUAINTANCE, 4),
    (ReferralSource.INDIVIDUAL_SELF, 2),
    (ReferralSource.ANONYMOUS, 4),
    (ReferralSource.OTHER_LEGAL, 3),
    (ReferralSource.OTHER, 12),
]
EDUCATION = {ReferralSource.SCHOOLS, ReferralSource.EDUCATION_SERVICES}
CONCERNS = {
    ReferralSource.POLICE: [
        ConcernCategory.DOMESTIC_ABUSE,
        ConcernCategory.GOING_MISSING,
        ConcernCategory.PHYSICAL_ABUSE,
        ConcernCategory.CHILD_CRIMINAL_EXPLOITATION,
        ConcernCategory.PARENTAL_SUBSTANCE_MISUSE,
    ],
    ReferralSource.SCHOOLS: [
        ConcernCategory.NEGLECT,
        ConcernCategory.EMOTIONAL_ABUSE,
        ConcernCategory.PHYSICAL_ABUSE,
        ConcernCategory.SCHOOL_EXCLUSION,
        ConcernCategory.SELF_HARM,
    ],
}
DEFAULT_CONCERNS = [
    ConcernCategory.NEGLECT,
    ConcernCategory.PARENTAL_MENTAL_HEALTH,
    ConcernCategory.DOMESTIC_ABUSE,
    ConcernCategory.HOUSING,
    ConcernCategory.EMOTIONAL_ABUSE,
    ConcernCategory.DISABILITY,
]
SENTENCES = {
    ConcernCategory.DOMESTIC_ABUSE: "Police attended the home after a neighbour reported shouting; the children were present.",
    ConcernCategory.GOING_MISSING: "The young person was reported missing overnight and returned the next morning.",
    ConcernCategory.PHYSICAL_ABUSE: "A bruise was seen on the child's arm; the explanation given did not match the injury.",
    ConcernCategory.CHILD_CRIMINAL_EXPLOITATION: "The young person was found with cash and a second phone far from home.",
    ConcernCategory.PARENTAL_SUBSTANCE_MISUSE: "The parent appeared intoxicated when collecting the child.",
    ConcernCategory.NEGLECT: "The child has arrived hungry and in unwashed clothes on several days this month.",
    ConcernCategory.EMOTIONAL_ABUSE: "The child says they are frightened of going home and has become withdrawn.",
    ConcernCategory.SCHOOL_EXCLUSION: "Attendance has fallen below 60% and a fixed-term exclusion is being considered.",
    ConcernCategory.SELF_HARM: "Staff noticed fresh cuts on the young person's forearm.",
    ConcernCategory.PARENTAL_MENTAL_HEALTH: "The parent has told the health visitor they are struggling to cope with low mood.",
    ConcernCategory.HOUSING: "The family has been served notice and may be homeless within weeks.",
    ConcernCategory.DISABILITY: "The child has complex needs and the family asks for support with care at home.",
}
NON_STATUTORY = [Outcome.EARLY_HELP, Outcome.NO_FURTHER_ACTION, Outcome.SIGNPOST]
RATING_FOR = {
    Outcome.STRATEGY_DISCUSSION: Brag.RED,
    Outcome.SECTION_17_ASSESSMENT: Brag.AMBER,
    Outcome.CHILDREN_WITH_DISABILITY: Brag.AMBER,
    Outcome.EARLY_HELP: Brag.GREEN,
    Outcome.NO_FURTHER_ACTION: Brag.BLUE,
    Outcome.SIGNPOST: Brag.BLUE,
}
LEVEL_FOR = {Brag.RED: -1, Brag.AMBER: -2, Brag.GREEN: 1, Brag.BLUE: 0}


@dataclass
class Staff:
    officers: list[User]
    social_workers: list[User]
    managers: list[User]
    assessment: list[User]  # social workers outside the MASH whom statutory outcomes allocate children to


@dataclass
class Step:
    event: Event
    at: datetime
    by: User
    note: str = ""


@dataclass
class History:
    """One contact and everything that happened to it, before any of it is saved."""

    fields: dict[str, Any]
    subjects: list[dict[str, Any]]
    steps: list[Step] = field(default_factory=list)
    screening: dict[str, Any] | None = None
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    action: dict[str, Any] | None = None
    state: ContactState = ContactState.RECEIVED
    due_at: datetime | None = None


class HistoryMaker:
    def __init__(
        self,
        *,
        rng: random.Random,
        fake: Faker,
        staff: Staff,
        deadlines: Deadlines,
        levels: list[ThresholdLevel],
        now: datetime,
    ) -> None:
        self.rng, self.fake, self.staff, self.deadlines, self.levels, self.now = (
            rng,
            fake,
            staff,
            deadlines,
            levels,
            now,
        )

    def received_at(self, weeks: int) -> datetime:
        rng = self.rng
        while True:
            moment = self.now - timedelta(seconds=rng.uniform(0, weeks * 7 * 86400))
            local = moment.astimezone(LONDON)
            if local.weekday() >= 5 and rng.random() < 0.75:
                continue
            if not 8 <= local.hour < 18 and rng.random() < 0.7:
                continue
            return moment

    def _referrer(self, source: str) -> dict[str, Any]:
        fake = self.fake
        if source == ReferralSource.ANONYMOUS:
            return {"referrer_kind": ReferrerKind.ANONYMOUS}
        if source.startswith("1"):
            return {
                "referrer_kind": ReferrerKind.PUBLIC,
                "referrer_name": fake.name(),
                "referrer_phone": fake.phone_number(),
                "referrer_relationship": self.rng.choice(
                    ["Grandparent", "Neighbour", "Aunt", "Family friend", "Parent"]
                ),
            }
        agencies: dict[str, str] = {
            ReferralSource.POLICE: "Demo Constabulary",
            ReferralSource.SCHOOLS: f"{fake.last_name()} Primary School",
        }
        agency = agencies.get(source, f"Demo {ReferralSource(source).label.split(':')[0]}")
        return {
            "referrer_kind": ReferrerKind.PROFESSIONAL,
            "referrer_name": fake.name(),
            "referrer_role": self.rng.choice(
                [
                    "Designated safeguarding lead",
                    "Police constable",
                    "Health visitor",
                    "GP",
                    "Housing officer",
                    "Family support worker",
                ]
            ),
            "referrer_agency": agency,
            "referrer_email": fake.email(),
        }

    def contact(self, house: Household, received: datetime) -> History:
        rng = self.rng
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        concerns = rng.sample(CONCERNS.get(source, DEFAULT_CONCERNS), k=rng.choice([1, 1, 2]))
        consent = (
            ConsentPosition.NOT_REQUIRED_PUBLIC
            if source.startswith("1") or source == "9"
            else rng.choices(
                [ConsentPosition.GIVEN, ConsentPosition.INFORMED, ConsentPosition.NOT_INFORMED_SAFEGUARDING], [6, 3, 1]
            )[0]
        )
        fields: dict[str, Any] = {
            "received_at": received,
            "channel": Channel.POLICE_NOTIFICATION
            if source == ReferralSource.POLICE
            else rng.choice([Channel.PHONE, Channel.EMAIL, Channel.FORM]),
            "source": source,
            "concern_categories": [c.value for c in concerns],
            "narrative": " ".join(SENTENCES[c] for c in concerns),
            "immediate_protection": YesNoUnknown.YES if rng.random() < 0.05 else YesNoUnknown.NO,
            "parents_aware": rng.choice([YesNoUnknown.YES, YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN]),
            "parents_agree": rng.choice([YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN]),
            "consent": consent,
            **self._referrer(source),
        }
        subjects = self._subjects(house)
        history = History(fields, subjects)
        self._walk(history, house, source, received)
        return history

    def _subjects(self, house: Household) -> list[dict[str, Any]]:
        rng = self.rng
        people = rng.sample(house.children, k=min(len(house.children), rng.choice([1, 1, 1, 2, 3])))
        if house.unborn is not None and rng.random() < 0.5:
            people.append(house.unborn)
        rows = []
        for order, person in enumerate(people):
            role = SubjectRole.CHILD if order == 0 else SubjectRole.SIBLING
            rows.append(self._subject(person, role, order))
        if rng.random() < 0.6:
            rows.append(self._subject(house.adults[0], SubjectRole.PARENT, len(rows)))
        return rows

    def _subject(self, person: Any, role: SubjectRole, order: int) -> dict[str, Any]:
        return {
            "role": role,
            "kind": person.kind,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "expected_date_of_delivery": person.expected_date_of_delivery,
            "nhs_number": person.nhs_number if self.rng.random() < 0.6 else "",
            "postcode": person.address.postcode if person.address else "",
            "school": person.school,
            "ethnicity": person.ethnicity,
            "has_parental_responsibility": role == SubjectRole.PARENT,
            "order": order,
            "_person": person,
        }

    def _happened(self, history: History, event: Event, at: datetime, by: User, note: str = "") -> bool:
        if at > self.now:
            return False
        history.steps.append(Step(event, at, by, note))
        history.state = next_state(history.state, event)
        return True

    def _walk(self, history: History, house: Household, source: str, received: datetime) -> None:
        rng, staff = self.rng, self.staff
        slow = 4.0 if rng.random() < 0.12 else 1.0

        def hours(low: float, high: float) -> timedelta:
            return timedelta(hours=rng.uniform(low, high) * slow)

        officer = rng.choice(staff.officers)
        t = received + hours(0.1, 2)
        history.due_at = self.deadlines.due(Clock.SCREENING, start=received)
        if not self._happened(history, Event.START_SCREENING, t, officer):
            return
        t += hours(0.3, 3)
        route, status = self._route(house)
        if t > self.now:
            return
        history.screening = {
            "known_status": status,
            "route": route,
            "allocated_worker": house.worker
            if route in (ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER, ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER)
            else "",
            "signposted_to": "Children's centre" if route == ScreeningRoute.SIGNPOST else "",
            "screened_by": officer,
            "screened_at": t,
        }
        event = {
            ScreeningRoute.SIGNPOST: Event.SIGNPOST,
            ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER: Event.FORWARD_TO_ALLOCATED_WORKER,
            ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER: Event.ALLOCATE_TO_PREVIOUS_WORKER,
            ScreeningRoute.REFER_FOR_THRESHOLD: Event.REFER_FOR_THRESHOLD,
        }[route]
        self._happened(history, event, t, officer)
        if route != ScreeningRoute.REFER_FOR_THRESHOLD:
            history.due_at = None
            return
        rating_hint = Brag.RED if history.fields["immediate_protection"] == YesNoUnknown.YES else ""
        history.due_at = self.deadlines.due(Clock.THRESHOLD_DECISION, start=received, rating=rating_hint)
        outcome = self._outcome(source, history.fields["consent"])
        returned_once = rng.random() < 0.06
        while True:
            worker = rng.choice(staff.social_workers)
            t += hours(1, 18)
            rating = RATING_FOR[outcome]
            if t > self.now:
                return
            history.recommendations.append(
                {
                    "rating": rating,
                    "level": self._level(rating),
                    "outcome": outcome,
                    "rationale": "Needs and risks weighed against the threshold document; records checked.",
                    "recommended_by": worker,
                    "recommended_at": t,
                }
            )
            self._happened(history, Event.RECOMMEND, t, worker)
            history.due_at = self.deadlines.due(Clock.APPROVAL, start=t, rating=rating)
            manager = rng.choice(staff.managers)
            t += hours(0.5, 10)
            if t > self.now:
                return
            if returned_once:
                returned_once = False
                history.decisions.append(
                    {
                        "recommendation": len(history.recommendations) - 1,
                        "verdict": "returned",
                        "outcome": "",
                        "rationale": "Please check school and health records first.",
                        "decided_by": manager,
                        "decided_at": t,
                    }
                )
                self._happened(
                    history,
                    Event.RETURN_FOR_RECONSIDERATION,
                    t,
                    manager,
                    "Please check school and health records first.",
                )
                history.due_at = self.deadlines.due(Clock.THRESHOLD_DECISION, start=received, rating=rating_hint)
                continue
            history.decisions.append(
                {
                    "recommendation": len(history.recommendations) - 1,
                    "verdict": "approved",
                    "outcome": outcome,
                    "rationale": "Agreed with the recommendation.",
                    "decided_by": manager,
                    "decided_at": t,
                }
            )
            self._happened(history, Event.APPROVE, t, manager)
            history.due_at = self.deadlines.due(Clock.OUTCOME_TO_REFERRER, start=t)
            break
        t += hours(1, 30)
        actor = rng.choice(staff.officers)
        if t > self.now:
            return
        anonymous = history.fields["referrer_kind"] == ReferrerKind.ANONYMOUS
        history.action = {
            "actioned_by": actor,
            "actioned_at": t,
            "sent_to": "Assessment team 1" if outcome in STATUTORY_OUTCOMES else "",
            "allocated_worker": rng.choice(staff.assessment) if outcome in STATUTORY_OUTCOMES else None,
            "referrer_informed_at": None if anonymous else t,
            "referrer_informed_by": "" if anonymous else "email",
        }
        self._happened(history, Event.ACTION_OUTCOME, t, actor)
        history.due_at = None

    def _route(self, house: Household) -> tuple[ScreeningRoute, KnownStatus]:
        rng = self.rng
        if house.status == "open_case":
            return ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER, KnownStatus.OPEN_CASE
        status = {"recently_closed": KnownStatus.RECENTLY_CLOSED, "known_closed": KnownStatus.KNOWN_CLOSED}.get(
            house.status, KnownStatus.NOT_KNOWN
        )
        if status == KnownStatus.RECENTLY_CLOSED and self.deadlines.protocol.three_month_rule and rng.random() < 0.8:
            return ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER, status
        if rng.random() < 0.28:
            return ScreeningRoute.SIGNPOST, status
        return ScreeningRoute.REFER_FOR_THRESHOLD, status

    def _outcome(self, source: str, consent: str) -> Outcome:
        rng = self.rng
        # Education contacts convert at about half (001 table d); the hub overall at about a third.
        statutory_share = 0.8 if source in EDUCATION else 0.5
        if rng.random() < statutory_share:
            return rng.choices(
                [Outcome.SECTION_17_ASSESSMENT, Outcome.STRATEGY_DISCUSSION, Outcome.CHILDREN_WITH_DISABILITY],
                [6, 3, 1],
            )[0]
        outcome = rng.choice(NON_STATUTORY)
        if outcome == Outcome.EARLY_HELP and consent != ConsentPosition.GIVEN:
            return Outcome.SIGNPOST
        return outcome

    def _level(self, rating: Brag) -> ThresholdLevel:
        return self.levels[LEVEL_FOR[rating]]
