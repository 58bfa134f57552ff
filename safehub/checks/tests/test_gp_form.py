from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from safehub.accounts.models import AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services
from safehub.checks.models import MashChecks
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.presenters import shown_date
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


@pytest.fixture
def checks(mash_team: Any, manager: User, social_worker: User, now: Any) -> MashChecks:
    gp = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE)
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    return services.start_checks(
        contact,
        services.StartChecks(
            "Neglect concerns",
            Brag.AMBER,
            social_worker,
            [gp, police],
            "Is the family registered?",
            services.DEFAULT_BASES,
        ),
        by=manager,
        at=now,
        version=contact.version,
    )


def test_the_gp_form_holds_the_request_the_due_time_and_the_consent(checks: MashChecks) -> None:
    health = PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)
    nurse = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=health), username="nurse")
    request = checks.requests.get(agency__kind=AgencyKind.GP_PRACTICE)
    response = _client(nurse).get(reverse("checks:gp-form", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Request for information from a GP practice",
        "Elm Road Surgery",
        "Mia Harlow",
        "Is the family registered?",
        "Mia Harlow: consent given",  # each person's position as it was shared (ADR 0034)
        "UK GDPR Art 6(1)(e)",
        f"Please respond by {shown_date(request.due_at)} GMT",  # the practice reads it away from Safehub
    ):
        assert expected in text, expected
    assert checks.contact.narrative not in text
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED, contact=checks.contact).exists()


def test_other_agencies_and_other_requests_get_no_form(checks: MashChecks) -> None:
    police = checks.requests.get(agency__kind=AgencyKind.POLICE)
    pc = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=police.agency), username="pc")
    gp_request = checks.requests.get(agency__kind=AgencyKind.GP_PRACTICE)
    assert _client(pc).get(reverse("checks:gp-form", args=[gp_request.pk])).status_code == 404
    assert _client(pc).get(reverse("checks:gp-form", args=[police.pk])).status_code == 404
