"""A contact taken to its actioned outcome through the real services, for the letters' tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks import services as checks_services
from safehub.checks.tests.helpers import start_checks, submit_answer
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


# What Elm Road Surgery answered on the checks: it never goes in a letter or message (the exits gate).
ANSWER = "Mother missed three appointments for the baby's jabs this year"


def decided_with_practices(
    team: Any, agencies: list[Agency], *, social_worker: User, manager: User, at: dt.datetime
) -> Contact:
    """Mia's contact: the practices asked for checks (Elm Road answering), the checks submitted and a
    section 17 assessment approved, not yet actioned."""
    set_hub_details()
    contact: Contact = ContactAwaitingThresholdFactory(team=team, received_at=at - dt.timedelta(hours=6))
    checks = start_checks(
        contact, by=manager, coordinator=social_worker, agencies=agencies, at=at - dt.timedelta(hours=5)
    )
    first = checks.requests.get(agency=agencies[0])
    health = PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)
    nurse = User.objects.filter(username="nurse").first() or user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=health), username="nurse"
    )
    submit_answer(first, by=nurse, at=at - dt.timedelta(hours=4), information=ANSWER, on_behalf_of="Dr Example")
    checks.refresh_from_db()
    checks_services.submit_for_decision(
        checks,
        analysis="Health concerns only",
        outstanding_reason="Other practices answer by telephone",
        by=social_worker,
        at=at - dt.timedelta(hours=3),
        version=checks.version,
    )
    return recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=manager,
        at=at - dt.timedelta(hours=2),
    )


def action_it(contact: Contact, *, by: User, at: dt.datetime) -> Contact:
    decisions.action_outcome(
        contact,
        sent_to="Assessment Team 2",
        referrer_informed_at=at,
        referrer_informed_by="Telephone",
        notes="",
        by=by,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()
    return contact
