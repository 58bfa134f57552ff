"""Enter in any field of the contact form saves the contact: it never removes or adds a person."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from tests.system.contact_form import person_block

Check = Callable[[Page], None]


def test_enter_in_a_text_field_never_removes_a_child(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User
) -> None:
    # Given a contact officer recording a contact about two children
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="Record a contact").click()
    person_block(page, 1).get_by_label("First name", exact=True).fill("Mia")
    person_block(page, 1).get_by_label("Last name", exact=True).fill("Harlow")
    page.get_by_role("button", name="Add another person").click()
    expect(person_block(page, 2)).to_be_visible()
    person_block(page, 2).locator("select[name$='-role']").select_option("sibling")
    person_block(page, 2).locator("select[name$='-kind']").select_option("child")
    person_block(page, 2).get_by_label("First name", exact=True).fill("Leo")
    # When they press Enter in the second child's last name (the form is not finished)
    person_block(page, 2).get_by_label("Last name", exact=True).fill("Harlow")
    person_block(page, 2).get_by_label("Last name", exact=True).press("Enter")
    page.wait_for_load_state()
    # Then the form asks for what is missing, and both children are still there as typed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    expect(person_block(page, 1).get_by_label("First name", exact=True)).to_have_value("Mia")
    expect(person_block(page, 2).get_by_label("First name", exact=True)).to_have_value("Leo")
    assert not Contact.objects.exists()
    assert_accessible(page)
