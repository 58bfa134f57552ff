"""Partners are told the outcome (000: "outcomes of referrals sent to referring partners"; the police
ask for the "outcomes of any referral made by Police"; 003 App. 4 §8): an agency that answered a
contact's MASH checks sees the decision on its request, and the police see the outcome of the
contacts they referred. Nothing else of the hub's goes with it, no other agency sees it, every read
is audited, and each showing is in the sharing ledger once for each agency."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services as checks_services
from safehub.checks.models import AgencyRequest, MashChecks
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.models import Contact, ReferralSource
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.mfa.testing import sign_in_both_steps
from safehub.partner_outcomes.models import OutcomeShown, ShownBecause
from safehub.partner_outcomes.permissions import can_see_referral_outcomes, can_see_request_outcome
from safehub.protocols.models import Brag, LocalProtocol
from safehub.sharing.exits import Exit
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
RECOMMENDED_WHY = "Recommended because the school and the police describe the same neglect"
APPROVED_WHY = "Approved: the father's history makes an assessment necessary"
ANALYSIS = "The police answer and the rent arrears together show neglect"
HOUSING_ANSWER = "Rent arrears since May and a notice to quit"
POLICE_ANSWER = "Two call-outs to the address this year"


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def _page(user: User, url: str) -> str:
    """The page as its reader reads it (apostrophes and ampersands unescaped)."""
    response = _client(user).get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def _decide(contact: Contact, *, social_worker: User, manager: User, at: dt.datetime) -> Contact:
    """A social worker recommends a children's social care assessment for every child; a manager approves it."""
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    contact.refresh_from_db()
    choice = decisions.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT)
    decisions.recommend(
        contact,
        children=decisions.same_for_all(contact, choice),
        rationale=RECOMMENDED_WHY,
        by=social_worker,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()
    outcomes = {subject.pk: Outcome.SECTION_17_ASSESSMENT for subject in decisions.children_on(contact)}
    decisions.approve(contact, outcomes=outcomes, rationale=APPROVED_WHY, by=manager, at=at, version=contact.version)
    contact.refresh_from_db()
    return contact


def _partner(agency: Agency, username: str) -> User:
    return user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name=f"{agency} desk", agency=agency), username=username
    )


@pytest.fixture
def police(police_partner: User) -> Agency:
    found: Agency = Agency.objects.get(name="Example Police")
    return found


@pytest.fixture
def housing() -> Agency:
    made: Agency = PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)
    return made


@pytest.fixture
def checks(
    mash_team: Team,
    manager: User,
    social_worker: User,
    police: Agency,
    housing: Agency,
    police_partner: User,
    now: dt.datetime,
) -> MashChecks:
    """Mia's MASH checks: the police and housing answered, education was asked and did not."""
    education = PartnerAgencyFactory(name="Example School", kind=AgencyKind.EDUCATION)
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    made = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police, housing, education], at=now)
    requests = {request.agency_id: request for request in made.requests.all()}
    submit_answer(requests[police.pk], by=police_partner, at=now, information=POLICE_ANSWER)
    submit_answer(requests[housing.pk], by=_partner(housing, "housing.desk"), at=now, information=HOUSING_ANSWER)
    made.refresh_from_db()
    return checks_services.submit_for_decision(
        made,
        analysis=ANALYSIS,
        outstanding_reason="Enough is known",
        by=social_worker,
        at=now + HOUR,
        version=made.version,
    )


def _request(checks: MashChecks, agency: Agency) -> AgencyRequest:
    return checks.requests.get(agency=agency)


def _shown_rows() -> list[Disclosure]:
    return list(Disclosure.objects.filter(route=Exit.OUTCOME_TO_PARTNER).order_by("pk"))


# On the request a partner answered -------------------------------------------------------------


