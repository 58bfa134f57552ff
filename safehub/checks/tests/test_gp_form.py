"""A GP practice's request for information (003 §2.6, Appendix 5): the form carries each item the
appendix asks for, drawn from the request's row of the sharing ledger alone, and is emailed once to
the practice's agreed secure address; a practice without one is not emailed, and its request says so."""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import gp_emails, services
from safehub.checks.gp_form import gp_form_pdf
from safehub.checks.gp_requests import CHECKLIST
from safehub.checks.models import AgencyRequest, MashChecks, PracticeEmail
from safehub.consent import services as consent
from safehub.contacts.models import ConsentPosition, Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory, ContactSubjectFactory
from safehub.core.presenters import shown_date, shown_london_time
from safehub.letters.tests.helpers import set_hub_details
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.tests.factories import AdultFactory, PersonFactory
from safehub.protocols.models import Brag
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

SECURE = "elm.road.surgery@nhs.example"
WHY = "Mia told her teacher her mother's partner hits her; asking first could put her at more risk."


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _start(
    contact: Contact, agencies: list[Agency], *, by: User, coordinator: User, at: Any, **changes: Any
) -> MashChecks:
    start = {
        "reason": "Neglect concerns",
        "rating": Brag.AMBER,
        "coordinator": coordinator,
        "agencies": agencies,
        "questions": "Is the family registered?",
        "bases": services.DEFAULT_BASES,
        **changes,
    }
    return services.start_checks(contact, services.StartChecks(**start), by=by, at=at, version=contact.version)


@pytest.fixture
def gp() -> Agency:
    practice: Agency = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE)
    return practice


@pytest.fixture
def nurse() -> User:
    health = PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)
    return user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=health), username="nurse")


@pytest.fixture
def checks(gp: Agency, mash_team: Any, manager: User, social_worker: User, now: Any) -> MashChecks:
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    return _start(contact, [gp, police], by=manager, coordinator=social_worker, at=now)


def _gp_request(checks: MashChecks) -> AgencyRequest:
    return checks.requests.get(agency__kind=AgencyKind.GP_PRACTICE)


def test_the_gp_form_holds_the_request_the_due_time_and_the_consent(checks: MashChecks, nurse: User) -> None:
    request = _gp_request(checks)
    response = _client(nurse).get(reverse("checks:gp-form", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in (
        "Request for information from a GP practice",
        "Elm Road Surgery",
        "Mia Harlow",
        "Is the family registered?",
        "Yes: consent given",  # each person's position as it was shared (ADR 0034)
        "UK GDPR Art 6(1)(e)",
        f"Please respond by {shown_date(request.due_at)} GMT",  # the practice reads it away from Safehub
    ):
        assert expected in text, expected
    assert checks.contact.narrative not in text
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED, contact=checks.contact).exists()


def test_other_agencies_and_other_requests_get_no_form(checks: MashChecks) -> None:
    police = checks.requests.get(agency__kind=AgencyKind.POLICE)
    pc = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=police.agency), username="pc")
    gp_request = _gp_request(checks)
    assert _client(pc).get(reverse("checks:gp-form", args=[gp_request.pk])).status_code == 404
    assert _client(pc).get(reverse("checks:gp-form", args=[police.pk])).status_code == 404


# Appendix 5, item by item -------------------------------------------------------------------------


