"""Contacts walked through the front door's real services, each step at its own moment.

The demo hub and the benchmark's open work make their contacts here, so a contact's history (its
states, due times, screening route, referral, audit events) is what the services write, and a rule
a service gains later reaches them too. A `Scenario` says what the people do: who acts and when,
which of the routes screening allows they take, what they recommend and decide. The services
decide the rest, and when one refuses a choice the scenario is asked again and must choose
differently. Contacts are walked together in time order (`walk_together`), so the audit trail reads
as the weeks happened and each step sees what was true at its moment.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from safehub.accounts.models import Team, User
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.services import ContactDetails, record_contact, start_screening
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.decisions import criteria as early_help
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.decisions.services import ChildChoice
from safehub.people.models import Person
from safehub.protocols.models import Brag, ThresholdLevel
from safehub.protocols.policy import active_protocol
from safehub.screening.models import ScreeningRoute
from safehub.screening.services import finding_for, identify_subject, record_screening

# How often a scenario may choose again after a service refuses it, before the walk gives up.
CHOICES = 5


@dataclass(frozen=True)
class Turn:
    """Who takes a contact's next step, and when."""

    by: User
    at: datetime


@dataclass(frozen=True)
class Screen:
    route: ScreeningRoute
    signposted_to: str = ""


@dataclass(frozen=True)
class Recommend:
    """A rating, level and outcome for every child, but those `differently` (subject id, choice)."""

    rating: Brag
    level: ThresholdLevel
    outcome: Outcome
    rationale: str
    differently: tuple[tuple[int, ChildChoice], ...] = ()

    def children(self, contact: Contact) -> dict[int, ChildChoice]:
        return {
            **decisions.same_for_all(contact, ChildChoice(self.rating, self.level, self.outcome)),
            **dict(self.differently),
        }


@dataclass(frozen=True)
class Approve:
    """An outcome for every child, but those `differently` (subject id, outcome)."""

    outcome: Outcome
    rationale: str
    differently: tuple[tuple[int, Outcome], ...] = ()

    def outcomes(self, contact: Contact) -> dict[int, Outcome]:
        return {**{s.pk: self.outcome for s in decisions.children_on(contact)}, **dict(self.differently)}


@dataclass(frozen=True)
class Return:
    rationale: str


@dataclass(frozen=True)
class Action:
    sent_to: str
    referrer_informed_at: datetime | None
    referrer_informed_by: str
    allocated_worker: User | None = None
    notes: str = ""


class Scenario(Protocol):
    """What happens to one contact: what the people working on it choose, never what a service
    decides. Each choosing method gets the choices a service has already refused for this step."""

    def turn(self, contact: Contact, *, after: datetime) -> Turn | None:
        """Who takes the step the contact now waits for, and when (not before `after`, the last
        step); None leaves the contact waiting."""
        ...

    def identities(self, subjects: Sequence[ContactSubject]) -> Sequence[tuple[ContactSubject, Person | None]]:
        """The person each subject is, or None for someone the index does not know (screening then
        records a new person). Subjects left out stay unlinked."""
        ...

    def screening(self, contact: Contact, allowed: Sequence[ScreeningRoute], refused: Sequence[Screen]) -> Screen: ...

    def recommendation(self, contact: Contact, refused: Sequence[Recommend]) -> Recommend: ...

    def decision(self, contact: Contact, refused: Sequence[Approve | Return]) -> Approve | Return:
        """A manager's answer to the newest recommendation."""
        ...

    def action(self, contact: Contact, refused: Sequence[Action]) -> Action:
        """How the approved outcome is carried out."""
        ...


Choice = TypeVar("Choice")


def _first_accepted(choose: Callable[[list[Choice]], Choice], act: Callable[[Choice], object]) -> None:
    """Act on the scenario's choice; when a service refuses it, tell the scenario and ask again."""
    refused: list[Choice] = []
    while True:
        choice = choose(refused)
        try:
            act(choice)
        except ConcurrentChange:
            raise
        except DomainError:
            if choice in refused or len(refused) + 1 >= CHOICES:
                raise
            refused.append(choice)
        else:
            return


def _start_screening(contact: Contact, scenario: Scenario, turn: Turn) -> None:
    start_screening(contact, by=turn.by, at=turn.at)


