"""Steps decision tests take again and again, through the real services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.decisions import services
from safehub.decisions.models import Outcome
from safehub.protocols.models import Brag, LocalProtocol


def criteria_for(outcomes: Iterable[Outcome]) -> list[str]:
    """What a social worker recommending `outcomes` ticks of the active protocol's early help criteria:
    its first where a child goes to early help (002 §9(c): early help needs "at least one of the following
    Family Wellbeing service criteria"), else none."""
    if Outcome.EARLY_HELP not in set(outcomes):
        return []
    criteria: list[str] = LocalProtocol.objects.get(is_active=True).early_help_criteria
    return criteria[:1]


def recommend_and_approve(
    contact: Contact, *, outcome: Outcome, recommended_by: User, approved_by: User, at: datetime
) -> Contact:
    """A social worker rates every child on the contact amber (level: specialist) and recommends
    `outcome` for each; a second person, a manager, approves it. Returns the contact as it now is."""
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    contact.refresh_from_db()
    services.recommend(
        contact,
        children=services.same_for_all(contact, services.ChildChoice(Brag.AMBER, level, outcome)),
        rationale="Neglect",
        by=recommended_by,
        at=at,
        version=contact.version,
        criteria=criteria_for([outcome]),
    )
    contact.refresh_from_db()
    outcomes = {subject.pk: outcome for subject in services.children_on(contact)}
    services.approve(contact, outcomes=outcomes, rationale="Agreed", by=approved_by, at=at, version=contact.version)
    contact.refresh_from_db()
    return contact
