"""Back after recording a contact, then Record contact again: the browser puts back what was typed
into a freshly drawn form (with a new one-time key); the contact is not recorded twice."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from tests.system.contact_form import CONCERN, fill_child, fill_concern, fill_referrer, person_block

Check = Callable[[Page], None]


def test_back_and_record_again_records_one_contact(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User
) -> None:
    # Given a contact officer who has just recorded a contact
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="Record a contact").click()
    fill_referrer(page)
    fill_child(person_block(page, 1))
    fill_concern(page)
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
    expect(page.get_by_label("What is the concern?")).to_have_value(CONCERN)
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
