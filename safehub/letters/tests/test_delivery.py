"""Handing messages over and recording what happened to them: the mail server, GOV.UK Notify (a
stand-in on loopback), its callbacks and its statuses, retries and Notify's own words."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.core.tests.fake_notify import FakeNotify
from safehub.letters import delivery, services
from safehub.letters.models import Channel, LetterKind
from safehub.letters.pdf import letter_pdf
from safehub.letters.tests.helpers import actioned_contact, send_drafted
from safehub.letters.workflow import MessageState
from safehub.protocols.models import LocalProtocol

pytestmark = pytest.mark.django_db
TOKEN = "callback-token-for-tests-0123456789"


@pytest.fixture
def contact(mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime) -> Contact:
    return actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)


_send = send_drafted


def test_the_mail_server_is_handed_each_message_once(contact: Contact, social_worker: Any, now: dt.datetime) -> None:
    message = _send(contact, LetterKind.OUTCOME, social_worker, now)
    assert delivery.deliver_messages(now) == 1
    assert delivery.deliver_messages(now) == 0
    [sent] = mail.outbox
    assert sent.to == ["priya.shah@example-primary.sch.uk"]
    assert sent.subject == message.subject
    assert sent.extra_headers["Message-ID"].startswith(f"<safehub-message-{message.pk}@")
    message.refresh_from_db()
    assert (message.state, message.handed_over_at) == (MessageState.ACCEPTED, now)
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_HANDED_OVER).count() == 1


def test_notify_is_given_the_email_and_its_callback_says_it_was_delivered(
    contact: Contact, social_worker: Any, now: dt.datetime, notify: FakeNotify, client: Client
) -> None:
    message = _send(contact, LetterKind.OUTCOME, social_worker, now)
    delivery.deliver_messages(now)
    [sent] = notify.received
    assert sent["email_address"] == "priya.shah@example-primary.sch.uk"
    assert sent["reference"] == f"safehub-message-{message.pk}"
    assert sent["personalisation"]["subject"] == message.subject
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    url = reverse("letters:notify-callback")
    report = {"id": message.provider_id, "status": "delivered", "completed_at": "2026-11-24T09:58:00.000000Z"}
    with override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN):
        assert client.post(url, report, content_type="application/json").status_code == 401
        wrong = client.post(url, report, content_type="application/json", HTTP_AUTHORIZATION="Bearer wrong")
        assert wrong.status_code == 401
        ok = client.post(url, report, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert ok.status_code == 200
        bad = client.post(url, "not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert bad.status_code == 400
    message.refresh_from_db()
    assert (message.state, message.delivered_at) == (
        MessageState.DELIVERED,
        dt.datetime(2026, 11, 24, 9, 58, tzinfo=dt.UTC),
    )
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_DELIVERED).count() == 1


def test_a_permanent_failure_is_shown_in_notifys_words_and_can_be_sent_again(
    contact: Contact, social_worker: Any, now: dt.datetime, notify: FakeNotify
) -> None:
    message = _send(contact, LetterKind.OUTCOME, social_worker, now)
    delivery.deliver_messages(now)
    message.refresh_from_db()
    assert delivery.apply_report(message, delivery.Report("permanent-failure", now))
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "does not exist" in message.failure
    assert "permanent-failure" in message.failure
    services.send_again(message, by=social_worker, at=now, version=message.version)
    delivery.deliver_messages(now)
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert len(notify.received) == 2


def test_notify_refusing_a_message_fails_it_at_once_with_its_words(
    contact: Contact, social_worker: Any, now: dt.datetime, notify: FakeNotify
) -> None:
    message = _send(contact, LetterKind.OUTCOME, social_worker, now)
    notify.status = 400
    delivery.deliver_messages(now)
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "GOV.UK Notify answered 400" in message.failure
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_NOT_DELIVERED).count() == 1


def test_notify_busy_is_tried_again_later_then_given_up(
    contact: Contact, social_worker: Any, now: dt.datetime, notify: FakeNotify
) -> None:
    message = _send(contact, LetterKind.OUTCOME, social_worker, now)
    notify.status = 429
    at = now
    for attempt in range(1, delivery.MAX_ATTEMPTS):
        assert delivery.deliver_messages(at) == 1
        message.refresh_from_db()
        assert (message.state, message.attempts) == (MessageState.QUEUED, attempt)
        assert delivery.deliver_messages(at) == 0  # not due again yet
        at = message.next_attempt_at
    delivery.deliver_messages(at)
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "rate limit" in message.failure


def test_a_letter_through_notify_is_its_pdf_and_asking_notify_finds_it_posted(
    contact: Contact, social_worker: Any, now: dt.datetime, notify: FakeNotify
) -> None:
    message = _send(contact, LetterKind.FAMILY, social_worker, now)
    assert message.channel == Channel.NOTIFY_LETTER  # Notify's key is set
    delivery.deliver_messages(now)
    [letter] = notify.letters
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(base64.b64decode(letter["content"]))).pages)
    assert "Dana Harlow" in text
    assert "14 Orchard Row" in text
    assert "Assessment Team 2" in text
    message.refresh_from_db()
    notify.statuses[message.provider_id] = "received"
    assert delivery.ask_notify(now + dt.timedelta(minutes=5)) == 0  # too soon to ask
    assert delivery.ask_notify(now + dt.timedelta(minutes=11)) == 1
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED


def test_a_printed_letter_reads_back_from_its_pdf(contact: Contact, social_worker: Any, now: dt.datetime) -> None:
    message = _send(contact, LetterKind.FAMILY, social_worker, now)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(letter_pdf(message, protocol=LocalProtocol.objects.get(is_active=True)))).pages
    )
    assert "Civic Offices" in text  # the hub's address
    assert contact.reference in text
    assert "Dear Dana Harlow" in text
    services.mark_posted(message, by=social_worker, at=now, version=message.version)
    message.refresh_from_db()
    assert message.state == MessageState.POSTED
