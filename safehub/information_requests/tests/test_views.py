"""The information request pages: taking a request, answering it on the phone, writing and approving
a written answer, refusing, and the register (000, levels 1 to 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.workflow import RequestState
from safehub.people.models import Person
from safehub.people.tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

CALL = {
    "level": "1",
    "requester_name": "Ann Teacher",
    "requester_role": "Designated safeguarding lead",
    "requester_organisation": "Example Primary School",
    "requester_email": "ann.teacher@example-primary.sch.uk",
    "identity_checked": "She emailed me from her school address during the call",
    "child_name": "Mia Harlow",
    "reason": "Mia told her teacher she is scared to go home",
}


@pytest.fixture
def mia(now: dt.datetime) -> Person:
    person: Person = PersonFactory(local_id="P0000042", given_name="Mia", family_name="Harlow")
    InvolvementFactory(person=person)
    return person


def test_a_call_is_taken_answered_and_shown_as_told(contact_officer_client: Client, mia: Person) -> None:
    page = contact_officer_client.get(reverse("information_requests:take"))
    assert page.status_code == 200
    done = contact_officer_client.post(reverse("information_requests:take"), {**CALL, "submission_key": ""})
    assert done.status_code == 302
    taken = InformationRequest.objects.get()
    page = contact_officer_client.get(done["Location"]).content.decode()
    assert "Answer on the phone" in page
    answered = contact_officer_client.post(
        done["Location"], {"action": "identify", "version": taken.version, "person": "p0000042"}, follow=True
    )
    html = answered.content.decode()
    assert "Allocated worker: Sam Okafor" in html
    assert "tell the caller what is shown below" in html
    taken.refresh_from_db()
    assert taken.state == RequestState.ANSWERED
    # The same form again (back and resubmit): nothing more happens, and the page says so.
    again = contact_officer_client.post(
        done["Location"], {"action": "identify", "version": 0, "person": "P0000042"}, follow=True
    )
    assert "moved on since the page was loaded" in again.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.INFORMATION_REQUEST_ANSWERED).count() == 1


def test_a_call_without_a_checked_identity_is_turned_away_with_the_reason(contact_officer_client: Client) -> None:
    response = contact_officer_client.post(
        reverse("information_requests:take"),
        {**CALL, "identity_checked": "", "requester_email": "ann@hotmail.com", "person": "P404"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "No one in the person index has that ID" in html
    response = contact_officer_client.post(
        reverse("information_requests:take"), {**CALL, "identity_checked": "", "requester_email": "ann@hotmail.com"}
    )
    html = response.content.decode()
    assert "Say how you checked who the caller is" in html
    assert "not a personal one" in html
    assert not InformationRequest.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.INFORMATION_REQUEST_TURNED_AWAY).count() == 1


def test_a_written_answer_is_approved_on_its_page_by_a_manager_who_did_not_write_it(
    social_worker_client: Client, manager_client: Client, mia: Person
) -> None:
    mia.involvements.update(ended_on=dt.date(2026, 6, 1))  # a closed case: what level 2 is for
    written = {**CALL, "level": "2", "identity_checked": "", "consent_evidence": "signed", "person": "P0000042"}
    done = social_worker_client.post(reverse("information_requests:take"), written)
    taken = InformationRequest.objects.get()
    social_worker_client.post(
        done["Location"],
        {
            "action": "draft",
            "version": taken.version,
            "person": "P0000042",
            "reasons": "Concerns about neglect of the home in January 2026",
        },
    )
    taken.refresh_from_db()
    assert taken.state == RequestState.AWAITING_APPROVAL
    page = manager_client.get(done["Location"]).content.decode()
    assert "Approve and send" in page
    assert "Reasons: Concerns about neglect of the home in January 2026" in page
    approved = manager_client.post(
        reverse("information_requests:approve", args=[taken.pk]), {"version": taken.version}, follow=True
    )
    assert "Approved: the answer is sent" in approved.content.decode()
    taken.refresh_from_db()
    assert taken.state == RequestState.ANSWERED
    twice = manager_client.post(reverse("information_requests:approve", args=[taken.pk]), {"version": taken.version})
    assert twice.status_code == 302
    assert AuditEvent.objects.filter(verb=Verb.INFORMATION_REQUEST_APPROVED).count() == 1


def test_the_register_lists_requests_for_the_dpo_and_partners_are_not_told_it_exists(
    contact_officer_client: Client, data_protection_officer_client: Client, police_partner_client: Client, now: Any
) -> None:
    contact_officer_client.post(reverse("information_requests:take"), CALL)
    taken = InformationRequest.objects.get()
    register = data_protection_officer_client.get(reverse("information_requests:list"), {"level": "1"})
    assert taken.reference in register.content.decode()
    assert police_partner_client.get(reverse("information_requests:list")).status_code == 404
    # A bad search says what to change and lists nothing, rather than "no requests match".
    bad = data_protection_officer_client.get(
        reverse("information_requests:list"),
        {"start_0": "9", "start_1": "12", "start_2": "2026", "end_0": "1", "end_1": "12", "end_2": "2026"},
    ).content.decode()
    assert "The end date must be the same as or after the start date" in bad
    assert "Correct the search to see the requests it finds" in bad
    assert "No requests match the search" not in bad
    assert police_partner_client.get(reverse("information_requests:request", args=[taken.pk])).status_code == 404


def test_a_blank_or_half_filled_form_shows_every_problem_at_once(contact_officer_client: Client) -> None:
    """Walk-through: a blank form said only "Choose the level"; the rest came in later rounds."""
    html = contact_officer_client.post(reverse("information_requests:take"), {"person": "P404"}).content.decode()
    for message in (
        "Choose the level of the request",
        "Enter the name of the person asking",
        "Enter their work email address",
        "Enter the child&#x27;s name",
        "No one in the person index has that ID",
    ):
        assert message in html, message
    html = contact_officer_client.post(
        reverse("information_requests:take"),
        {**CALL, "identity_checked": "", "requester_email": "ann@gmail.com", "person": "P404"},
    ).content.decode()
    assert "Say how you checked who the caller is" in html
    assert "not a personal one" in html
    assert not InformationRequest.objects.exists()
