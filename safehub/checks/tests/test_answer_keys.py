"""A partner's answer carries a one-time key, as a new contact does (core.submissions): the same form
sent again (after a lost connection, a double click, a reload) is recognised as the answer it made,
so the partner is told it was kept, and nothing is written twice. Without the key the request's
version still stops a second answer, but the partner is told it "has already been answered", and
cannot tell whether it was their answer that got through."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import answers
from safehub.checks.models import AgencyRequest, ResponseStatus
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.mfa.testing import sign_in_both_steps

pytestmark = pytest.mark.django_db

ALREADY_SUBMITTED = "Your response had already been submitted: nothing new was saved"
ANSWER = {"information": "Domestic incident 2026", "sources_searched": "Niche", "analysis": "Child present"}


@pytest.fixture
def police() -> Agency:
    return PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)


@pytest.fixture
def partner(police: Agency) -> User:
    return user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Police desk", agency=police), username="pc.one"
    )


@pytest.fixture
def partner_client(partner: User) -> Client:
    client = Client()
    sign_in_both_steps(client, partner)
    return client


@pytest.fixture
def request_(mash_team: Any, manager: User, social_worker: User, police: Agency, now: dt.datetime) -> AgencyRequest:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    return checks.requests.get()


def _drawn_key(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    match = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert match is not None, "the form carries no one-time key"
    return match.group(1)


def _submitted_events(request: AgencyRequest) -> int:
    return sum(
        1
        for data in AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_SUBMITTED).values_list("data", flat=True)
        if data.get("request") == request.pk
    )


def test_each_drawing_of_the_answer_form_carries_a_new_key(partner_client: Client, request_: AgencyRequest) -> None:
    url = reverse("checks:request", args=[request_.pk])
    assert _drawn_key(partner_client, url) != _drawn_key(partner_client, url)


def test_the_same_answer_form_sent_again_is_acknowledged_and_kept_once(
    partner_client: Client, request_: AgencyRequest
) -> None:
    url = reverse("checks:request", args=[request_.pk])
    body = {"version": 0, "action": "submit", "submission_key": _drawn_key(partner_client, url), **ANSWER}
    first = partner_client.post(url, body, follow=True)
    assert "Response submitted" in first.content.decode()
    again = partner_client.post(url, body, follow=True)
    page = again.content.decode()
    assert ALREADY_SUBMITTED in page
    assert "has already been answered" not in page
    assert request_.responses.count() == 1
    assert request_.responses.get().status == ResponseStatus.SUBMITTED
    assert _submitted_events(request_) == 1


def test_another_form_sent_after_the_answer_is_still_told_the_request_was_answered(
    partner_client: Client, request_: AgencyRequest
) -> None:
    """The key recognises only the form that made the answer: another one (another tab, a colleague's)
    is refused as before, so nobody is told their own answer was kept when it was not."""
    url = reverse("checks:request", args=[request_.pk])
    other_tab = {"version": 0, "action": "submit", "submission_key": _drawn_key(partner_client, url), **ANSWER}
    sent = {"version": 0, "action": "submit", "submission_key": _drawn_key(partner_client, url), **ANSWER}
    assert partner_client.post(url, sent).status_code == 302
    refused = partner_client.post(url, other_tab, follow=True).content.decode()
    assert "This request has already been answered (your answer is below)" in refused
    assert ALREADY_SUBMITTED not in refused
    assert request_.responses.count() == 1


def test_a_key_that_is_not_a_key_is_no_key(partner_client: Client, request_: AgencyRequest) -> None:
    url = reverse("checks:request", args=[request_.pk])
    for bad in ("²", "x" * 300, "1" * 30, "\x00"):
        page = partner_client.post(url, {"version": 0, "action": "submit", "submission_key": bad, **ANSWER})
        assert page.status_code == 200
        assert "Enter a valid UUID" in page.content.decode()
    assert not request_.responses.exists()


def test_the_same_correction_sent_again_is_acknowledged_and_made_once(
    partner: User, partner_client: Client, request_: AgencyRequest, now: dt.datetime
) -> None:
    submit_answer(request_, by=partner, at=now)
    request_.refresh_from_db()
    url = reverse("checks:request", args=[request_.pk])
    body = {
        "version": request_.version,
        "submission_key": _drawn_key(partner_client, url),
        "information": "Domestic incident, April 2026",
        "sources_searched": "Niche",
        "reason": "We found a record",
    }
    first = partner_client.post(url, body, follow=True)
    assert "Correction submitted" in first.content.decode()
    again = partner_client.post(url, body, follow=True)
    assert ALREADY_SUBMITTED in again.content.decode()
    assert "changed by someone else" not in again.content.decode()
    assert request_.responses.count() == 2
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_CORRECTED).count() == 1


def test_the_service_returns_the_answer_a_key_made_and_writes_nothing(
    partner: User, request_: AgencyRequest, now: dt.datetime
) -> None:
    key = uuid.uuid4()
    answer = answers.Answer(nothing_known=True, sources_searched="Niche")
    made = answers.save_response(request_, answer, by=partner, at=now, submit=True, version=0, submission_key=key)
    events = AuditEvent.objects.count()
    request_.refresh_from_db()
    # The version the form was drawn at is stale now: the key, not the version, recognises it.
    again = answers.save_response(request_, answer, by=partner, at=now, submit=True, version=0, submission_key=key)
    assert again == made
    assert AuditEvent.objects.count() == events
    assert request_.responses.count() == 1
