"""Back after recording a contact, then Record contact again: the browser puts back what was typed
into a freshly drawn form (with a new one-time key); the contact is not recorded twice."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact

Check = Callable[[Page], None]


def _fill_contact(page: Page) -> None:
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Referral source").select_option("2A")
    page.get_by_label("A professional").check()
    page.get_by_label("Referrer name", exact=True).fill("Priya Shah")
    page.get_by_label("Referrer agency", exact=True).fill("Example Primary School")
    person = page.locator("fieldset", has=page.get_by_text("Person 1", exact=True))
    person.get_by_label("First name", exact=True).fill("Mia")
    person.get_by_label("Last name", exact=True).fill("Harlow")
    person.get_by_label("Day", exact=True).first.fill("17")
    person.get_by_label("Month", exact=True).first.fill("5")
    person.get_by_label("Year", exact=True).first.fill("2016")
    page.get_by_label("Neglect", exact=True).check()
    page.get_by_label("What is the concern?").fill("Mia has come to school hungry on most days this month.")
    page.locator("input[name='immediate_protection'][value='no']").check()
    page.locator("input[name='parents_aware'][value='yes']").check()
    page.locator("input[name='parents_agree'][value='yes']").check()
    page.get_by_label("Consent given", exact=True).check()


def test_back_and_record_again_records_one_contact(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User
) -> None:
    # Given a contact officer who has just recorded a contact
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="Record a contact").click()
    _fill_contact(page)
    page.get_by_role("button", name="Record contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    reference = page.get_by_role("heading", level=1).inner_text()
    first_address = page.url
    # When they go back to the form and press Record contact again
    page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    # Chromium draws the form again (it is never cached) with a new one-time key, and puts back the
    # typed details, so the key alone cannot tell that this is the same contact.
    expect(page.get_by_label("What is the concern?")).to_have_value(
        "Mia has come to school hungry on most days this month."
    )
    page.get_by_role("button", name="Record contact").click()
    page.wait_for_load_state()
    # Then they are on the contact they recorded, told that nothing new was saved
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You had already recorded this contact as {reference}: nothing new was saved"
    )
    assert page.url == first_address
    assert Contact.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_RECORDED).count() == 1
    assert_accessible(page)
