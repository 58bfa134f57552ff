"""Amending a contact in a real browser: a social worker adds a sibling found after screening,
identifies him, records the consent the family gave since, gets an error for an empty form, and
after the decision adds an addendum that leaves what the decision saw as it was. Each page passes
axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.contacts.models import ConsentPosition
from safehub.contacts.tests.factories import ContactApprovedFactory, ContactAwaitingThresholdFactory

Check = Callable[[Page], None]
Shot = Callable[[Page, str], Path | None]


def _amend(page: Page, choice: str, check: Check) -> None:
    page.get_by_role("link", name="Amend this contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amend this contact")
    check(page)
    page.get_by_label(choice).check()
    page.get_by_role("button", name="Continue").click()


def test_a_social_worker_amends_a_contact_waiting_for_its_threshold_decision(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Shot,
    social_worker: User,
    mash_team: Any,
) -> None:
    # Given a contact waiting for a threshold decision, the family informed but not consenting
    contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.INFORMED)
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())

    # When the social worker adds the brother the school told them about
    _amend(page, "Add a child or adult found since", assert_accessible)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    assert_accessible(page)
    page.get_by_label("First name", exact=True).fill("Leo")
    page.get_by_label("Last name", exact=True).fill("Harlow")
    born = page.get_by_role("group", name="Date of birth")
    born.get_by_label("Day", exact=True).fill("2")
    born.get_by_label("Month", exact=True).fill("3")
    born.get_by_label("Year", exact=True).fill("2019")
    page.get_by_label("How did you find out about them?").fill("The school told us about a younger brother.")
    page.get_by_role("button", name="Add the person").click()
    screenshot(page, "amend-contact-after-adding")

    # Then he is on the contact, not yet identified, and the history says who added him and why
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Leo Harlow added")
    expect(
        page.get_by_role("table", name="People named in this contact").get_by_role("row", name="Leo Harlow")
    ).to_contain_text("Not identified yet")
    expect(page.locator(".app-timeline")).to_contain_text("Person added: Leo Harlow")
    assert_accessible(page)
    screenshot(page, "amend-contact-person-added")

    # When they identify him (a new person record), as screening identified the others
    page.get_by_role("link", name="Identify the people added").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Identify the people added")
    assert_accessible(page)
    block = page.locator("div", has=page.get_by_role("heading", name="Leo Harlow")).last
    block.get_by_label("Not known: create a new person record").check()
    page.get_by_role("button", name="Link Leo Harlow").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Leo Harlow linked")

    # And record the consent the mother gave by phone for Mia: the amend page leads to the consent
    # page, where each person's answer is recorded (ADR 0034)
    page.goto(contact.get_absolute_url())
    _amend(page, "Record consent given or refused since", assert_accessible)
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    page.get_by_role("group", name="Whose consent").get_by_label("Mia Harlow", exact=False).check()
    page.get_by_label("Early help and family support").check()
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("A parent or carer with parental responsibility").check()
    page.get_by_label("Name of the parent or carer who answered").fill("Dawn Harlow")
    page.get_by_label("Day", exact=True).fill("24")  # the day the contact came in
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Verbally (in person or by phone)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Consent recorded")
    expect(page.locator(".app-timeline")).to_contain_text("Consent recorded: Mia Harlow, early help and family support")

    # And an empty form is refused with the GOV.UK error summary, focused
    _amend(page, "Add information learnt since", assert_accessible)
    page.get_by_role("button", name="Add the information").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what you have learnt")
    expect(summary).to_be_focused()
    assert_accessible(page)
    assert console_errors == []


def test_after_the_decision_an_addendum_is_shown_apart(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Shot,
    social_worker: User,
    mash_team: Any,
) -> None:
    # Given an approved contact about Mia Harlow
    contact = ContactApprovedFactory(team=mash_team)
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())

    # When the social worker corrects her first name after the decision
    _amend(page, "Correct Mia Harlow's details", assert_accessible)
    expect(page.get_by_text("What you record now is an addendum")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("First name", exact=True).fill("Mya")
    page.get_by_label("Why are the details being corrected?").fill("Birth certificate seen at the visit.")
    page.get_by_role("button", name="Save the correction").click()

    # Then the addendum is shown apart, and the people the decision was about are as they were
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Addendum recorded")
    expect(page.get_by_role("heading", name="Added after the decision")).to_be_visible()
    expect(
        page.get_by_role("table", name="People named in this contact").get_by_role("row", name="Mia Harlow")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "amend-contact-addendum")
    assert console_errors == []
