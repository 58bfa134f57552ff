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


def test_add_another_person_stays_on_the_page_so_back_never_asks_to_resend(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User
) -> None:
    """Walk-through: after "Add another person" (a round trip), leaving the page and pressing Back
    showed the browser's "Confirm form resubmission". The block is added in the page instead."""
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="Record a contact").click()
    fill_referrer(page)
    fill_child(person_block(page, 1))
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.get_by_role("button", name="Add another person").click()
    expect(person_block(page, 2)).to_be_visible()
    assert posts == []  # no round trip
    expect(page.locator("select[name='person-1-role']")).to_be_focused()
    expect(person_block(page, 1).get_by_role("button", name="Remove person 1")).to_be_visible()
    assert_accessible(page)
    block = person_block(page, 2)
    block.locator("select[name$='-role']").select_option("sibling")
    block.locator("select[name$='-kind']").select_option("child")
    block.get_by_label("First name", exact=True).fill("Leo")
    block.get_by_label("Last name", exact=True).fill("Harlow")
    block.get_by_label("Day", exact=True).first.fill("2")
    block.get_by_label("Month", exact=True).first.fill("3")
    block.get_by_label("Year", exact=True).first.fill("2019")
    fill_concern(page)
    page.get_by_role("button", name="Record contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    contact = Contact.objects.get()
    assert sorted(contact.subjects.values_list("given_name", flat=True)) == ["Leo", "Mia"]

    # And after adding a person, leaving the page and coming Back, the form is there, not a browser
    # error, with the person added and what was typed about them (walk-through: Back lost the block)
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_role("button", name="Add another person").click()
    person_block(page, 2).get_by_label("First name", exact=True).fill("Ava")
    page.get_by_role("link", name="Find a contact").click()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    expect(person_block(page, 2).get_by_label("First name", exact=True)).to_have_value("Ava")

    # But a new contact opened afresh starts blank
    page.get_by_role("link", name="Record a contact").click()
    expect(person_block(page, 2)).to_have_count(0)
    expect(person_block(page, 1).get_by_label("First name", exact=True)).to_have_value("")