@pytest.fixture
def family(mash_team: Any, manager: User, social_worker: User, now: dt.datetime) -> Contact:
    """Mia, known to the hub from a contact in the spring, and her mother Lena, whom the referrer, a
    member of the public, did not tell: Lena's consent is set aside by a manager's agreed override."""
    mia, lena = PersonFactory(given_name="Mia", family_name="Harlow"), AdultFactory(given_name="Lena")
    spring = ContactFactory(
        team=mash_team,
        received_at=dt.datetime(2026, 4, 14, 10, tzinfo=dt.UTC),
        concern_categories=["domestic_abuse", "neglect"],
    )
    ContactSubject.objects.filter(contact=spring).update(person=mia)
    hidden = ContactFactory(team=mash_team, received_at=dt.datetime(2026, 6, 2, 10, tzinfo=dt.UTC))
    ContactSubject.objects.filter(contact=hidden).update(person=mia)
    Contact.objects.filter(pk=hidden.pk).update(
        is_restricted=True, restriction_reason="A staff member's child", restricted_by=manager
    )
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.NOT_REQUIRED_PUBLIC)
    ContactSubject.objects.filter(contact=contact).update(person=mia)
    ContactSubjectFactory(
        contact=contact, given_name="Lena", role=SubjectRole.PARENT, kind="adult", date_of_birth=dt.date(1988, 1, 9)
    )
    ContactSubject.objects.filter(contact=contact, given_name="Lena").update(person=lena)
    consent.record_consent(
        contact,
        consent.Answer(
            subject_id=contact.subjects.get(given_name="Mia").pk,
            purpose="mash_checks",
            answer="given",
            given_by="parent",
            giver_name="Tom Harlow",
            given_on=now.date(),
            method="verbal",
        ),
        by=social_worker,
        at=now,
    )
    asked = consent.ask_override(contact, "mash_checks", WHY, by=social_worker, at=now)
    police = Agency.objects.filter(kind=AgencyKind.POLICE).first() or PartnerAgencyFactory(kind=AgencyKind.POLICE)
    decision = consent.Decision(
        agree=True,
        rationale="The risk of asking the mother first outweighs her privacy here.",
        power="children_act_s47",
        owner_id=police.pk,
        owner_agreed_by="DS Example",
        owner_agreed_at=now,
    )
    consent.decide_override(asked, decision, by=manager, at=now, version=asked.version)
    contact.refresh_from_db()
    return contact


def test_the_form_carries_every_item_appendix_5_asks_for(
    family: Contact, gp: Agency, manager: User, social_worker: User, now: dt.datetime
) -> None:
    User.objects.filter(pk=manager.pk).update(job_title="MASH team manager")
    manager.refresh_from_db()
    set_hub_details()
    checks = _start(family, [gp], by=manager, coordinator=social_worker, at=now, left_out_reason="Only the GP")
    request = _gp_request(checks)
    text = " ".join(_text(gp_form_pdf(request)).split())  # the PDF's lines joined, as a sentence reads
    manager_name = manager.get_full_name()
    for item, expected in (
        ("1. the date of the request", shown_london_time(request.sent_at)),
        ("2. when the response is required", f"Please respond by {shown_london_time(request.due_at)}"),
        ("3. the requester", manager_name),
        ("3. their job title", "MASH team manager"),
        ("3. how to reach them", manager.email),
        ("3. the hub's telephone", "020 7946 0123"),
        ("3. the hub's address", "Civic Offices"),
        ("where to return the information", "Please return your information by email to mash@example.gov.uk"),
        ("4. the people", "Mia Harlow"),
        ("4. the family", "Lena Harlow"),
        ("5. the reason", "Neglect concerns"),
        ("5. previous MASH enquiries", "Previous MASH enquiries and their reasons"),
        ("5. the earlier contact", "14 April 2026"),
        ("5. its reasons", "Domestic abuse, Neglect"),
        ("6. the information checklist", CHECKLIST[0]),
        ("6. the whole checklist", CHECKLIST[-1]),
        ("6. the hub's questions", "Is the family registered?"),
        ("7. the children's consent", "consent of the child or children"),
        ("7. Mia's consent", "Yes: consent given"),
        ("7. the parents' consent", "consent of the parents or guardians"),
        ("7. Lena's consent not obtained", "No. Consent not sought or not known."),
        ("7. why not", "A member of the public made the referral"),
        ("7. the override's reason", WHY.rstrip(".")),
        ("7. who agreed it", f"Agreed by {manager_name}"),
    ):
        assert expected in text, item
    assert "URGENT" not in text  # amber, due in the protocol's usual time
    assert "2 June 2026" not in text  # a restricted contact is never named outside the hub
    assert family.narrative not in text


