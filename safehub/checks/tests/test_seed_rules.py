"""Two rules of the seeds for MASH checks: a contact in checks is never due after the protocol's
overall decision clock (004 §6), and a protocol may let checks start without consent (000)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services
from safehub.checks.tests.helpers import start_checks
from safehub.consent.services import ConsentMissing
from safehub.contacts.models import ConsentPosition, Contact, YesNoUnknown
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.protocols.models import Brag, LocalProtocol
from safehub.protocols.services import activate_protocol
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def agencies(db: None) -> list[Agency]:
    return [
        PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE),
        PartnerAgencyFactory(name="Example Education Service", kind=AgencyKind.EDUCATION),
        PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH),
        PartnerAgencyFactory(name="Example Early Help Hub", kind=AgencyKind.EARLY_HELP),
    ]


def _hub(slug: str, administrator: User) -> LocalProtocol:
    protocol = LocalProtocol.objects.get(slug=slug)
    activate_protocol(protocol, by=administrator)
    protocol.refresh_from_db()
    return protocol


def _contact(team: Any, now: dt.datetime, **fields: Any) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=team, received_at=now - 10 * MIN, **fields)
    return contact


# 004 §6: the overall decision clock bounds a contact in checks -------------------------------------


def test_a_child_protection_concern_in_checks_is_due_within_walsalls_2_hours(
    mash_team: Any, administrator: User, manager: User, social_worker: User, agencies: list[Agency], now: dt.datetime
) -> None:
    _hub("walsall", administrator)
    contact = _contact(mash_team, now, immediate_protection=YesNoUnknown.YES, initial_rating=Brag.RED)

    made = start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=now, rating=Brag.RED)

    # The police, education and early help answer within 1 working day (a local default) ...
    assert max(request.due_at for request in made.requests.all()) == now + 24 * H
    contact.refresh_from_db()
    # ... but 004 §6: "The agreed standard for the Walsall MASH to progress a child protection concern is
    # within a maximum of 2 hours" of the contact.
    assert contact.current_due_at == contact.received_at + 2 * H
    assert Contact.objects.overdue(at=contact.received_at + 2 * H + MIN).filter(pk=contact.pk).exists()


def test_asking_another_agency_does_not_stretch_the_contact_past_its_decision_clock(
    mash_team: Any, administrator: User, manager: User, social_worker: User, agencies: list[Agency], now: dt.datetime
) -> None:
    _hub("walsall", administrator)
    contact = _contact(mash_team, now, immediate_protection=YesNoUnknown.YES, initial_rating=Brag.RED)
    made = start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=now, rating=Brag.RED)
    housing = PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)

    services.ask_another_agency(
        made,
        services.AskAgencies([housing], "Is the family known to you?", services.DEFAULT_BASES),
        by=manager,
        at=now + 30 * MIN,
        version=made.version,
    )

    contact.refresh_from_db()
    assert contact.current_due_at == contact.received_at + 2 * H


def test_without_an_overall_decision_clock_the_contact_waits_for_the_last_answer(
    mash_team: Any, administrator: User, manager: User, social_worker: User, agencies: list[Agency], now: dt.datetime
) -> None:
    _hub("sefton", administrator)  # 003 sets no overall time to an Amber contact's decision
    contact = _contact(mash_team, now, initial_rating=Brag.AMBER)

    made = start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=now)

    contact.refresh_from_db()
    assert contact.current_due_at == max(request.due_at for request in made.requests.all())


# 000: "Information is shared initially within CASS with or without consent" ---------------------


def test_birminghams_checks_start_without_consent_and_each_request_says_what_consent_was(
    mash_team: Any, administrator: User, manager: User, social_worker: User, agencies: list[Agency], now: dt.datetime
) -> None:
    _hub("birmingham", administrator)
    contact = _contact(mash_team, now, consent=ConsentPosition.NOT_KNOWN, parents_agree=YesNoUnknown.UNKNOWN)

    made = start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=now)

    assert made.requests.count() == 4
    assert not AuditEvent.objects.filter(contact=contact, verb=Verb.CONSENT_SHARING_REFUSED).exists()
    for disclosure in Disclosure.objects.filter(contact=contact):
        # Each person's position as it stood, then that the protocol let the request go without it.
        people = [f"{subject.display_name}: consent not sought or not known" for subject in contact.subjects.all()]
        assert disclosure.consent_position == "; ".join([*people, services.WITHOUT_CONSENT])
        assert disclosure.bases == [basis.value for basis in services.DEFAULT_BASES]  # the lawful basis, as always


def test_with_everyone_consenting_a_request_says_only_that(
    mash_team: Any, administrator: User, manager: User, social_worker: User, agencies: list[Agency], now: dt.datetime
) -> None:
    _hub("birmingham", administrator)
    contact = _contact(mash_team, now)  # the referrer's "consent given" stands for everyone

    start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=now)

    position = Disclosure.objects.filter(contact=contact).values_list("consent_position", flat=True).first()
    assert position is not None
    assert services.WITHOUT_CONSENT not in position


@pytest.mark.parametrize("slug", ["bexley", "sefton", "walsall"])
def test_every_other_hub_still_needs_consent_or_an_override(
    slug: str,
    mash_team: Any,
    administrator: User,
    manager: User,
    social_worker: User,
    agencies: list[Agency],
    now: dt.datetime,
) -> None:
    _hub(slug, administrator)
    contact = _contact(mash_team, now, consent=ConsentPosition.NOT_KNOWN, parents_agree=YesNoUnknown.UNKNOWN)

    with pytest.raises(ConsentMissing):
        start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=now)

    assert AuditEvent.objects.filter(contact=contact, verb=Verb.CONSENT_SHARING_REFUSED).count() == 1
