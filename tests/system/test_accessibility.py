"""Pages pass axe-core (WCAG 2.2 A and AA) and GOV.UK Frontend runs under the strict CSP."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from safehub.accounts.models import User

SignIn = Callable[..., None]
Check = Callable[[Page], None]


def test_the_sign_in_page_is_accessible(
    page: Page,
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
) -> None:
    response = page.goto(reverse("accounts:login"))

    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Safehub")
    assert_accessible(page)
    screenshot(page, "sign-in")
    assert console_errors == []


def test_govuk_frontend_starts_under_the_content_security_policy(page: Page, console_errors: list[str]) -> None:
    page.goto(reverse("accounts:login"))

    # The inline script (allowed by its nonce) marks the body; initAll() from the module marks each component.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(page.locator('[data-module="govuk-skip-link"]')).to_have_attribute("data-govuk-skip-link-init", "")
    expect(page.locator('[data-module="govuk-button"]')).to_have_attribute("data-govuk-button-init", "")
    assert console_errors == []


def test_a_failed_sign_in_focuses_the_error_summary(
    page: Page, social_worker: User, assert_accessible: Check, console_errors: list[str]
) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Username", exact=True).fill(social_worker.username)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's ErrorSummary moved focus: the JavaScript ran
    assert_accessible(page)
    assert console_errors == []


def test_signing_in_lands_on_a_page_with_a_heading(
    page: Page, social_worker: User, sign_in_as: SignIn, assert_accessible: Check, console_errors: list[str]
) -> None:
    sign_in_as(page, social_worker)

    expect(page).to_have_url(re.compile(re.escape(reverse("queues:home")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_be_visible()
    assert console_errors == []


def test_the_not_found_page_is_accessible(
    page: Page, social_worker: User, sign_in_as: SignIn, assert_accessible: Check, console_errors: list[str]
) -> None:
    sign_in_as(page, social_worker)

    response = page.goto("/no-such-page/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    # The browser reports the page's own 404; nothing else may fail.
    assert [error for error in console_errors if "/no-such-page/" not in error] == []


def test_signing_out_returns_to_the_sign_in_page(
    page: Page, social_worker: User, sign_in_as: SignIn, console_errors: list[str]
) -> None:
    sign_in_as(page, social_worker)

    page.get_by_role("button", name=re.compile(r"^Sign out")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Safehub")
    page.goto(reverse("queues:home"))
    expect(page).to_have_url(re.compile(r"/account/sign-in/\?next=/$"))
    assert console_errors == []
