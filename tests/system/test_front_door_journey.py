"""The front door in a real browser: a contact officer records and screens a contact, a social
worker rates and recommends, a manager approves, and the queues and timeline show it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.decisions.models import Referral
from tests.system.contact_form import fill_child, fill_concern, fill_referrer, person_block

Check = Callable[[Page], None]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _record_contact(page: Page, check: Check) -> str:
    page.get_by_role("link", name="Record a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    check(page)
    fill_referrer(page)
    person = person_block(page, 1)
    fill_child(person)
    person.get_by_label("Postcode", exact=True).fill("DA6 7AT")
    # Add a parent without JavaScript-only tricks: the page comes back with what was typed.
    page.get_by_role("button", name="Add another person").click()
    expect(person_block(page, 1).get_by_label("First name", exact=True)).to_have_value("Mia")
    parent = person_block(page, 2)
    parent.locator("select[name$='-role']").select_option("parent")
    parent.locator("select[name$='-kind']").select_option("adult")
    parent.get_by_label("First name", exact=True).fill("Dawn")
    parent.get_by_label("Last name", exact=True).fill("Harlow")
    fill_concern(page)
    page.get_by_role("button", name="Record contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    reference = page.get_by_role("heading", level=1).inner_text()
    check(page)
    return reference


def _screen(page: Page, check: Check) -> None:
    page.get_by_role("link", name="Screen this contact").click()
    page.get_by_role("button", name="Start screening").click()
    expect(page.get_by_role("heading", level=2, name="1. Is each person known?")).to_be_visible()
    check(page)
    page.get_by_label("Not known: create a new person record").first.check()
    page.get_by_role("button", name="Link Mia Harlow").click()
    expect(page.get_by_text("Identified").first).to_be_visible()
    page.get_by_label("Not known: create a new person record").first.check()
    page.get_by_role("button", name="Link Dawn Harlow").click()
    page.get_by_label("Send to a MASH social worker for a threshold decision").check()
    page.get_by_role("button", name="Record screening").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Screening recorded")


def test_contact_to_approved_referral(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    contact_officer: User,
    social_worker: User,
    manager: User,
) -> None:
    # Given a contact officer who records and screens a new contact
    sign_in_as(page, contact_officer)
    assert_accessible(page)
    reference = _record_contact(page, assert_accessible)
    _screen(page, assert_accessible)
    _sign_out(page)

    # When a social worker finds it in the threshold queue, rates it and recommends an assessment
    sign_in_as(page, social_worker)
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaiting threshold decision")
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Rate and recommend").click()
    assert_accessible(page)
    page.get_by_text("Amber: needs are complex", exact=False).check()
    page.get_by_label("Specialist").check()
    page.get_by_label("Children's social care assessment (section 17, child in need)").check()
    page.get_by_label("Rationale", exact=True).fill("Persistent neglect indicators; school concerns over a month.")
    page.get_by_role("button", name="Send to a manager for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    _sign_out(page)

    # And a manager approves it from the approval queue
    sign_in_as(page, manager)
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaiting approval")
    row = page.get_by_role("row", name=reference)
    expect(row).to_contain_text("Amber")
    expect(row).to_contain_text("Due in")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Approve or return the recommendation").click()
    assert_accessible(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Rationale", exact=True).fill("Agreed: section 17 assessment.")
    page.get_by_role("button", name="Record decision").click()

    # Then the timeline shows every step and the contact has become a referral
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision approved")
    timeline = page.locator(".app-timeline")
    for step in (
        "Approved by a manager",
        "Rated and recommended an outcome",
        "Sent to a MASH social worker",
        "Started basic screening",
    ):
        expect(timeline).to_contain_text(step)
    assert_accessible(page)
    screenshot(page, "contact-approved")
    page.get_by_role("link", name="Work queues").click()
    page.get_by_role("link", name="Outcome to action").click()
    expect(page.get_by_role("row", name=reference)).to_be_visible()
    contact = Contact.objects.get(reference=reference)
    assert Referral.objects.filter(contact=contact).exists()
    assert console_errors == []
