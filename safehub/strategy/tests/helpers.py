"""Steps strategy tests take again and again, through the real services."""

from __future__ import annotations

from datetime import datetime

from safehub.accounts.models import Team, User
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.protocols.models import Brag, LocalProtocol
from safehub.strategy.models import StrategyDiscussion


def use_protocol(slug: str) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug=slug).update(is_active=True)


def approved_for_strategy(team: Team, *, social_worker: User, manager: User, at: datetime) -> StrategyDiscussion:
    """A contact whose children a social worker rates Red at the highest level and recommends a
    strategy discussion for, approved by a manager: the discussion the approval starts."""
    contact: Contact = ContactAwaitingThresholdFactory(team=team)
    return approve_strategy_for(contact, social_worker=social_worker, manager=manager, at=at)


def approve_strategy_for(contact: Contact, *, social_worker: User, manager: User, at: datetime) -> StrategyDiscussion:
    """`contact`'s children rated Red at the highest level, a strategy discussion recommended and
    approved: the discussion the approval starts."""
    contact.refresh_from_db()
    level = LocalProtocol.objects.get(is_active=True).levels.order_by("-order").first()
    assert level is not None
    decisions.recommend(
        contact,
        children=decisions.same_for_all(contact, decisions.ChildChoice(Brag.RED, level, Outcome.STRATEGY_DISCUSSION)),
        rationale="Bruising to the face, explained differently by each parent",
        by=social_worker,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()
    outcomes = {subject.pk: Outcome.STRATEGY_DISCUSSION for subject in decisions.children_on(contact)}
    decisions.approve(contact, outcomes=outcomes, rationale="Agreed", by=manager, at=at, version=contact.version)
    # The one the approval started (a manager may have started another at once before it).
    return StrategyDiscussion.objects.filter(contact=contact).latest("pk")
