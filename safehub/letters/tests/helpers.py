"""A contact taken to its actioned outcome through the real services, for the letters' tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from safehub.accounts.models import User
from safehub.contacts.models import Contact, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.letters import services
from safehub.letters.models import LetterKind, Message
from safehub.people.models import PersonKind, Sex
from safehub.protocols.models import LocalProtocol


def set_hub_details() -> LocalProtocol:
    protocol = LocalProtocol.objects.get(is_active=True)
    protocol.hub_phone = "020 7946 0123"
    protocol.hub_email = "mash@example.gov.uk"
    protocol.hub_address = "Civic Offices\n2 Example Way\nDA6 7AT"
    protocol.save()
    return protocol


def actioned_contact(
    team: Any,
    *,
    social_worker: User,
    manager: User,
    at: dt.datetime,
    outcome: Outcome = Outcome.SECTION_17_ASSESSMENT,
    **fields: Any,
) -> Contact:
    """A school's contact about Mia Harlow, with her mother (parental responsibility, an address),
    recommended, approved and actioned to the Assessment Team, the referrer to be told from Safehub."""
    set_hub_details()
    fields.setdefault("referrer_email", "priya.shah@example-primary.sch.uk")
    contact: Contact = ContactAwaitingThresholdFactory(team=team, received_at=at - dt.timedelta(hours=5), **fields)
    ContactSubjectFactory(
        contact=contact,
        role=SubjectRole.PARENT,
        kind=PersonKind.ADULT,
        given_name="Dana",
        family_name="Harlow",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(1988, 3, 2),
        address="14 Orchard Row, Bexleyheath",
        postcode="DA6 7AT",
        has_parental_responsibility=True,
        order=1,
    )
    contact = recommend_and_approve(
        contact, outcome=outcome, recommended_by=social_worker, approved_by=manager, at=at - dt.timedelta(hours=1)
    )
    decisions.action_outcome(
        contact,
        sent_to="Assessment Team 2",
        referrer_informed_at=None,
        referrer_informed_by="" if contact.referrer_kind == "anonymous" else decisions.SEND_FROM_SAFEHUB,
        notes="",
        by=social_worker,
        at=at - dt.timedelta(minutes=30),
        version=contact.version,
        allocated_worker=social_worker,
    )
    contact.refresh_from_db()
    return contact


def send_drafted(contact: Contact, kind: LetterKind, by: User, at: dt.datetime, **changes: Any) -> Message:
    """Send the message of `kind` as drafted, with `changes` over the draft's fields."""
    made = services.draft(contact, kind=kind, by=by, at=at)
    fields: dict[str, Any] = {
        "template_version": made.template_version,
        "channel": made.channel,
        "recipient_name": made.recipient_name,
        "email": made.email,
        "postal_address": made.postal_address,
        "subject": made.subject,
        "body": made.body,
        "submission_key": uuid.uuid4(),
    }
    fields.update(changes)
    return services.send(contact, kind=kind, by=by, at=at, **fields)
