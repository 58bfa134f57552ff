"""Two-step sign-in in a real browser: a new starter sets up an authenticator app and saves their
recovery codes; a returning user gets a code wrong, then signs in with a recovery code."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import user_with_role
from safehub.mfa import services
from safehub.mfa.codes import code_at, time_step
from safehub.mfa.testing import current_code

PASSWORD = "correct horse battery staple"
Check = Callable[[Page], None]
Shot = Callable[[Page, str], Path | None]


def _password_step(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _code_an_app_would_show(key_shown: str) -> str:
    device = TOTPDevice(key=base64.b32decode(key_shown.replace(" ", "")).hex())
    return code_at(device, time_step(device, at=time.time()))


def test_a_new_starter_sets_up_an_authenticator_app_and_saves_their_recovery_codes(
    page: Page, mash_team: Any, assert_accessible: Check, console_errors: list[str], screenshot: Shot
) -> None:
    user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="new.starter", authenticator=False)

    _password_step(page, "new.starter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code to add Safehub to your authenticator app")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "set-up-authenticator")
    key = page.locator("[data-secret-key]").inner_text()
    page.get_by_label("Code", exact=True).fill(_code_an_app_would_show(key))
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    assert_accessible(page)
    screenshot(page, "recovery-codes")
    page.get_by_role("button", name="Continue", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Confirm that you have saved your recovery codes")
    assert_accessible(page)
    page.get_by_label("I have saved these recovery codes somewhere safe").check()
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page).not_to_have_url(f"**{reverse('mfa:recovery-codes')}")
    page.goto(reverse("mfa:account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".govuk-summary-list")).to_contain_text("10 left")
    assert_accessible(page)
    assert console_errors == []


def test_a_wrong_code_then_a_recovery_code(
    page: Page, social_worker: User, assert_accessible: Check, console_errors: list[str], screenshot: Shot
) -> None:
    codes = services.regenerate_recovery_codes(social_worker, at=social_worker.date_joined)
    _password_step(page, social_worker.username)

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the 6-digit code")
    assert_accessible(page)
    screenshot(page, "second-step")
    right = current_code(social_worker)
    page.get_by_label("Code", exact=True).fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not right")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a recovery code")
    assert_accessible(page)
    page.get_by_label("Recovery code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page).not_to_have_url(f"**{reverse('mfa:recovery-code')}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert console_errors == []
