"""The second step: the authenticator app's code, recovery codes, the limit on wrong codes, and
the audit trail of each (never the code itself)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa import services
from safehub.mfa.models import CodeAttempts, ResetAction
from safehub.mfa.sessions import PASSED_KEY
from safehub.mfa.testing import current_code

pytestmark = pytest.mark.django_db

SECOND_STEP = reverse("mfa:second-step")
RECOVERY = reverse("mfa:recovery-code")


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def _events(verb: Verb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def test_the_right_code_passes_the_second_step_and_is_audited(password_only: Client, social_worker: User) -> None:
    response = password_only.post(SECOND_STEP, {"code": current_code(social_worker)})

    assert response.status_code == 302
    assert response["Location"] == reverse("queues:home")
    assert password_only.session[PASSED_KEY] == services.authenticator_for(social_worker).pk
    [event] = _events(Verb.MFA_CODE_ACCEPTED)
    assert event.by == social_worker


def test_a_code_typed_with_a_space_is_accepted(password_only: Client, social_worker: User) -> None:
    code = current_code(social_worker)
    response = password_only.post(SECOND_STEP, {"code": f" {code[:3]} {code[3:]} "})
    assert response["Location"] == reverse("queues:home")


def test_a_wrong_code_is_refused_audited_and_counted(password_only: Client, social_worker: User) -> None:
    right = current_code(social_worker)
    response = password_only.post(SECOND_STEP, {"code": _wrong(right)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The code is not right. Enter the code your authenticator app shows now" in html
    assert PASSED_KEY not in password_only.session
    [event] = _events(Verb.MFA_CODE_REFUSED)
    assert event.by == social_worker
    assert event.data == {"step": "authenticator", "wrong_in_a_row": 1}
    assert _wrong(right) not in json.dumps(event.data)
    assert CodeAttempts.objects.get(user=social_worker).failures == 1
    assert password_only.get(reverse("people:search"))["Location"].startswith(SECOND_STEP)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "Enter the 6-digit code, like 123456"),
        ("1234567", "Enter the 6-digit code, like 123456"),
        ("²²²²²²", "Enter the 6-digit code, like 123456"),  # str.isdigit() says yes; int() would too
        ("١٢٣٤٥٦", "Enter the 6-digit code, like 123456"),  # Arabic-Indic digits
        ("12345x", "Enter the 6-digit code, like 123456"),
        ("9" * 30, "Code: enter no more than 20 characters"),
        ("1\x002345", "Null characters are not allowed."),
    ],
)
def test_what_is_not_a_code_gets_a_clear_message_and_is_not_counted(
    password_only: Client, social_worker: User, typed: str, message: str
) -> None:
    response = password_only.post(SECOND_STEP, {"code": typed})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CodeAttempts.objects.filter(user=social_worker, failures__gt=0).exists()


def test_each_code_works_once(password_only: Client, social_worker: User, now: Any) -> None:
    code = current_code(social_worker)
    password_only.post(SECOND_STEP, {"code": code})
    other = Client()
    other.post(
        reverse("accounts:login"), {"username": social_worker.username, "password": "correct horse battery staple"}
    )

    response = other.post(SECOND_STEP, {"code": code})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def test_too_many_wrong_codes_lock_the_second_step_even_for_the_right_code(
    password_only: Client, social_worker: User, settings: Any
) -> None:
    settings.MFA_MAX_FAILED_CODES = 3
    right = current_code(social_worker)
    for _ in range(3):
        response = password_only.post(SECOND_STEP, {"code": _wrong(right)})
    locked = "signing in to this account is locked. Ask a Safehub administrator to unlock it."
    assert locked in response.content.decode()
    [event] = _events(Verb.MFA_LOCKED)
    assert event.by == social_worker

    for url in (SECOND_STEP, RECOVERY):
        response = password_only.post(url, {"code": right})
        assert response.status_code == 200
        assert locked in response.content.decode()
        assert 'name="code"' not in response.content.decode()  # no form to try again in
    assert PASSED_KEY not in password_only.session
    assert len(_events(Verb.MFA_CODE_REFUSED)) == 3  # refused while locked: not checked, so not counted


def test_a_right_code_sets_the_count_back_to_zero(password_only: Client, social_worker: User, settings: Any) -> None:
    settings.MFA_MAX_FAILED_CODES = 3
    right = current_code(social_worker)
    password_only.post(SECOND_STEP, {"code": _wrong(right)})
    password_only.post(SECOND_STEP, {"code": _wrong(right)})
    password_only.post(SECOND_STEP, {"code": right})
    assert CodeAttempts.objects.get(user=social_worker).failures == 0


def test_a_wrong_code_says_how_many_tries_are_left_and_empties_the_box(
    password_only: Client, social_worker: User, settings: Any
) -> None:
    settings.MFA_MAX_FAILED_CODES = 5
    wrong = _wrong(current_code(social_worker))
    html = password_only.post(SECOND_STEP, {"code": wrong}).content.decode()
    assert "The code is not right" in html
    assert "more wrong" not in html  # four tries left: no need to count them yet
    assert f'value="{wrong}"' not in html
    for _ in range(3):
        html = password_only.post(SECOND_STEP, {"code": wrong}).content.decode()
    assert "After 1 more wrong code, signing in to this account locks" in html


def test_an_administrator_unlocks_a_locked_second_step(
    password_only: Client, social_worker: User, administrator: User, settings: Any, now: Any
) -> None:
    settings.MFA_MAX_FAILED_CODES = 2
    right = current_code(social_worker)
    for _ in range(2):
        password_only.post(SECOND_STEP, {"code": _wrong(right)})
    assert services.is_locked(social_worker)

    services.reset_authenticator(
        social_worker, by=administrator, action=ResetAction.UNLOCK, reason="Phoned them back", at=now
    )

    response = password_only.post(SECOND_STEP, {"code": right})
    assert response["Location"] == reverse("queues:home")
    [event] = _events(Verb.MFA_UNLOCKED)
    assert event.by == administrator
    assert event.data["user"] == social_worker.pk


def test_the_second_step_offers_a_recovery_code_instead(password_only: Client) -> None:
    html = password_only.get(SECOND_STEP).content.decode()
    assert f'<a class="govuk-link" href="{RECOVERY}">Use a recovery code instead</a>' in html
    assert 'autocomplete="one-time-code"' in html


def test_a_recovery_code_passes_the_second_step_once(password_only: Client, social_worker: User, now: Any) -> None:
    codes = services.regenerate_recovery_codes(social_worker, at=now)
    typed = f"{codes[0][:5].upper()}-{codes[0][5:]}"  # as shown, in capitals

    response = password_only.post(RECOVERY, {"code": typed})

    assert response["Location"] == reverse("queues:home")
    [event] = _events(Verb.MFA_RECOVERY_CODE_USED)
    assert event.by == social_worker
    assert event.data == {"left": 9}
    assert codes[0] not in json.dumps(event.data)
    assert services.recovery_codes_left(social_worker) == 9

    again = Client()
    again.post(
        reverse("accounts:login"), {"username": social_worker.username, "password": "correct horse battery staple"}
    )
    response = again.post(RECOVERY, {"code": codes[0]})
    assert response.status_code == 200
    assert "That recovery code is not right, or it has been used already" in response.content.decode()
    assert _events(Verb.MFA_CODE_REFUSED)[0].data == {"step": "recovery code", "wrong_in_a_row": 1}
    assert again.post(RECOVERY, {"code": codes[1]})["Location"] == reverse("queues:home")
    told = again.get(reverse("mfa:account")).content.decode()
    assert "You used a recovery code. You have 8 left: each one works once." in told


def test_running_low_on_recovery_codes_is_said(password_only: Client, social_worker: User, now: Any) -> None:
    codes = services.regenerate_recovery_codes(social_worker, at=now)
    for code in codes[:8]:
        services.check_recovery_code(social_worker, code, at=now)
    password_only.post(RECOVERY, {"code": codes[8]})
    html = password_only.get(reverse("mfa:account")).content.decode()
    assert "You used a recovery code and have 1 left. Get new ones from Your account." in html
