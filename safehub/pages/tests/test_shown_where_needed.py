"""What the MASH checks recorded is shown where a worker needs it: the questions, the lawful basis,
the agencies' answers and the coordinator's analysis on the checks page, the contact page and beside
the recommend and approve forms (a manager never approves blind); a partner's request carries the
identifiers the person index holds (000, partner offers: "Name, address, DOB, NHS Number if known");
the contact and its checks print cleanly and download as a PDF pack."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from safehub.accounts.models import AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import answers, services
from safehub.checks.models import MashChecks
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.models import PersonKind, Sex
from safehub.people.tests.factories import AdultFactory, PersonFactory
from safehub.protocols.models import Brag, LocalProtocol
from safehub.sharing.vocabulary import statement

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
ANALYSIS = "Police hold two domestic incidents this year; school reports low attendance."


def _submitted_checks(team: object, *, manager: User, social_worker: User, at: dt.datetime) -> MashChecks:
    contact: Contact = ContactAwaitingThresholdFactory(team=team)
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    school = PartnerAgencyFactory(name="Elm Primary", kind=AgencyKind.EDUCATION)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police, school], at=at)
    desk = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=police), username="desk")
    submit_answer(
        checks.requests.get(agency=police),
        by=desk,
        at=at + HOUR,
        information="Two domestic incidents at the address",
        analysis="Escalating pattern",
    )
    services.submit_for_decision(
        checks,
        analysis=ANALYSIS,
        outstanding_reason="School has not answered",
        by=social_worker,
        at=at + 2 * HOUR,
        version=0,
    )
    return checks


def test_the_checks_page_shows_the_questions_and_the_lawful_basis(
    mash_team: object, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    checks = _submitted_checks(mash_team, manager=manager, social_worker=social_worker, at=now)
    page = social_worker_client.get(reverse("checks:checks", args=[checks.pk])).content.decode()
    for shown in (
        "Is the family known to you?",
        statement(services.DEFAULT_BASES),
        "Lawful basis for sharing",
        ANALYSIS,
    ):
        assert shown in page, shown


def test_the_contact_page_shows_the_answers_and_the_analysis(
    mash_team: object, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    checks = _submitted_checks(mash_team, manager=manager, social_worker=social_worker, at=now)
    page = social_worker_client.get(checks.contact.get_absolute_url()).content.decode()
    for shown in (
        "Two domestic incidents at the address",
        "Escalating pattern",
        ANALYSIS,
        "Is the family known to you?",
    ):
        assert shown in page, shown


def test_the_recommend_and_approve_pages_show_the_answers_and_the_analysis_beside_the_form(
    mash_team: object,
    manager: User,
    second_manager: User,
    social_worker: User,
    social_worker_client: Client,
    now: dt.datetime,
) -> None:
    checks = _submitted_checks(mash_team, manager=manager, social_worker=social_worker, at=now)
    contact = checks.contact
    recommend = social_worker_client.get(reverse("decisions:recommend", args=[contact.pk])).content.decode()
    for shown in ("What the agencies said", "Two domestic incidents at the address", ANALYSIS):
        assert shown in recommend, shown
    assert recommend.index(ANALYSIS) < recommend.index("Send to a manager for approval")
    contact.refresh_from_db()
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    decisions.recommend(
        contact,
        children=decisions.same_for_all(
            contact, decisions.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT)
        ),
        rationale="Known to police",
        by=social_worker,
        at=now + 3 * HOUR,
        version=contact.version,
    )
    client = Client()
    sign_in_both_steps(client, second_manager)
    approve = client.get(reverse("decisions:approve", args=[contact.pk])).content.decode()
    for shown in ("Two domestic incidents at the address", "Escalating pattern", ANALYSIS, "School has not answered"):
        assert shown in approve, shown
    assert approve.index(ANALYSIS) < approve.index("Record decision")


def test_a_partner_request_carries_the_identifiers_the_index_holds(
    mash_team: object, manager: User, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    """The referrer gave no NHS number and no adult's date of birth; screening linked both people
    to the index, which holds them: the police are sent both, and nothing else the index holds."""
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, subject=None)
    child = PersonFactory(nhs_number="4857773456", date_of_birth=dt.date(2016, 5, 17), religion="Not for the police")
    mother = AdultFactory(given_name="Ada", family_name="Harlow", date_of_birth=dt.date(1990, 3, 2), sex=Sex.FEMALE)
    ContactSubjectFactory(contact=contact, person=child, nhs_number="", order=0)
    ContactSubjectFactory(
        contact=contact,
        person=mother,
        role=SubjectRole.PARENT,
        kind=PersonKind.ADULT,
        given_name="Ada",
        date_of_birth=None,
        order=1,
    )
    police = police_partner.memberships.get().team.agency
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    request = checks.requests.get()
    assert [(p["nhs_number"], p["date_of_birth"]) for p in request.subjects] == [
        ("4857773456", "2016-05-17"),
        ("", "1990-03-02"),
    ]
    assert "religion" not in request.disclosure.content["subjects"][0]
    assert "Not for the police" not in str(request.disclosure.content)
    client = Client()
    sign_in_both_steps(client, police_partner)
    page = client.get(reverse("checks:request", args=[request.pk])).content.decode()
    assert "485 777 3456" in page
    assert "2 March 1990" in page
    assert "17 May 2016" in page
    assert "1990-03-02" not in page
    assert statement(services.DEFAULT_BASES) in page


def test_the_contact_downloads_as_a_pdf_pack_with_its_checks_and_answers(
    mash_team: object, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    checks = _submitted_checks(mash_team, manager=manager, social_worker=social_worker, at=now)
    contact = checks.contact
    url = reverse("contacts:contact-pack", args=[contact.pk])
    assert url in social_worker_client.get(contact.get_absolute_url()).content.decode()
    before = AuditEvent.objects.count()
    response = social_worker_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"contact-{contact.reference}.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for shown in (
        contact.reference,
        "Mia Harlow",
        contact.narrative[:40],
        "Two domestic incidents at the address",
        "Escalating pattern",
        ANALYSIS,
        "Is the family known to you?",
        "Downloaded by",
    ):
        assert re.sub(r"\s+", " ", shown) in text, shown
    for hidden in ("Sign out", "Start MASH checks", "Download the contact"):
        assert hidden not in text
    events = AuditEvent.objects.order_by("seq")[before:]
    verbs = [(e.verb, e.contact_id, e.by_id) for e in events]
    assert (Verb.REPORT_EXPORTED, contact.pk, social_worker.pk) in verbs
    assert (Verb.CONTACT_VIEWED, contact.pk, social_worker.pk) in verbs
    export = next(e for e in events if e.verb == Verb.REPORT_EXPORTED)
    assert export.data == {"report": "contact-pack"}


def test_the_pdf_pack_is_scoped_like_the_contact_page(
    mash_team: object, police_partner_client: Client, other_team_social_worker: User, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    url = reverse("contacts:contact-pack", args=[contact.pk])
    assert police_partner_client.get(url).status_code == 404
    other = Client()
    sign_in_both_steps(other, other_team_social_worker)
    assert other.get(url).status_code == 404
    refused = AuditEvent.objects.filter(verb=Verb.READ_REFUSED, contact=contact)
    assert refused.count() == 2
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).exists()


def test_the_contact_page_prints_without_navigation_or_buttons() -> None:
    """The print stylesheet hides the header, menu, footer, buttons and links to actions."""
    css = (Path(__file__).resolve().parents[2] / "static" / "safehub" / "safehub.css").read_text()
    printed = css[css.index("@media print") :]
    for hidden in (".govuk-header", ".govuk-service-navigation", ".govuk-footer", ".govuk-button", ".app-no-print"):
        assert hidden in printed, hidden


def test_no_page_shows_an_iso_date(
    mash_team: object, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    checks = _submitted_checks(mash_team, manager=manager, social_worker=social_worker, at=now)
    contact = checks.contact
    ContactSubject.objects.filter(contact=contact).update(nhs_number="4857773456")
    for url in (
        contact.get_absolute_url(),
        reverse("checks:checks", args=[checks.pk]),
        reverse("decisions:recommend", args=[contact.pk]),
    ):
        page = social_worker_client.get(url).content.decode()
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", page), url
        assert "24 November 2026" in page, url


def test_a_corrected_answer_shows_its_earlier_answers_wherever_the_answers_are_read(
    mash_team: object, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    """Walk-through: once the police corrected their answer, the first one (and its handling
    restriction) was shown nowhere: not on the checks, the contact, the decision pages or the pack."""
    checks = _submitted_checks(mash_team, manager=manager, social_worker=social_worker, at=now)
    request = checks.requests.get(agency__name="Example Police")
    first = request.responses.get()
    answers.correct_response(
        first,
        answers.Answer(information="Three domestic incidents at the address", sources_searched="Niche, PND"),
        reason="One missed on PND",
        by=first.author,
        at=now + 3 * HOUR,
        version=request.version,
    )
    contact = checks.contact
    for url in (
        reverse("checks:checks", args=[checks.pk]),
        contact.get_absolute_url(),
        reverse("decisions:recommend", args=[contact.pk]),
    ):
        page = social_worker_client.get(url).content.decode()
        earlier = page[page.index("Earlier answers (1)") :]
        assert "Two domestic incidents at the address" in earlier, url
        assert "Three domestic incidents at the address" in page[: page.index("Earlier answers (1)")], url
        assert "(a correction: One missed on PND)" in page, url
    pack = social_worker_client.get(reverse("contacts:contact-pack", args=[contact.pk]))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.content)).pages))
    assert "Earlier answers (1)" in text
    assert text.index("Three domestic incidents") < text.index("Earlier answers (1)")
    assert "Two domestic incidents at the address" in text[text.index("Earlier answers (1)") :]
