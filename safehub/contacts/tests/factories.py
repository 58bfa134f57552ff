"""Contacts in each state. State-named factories set the state directly, as if the
transitions had happened; service tests drive the real transitions."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from safehub.accounts.tests.factories import TeamFactory, UserFactory
from safehub.contacts.models import (
    Channel,
    ConsentPosition,
    Contact,
    ContactSubject,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.search_terms import index_contacts
from safehub.contacts.workflow import ContactState
from safehub.people.models import PersonKind, Sex

RECEIVED_AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def _index(create: bool, contact_id: int) -> None:
    """Write the terms Find a contact looks a contact up by, as record_contact does."""
    if create:
        index_contacts([contact_id])


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"C2026-{n:06d}")
    team = factory.SubFactory(TeamFactory)
    received_at = RECEIVED_AT
    channel = Channel.PHONE
    source = ReferralSource.SCHOOLS
    referrer_kind = ReferrerKind.PROFESSIONAL
    referrer_name = "Priya Shah"
    referrer_role = "Designated safeguarding lead"
    referrer_agency = "Example Primary School"
    referrer_phone = "01632 960001"
    concern_categories = factory.LazyFunction(lambda: ["neglect"])
    narrative = "Child arrived hungry and in dirty clothes on several days this month."
    immediate_protection = YesNoUnknown.NO
    parents_aware = YesNoUnknown.YES
    parents_agree = YesNoUnknown.YES
    consent = ConsentPosition.GIVEN
    state = ContactState.RECEIVED
    current_due_at = dt.datetime(2026, 11, 24, 13, 30, tzinfo=dt.UTC)
    recorded_by = factory.SubFactory(UserFactory)
    subject = factory.RelatedFactory(
        "safehub.contacts.tests.factories.ContactSubjectFactory", factory_related_name="contact"
    )

    search_terms = factory.PostGeneration(lambda contact, create, *_, **__: _index(create, contact.pk))


class ContactSubjectFactory(DjangoModelFactory):
    class Meta:
        model = ContactSubject
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory, subject=None)
    role = SubjectRole.CHILD
    kind = PersonKind.CHILD
    given_name = "Mia"
    family_name = "Harlow"
    sex = Sex.FEMALE
    date_of_birth = dt.date(2016, 5, 17)
    postcode = "DA6 7AT"

    search_terms = factory.PostGeneration(lambda subject, create, *_, **__: _index(create, subject.contact_id))


class ContactInScreeningFactory(ContactFactory):
    state = ContactState.SCREENING


class ContactAwaitingThresholdFactory(ContactFactory):
    state = ContactState.AWAITING_THRESHOLD


class ContactAwaitingApprovalFactory(ContactFactory):
    state = ContactState.AWAITING_APPROVAL


class ContactApprovedFactory(ContactFactory):
    state = ContactState.APPROVED


class ClosedContactFactory(ContactFactory):
    state = ContactState.CLOSED
    current_due_at = None


class OverdueContactFactory(ContactInScreeningFactory):
    received_at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    current_due_at = dt.datetime(2026, 11, 20, 13, 30, tzinfo=dt.UTC)


# A sibling found after the contact was recorded, as `contacts.amendments.add_person` takes them.
SIBLING = {
    "role": SubjectRole.SIBLING,
    "kind": PersonKind.CHILD,
    "given_name": "Leo",
    "family_name": "Harlow",
    "sex": Sex.MALE,
    "date_of_birth": dt.date(2019, 3, 2),
    "postcode": "DA6 7AT",
    "has_parental_responsibility": False,
}
