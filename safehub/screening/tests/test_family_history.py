"""Screening shows the history that decides the route: the family as the index links it, their
services, and every contact about them in the last 12 months, with a repeat-contact warning."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.contacts.models import ContactRestriction, ContactSubject
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import ChildDecision, ChildRecommendation, Decision, Recommendation, Verdict
from safehub.people.households import family_of
from safehub.people.models import RelationshipKind, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory, RelationshipFactory
from safehub.protocols.models import LocalProtocol

pytestmark = pytest.mark.django_db


def test_a_sibling_three_links_away_is_family() -> None:
    a, b, c, d = (PersonFactory(address=None) for _ in range(4))
    for one, other in ((a, b), (b, c), (c, d)):
        RelationshipFactory(person=one, relative=other, kind=RelationshipKind.SIBLING)
    assert family_of([a.pk]) == {a.pk, b.pk, c.pk, d.pk}


def test_children_of_one_parent_and_people_at_one_home_are_family_others_are_not() -> None:
    mia, leo = PersonFactory(address=None), PersonFactory(address=None)
    mum = PersonFactory(address=None, kind="adult")
    RelationshipFactory(person=mum, relative=mia, kind=RelationshipKind.PARENT)
    RelationshipFactory(person=mum, relative=leo, kind=RelationshipKind.PARENT)
    lodger = PersonFactory(kind="adult")
    housemate = PersonFactory(kind="adult", address=lodger.address)
    suspect = PersonFactory(kind="adult", address=None)
    RelationshipFactory(person=suspect, relative=mia, kind=RelationshipKind.ALLEGED_PERPETRATOR)
    assert family_of([mia.pk]) == {mia.pk, mum.pk, leo.pk}
    assert family_of([lodger.pk]) == {lodger.pk, housemate.pk}


def _decided(contact: Any, outcome: str, by: User, at: dt.datetime) -> None:
    level = LocalProtocol.objects.get(is_active=True).levels.first()
    rec = Recommendation.objects.create(
        contact=contact, rating="amber", rationale="x", recommended_by=by, recommended_at=at
    )
    decision = Decision.objects.create(
        contact=contact, recommendation=rec, verdict=Verdict.APPROVED, rationale="y", decided_by=by, decided_at=at
    )
    for subject in contact.subjects.all():
        ChildRecommendation.objects.create(
            recommendation=rec, subject=subject, rating="amber", level=level, outcome=outcome
        )
        ChildDecision.objects.create(decision=decision, subject=subject, outcome=outcome)


def test_the_screening_page_shows_the_familys_history_and_warns_of_a_repeat_contact(
    mash_team: Team, manager: User, contact_officer: User, contact_officer_client: Client, now: dt.datetime
) -> None:
    mia = PersonFactory(given_name="Mia", family_name="Harlow", address=None)
    leo = PersonFactory(given_name="Leo", family_name="Harlow", address=None)
    RelationshipFactory(person=mia, relative=leo, kind=RelationshipKind.SIBLING)
    InvolvementFactory(person=leo, service=Service.EARLY_HELP, ended_on=dt.date(2026, 6, 1), team="Family wellbeing")
    past = []
    for months, outcome in ((2, "early_help"), (8, "signpost"), (13, "no_further_action")):
        earlier = ContactFactory(
            team=mash_team, state=ContactState.CLOSED, received_at=now - dt.timedelta(days=30 * months)
        )
        ContactSubject.objects.filter(contact=earlier).update(person=mia)
        _decided(earlier, outcome, manager, earlier.received_at)
        past.append(earlier)
    hidden = ContactFactory(team=mash_team, state=ContactState.CLOSED, received_at=now - dt.timedelta(days=20))
    ContactSubject.objects.filter(contact=hidden).update(person=mia)
    hidden.is_restricted, hidden.restriction_reason, hidden.restricted_by = True, "Staff member's child", manager
    hidden.save()
    ContactRestriction.objects.create(contact=hidden, user=manager)

    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    ContactSubject.objects.filter(contact=contact).update(person=mia)
    page = contact_officer_client.get(reverse("screening:screen-contact", args=[contact.pk])).content.decode()

    assert "What the records show about the family" in page
    assert "3rd contact about Mia Harlow in 12 months" in page
    assert past[0].reference in page
    assert "Early help (family wellbeing)" in page
    assert past[1].reference in page
    assert past[2].reference not in page  # 13 months ago
    assert hidden.reference not in page  # restricted to someone else
    assert "Leo Harlow" in page  # the sibling, with their early help
    assert "Early help: closed since 1 June 2026 (Sam Okafor, Family wellbeing)" in page


def test_the_verdict_is_followed_by_what_the_family_history_holds(
    mash_team: Team, contact_officer_client: Client, now: dt.datetime
) -> None:
    """Walk-through: "Not known to children's services" stood alone while the family panel below
    showed a brother's open service and a repeat contact; a tired screener reads the one line."""
    charlie = PersonFactory(given_name="Charlie", family_name="Brown", address=None)
    antony = PersonFactory(given_name="Antony", family_name="Brown", address=None)
    RelationshipFactory(person=charlie, relative=antony, kind=RelationshipKind.SIBLING)
    InvolvementFactory(
        person=antony, service=Service.CHILDREN_WITH_DISABILITY, allocated_worker="Lydia Jones", team="CWD team"
    )
    earlier = ContactFactory(team=mash_team, state=ContactState.CLOSED, received_at=now - dt.timedelta(days=40))
    ContactSubject.objects.filter(contact=earlier).update(person=charlie)
    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    ContactSubject.objects.filter(contact=contact).update(person=charlie)
    page = contact_officer_client.get(reverse("screening:screen-contact", args=[contact.pk])).content.decode()
    verdict = page[page.index("2. Where does it go next?") :]
    assert "Not known to children" in verdict
    signals = verdict[: verdict.index("</ul>")]
    assert "2nd contact about Charlie Brown in 12 months" in signals
    assert (
        "Antony Brown (family) has an open service: Children with disability service (Lydia Jones, CWD team)" in signals
    )
