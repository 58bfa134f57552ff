"""A Red disclosure goes to the front: the initial rating given at intake or screening sets the
clocks until a social worker's recommendation rates the contact (Bexley, the active protocol in tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.contacts.services import ContactDetails, rate_contact, record_contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, Refused
from safehub.protocols.models import Brag

pytestmark = pytest.mark.django_db


def _details(at: dt.datetime, **overrides: Any) -> ContactDetails:
    fields: dict[str, Any] = {
        "received_at": at - dt.timedelta(minutes=30),
        "channel": "phone",
        "source": "2A",
        "referrer_kind": "professional",
        "referrer_name": "Priya Shah",
        "referrer_agency": "Example Primary School",
        "concern_categories": ["physical_abuse"],
        "narrative": "Mia showed her teacher a bruise on her arm and said her stepfather did it.",
        "immediate_protection": "no",
        "parents_aware": "no",
        "parents_agree": "unknown",
        "consent": "not_sought",
        **overrides,
    }
    child = {"role": "child", "kind": "child", "given_name": "Mia", "family_name": "Harlow"}
    return ContactDetails(fields, [child])


def test_a_child_who_needs_immediate_protection_is_red_and_screened_within_the_hour(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    contact = record_contact(_details(now, immediate_protection="yes"), team=mash_team, by=contact_officer, at=now)
    assert contact.initial_rating == Brag.RED
    assert contact.current_due_at == contact.received_at + dt.timedelta(hours=1)


def test_an_unrated_contact_keeps_the_ordinary_screening_clock(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    contact = record_contact(_details(now), team=mash_team, by=contact_officer, at=now)
    assert contact.initial_rating == ""
    assert contact.current_due_at == dt.datetime(2026, 11, 24, 13, 30, tzinfo=dt.UTC)  # 4 working hours


@pytest.mark.parametrize("rating", [Brag.BLUE, Brag.GREEN, Brag.AMBER])
def test_immediate_protection_with_a_lower_rating_is_refused(
    mash_team: Team, contact_officer: User, now: dt.datetime, rating: Brag
) -> None:
    details = _details(now, immediate_protection="yes", initial_rating=rating)
    with pytest.raises(Refused, match="A child who needs immediate protection is rated Red"):
        record_contact(details, team=mash_team, by=contact_officer, at=now)
    assert not Contact.objects.exists()


def test_a_red_contact_is_first_in_the_screening_queue(
    mash_team: Team, contact_officer: User, contact_officer_client: Client, now: dt.datetime
) -> None:
    for minutes in (300, 200, 100):  # three older, unrated contacts
        record_contact(
            _details(now, received_at=now - dt.timedelta(minutes=minutes), narrative=f"Older concern {minutes}"),
            team=mash_team,
            by=contact_officer,
            at=now,
        )
    red = record_contact(_details(now, initial_rating=Brag.RED), team=mash_team, by=contact_officer, at=now)
    page = contact_officer_client.get(reverse("queues:queue", args=["screening"])).content.decode()
    rows = page.split('<tr class="govuk-table__row">')[2:]  # after the heading row
    assert red.reference in rows[0]
    assert "Red (initial)" in rows[0]


def test_the_screener_rates_a_contact_and_its_clock_follows(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    contact = record_contact(_details(now), team=mash_team, by=contact_officer, at=now)
    rate_contact(contact, rating=Brag.RED, by=contact_officer, at=now, version=contact.version)
    contact.refresh_from_db()
    assert (contact.initial_rating, contact.version) == (Brag.RED, 1)
    assert contact.current_due_at == contact.received_at + dt.timedelta(hours=1)
    event = AuditEvent.objects.get(verb=Verb.CONTACT_UPDATED, contact=contact)
    assert event.data == {"initial_rating": {"from": "", "to": "red"}}
    with pytest.raises(ConcurrentChange):  # a second screener's stale page
        rate_contact(contact, rating=Brag.GREEN, by=contact_officer, at=now, version=0)


def test_immediate_protection_cannot_be_rated_down(mash_team: Team, contact_officer: User, now: dt.datetime) -> None:
    contact = record_contact(_details(now, immediate_protection="yes"), team=mash_team, by=contact_officer, at=now)
    with pytest.raises(Refused, match="rated Red"):
        rate_contact(contact, rating=Brag.GREEN, by=contact_officer, at=now, version=contact.version)


def test_a_recommended_contact_is_not_rated_again_here(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL)
    with pytest.raises(PermissionDenied):
        rate_contact(contact, rating=Brag.RED, by=contact_officer, at=now, version=contact.version)


def test_the_screening_page_saves_the_rating(
    mash_team: Team, contact_officer: User, contact_officer_client: Client, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    url = reverse("screening:screen-contact", args=[contact.pk])
    assert 'name="initial_rating"' in contact_officer_client.get(url).content.decode()
    response = contact_officer_client.post(
        url, {"action": "rate", "initial_rating": "amber", "version": contact.version}, follow=True
    )
    assert "Initial rating saved: Amber" in response.content.decode()
    contact.refresh_from_db()
    assert contact.initial_rating == Brag.AMBER
    stale = contact_officer_client.post(url, {"action": "rate", "initial_rating": "red", "version": 0})
    assert stale.status_code == 409


def test_the_contact_form_offers_the_initial_rating(contact_officer_client: Client) -> None:
    page = contact_officer_client.get(reverse("contacts:record-contact")).content.decode()
    assert 'name="initial_rating"' in page
    assert "Not rated yet" in page


def test_immediate_protection_cannot_be_unrated_later(mash_team: Team, contact_officer: User, now: dt.datetime) -> None:
    contact = record_contact(_details(now, immediate_protection="yes"), team=mash_team, by=contact_officer, at=now)
    with pytest.raises(Refused, match="rated Red"):
        rate_contact(contact, rating="", by=contact_officer, at=now, version=contact.version)
