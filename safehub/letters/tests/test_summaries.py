"""A consultation's summary written and sent to the consultee (002 §5–6: "a copy sent to the person
who sought the consultation, within 48 hours"), once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.consultations.models import Consultation, ConsultationKind
from safehub.consultations.workflow import ConsultationState
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.letters import services
from safehub.letters.models import Channel, LetterKind, Message
from safehub.letters.tests.helpers import set_hub_details
from safehub.sharing.exits import Exit
from safehub.sharing.models import Disclosure
from tests.fuzz.html_forms import form_posting_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(mash_team: Any, social_worker: Any, now: dt.datetime) -> Consultation:
    set_hub_details()
    return Consultation.objects.create(
        kind=ConsultationKind.NAMED,
        team=mash_team,
        received_at=now - dt.timedelta(hours=2),
        consultee_name="Ann Teacher",
        consultee_email="ann.teacher@example-primary.sch.uk",
        child_given_name="Mia",
        child_family_name="Harlow",
        question="Mia comes in hungry most mornings. Should I refer?",
        advice="Talk to her mother today and offer early help; refer if nothing changes within a week.",
        recorded_by=social_worker,
    )


def _send(consultation: Consultation, by: Any, at: dt.datetime, **changes: Any) -> Message:
    made = services.draft_summary(consultation, by=by, at=at)
    fields: dict[str, Any] = {
        "template_version": made.template_version,
        "channel": made.channel,
        "recipient_name": made.recipient_name,
        "email": made.email,
        "postal_address": made.postal_address,
        "subject": made.subject,
        "body": made.body,
        "version": consultation.version,
        "submission_key": uuid.uuid4(),
    }
    fields.update(changes)
    return services.send_summary(consultation, by=by, at=at, **fields)


def test_the_summary_says_what_was_asked_and_the_advice_and_is_sent_once(
    consultation: Consultation, social_worker: Any, now: dt.datetime
) -> None:
    made = services.draft_summary(consultation, by=social_worker, at=now)
    assert made.channel == Channel.EMAIL
    assert "Mia comes in hungry most mornings" in made.body
    assert "offer early help" in made.body
    assert "about Mia Harlow" in made.body
    key = uuid.uuid4()
    message = _send(consultation, social_worker, now, submission_key=key)
    assert (message.kind, message.consultation_id, message.contact_id) == (
        LetterKind.CONSULTATION_SUMMARY,
        consultation.pk,
        None,
    )
    consultation.refresh_from_db()
    assert (consultation.state, consultation.summary_sent_at) == (ConsultationState.SUMMARY_SENT, now)
    row = Disclosure.objects.get(pk=message.disclosure_id)
    assert (row.route, row.origin_id, row.purpose) == (
        Exit.CONSULTATION_SUMMARY,
        consultation.pk,
        "consultation_summary",
    )
    # The same form sent again returns the message it sent.
    assert (
        services.send_summary(
            consultation,
            template_version=made.template_version,
            channel=made.channel,
            recipient_name=made.recipient_name,
            email=made.email,
            postal_address="",
            subject=made.subject,
            body=made.body,
            by=social_worker,
            at=now,
            version=0,
            submission_key=key,
        )
        == message
    )
    with pytest.raises(DomainError, match="already been sent"):
        services.draft_summary(consultation, by=social_worker, at=now)
    assert Message.objects.count() == 1


def test_a_stale_page_sends_nothing(consultation: Consultation, social_worker: Any, now: dt.datetime) -> None:
    with pytest.raises(ConcurrentChange):
        _send(consultation, social_worker, now, version=consultation.version + 1)
    assert not Message.objects.exists()
    assert not Disclosure.objects.exists()


def test_the_page_writes_previews_and_sends_it(consultation: Consultation, social_worker_client: Client) -> None:
    page = social_worker_client.get(consultation.get_absolute_url()).content.decode()
    assert "Write and send the summary" in page
    url = reverse("letters:write-summary", args=[consultation.pk])
    form = {
        name: values[0] if values else ""
        for name, values in form_posting_to(social_worker_client.get(url).content.decode(), url).as_drawn().items()
        if name not in ("csrfmiddlewaretoken", "action")
    }
    assert social_worker_client.post(url, form).status_code == 200  # Enter: a preview
    assert not Message.objects.exists()
    sent = social_worker_client.post(url, {**form, "action": "send"})
    assert sent["Location"] == consultation.get_absolute_url()
    assert Message.objects.get().email == "ann.teacher@example-primary.sch.uk"
    again = social_worker_client.get(url)
    assert again.status_code == 302  # the summary has gone: back to the consultation, saying so
