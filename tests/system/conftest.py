"""Browser journeys: Django's live server driven by headless Chromium through Playwright.

Every test in this folder is marked `system` automatically, so `pytest -m "not system"` leaves them
out and `pytest -m system` runs only them.

Chromium comes from the operating system's `chromium` package (Playwright never downloads a
browser here). When it is not installed the tests skip with a message saying so; set
`SAFEHUB_REQUIRE_BROWSER=true` (as CI does) to make a missing browser a failure instead.
`SAFEHUB_CHROMIUM` may name another Chromium binary.

Fixtures
--------
`page`
    A fresh Playwright page in a new browser context for each test. Relative URLs go to the live
    server, so `page.goto("/people/")` works. Using it gives the test a transactional database: rows
    made with factories are committed and the server sees them; everything is emptied afterwards
    and the reference data (audit head, seed protocols) is put back before the next test.
`console_errors`
    The list of JavaScript errors, console errors (including Content Security Policy refusals and
    failed loads) and uncaught exceptions seen by `page` so far. A good journey ends with
    `assert console_errors == []`.
`sign_in_as(page, user, password=...)`
    Signs `user` in through the real sign-in form and the real second step (typing the code the
    user's authenticator app shows now), and waits until the browser has left them. The default
    password is the one the account factories give every user, each of whom has an authenticator app.
`assert_accessible(page)`
    Runs axe-core on the current page with the WCAG 2.0, 2.1 and 2.2 A and AA rules and fails
    with a list of the violations (rule, impact, help and the elements involved).
`screenshot(page, name)`
    Saves `<name>.png` in the folder named by `SAFEHUB_SCREENSHOTS`; does nothing when it is unset.
`browser`
    The one Chromium shared by the whole session (use `page` unless a test needs two contexts,
    for example two users at once: `browser.new_context(base_url=live_server.url)`).

A journey, in the given/when/then style::

    from playwright.sync_api import expect

    def test_manager_approves_a_recommendation(page, sign_in_as, assert_accessible, console_errors, manager):
        contact = ContactAwaitingApprovalFactory(team=manager_team)          # given
        sign_in_as(page, manager)
        page.goto(f"/contacts/{contact.pk}/approval/")                        # when
        page.get_by_label("Approve").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(...)       # then
        assert_accessible(page)
        assert console_errors == []

The role-named user fixtures from the root conftest.py (`manager`, `social_worker`, ...) work here.
Pin the clock only with care: the live server runs in another thread of the same process, so
time_machine moves its clock too, and `tick=False` freezes session timestamps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright

from safehub.accounts.models import User
from safehub.mfa.testing import current_code

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("SAFEHUB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FACTORY_PASSWORD = "correct horse battery staple"  # safehub.accounts.tests.factories.UserFactory
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.system)


def _browser_required() -> bool:
    return os.environ.get("SAFEHUB_REQUIRE_BROWSER", "").lower() == "true"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = (
            f"Browser tests need Chromium at {CHROMIUM} (install the 'chromium' package, "
            "or set SAFEHUB_CHROMIUM to another Chromium binary)."
        )
        if _browser_required():
            pytest.fail(message + " SAFEHUB_REQUIRE_BROWSER=true, so this is a failure.", pytrace=False)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop running in this thread; Django refuses database
    # calls from a thread with a running loop unless told that this is safe (it is: no async code).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, live_server: Any, console_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            console_errors.append(f"console: {message.text} ({where})")

    def on_page_error(error: Error) -> None:
        console_errors.append(f"uncaught: {error.message}")

    new_page.on("console", on_console)
    new_page.on("pageerror", on_page_error)
    yield new_page
    context.close()


def _sign_in_as(page: Page, user: User, password: str = FACTORY_PASSWORD) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Username", exact=True).fill(user.get_username())
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith(reverse("accounts:login")):
        summary = page.locator(".govuk-error-summary").all_inner_texts()
        raise AssertionError(f"{user.get_username()} could not sign in: {summary}")
    # The second step, as the user's authenticator app would answer it (UserFactory gives every user one).
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the 6-digit code")
    page.get_by_label("Code", exact=True).fill(current_code(user))
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith(reverse("mfa:second-step")):
        summary = page.locator(".govuk-error-summary").all_inner_texts()
        raise AssertionError(f"{user.get_username()} could not pass the second step: {summary}")


@pytest.fixture
def sign_in_as() -> Callable[..., None]:
    return _sign_in_as


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}")
    return "\n".join(lines)


def _assert_accessible(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]})
    violations: list[dict[str, Any]] = results.response["violations"]
    if violations:
        pytest.fail(f"{page.url}\n{_format_violations(violations)}", pytrace=False)


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    return _assert_accessible


def _screenshot(page: Page, name: str) -> Path | None:
    folder = os.environ.get("SAFEHUB_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path | None]:
    return _screenshot
