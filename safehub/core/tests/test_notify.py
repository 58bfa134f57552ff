"""The GOV.UK Notify email backend, against a stand-in for Notify's API on this machine."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.test import override_settings

from safehub.core.notify import ApiKey, NotifyEmailBackend, NotifyError, token
from safehub.core.tests.fake_notify import KEY, SECRET, SERVICE, TEMPLATE, FakeNotify


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