@pytest.mark.parametrize(
    ("rating", "sooner", "urgent"),
    [(Brag.RED, False, True), (Brag.AMBER, True, True), (Brag.AMBER, False, False)],
    ids=["red", "due sooner than usual", "amber in the usual time"],
)
def test_a_red_request_or_one_due_sooner_than_usual_is_marked_urgent(
    gp: Agency,
    mash_team: Any,
    manager: User,
    social_worker: User,
    now: dt.datetime,
    rating: Brag,
    sooner: bool,
    urgent: bool,
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    respond_by = now + dt.timedelta(hours=2) if sooner else None
    checks = _start(
        contact, [gp], by=manager, coordinator=social_worker, at=now, rating=rating, respond_by=respond_by,
        left_out_reason="Only the GP",
    )  # fmt: skip
    request = _gp_request(checks)
    assert request.disclosure.content["gp_form"]["urgent"] is urgent
    assert ("URGENT REQUEST" in _text(gp_form_pdf(request))) is urgent


def test_the_form_shows_what_the_ledger_recorded_as_sent_not_the_contact_as_it_is_now(checks: MashChecks) -> None:
    request = _gp_request(checks)
    ContactSubject.objects.filter(contact=checks.contact).update(given_name="Renamed")
    MashChecks.objects.filter(pk=checks.pk).update(reason="Changed after the request went")
    text = _text(gp_form_pdf(AgencyRequest.objects.get(pk=request.pk)))
    assert "Mia Harlow" in text
    assert "Neglect concerns" in text
    assert "Renamed" not in text
    assert "Changed after the request went" not in text


# Emailed to the practice's agreed secure address -----------------------------------------------------


@pytest.fixture
def secure_checks(gp: Agency, mash_team: Any, manager: User, social_worker: User, now: dt.datetime) -> MashChecks:
    Agency.objects.filter(pk=gp.pk).update(secure_email=SECURE)
    gp.refresh_from_db()
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    return _start(contact, [gp], by=manager, coordinator=social_worker, at=now, left_out_reason="Only the GP")


def _to_practice() -> list[Any]:
    return [message for message in mail.outbox if message.to == [SECURE]]


def test_the_request_is_emailed_once_to_the_practice_with_its_form(
    secure_checks: MashChecks, nurse: User, now: dt.datetime
) -> None:
    request = _gp_request(secure_checks)
    assert PracticeEmail.objects.get(request=request).address == SECURE
    call_command("run_worker", "--once")
    call_command("run_worker", "--once")  # a second round sends nothing again
    assert gp_emails.deliver_practice_emails(now) == 0
    [message] = _to_practice()
    assert message.extra_headers["Message-ID"] == gp_emails.message_id(PracticeEmail.objects.get(request=request))
    assert f"request {request.pk}" in message.subject
    [(name, pdf, kind)] = message.attachments
    assert (name, kind) == (f"request-{request.pk}-for-information.pdf", "application/pdf")
    text = _text(pdf)
    assert "Mia Harlow" in text
    assert "Is the family registered?" in text
    assert secure_checks.contact.narrative not in text + message.body
    page = _client(nurse).get(reverse("checks:request", args=[request.pk])).content.decode()
    assert f"agreed secure address, {SECURE}" in page


def test_two_workers_at_once_email_each_request_once(
    transactional_db: None, gp: Agency, mash_team: Any, manager: User, social_worker: User, now: dt.datetime
) -> None:
    Agency.objects.filter(pk=gp.pk).update(secure_email=SECURE)
    gp.refresh_from_db()
    for _ in range(3):
        contact = ContactAwaitingThresholdFactory(team=mash_team)
        _start(contact, [gp], by=manager, coordinator=social_worker, at=now, left_out_reason="Only the GP")
    results: list[int] = []

    def worker() -> None:
        try:
            results.append(gp_emails.deliver_practice_emails(now, batch=1))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3
    assert sorted(message.extra_headers["Message-ID"] for message in _to_practice()) == sorted(
        gp_emails.message_id(email) for email in PracticeEmail.objects.all()
    )


def test_the_email_carries_nothing_the_ledger_row_did_not_record(secure_checks: MashChecks, now: dt.datetime) -> None:
    """Whatever changed on the contact after the request was sent, the email holds what was sent."""
    request = _gp_request(secure_checks)
    ContactSubject.objects.filter(contact=secure_checks.contact).update(given_name="Renamed", nhs_number="9434765919")
    gp_emails.deliver_practice_emails(now)
    [message] = _to_practice()
    sent = Disclosure.objects.made_for(request).get().content
    text = _text(message.attachments[0][1]) + message.body
    assert "Renamed" not in text
    assert "943 476 5919" not in text
    assert sent["subjects"][0]["name"] in text
    assert shown_london_time(dt.datetime.fromisoformat(sent["respond_by"])) in message.body


def test_a_request_answered_or_withdrawn_before_the_worker_ran_is_not_emailed(
    secure_checks: MashChecks, manager: User, now: dt.datetime
) -> None:
    request = _gp_request(secure_checks)
    services.withdraw_request(request, reason="Asked in error", by=manager, at=now, version=request.version)
    assert gp_emails.deliver_practice_emails(now) == 0
    assert _to_practice() == []


def test_a_practice_with_no_secure_address_is_not_emailed_and_its_request_says_so(
    checks: MashChecks, nurse: User
) -> None:
    request = _gp_request(checks)
    assert not PracticeEmail.objects.exists()
    call_command("run_worker", "--once")
    assert [m for m in mail.outbox if m.attachments] == []
    response = _client(nurse).get(reverse("checks:request", args=[request.pk]))
    assert response.status_code == 200
    assert "Not emailed: Elm Road Surgery had no agreed secure email address in Safehub" in response.content.decode()


def test_the_manager_starting_checks_is_told_a_practice_was_not_emailed(
    gp: Agency, mash_team: Any, manager_client: Client, social_worker: User
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    form = {
        "version": contact.version,
        "reason": "Neglect concerns",
        "rating": "amber",
        "coordinator": social_worker.pk,
        "agencies": [gp.pk],
        "questions": "Is the family registered?",
        "bases": [basis.value for basis in services.DEFAULT_BASES],
        "left_out_reason": "Only the GP",
    }
    response = manager_client.post(reverse("checks:start", args=[contact.pk]), form, follow=True)
    assert response.status_code == 200
    assert "Not emailed: Elm Road Surgery has no agreed secure email address" in response.content.decode()


# The administrator sets the address --------------------------------------------------------------


def test_an_administrator_sets_the_agreed_secure_address_which_must_be_an_email(
    gp: Agency, administrator_client: Client
) -> None:
    page = reverse("users:agency", args=[gp.pk])
    refused = administrator_client.post(page, {"secure-email": "not an address", "secure-old_email": ""})
    assert refused.status_code == 200
    assert "Enter an email address like name@example.org" in refused.content.decode()
    gp.refresh_from_db()
    assert gp.secure_email == ""
    saved = administrator_client.post(page, {"secure-email": SECURE.upper(), "secure-old_email": ""})
    assert saved.status_code == 302
    gp.refresh_from_db()
    assert gp.secure_email == SECURE
    event = AuditEvent.objects.get(verb=Verb.AGENCY_SECURE_ADDRESS_CHANGED)
    assert event.data["new"] == {"secure_email": SECURE}
    stale = administrator_client.post(page, {"secure-email": "other@nhs.example", "secure-old_email": ""})
    assert stale.status_code == 409
    gp.refresh_from_db()
    assert gp.secure_email == SECURE
