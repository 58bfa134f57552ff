"""Steps decision tests take again and again, through the real services."""

from __future__ import annotations

from datetime import datetime

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.decisions import services
from safehub.decisions.models import Outcome
from safehub.protocols.models import Brag, LocalProtocol


def recommend_and_approve(
    contact: Contact, *, outcome: Outcome, recommended_by: User, approved_by: User, at: datetime
) -> Contact:
    """A social worker rates the contact amber (level: specialist) and recommends `outcome`; a second
    person, a manager, approves it. Returns the contact as it now is."""
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    contact.refresh_from_db()
    services.recommend(
        contact,
        rating=Brag.AMBER,
        level=level,
        outcome=outcome,
        rationale="Neglect",
        by=recommended_by,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()
    services.approve(contact, outcome=outcome, rationale="Agreed", by=approved_by, at=at, version=contact.version)
    contact.refresh_from_db()
    return contact