def test_a_partner_who_answered_sees_each_childs_outcome_and_when_and_nothing_else(
    checks: MashChecks,
    police: Agency,
    police_partner: User,
    social_worker: User,
    second_manager: User,
    now: dt.datetime,
) -> None:
    url = reverse("checks:request", args=[_request(checks, police).pk])
    waiting = _page(police_partner, url)
    assert ">Decision</h2>" not in waiting  # not decided yet: nothing shown, nothing recorded
    assert _shown_rows() == []

    _decide(checks.contact, social_worker=social_worker, manager=second_manager, at=now + 2 * HOUR)
    page = _page(police_partner, url)
    assert ">Decision</h2>" in page
    assert "Mia Harlow" in page
    assert Outcome.SECTION_17_ASSESSMENT.label in page
    assert "24 November 2026, 12:00" in page  # when it was decided
    for hub_only in (RECOMMENDED_WHY, APPROVED_WHY, ANALYSIS, HOUSING_ANSWER):
        assert hub_only not in page

    [row] = _shown_rows()
    assert (row.agency, row.purpose, row.contact) == (police, "outcome_to_partner", checks.contact)
    assert row.content["children"] == [{"name": "Mia Harlow", "outcome": Outcome.SECTION_17_ASSESSMENT.label}]
    assert APPROVED_WHY not in str(row.content)
    shown = OutcomeShown.objects.get()
    assert (shown.because, shown.first_shown_to) == (ShownBecause.ANSWERED_CHECKS, police_partner)
    assert AuditEvent.objects.filter(verb=Verb.DISCLOSURE_MADE, data__route="outcome_to_partner").count() == 1


def test_the_outcome_is_recorded_once_for_each_agency_however_often_it_is_shown(
    checks: MashChecks,
    police: Agency,
    housing: Agency,
    police_partner: User,
    social_worker: User,
    second_manager: User,
    now: dt.datetime,
) -> None:
    _decide(checks.contact, social_worker=social_worker, manager=second_manager, at=now + 2 * HOUR)
    police_url = reverse("checks:request", args=[_request(checks, police).pk])
    colleague = _partner(police, "police.colleague")
    for user in (police_partner, police_partner, colleague):
        assert Outcome.SECTION_17_ASSESSMENT.label in _page(user, police_url)
    housing_officer = User.objects.get(username="housing.desk")
    _client(housing_officer).get(reverse("checks:request", args=[_request(checks, housing).pk]))
    assert sorted(row.agency.name for row in _shown_rows()) == ["Example Housing", "Example Police"]
    reads = AuditEvent.objects.filter(
        verb=Verb.CONTACT_VIEWED, contact=checks.contact, by__in=[police_partner, colleague]
    )
    assert reads.count() == 3  # every showing is a read of the contact, audited


def test_a_partner_who_did_not_answer_is_not_shown_the_outcome(
    checks: MashChecks, social_worker: User, second_manager: User, now: dt.datetime
) -> None:
    _decide(checks.contact, social_worker=social_worker, manager=second_manager, at=now + 2 * HOUR)
    school = Agency.objects.get(name="Example School")
    unanswered = _request(checks, school)
    teacher = _partner(school, "school.desk")
    page = _page(teacher, reverse("checks:request", args=[unanswered.pk]))
    assert ">Decision</h2>" not in page
    assert Outcome.SECTION_17_ASSESSMENT.label not in page
    assert not can_see_request_outcome(teacher, unanswered)
    # An agency that was never asked cannot reach the request, nor the contact's outcome any other way.
    health = _partner(PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH), "health.desk")
    assert _client(health).get(reverse("checks:request", args=[unanswered.pk])).status_code == 404
    assert _client(health).get(reverse("partner_outcomes:referral", args=[checks.contact_id])).status_code == 404
    assert _shown_rows() == []


# The outcome of a referral the police made ------------------------------------------------------


@pytest.fixture
def referral(mash_team: Team, social_worker: User, second_manager: User, now: dt.datetime) -> Contact:
    """The police referred Mia; nobody asked them anything, and a manager has approved the outcome."""
    contact: Contact = ContactAwaitingThresholdFactory(
        team=mash_team, source=ReferralSource.POLICE, referrer_agency="Example Police", referrer_name="PC Example"
    )
    return _decide(contact, social_worker=social_worker, manager=second_manager, at=now + HOUR)


def test_the_police_see_the_outcome_of_their_referral(referral: Contact, police: Agency, police_partner: User) -> None:
    listed = _page(police_partner, reverse("partner_outcomes:referrals"))
    url = reverse("partner_outcomes:referral", args=[referral.pk])
    assert url in listed
    assert "PC Example" in listed
    assert "Mia Harlow" not in listed  # the list names no child: each referral's page does, and records it
    page = _page(police_partner, url)
    assert "Mia Harlow" in page
    assert Outcome.SECTION_17_ASSESSMENT.label in page
    assert APPROVED_WHY not in page
    assert RECOMMENDED_WHY not in page
    _page(police_partner, url)
    [row] = _shown_rows()
    assert (row.agency, row.route) == (police, Exit.OUTCOME_TO_PARTNER)
    assert OutcomeShown.objects.get().because == ShownBecause.REFERRED
    read = AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED, by=police_partner, contact=referral)
    assert read.count() == 2
    assert read.first().data == {"page": "referral-outcome"}  # type: ignore[union-attr]


