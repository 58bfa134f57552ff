"""What was entered is shown where a worker needs it: the referrer's address and knowledge of the
family, each person's school, ethnicity, language and parental responsibility, the initial rating,
screening notes and what was signposted, the outcome's notes and when the referrer was told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from safehub.accounts.models import Team, User
from safehub.contacts.models import CHILD_ROLES, ContactSubject
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import (
    ChildDecision,
    ChildRecommendation,
    Decision,
    OutcomeAction,
    Recommendation,
    Verdict,
)
from safehub.protocols.models import LocalProtocol
from safehub.screening.models import KnownStatus, Screening, ScreeningRoute

pytestmark = pytest.mark.django_db


def test_the_contact_page_shows_everything_the_forms_recorded(
    mash_team: Team, manager: User, social_worker_client: Client, now: dt.datetime
) -> None:
    contact = ContactFactory(
        team=mash_team,
        state=ContactState.CLOSED,
        referrer_address="Elm Primary School, 1 School Lane, DA6 7AT",
        referrer_knowledge="Has taught Mia for two years; knows mum well.",
        initial_rating="amber",
    )
    ContactSubject.objects.filter(contact=contact).update(
        school="Elm Primary",
        ethnicity="WBRI",
        first_language="Polish",
        needs="Hearing aid",
        sex="female",
        nhs_number="9434765919",
        address="4 Elm Road",
        postcode="DA6 7AB",
    )
    Screening.objects.create(
        contact=contact,
        known_status=KnownStatus.NOT_KNOWN,
        route=ScreeningRoute.SIGNPOST,
        signposted_to="Family hub drop-in",
        notes="Mum asked for parenting support.",
        screened_by=manager,
        screened_at=now,
    )
    level = LocalProtocol.objects.get(is_active=True).levels.first()
    rec = Recommendation.objects.create(contact=contact, rating="green", rationale="x", recommended_by=manager)
    decision = Decision.objects.create(
        contact=contact, recommendation=rec, verdict=Verdict.APPROVED, rationale="y", decided_by=manager
    )
    for subject in contact.subjects.filter(role__in=CHILD_ROLES):
        ChildRecommendation.objects.create(
            recommendation=rec, subject=subject, rating="green", level=level, outcome="signpost"
        )
        ChildDecision.objects.create(decision=decision, subject=subject, outcome="signpost")
    OutcomeAction.objects.create(
        contact=contact,
        decision=decision,
        actioned_by=manager,
        referrer_informed_at=dt.datetime(2026, 11, 24, 9, 45, tzinfo=dt.UTC),
        referrer_informed_by="email",
        notes="Leaflet sent to mum as well.",
    )
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    for shown in (
        "Elm Primary School, 1 School Lane, DA6 7AT",
        "Has taught Mia for two years; knows mum well.",
        "School: Elm Primary",
        "Female · NHS number 943 476 5919 · 4 Elm Road, DA6 7AB",  # the walk-through missed these
        "First language: Polish",
        "Needs: Hearing aid",
        "Amber",
        "Family hub drop-in",
        "Mum asked for parenting support.",
        "Leaflet sent to mum as well.",
        "24 November 2026, 09:45",
        "(by email)",
    ):
        assert shown in page, shown
