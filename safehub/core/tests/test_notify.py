"""The GOV.UK Notify email backend, against a stand-in for Notify's API on this machine."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.test import override_settings

from safehub.core.checks import check_notify_can_send_files
from safehub.core.notify import ApiKey, NotifyEmailBackend, NotifyError, token
from safehub.core.tests.fake_notify import FILE_TEMPLATE, KEY, SECRET, SERVICE, TEMPLATE, FakeNotify


def _message(*to: str) -> EmailMessage:
    return EmailMessage(
        "Safehub: request 7 is overdue",
        "Sign in to Safehub to see it.",
        "safehub@example.gov.uk",
        list(to),
        headers={"Message-ID": "<safehub-alert-7@example.gov.uk>"},
    )


def test_each_recipient_is_one_notify_email_with_the_template_and_a_signed_token(notify: FakeNotify) -> None:
    sent = get_connection().send_messages([_message("a@example.gov.uk", "b@example.gov.uk")])
    assert sent == 1
    assert [r["email_address"] for r in notify.received] == ["a@example.gov.uk", "b@example.gov.uk"]
    first = notify.received[0]
    assert first["template_id"] == TEMPLATE
    assert first["personalisation"] == {
        "subject": "Safehub: request 7 is overdue",
        "body": "Sign in to Safehub to see it.",
    }
    assert first["reference"] == "safehub-alert-7@example.gov.uk"


def test_a_pdf_goes_as_notifys_file_to_download_through_the_file_template(notify: FakeNotify) -> None:
    """A GP practice's request or a referral pack: never sent without the file it says is attached."""
    message = _message("gp.practice@example.nhs.uk")
    message.attach("request.pdf", b"%PDF-1.7 the form", "application/pdf")
    message.attach("meeting.ics", "BEGIN:VCALENDAR", "text/calendar")  # no file Notify sends: left out
    assert get_connection().send_messages([message]) == 1
    [sent] = notify.received
    assert sent["template_id"] == FILE_TEMPLATE
    assert sent["personalisation"]["link_to_file"] == {
        "file": base64.b64encode(b"%PDF-1.7 the form").decode(),
        "filename": "request.pdf",
        "confirm_email_before_download": True,
        "retention_period": "26 weeks",
    }


@pytest.mark.parametrize(
    ("files", "refusal"),
    [
        ([("a.pdf", b"%PDF"), ("b.pdf", b"%PDF")], "one file an email"),
        ([("big.pdf", b"%" * (3 * 1024 * 1024))], "larger than the 2MB"),
    ],
)
def test_files_notify_cannot_send_are_refused_not_dropped(
    notify: FakeNotify, files: list[tuple[str, bytes]], refusal: str
) -> None:
    message = _message("gp.practice@example.nhs.uk")
    for name, content in files:
        message.attach(name, content, "application/pdf")
    with pytest.raises(NotifyError, match=refusal):
        get_connection().send_messages([message])
    assert notify.received == []


def test_a_file_without_the_file_template_is_refused_not_sent_bare(notify: FakeNotify) -> None:
    message = _message("gp.practice@example.nhs.uk")
    message.attach("request.pdf", b"%PDF", "application/pdf")
    with override_settings(NOTIFY_FILE_EMAIL_TEMPLATE_ID=""), pytest.raises(NotifyError, match="NOTIFY_FILE_EMAIL"):
        get_connection().send_messages([message])
    assert notify.received == []


def test_the_deployment_check_asks_for_the_file_template_with_notify() -> None:
    with override_settings(EMAIL_BACKEND="safehub.core.notify.NotifyEmailBackend", NOTIFY_FILE_EMAIL_TEMPLATE_ID=""):
        assert [message.id for message in check_notify_can_send_files(None)] == ["safehub.E004"]
    with override_settings(
        EMAIL_BACKEND="safehub.core.notify.NotifyEmailBackend", NOTIFY_FILE_EMAIL_TEMPLATE_ID=FILE_TEMPLATE
    ):
        assert check_notify_can_send_files(None) == []


def test_a_refusal_raises_with_notifys_explanation(notify: FakeNotify) -> None:
    notify.status = 429
    with pytest.raises(NotifyError, match="429: SomeError: Exceeded rate limit"):
        get_connection().send_messages([_message("a@example.gov.uk")])
    assert get_connection(fail_silently=True).send_messages([_message("a@example.gov.uk")]) == 0


def test_a_token_signed_with_the_wrong_secret_is_refused(notify: FakeNotify) -> None:
    other = f"safehub_test-{SERVICE}-00000000-0000-4000-8000-000000000000"
    with override_settings(NOTIFY_API_KEY=other), pytest.raises(NotifyError, match="403"):
        get_connection().send_messages([_message("a@example.gov.uk")])
    assert notify.received == []


def test_notify_out_of_reach_is_an_error_not_a_silent_loss(notify: FakeNotify) -> None:
    with (
        override_settings(NOTIFY_BASE_URL="http://127.0.0.1:9"),
        pytest.raises(NotifyError, match="could not be reached"),
    ):
        get_connection().send_messages([_message("a@example.gov.uk")])


@pytest.mark.parametrize(
    ("key", "template", "message"),
    [
        ("", TEMPLATE, "Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID"),
        ("not-a-key", TEMPLATE, "is not a GOV.UK Notify API key"),
        (KEY, "welcome-email", "must be the template's id"),
    ],
)
def test_bad_configuration_is_named(key: str, template: str, message: str) -> None:
    with (
        override_settings(NOTIFY_API_KEY=key, NOTIFY_EMAIL_TEMPLATE_ID=template),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        NotifyEmailBackend()


def test_the_key_splits_into_service_and_secret_and_the_token_carries_them() -> None:
    key = ApiKey.parse(KEY)
    assert (key.service_id, key.secret) == (SERVICE, SECRET)
    claims = token(key, now=1_800_000_000).split(".")[1]
    assert json.loads(base64.urlsafe_b64decode(claims + "==")) == {"iss": SERVICE, "iat": 1_800_000_000}
