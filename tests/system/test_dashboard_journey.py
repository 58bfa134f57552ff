"""The performance lead's dashboard in a real browser: it is their home page, it passes axe-core with its
charts and tables, at a desktop's width and a phone's, and a range they get wrong is an error summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.reports.tests import hub as hub_data

Check = Callable[[Page], None]
NOVEMBER = "?period=range&start_0=1&start_1=11&start_2=2026&end_0=24&end_1=11&end_2=2026"


def test_the_performance_lead_reads_the_dashboard(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], None],
    performance_lead: User,
    mash_team: Any,
    contact_officer: User,
    social_worker: User,
    manager: User,
) -> None:
    hub_data.build(mash_team, contact_officer=contact_officer, social_worker=social_worker, manager=manager)
    sign_in_as(page, performance_lead)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.goto("/reports/" + NOVEMBER)
    expect(page.get_by_text("9 contacts were received")).to_be_visible()
    expect(page.get_by_role("img", name="Re-referrals within 12 months")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert_accessible(page)
    screenshot(page, "dashboard-320")
    chart = page.get_by_role("img", name="Contacts by source")
    assert chart.bounding_box() is not None
    assert chart.bounding_box()["width"] <= 320  # type: ignore[index]
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto("/reports/")
    page.get_by_text("Choose the period and filters").click()
    page.get_by_label("Dates you choose").check()
    page.locator("#id_start_0").fill("20")
    page.locator("#id_start_1").fill("11")
    page.locator("#id_start_2").fill("2026")
    page.locator("#id_end_0").fill("1")
    page.locator("#id_end_1").fill("11")
    page.locator("#id_end_2").fill("2026")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="The end date must be the same as or after the start date")).to_be_visible()
    assert_accessible(page)
    assert console_errors == []