def _screen(contact: Contact, scenario: Scenario, turn: Turn) -> None:
    for subject, person in scenario.identities(list(contact.subjects.all())):
        identify_subject(subject, person=person, by=turn.by, at=turn.at, version=contact.version)
    allowed = finding_for(contact, at=turn.at).allowed_routes

    def screen(choice: Screen) -> None:
        record_screening(
            contact,
            route=choice.route,
            signposted_to=choice.signposted_to,
            by=turn.by,
            at=turn.at,
            version=contact.version,
        )

    _first_accepted(lambda refused: scenario.screening(contact, allowed, refused), screen)


def _recommend(contact: Contact, scenario: Scenario, turn: Turn) -> None:
    # The early help criteria the page ticks in advance from the contact's concerns, left as they are
    # (002 §9(c): early help where none is met is refused, and the scenario chooses again).
    criteria = early_help.suggested(active_protocol().early_help_criteria, contact.concern_categories)

    def recommend(choice: Recommend) -> None:
        decisions.recommend(
            contact,
            children=choice.children(contact),
            rationale=choice.rationale,
            by=turn.by,
            at=turn.at,
            version=contact.version,
            criteria=criteria,
        )

    _first_accepted(lambda refused: scenario.recommendation(contact, refused), recommend)


def _decide(contact: Contact, scenario: Scenario, turn: Turn) -> None:
    def decide(choice: Approve | Return) -> None:
        if isinstance(choice, Return):
            decisions.return_recommendation(
                contact, rationale=choice.rationale, by=turn.by, at=turn.at, version=contact.version
            )
        else:
            decisions.approve(
                contact,
                outcomes=choice.outcomes(contact),
                rationale=choice.rationale,
                by=turn.by,
                at=turn.at,
                version=contact.version,
            )

    _first_accepted(lambda refused: scenario.decision(contact, refused), decide)


def _action(contact: Contact, scenario: Scenario, turn: Turn) -> None:
    def action(choice: Action) -> None:
        decisions.action_outcome(
            contact,
            sent_to=choice.sent_to,
            referrer_informed_at=choice.referrer_informed_at,
            referrer_informed_by=choice.referrer_informed_by,
            notes=choice.notes,
            allocated_worker=choice.allocated_worker,
            by=turn.by,
            at=turn.at,
            version=contact.version,
        )

    _first_accepted(lambda refused: scenario.action(contact, refused), action)


# The service that moves on a contact waiting in each state, as the page for its work queue does.
# A contact in any other state has finished its walk (MASH checks have their own services).
STEPS: dict[ContactState, Callable[[Contact, Scenario, Turn], None]] = {
    ContactState.RECEIVED: _start_screening,
    ContactState.SCREENING: _screen,
    ContactState.AWAITING_THRESHOLD: _recommend,
    ContactState.AWAITING_APPROVAL: _decide,
    ContactState.APPROVED: _action,
}


class Walk:
    """One contact, from being recorded until its scenario leaves it or it has no step left."""

    def __init__(self, details: ContactDetails, *, team: Team, recorded: Turn, scenario: Scenario) -> None:
        self.details, self.team, self.recorded, self.scenario = details, team, recorded, scenario
        self.contact: Contact | None = None

    def steps(self) -> Iterator[datetime]:
        """Yields the moment of each step before taking it (taken when the walk is resumed)."""
        yield self.recorded.at
        contact = record_contact(self.details, team=self.team, by=self.recorded.by, at=self.recorded.at)
        self.contact = contact
        last = self.recorded.at
        while (step := STEPS.get(ContactState(contact.state))) is not None:
            turn = self.scenario.turn(contact, after=last)
            if turn is None:
                return
            if turn.at < last:
                raise ValueError(f"Contact {contact.reference}: a step at {turn.at} comes before the last, {last}")
            yield turn.at
            step(contact, self.scenario, turn)
            last = turn.at


def walk_together(
    walks: Sequence[Walk],
    *,
    until: datetime,
    every: timedelta = timedelta(days=7),
    progress: Callable[[datetime], None] | None = None,
) -> None:
    """Take all the walks' steps in time order, up to `until`: a step due later is not taken, so
    each contact is left where it would be at that moment. `progress` hears each time `every` has
    passed since the first step."""
    queue: list[tuple[datetime, int, Iterator[datetime]]] = []
    for number, walk in enumerate(walks):
        steps = walk.steps()
        first = next(steps, None)
        if first is not None:
            queue.append((first, number, steps))
    heapq.heapify(queue)
    mark = queue[0][0] + every if queue else until
    while queue and queue[0][0] <= until:
        at, number, steps = heapq.heappop(queue)
        while progress is not None and at >= mark:
            progress(mark)
            mark += every
        following = next(steps, None)
        if following is not None:
            heapq.heappush(queue, (following, number, steps))
