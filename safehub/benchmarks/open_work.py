"""The benchmark's open work: the last days' contacts that did not need MASH checks, walked through
the front door's services (`synthetic.walk`) until each waits on a work queue, so their states, due
times, screenings, recommendations, decisions and audit events are the ones the services write."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safehub.accounts.models import Team, User
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.services import ContactDetails
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Outcome
from safehub.people.models import Person
from safehub.protocols.models import Brag, ThresholdLevel
from safehub.screening.models import ScreeningRoute
from safehub.synthetic.walk import Action, Approve, Recommend, Return, Screen, Turn, Walk, walk_together

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
OUTCOMES = (Outcome.EARLY_HELP, Outcome.SECTION_17_ASSESSMENT, Outcome.NO_FURTHER_ACTION)


@dataclass
class Queued:
    """One open contact's scenario: screened and decided by the benchmark's staff until it waits in
    `target`, each step a third of the way from the last to `now`, so that none is in the future."""

    rng: random.Random
    social_workers: Sequence[User]
    managers: Sequence[User]
    levels: Sequence[ThresholdLevel]
    target: ContactState
    now: datetime
    outcome: Outcome = Outcome.NO_FURTHER_ACTION
    moment: datetime | None = None  # of the turn last given

    def turn(self, contact: Contact, *, after: datetime) -> Turn | None:
        state = ContactState(contact.state)
        if state == self.target:
            return None
        staff = self.managers if state == ContactState.AWAITING_APPROVAL else self.social_workers
        self.moment = after + (self.now - after) / 3
        return Turn(self.rng.choice(staff), self.moment)

    def identities(self, subjects: Sequence[ContactSubject]) -> list[tuple[ContactSubject, Person | None]]:
        return [(subject, None) for subject in subjects if subject.is_child]  # not known: a new person

    def screening(self, contact: Contact, allowed: Sequence[ScreeningRoute], refused: Sequence[Screen]) -> Screen:
        route = ScreeningRoute.REFER_FOR_THRESHOLD
        return Screen(route if route in allowed else allowed[0])

    def recommendation(self, contact: Contact, refused: Sequence[Recommend]) -> Recommend:
        self.outcome = self.rng.choice([o for o in OUTCOMES if o not in {r.outcome for r in refused}])
        # A rating and level that fit the outcome (decisions.services.check_rating_fits): none of
        # these outcomes is for significant harm, so neither Red nor the highest level.
        return Recommend(
            rating=self.rng.choice([Brag.AMBER, Brag.AMBER, Brag.GREEN]),
            level=self.rng.choice(sorted(self.levels, key=lambda level: level.order)[:-1]),
            outcome=self.outcome,
            rationale="Needs and risks weighed against the threshold document; records checked.",
        )

    def decision(self, contact: Contact, refused: Sequence[Approve | Return]) -> Approve | Return:
        return Approve(self.outcome, "Agreed with the recommendation.")

    def action(self, contact: Contact, refused: Sequence[Action]) -> Action:
        return Action(sent_to="Assessment team", referrer_informed_at=self.moment, referrer_informed_by="email")


def walk_open_work(
    newest_first: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]],
    *,
    team: Team,
    social_workers: Sequence[User],
    managers: Sequence[User],
    levels: Sequence[ThresholdLevel],
    rng: random.Random,
    now: datetime,
) -> list[Contact]:
    """Record the newest contacts (each its fields and subjects) and walk them on, OPEN_WORK's
    numbers waiting in each state, newest first. Returns the contacts, in the order given."""
    targets = [state for state, count in OPEN_WORK for _ in range(count)]
    walks = [
        Walk(
            ContactDetails(fields, subjects),
            team=team,
            recorded=Turn(rng.choice(social_workers), fields["received_at"]),
            scenario=Queued(rng, social_workers, managers, levels, target, now),
        )
        for (fields, subjects), target in zip(newest_first, targets, strict=False)
    ]
    walk_together(walks, until=now)
    contacts = [walk.contact for walk in walks]
    if None in contacts:
        raise ValueError("A contact received after `now` cannot be open work")
    return [contact for contact in contacts if contact is not None]
