"""Synthetic contact histories: what the demo hub's people do with each contact, walked through the
real services (`synthetic.walk`), step by step in time."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from safehub.accounts.models import Team, User
from safehub.contacts.models import (
    Channel,
    ConcernCategory,
    ConsentPosition,
    Contact,
    ContactSubject,
    NotToldReason,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.services import ContactDetails
from safehub.contacts.workflow import ContactState
from safehub.core.working_time import LONDON
from safehub.decisions.models import STATUTORY_OUTCOMES, Outcome, Referral
from safehub.decisions.services import ChildChoice
from safehub.demo.households import Household
from safehub.people.models import Person
from safehub.protocols.models import ThresholdLevel
from safehub.screening.models import ScreeningRoute
from safehub.synthetic.walk import Action, Approve, Recommend, Return, Screen, Turn, Walk
from safehub.synthetic.year_plan import CONCERNS, EDUCATION, LEVEL_FOR, OTHER_CONCERNS, RATING_FOR, SOURCES

# The walked weeks take their sources, concerns and ratings from the year before them (synthetic.year_plan);
# what each concern reads like is said here.
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


# The routes screening may offer, weighted as the hub takes them: where the three-month rule offers
# the previous worker, four in five go there; of the rest, 28% are signposted and closed.
ROUTE_WEIGHTS = {
    ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER: 100.0,
    ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER: 80.0,
    ScreeningRoute.SIGNPOST: 20 * 0.28,
    ScreeningRoute.REFER_FOR_THRESHOLD: 20 * 0.72,
}
# Hours from one step to the next, by the state the contact waits in (four times as long for the
# one contact in eight that waits longer than the rest).
PACE = {
    ContactState.RECEIVED: (0.1, 2.0),
    ContactState.SCREENING: (0.3, 3.0),
    ContactState.AWAITING_THRESHOLD: (1.0, 18.0),
    ContactState.AWAITING_APPROVAL: (0.5, 10.0),
    ContactState.APPROVED: (1.0, 30.0),
}
RETURN_RATIONALE = "Please check school and health records first."


@dataclass
class Staff:
    officers: list[User]
    social_workers: list[User]
    managers: list[User]
    assessment: list[User]  # social workers outside the MASH whom statutory outcomes allocate children to

    def for_step(self, state: ContactState, rng: random.Random) -> User:
        """Who picks up a contact waiting for a threshold decision, an approval or its outcome."""
        if state == ContactState.AWAITING_THRESHOLD:
            return rng.choice(self.social_workers)
        if state == ContactState.AWAITING_APPROVAL:
            return rng.choice(self.managers)
        return rng.choice(self.officers)


@dataclass
class DemoContact:
    """One demo contact's scenario: what the hub's people do with it, at the hub's pace. The
    services decide the rest (the state, due times, known status, referral and audit)."""

    rng: random.Random
    staff: Staff
    levels: list[ThresholdLevel]
    people: list[Person]  # who each subject is, in the contact's order
    anonymous: bool
    officer: User
    slow: float
    outcome: Outcome
    returns: int  # times the manager returns the recommendation before approving it
    moment: datetime | None = None  # of the turn last given
    differently: tuple[tuple[int, ChildChoice], ...] = ()  # siblings recommended something else

    def turn(self, contact: Contact, *, after: datetime) -> Turn | None:
        state = ContactState(contact.state)
        if state not in PACE:
            return None
        low, high = PACE[state]
        self.moment = after + timedelta(hours=self.rng.uniform(low, high) * self.slow)
        if state in (ContactState.RECEIVED, ContactState.SCREENING):
            return Turn(self.officer, self.moment)  # screening stays with the officer who recorded it
        return Turn(self.staff.for_step(state, self.rng), self.moment)

    def identities(self, subjects: Sequence[ContactSubject]) -> list[tuple[ContactSubject, Person | None]]:
        return [(subject, self.people[subject.order]) for subject in subjects]

    def screening(self, contact: Contact, allowed: Sequence[ScreeningRoute], refused: Sequence[Screen]) -> Screen:
        open_routes = [route for route in allowed if route not in {r.route for r in refused}]
        route = self.rng.choices(open_routes, [ROUTE_WEIGHTS.get(r, 1.0) for r in open_routes])[0]
        return Screen(route, signposted_to="Children's centre" if route == ScreeningRoute.SIGNPOST else "")

    def recommendation(self, contact: Contact, refused: Sequence[Recommend]) -> Recommend:
        if self.outcome in {r.outcome for r in refused}:
            # The service refused the outcome planned (early help without consent): the social
            # worker recommends another that needs no more than the hub has.
            others = [o for o in NON_STATUTORY if o not in {r.outcome for r in refused}]
            self.outcome = self.rng.choice(others)
        rating = RATING_FOR[self.outcome]
        # Siblings often need something else: in one statutory contact in three, the siblings of the
        # child the concern is about are sent to early help (with consent) or need nothing further.
        self.differently = ()
        if not refused and self.outcome in STATUTORY_OUTCOMES and self.rng.random() < 1 / 3:
            other = Outcome.EARLY_HELP if contact.consent == ConsentPosition.GIVEN else Outcome.NO_FURTHER_ACTION
            choice = ChildChoice(RATING_FOR[other], self.levels[LEVEL_FOR[RATING_FOR[other]]], other)
            self.differently = tuple((s.pk, choice) for s in contact.subjects.all() if s.role == SubjectRole.SIBLING)
        return Recommend(
            rating=rating,
            level=self.levels[LEVEL_FOR[rating]],
            outcome=self.outcome,
            rationale="Needs and risks weighed against the threshold document; records checked.",
            differently=self.differently,
        )

    def decision(self, contact: Contact, refused: Sequence[Approve | Return]) -> Approve | Return:
        if self.returns > 0:
            self.returns -= 1
            return Return(RETURN_RATIONALE)
        return Approve(
            self.outcome,
            "Agreed with the recommendation.",
            differently=tuple((pk, choice.outcome) for pk, choice in self.differently),
        )

    def action(self, contact: Contact, refused: Sequence[Action]) -> Action:
        # The decision service made a referral if the outcome is a statutory service's.
        referred = Referral.objects.filter(contact=contact).exists()
        return Action(
            sent_to="Assessment team 1" if referred else "",
            allocated_worker=self.rng.choice(self.staff.assessment) if referred else None,
            referrer_informed_at=None if self.anonymous else self.moment,
            referrer_informed_by="" if self.anonymous else "email",
        )


# What a referrer says when they did not tell the family, for each reason (002 §22).
NOT_TOLD_WHY = {
    NotToldReason.INCREASED_RISK: "The father has threatened the mother before when services were involved.",
    NotToldReason.PREJUDICE_INVESTIGATION: "Police are investigating the father; telling the family could alert him.",
    NotToldReason.UNDUE_DELAY: "The family could not be reached today and the child may be at risk tonight.",
}


class HistoryMaker:
    def __init__(
        self,
        *,
        rng: random.Random,
        fake: Faker,
        staff: Staff,
        team: Team,
        levels: list[ThresholdLevel],
        now: datetime,
    ) -> None:
        self.rng, self.fake, self.staff, self.team, self.levels, self.now = rng, fake, staff, team, levels, now

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

    @staticmethod
    def _not_if_not_told(consent: str, answer: str) -> str:
        """A family the referrer did not tell neither knows of the contact nor agrees to it."""
        return YesNoUnknown.NO if consent == ConsentPosition.NOT_INFORMED_SAFEGUARDING and answer == "yes" else answer

    @staticmethod
    def _not_told(consent: str, received: datetime) -> list[NotToldReason]:
        """Why a referrer did not tell the family: one of the three reasons the seeds allow, now and then two.
        Chosen by a generator of its own, seeded by the contact's time, so that the demo's other choices (and
        so its contacts' states) are those of the same seed before the reasons were recorded."""
        if consent != ConsentPosition.NOT_INFORMED_SAFEGUARDING:
            return []
        own = random.Random(received.isoformat())
        return own.sample(list(NotToldReason), k=own.choice([1, 1, 2]))

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

    def contact(self, houses: Sequence[Household], received: datetime) -> Walk:
        """A contact about children in one of `houses`, received at `received`, and what the hub does
        with it."""
        rng = self.rng
        house = self._household(houses, received)
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        concerns = rng.sample(CONCERNS.get(source, OTHER_CONCERNS), k=rng.choice([1, 1, 2]))
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
            "parents_aware": self._not_if_not_told(
                consent, rng.choice([YesNoUnknown.YES, YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN])
            ),
            "parents_agree": self._not_if_not_told(
                consent, rng.choice([YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN])
            ),
            "consent": consent,
            "not_told": {reason: NOT_TOLD_WHY[reason] for reason in self._not_told(consent, received)},
            **self._referrer(source),
        }
        people = self._people(house, received)
        subjects = [self._subject(person, role) for person, role in people]
        officer = rng.choice(self.staff.officers)
        scenario = DemoContact(
            rng=rng,
            staff=self.staff,
            levels=self.levels,
            people=[person for person, _ in people],
            anonymous=fields["referrer_kind"] == ReferrerKind.ANONYMOUS,
            officer=officer,
            slow=4.0 if rng.random() < 0.12 else 1.0,
            outcome=self._outcome(source),
            returns=1 if rng.random() < 0.06 else 0,
        )
        return Walk(
            ContactDetails(fields, subjects), team=self.team, recorded=Turn(officer, received), scenario=scenario
        )

    def _household(self, houses: Sequence[Household], received: datetime) -> Household:
        """A household with a child by the time the contact arrives, born or expected."""
        while True:
            house = self.rng.choice(houses)
            if house.unborn is not None or _born_by(house, received):
                return house

    def _people(self, house: Household, received: datetime) -> list[tuple[Person, SubjectRole]]:
        """The children the referrer names (those born by then), perhaps an unborn baby and a parent."""
        rng = self.rng
        born = _born_by(house, received)
        children = rng.sample(born, k=min(len(born), rng.choice([1, 1, 1, 2, 3])))
        if house.unborn is not None and (not children or rng.random() < 0.5):
            children.append(house.unborn)
        people = [
            (child, SubjectRole.CHILD if order == 0 else SubjectRole.SIBLING) for order, child in enumerate(children)
        ]
        if rng.random() < 0.6:
            people.append((house.adults[0], SubjectRole.PARENT))
        return people

    def _subject(self, person: Person, role: SubjectRole) -> dict[str, Any]:
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
        }

    def _outcome(self, source: str) -> Outcome:
        rng = self.rng
        # Education contacts convert at about half (001 table d); the hub overall at about a third.
        statutory_share = 0.8 if source in EDUCATION else 0.5
        if rng.random() < statutory_share:
            return rng.choices(
                [Outcome.SECTION_17_ASSESSMENT, Outcome.STRATEGY_DISCUSSION, Outcome.CHILDREN_WITH_DISABILITY],
                [6, 3, 1],
            )[0]
        return rng.choice(NON_STATUTORY)


def _born_by(house: Household, moment: datetime) -> list[Person]:
    day = moment.astimezone(LONDON).date()
    return [child for child in house.children if child.date_of_birth is not None and child.date_of_birth <= day]
