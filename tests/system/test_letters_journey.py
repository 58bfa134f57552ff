"""Letters in a real browser (issue 15): a social worker previews, edits and sends the outcome to the
school that made contact and the letter to the family; Enter in a box previews, never sends; the
contact officer finds the letter to print and records it posted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from safehub.accounts.models import Team, User
from safehub.letters.models import LetterKind, Message
from safehub.letters.tests.helpers import actioned_contact
from safehub.letters.workflow import MessageState

Check = Callable[[Page], None]


def test_a_worker_previews_edits_and_sends_the_outcome_and_the_family_letter(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    mash_team: Team,
    social_worker: User,
    manager: User,
    contact_officer: User,
) -> None:
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=timezone.now())

    # Given the social worker on the decided contact
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())
    expect(page.get_by_role("heading", name="Letters and messages")).to_be_visible()

    # When they write the outcome to the school, the words are the template's with the contact's details
    page.get_by_role("link", name="Write the outcome to the referrer").click()
    body = page.get_by_label("Message", exact=True)
    expect(body).to_contain_text("Mia Harlow: section 17 assessment")
    expect(page.get_by_label("Email address")).to_have_value("priya.shah@example-primary.sch.uk")
    assert_accessible(page)
    body.fill(body.input_value() + "\n\nI will also ring you this afternoon.")
    # Enter in the subject previews: nothing is sent
    page.get_by_label("Subject").press("Enter")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".govuk-inset-text")).to_contain_text("I will also ring you this afternoon.")
    assert not Message.objects.exists()
    assert_accessible(page)
    screenshot(page, "letters-outcome-preview")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is being sent")
    expect(page.get_by_role("region", name="Letters and messages")).to_contain_text("Waiting to be sent")

    # And the letter to the family, printed in the office
    page.get_by_role("link", name="Write to the family").click()
    expect(page.get_by_label("Postal address")).to_contain_text("14 Orchard Row")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("ready to print and post")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Then the contact officer finds it to print, and records it posted
    sign_in_as(page, contact_officer)
    page.goto("/letters/")
    expect(page.get_by_role("heading", name="To print and post (1)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Letter to the family").click()
    expect(page.get_by_role("link", name="Download the letter (PDF)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record as printed and posted").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded as posted")
    screenshot(page, "letters-posted")
    assert Message.objects.get(kind=LetterKind.FAMILY).state == MessageState.POSTED
    assert Message.objects.get(kind=LetterKind.OUTCOME).body.endswith("I will also ring you this afternoon.")
    assert console_errors == []
