"""The due times a contact is given as it moves on, and that its queue and its page show, under the
overall decision clock (ADR 0017): the approval is due from receipt where the seed says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions import services
from safehub.decisions.models import Outcome
from safehub.protocols.models import Brag, LocalProtocol

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)  # Monday 23 November 2026, 14:00 (GMT)


def _activate(slug: str) -> LocalProtocol:
    LocalProtocol.objects.filter(is_active=True).update(is_active=False)
    LocalProtocol.objects.filter(slug=slug).update(is_active=True)
    return LocalProtocol.objects.get(slug=slug)


def _recommend(contact: Contact, *, rating: Brag, outcome: Outcome, level: str, by: User, at: dt.datetime) -> None:
    protocol = LocalProtocol.objects.get(is_active=True)
    services.recommend(
        contact,
        children=services.same_for_all(contact, services.ChildChoice(rating, protocol.levels.get(code=level), outcome)),
        rationale="Reasons.",
        by=by,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()


def test_birmingham_approves_within_24_hours_of_receipt_not_of_the_recommendation(
    social_worker: User, mash_team: Any, manager_client: Client, time_machine: Any
) -> None:
    _activate("birmingham")
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=RECEIVED)
    recommended = RECEIVED + dt.timedelta(hours=20)

    _recommend(
        contact,
        rating=Brag.AMBER,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        level="complex",
        by=social_worker,
        at=recommended,
    )

    assert contact.current_due_at == RECEIVED + dt.timedelta(hours=24)  # 000: not 24 more after the recommendation
    time_machine.move_to(recommended, tick=False)
    queue = manager_client.get(reverse("queues:queue", args=["approval"])).content.decode()
    assert contact.reference in queue
    assert "Due in 4 hours" in queue
    assert "Due in 4 hours" in manager_client.get(contact.get_absolute_url()).content.decode()


def test_walsall_progresses_a_child_protection_concern_within_2_hours_overall(
    social_worker: User, mash_team: Any
) -> None:
    _activate("walsall")
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=RECEIVED)

    _recommend(
        contact,
        rating=Brag.RED,
        outcome=Outcome.STRATEGY_DISCUSSION,
        level="cp",
        by=social_worker,
        at=RECEIVED + dt.timedelta(hours=1, minutes=30),
    )

    assert contact.current_due_at == RECEIVED + dt.timedelta(hours=2)  # 004 §6: not 2 hours and 2 more


def test_walsall_approves_other_ratings_a_working_day_after_the_recommendation(
    social_worker: User, mash_team: Any
) -> None:
    _activate("walsall")
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=RECEIVED)

    _recommend(
        contact,
        rating=Brag.AMBER,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        level="csc",
        by=social_worker,
        at=RECEIVED + dt.timedelta(hours=1),
    )

    assert contact.current_due_at == RECEIVED + dt.timedelta(days=1, hours=1)  # local default, no overall clock


def test_a_returned_recommendation_is_due_by_the_same_overall_clock(
    social_worker: User, manager: User, mash_team: Any
) -> None:
    _activate("birmingham")
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=RECEIVED)
    _recommend(
        contact,
        rating=Brag.AMBER,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        level="complex",
        by=social_worker,
        at=RECEIVED + dt.timedelta(hours=2),
    )

    services.return_recommendation(
        contact, rationale="Check the school", by=manager, at=RECEIVED + dt.timedelta(hours=3), version=contact.version
    )

    contact.refresh_from_db()
    assert contact.current_due_at == RECEIVED + dt.timedelta(hours=24)


def test_a_bexley_senior_practitioner_approves(senior_practitioner: User, social_worker: User, mash_team: Any) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=RECEIVED)
    _recommend(
        contact,
        rating=Brag.AMBER,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        level="specialist",
        by=social_worker,
        at=RECEIVED + dt.timedelta(hours=1),
    )

    decision = services.approve(
        contact,
        outcomes={subject.pk: Outcome.SECTION_17_ASSESSMENT for subject in services.children_on(contact)},
        rationale="Agreed.",
        by=senior_practitioner,
        at=RECEIVED + dt.timedelta(hours=2),
        version=contact.version,
    )

    assert decision.decided_by == senior_practitioner
