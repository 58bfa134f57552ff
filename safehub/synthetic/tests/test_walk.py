"""The walker takes each step with the service for the contact's state, in time order across
contacts, stops where its scenario or the clock leaves a contact, and asks again when a service
refuses a choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import ConsentPosition, Contact, ContactSubject, ReferrerKind
from safehub.contacts.services import ContactDetails
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import ChildRecommendation, Outcome
from safehub.people.models import Person
from safehub.protocols.models import Brag, LocalProtocol
from safehub.screening.models import ScreeningRoute
from safehub.synthetic.walk import Action, Approve, Recommend, Return, Screen, Turn, Walk, walk_together

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@dataclass
class Plan:
    """A scenario that leaves the contact in `target`: its officer screens, its social worker
    recommends `outcomes` in turn as they are refused, its manager approves."""

    officer: User
    social_worker: User
    manager: User
    target: ContactState
    outcomes: list[Outcome]
    refusals: list[Outcome] = field(default_factory=list)

    def turn(self, contact: Contact, *, after: dt.datetime) -> Turn | None:
        state = ContactState(contact.state)
        if state == self.target:
            return None
        by = {ContactState.AWAITING_THRESHOLD: self.social_worker, ContactState.AWAITING_APPROVAL: self.manager}
        return Turn(by.get(state, self.officer), after + HOUR)

    def identities(self, subjects: Sequence[ContactSubject]) -> list[tuple[ContactSubject, Person | None]]:
        return [(subject, None) for subject in subjects]

    def screening(self, contact: Contact, allowed: Sequence[ScreeningRoute], refused: Sequence[Screen]) -> Screen:
        return Screen(ScreeningRoute.REFER_FOR_THRESHOLD)

    def recommendation(self, contact: Contact, refused: Sequence[Recommend]) -> Recommend:
        self.refusals = [r.outcome for r in refused]
        level = LocalProtocol.objects.get(is_active=True).levels.first()
        assert level is not None
        return Recommend(Brag.AMBER, level, self.outcomes[len(refused)], "Neglect")

    def decision(self, contact: Contact, refused: Sequence[Approve | Return]) -> Approve | Return:
        return Approve(Outcome(contact.recommendations.get().children.get().outcome), "Agreed")

    def action(self, contact: Contact, refused: Sequence[Action]) -> Action:
        return Action(sent_to="Assessment team", referrer_informed_at=None, referrer_informed_by="")


@pytest.fixture
def plan(contact_officer: User, social_worker: User, manager: User) -> Plan:
    return Plan(contact_officer, social_worker, manager, ContactState.APPROVED, [Outcome.SECTION_17_ASSESSMENT])


def _walk(
    plan: Plan,
    team: Team,
    received: dt.datetime,
    *,
    consent: str = ConsentPosition.GIVEN,
    narrative: str = "Arrived hungry on several days.",
) -> Walk:
    fields = {
        "received_at": received,
        "channel": "phone",
        "source": "2A",
        "referrer_kind": ReferrerKind.ANONYMOUS,
        "concern_categories": ["neglect"],
        "narrative": narrative,
        "immediate_protection": "no",
        "parents_aware": "yes",
        "parents_agree": "yes",
        "consent": consent,
    }
    child = {"role": "child", "kind": "child", "given_name": "Mia", "family_name": "Harlow"}
    return Walk(ContactDetails(fields, [child]), team=team, recorded=Turn(plan.officer, received), scenario=plan)


def test_a_walk_takes_each_step_with_its_service_until_its_scenario_leaves_it(
    plan: Plan, mash_team: Team, now: dt.datetime
) -> None:
    walk = _walk(plan, mash_team, now - 10 * HOUR)
    walk_together([walk], until=now)

    contact = walk.contact
    assert contact is not None
    contact.refresh_from_db()
    assert contact.state == ContactState.APPROVED
    assert contact.current_due_at is not None  # the approval service started the outcome's clock
    assert [c.event for c in contact.state_changes.all()] == [
        "start_screening",
        "refer_for_threshold",
        "recommend",
        "approve",
    ]
    assert contact.subjects.get().person is not None  # screening recorded the child as a new person
    assert contact.referrals.get().subject == contact.subjects.get()  # the decision service referred the child


def test_walks_are_taken_together_in_time_order_up_to_the_moment_given(
    plan: Plan, mash_team: Team, now: dt.datetime
) -> None:
    early = _walk(plan, mash_team, now - 4 * HOUR - HOUR / 2)
    # Another concern the same day (the same words twice would be one contact submitted twice).
    late = _walk(plan, mash_team, now - 2 * HOUR - 3 * HOUR / 4, narrative="Seen outside alone late at night.")
    walk_together([late, early], until=now)

    moments = list(AuditEvent.objects.exclude(contact=None).order_by("seq").values_list("at", flat=True))
    assert moments == sorted(moments)
    assert early.contact is not None
    assert late.contact is not None
    early.contact.refresh_from_db()
    late.contact.refresh_from_db()
    assert early.contact.state == ContactState.APPROVED
    # Recorded 2¾ hours ago, a step an hour: screened and referred; its recommendation is not due yet.
    assert late.contact.state == ContactState.AWAITING_THRESHOLD
    assert not AuditEvent.objects.filter(at__gt=now).exists()


def test_a_choice_the_service_refuses_is_made_again(plan: Plan, mash_team: Team, now: dt.datetime) -> None:
    plan.target = ContactState.AWAITING_APPROVAL
    plan.outcomes = [Outcome.EARLY_HELP, Outcome.NO_FURTHER_ACTION]
    walk = _walk(plan, mash_team, now - 10 * HOUR, consent=ConsentPosition.INFORMED)
    walk_together([walk], until=now)

    assert plan.refusals == [Outcome.EARLY_HELP]  # early help needs consent: the service said no
    assert list(ChildRecommendation.objects.values_list("outcome", flat=True)) == [Outcome.NO_FURTHER_ACTION]
    assert AuditEvent.objects.filter(verb=Verb.RECOMMENDATION_RECORDED).count() == 1