def test_another_agencys_referral_or_an_undecided_one_is_not_found_and_the_attempt_recorded(
    referral: Contact, police_partner: User, mash_team: Team, manager: User
) -> None:
    other_police = _partner(PartnerAgencyFactory(name="Other Police", kind=AgencyKind.POLICE), "other.police")
    undecided = ContactAwaitingThresholdFactory(
        team=mash_team, source=ReferralSource.POLICE, referrer_agency="Example Police"
    )
    schools = ContactAwaitingThresholdFactory(team=mash_team)  # a school's referral
    assert _client(other_police).get(reverse("partner_outcomes:referral", args=[referral.pk])).status_code == 404
    for contact in (undecided, schools):
        assert _client(police_partner).get(reverse("partner_outcomes:referral", args=[contact.pk])).status_code == 404
    refused = AuditEvent.objects.filter(verb=Verb.READ_REFUSED).order_by("seq")
    assert [(event.by, event.contact_id) for event in refused] == [
        (other_police, referral.pk),
        (police_partner, undecided.pk),
        (police_partner, schools.pk),
    ]
    listed = _page(other_police, reverse("partner_outcomes:referrals"))
    assert reverse("partner_outcomes:referral", args=[referral.pk]) not in listed
    Contact.objects.filter(pk=referral.pk).update(is_restricted=True, restriction_reason="Staff", restricted_by=manager)
    assert _client(police_partner).get(reverse("partner_outcomes:referral", args=[referral.pk])).status_code == 404
    assert _shown_rows() == []


def test_only_a_referring_agencys_professionals_have_the_list(
    police_partner: User, social_worker: User, housing: Agency
) -> None:
    assert can_see_referral_outcomes(police_partner)
    assert not can_see_referral_outcomes(social_worker)
    # 000: housing asks for the outcomes of its referrals too; an agency that does not refer has no list.
    assert can_see_referral_outcomes(_partner(housing, "housing.desk.user"))
    refuge = PartnerAgencyFactory(name="Example Refuge", kind=AgencyKind.DOMESTIC_ABUSE)
    assert not can_see_referral_outcomes(_partner(refuge, "refuge.only"))
    assert _client(social_worker).get(reverse("partner_outcomes:referrals")).status_code == 403
    assert (
        _client(User.objects.get(username="refuge.only")).get(reverse("partner_outcomes:referrals")).status_code == 404
    )
    assert "Your referrals' outcomes" in _page(police_partner, reverse("checks:workspace"))


def test_the_list_of_referrals_takes_the_same_queries_however_long(
    referral: Contact, police_partner: User, mash_team: Team, social_worker: User, second_manager: User,
    now: dt.datetime, django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for _ in range(3):
        more = ContactAwaitingThresholdFactory(
            team=mash_team, source=ReferralSource.POLICE, referrer_agency="example police"
        )
        _decide(more, social_worker=social_worker, manager=second_manager, at=now + HOUR)
    client = _client(police_partner)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("partner_outcomes:referrals")).content.decode()
    assert page.count(">C2026-") == 4


def test_the_hubs_health_partner_sees_the_outcome_on_a_gp_practices_request_to_tell_the_practice(
    mash_team: Team, manager: User, social_worker: User, second_manager: User, now: dt.datetime
) -> None:
    """003 §2.6: the practice expects the MASH health representative to tell it the outcome."""
    practice: Agency = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE)
    nurse = _partner(PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH), "nurse")
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    made = start_checks(contact, by=manager, coordinator=social_worker, agencies=[practice], at=now)
    request = made.requests.get()
    submit_answer(request, by=nurse, at=now, information="Registered; seen in October", on_behalf_of="Dr Example")
    made.refresh_from_db()
    checks_services.submit_for_decision(made, analysis=ANALYSIS, by=social_worker, at=now + HOUR, version=made.version)
    _decide(contact, social_worker=social_worker, manager=second_manager, at=now + 2 * HOUR)
    assert Outcome.SECTION_17_ASSESSMENT.label in _page(nurse, reverse("checks:request", args=[request.pk]))
    [row] = _shown_rows()
    assert row.agency == practice  # the practice is the one told, through its health partner
