from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.consultations.models import Consultation
from safehub.mfa.testing import sign_in_both_steps

pytestmark = pytest.mark.django_db
URL = reverse("consultations:record")


def _post(**overrides: Any) -> dict[str, Any]:
    data = {
        "submission_key": "7d2f9a3c-2f1e-4a7b-9c0d-0b4c7e6a1f22",
        "received_on_0": "24",
        "received_on_1": "11",
        "received_on_2": "2026",
        "received_time": "09:00",
        "kind": "named",
        "consultee_name": "Priya Shah",
        "consultee_agency": "Example Primary School",
        "child_given_name": "Mia",
        "child_family_name": "Harlow",
        "question": "Should I refer?",
        "advice": "Yes: make a contact today.",
    }
    data.update(overrides)
    return data


def test_a_named_consultation_gets_a_summary_due_in_48_hours(social_worker_client: Client, now: dt.datetime) -> None:
    response = social_worker_client.post(URL, _post())
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.summary_due_at == dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # Bexley: 48 hours
    assert AuditEvent.objects.filter(verb=Verb.CONSULTATION_RECORDED).exists()


def test_a_double_submission_records_once(social_worker_client: Client, now: dt.datetime) -> None:
    social_worker_client.post(URL, _post())
    social_worker_client.post(URL, _post())
    assert Consultation.objects.count() == 1


def test_back_and_submit_again_lands_on_the_consultation_already_recorded(
    social_worker_client: Client, now: dt.datetime
) -> None:
    """Back redraws the form with a new one-time key; the browser puts back what was typed."""
    social_worker_client.post(URL, _post())
    again = social_worker_client.post(URL, _post(submission_key="0c9e7b1a-3d4f-4e5a-8b6c-7d8e9f0a1b2c"), follow=True)
    consultation = Consultation.objects.get()
    assert again.redirect_chain[-1][0] == consultation.get_absolute_url()
    assert "You had already recorded this consultation: nothing new was saved" in again.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.CONSULTATION_RECORDED).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "anonymous"}, "An anonymous consultation records no details of the child"),
        ({"child_given_name": "", "child_family_name": ""}, "Enter the child&#x27;s name for a named consultation"),
        ({"advice": ""}, "Enter the advice given"),
        ({"received_on_0": "30"}, "The consultation cannot be in the future"),
        ({"child_postcode": "nowhere"}, "Enter a real postcode"),
    ],
)
def test_bad_input_records_nothing(
    social_worker_client: Client, now: dt.datetime, overrides: dict[str, str], message: str
) -> None:
    response = social_worker_client.post(URL, _post(**overrides))
    assert message in response.content.decode()
    assert not Consultation.objects.exists()


def test_an_anonymous_consultation_has_no_child(social_worker_client: Client, now: dt.datetime) -> None:
    social_worker_client.post(URL, _post(kind="anonymous", child_given_name="", child_family_name=""))
    assert Consultation.objects.get().child_name == ""


def test_summary_is_sent_once(social_worker_client: Client, now: dt.datetime) -> None:
    social_worker_client.post(URL, _post())
    consultation = Consultation.objects.get()
    send = reverse("consultations:send-summary", args=[consultation.pk])
    social_worker_client.post(send, {"version": 0})
    response = social_worker_client.post(send, {"version": 0}, follow=True)
    assert "already been sent" in response.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.CONSULTATION_SUMMARY_SENT).count() == 1
    consultation.refresh_from_db()
    assert consultation.summary_sent_at == now


def test_overdue_summaries(social_worker_client: Client, now: dt.datetime, time_machine: Any) -> None:
    social_worker_client.post(URL, _post())
    assert not Consultation.objects.summary_overdue(at=now).exists()
    assert Consultation.objects.summary_overdue(at=now + dt.timedelta(days=3)).exists()


@pytest.mark.parametrize("fixture", ["police_partner", "other_team_social_worker", "data_protection_officer"])
def test_others_cannot_see_a_consultation(
    request: pytest.FixtureRequest, social_worker_client: Client, fixture: str, now: dt.datetime
) -> None:
    social_worker_client.post(URL, _post())
    client = Client()
    sign_in_both_steps(client, request.getfixturevalue(fixture))
    assert client.get(Consultation.objects.get().get_absolute_url()).status_code == 404


def test_a_contact_officer_may_read_but_not_record(contact_officer_client: Client) -> None:
    assert contact_officer_client.get(reverse("consultations:list")).status_code == 200
    assert contact_officer_client.get(URL).status_code == 403
