from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from safehub.accounts.models import AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.tests.factories import ContactFactory
from safehub.core.errors import DomainError
from safehub.sharing.exits import Exit, release
from safehub.sharing.models import Disclosure
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Category, Purpose

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _share(contact: object, *, by: User, **overrides: object) -> Disclosure:
    to = overrides.get("to") or PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    fields: dict[str, object] = {
        "to": to,
        "released": release((), route=Exit.CHECK_REQUEST, to=getattr(to, "pk", None)),
        "content": {"questions": "Known?"},
        "purpose": Purpose.MASH_CHECKS,
        "bases": SAFEGUARDING_BASES,
        "categories": [Category.CONCERN],
        "consent_position": "Given",
        "by": by,
        "at": AT,
        **overrides,
    }
    with transaction.atomic():
        return record_disclosure(contact, **fields)  # type: ignore[arg-type]


def test_a_disclosure_and_its_audit_event_are_written_together(mash_team: object, manager: User) -> None:
    contact = ContactFactory(team=mash_team)
    disclosure = _share(contact, by=manager)
    assert disclosure.contact_id == contact.pk
    assert disclosure.agency is not None
    assert disclosure.agency.name == "Example Police"
    assert (disclosure.purpose, disclosure.get_purpose_display()) == (Purpose.MASH_CHECKS, Purpose.MASH_CHECKS.label)
    assert (disclosure.origin, disclosure.origin_id) == ("", None)
    event = AuditEvent.objects.get(verb=Verb.DISCLOSURE_MADE, contact=contact)
    assert event.by == manager
    assert event.data == {
        "disclosure": disclosure.pk,
        "agency": disclosure.agency.pk,
        "purpose": "mash_checks",
        "route": "check_request",
        "origin": "",
        "origin_id": None,
    }
    assert disclosure.bases == [basis.value for basis in SAFEGUARDING_BASES]
    assert disclosure.lawful_basis.startswith("UK GDPR Art 6(1)(e)")


def test_a_disclosure_names_the_record_it_was_made_for(mash_team: object, manager: User) -> None:
    contact = ContactFactory(team=mash_team)
    disclosure = _share(contact, by=manager, origin=contact)
    assert (disclosure.origin, disclosure.origin_id) == ("contacts.contact", contact.pk)
    assert list(Disclosure.objects.made_for(contact)) == [disclosure]


def test_a_disclosure_can_go_to_someone_who_is_not_a_partner_agency(mash_team: object, manager: User) -> None:
    contact = ContactFactory(team=mash_team)
    disclosure = _share(contact, by=manager, to="  The child's mother  ")
    assert (disclosure.agency, disclosure.recipient) == (None, "The child's mother")
    assert AuditEvent.objects.get(verb=Verb.DISCLOSURE_MADE).data["agency"] is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"bases": []}, "Choose the lawful basis"), ({"to": " "}, "Say who the information is shared with")],
)
def test_a_disclosure_needs_a_basis_and_a_recipient(
    mash_team: object, manager: User, overrides: dict[str, object], message: str
) -> None:
    contact = ContactFactory(team=mash_team)
    with pytest.raises(DomainError, match=message):
        _share(contact, by=manager, **overrides)
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.DISCLOSURE_MADE).exists()
