"""Buttons that reload a long page put the user back where they were working, with focus there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory

Check = Callable[[Page], None]


def test_add_another_person_lands_on_the_new_person(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User
) -> None:
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_role("button", name="Add another person").click()
    page.wait_for_load_state()
    expect(page.locator("select[name='person-1-role']")).to_be_focused()
    assert page.evaluate("window.scrollY") > 0  # not the top of the page
    assert_accessible(page)


def test_link_returns_to_the_person_just_linked(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User, mash_team: Any
) -> None:
    contact = ContactFactory(team=mash_team)
    second = ContactSubjectFactory(contact=contact, order=1, given_name="Leo", family_name="Harlow")
    sign_in_as(page, contact_officer)
    page.goto(reverse("screening:screen-contact", args=[contact.pk]))
    page.get_by_role("button", name="Start screening").click()
    block = page.locator(f"#block-subject-{second.pk}")
    block.get_by_label("Not known: create a new person record").check()
    block.get_by_role("button", name="Link Leo Harlow").click()
    page.wait_for_load_state()
    expect(block).to_be_focused()
    expect(block.get_by_text("Identified")).to_be_visible()
    assert page.evaluate("window.scrollY") > 0
    assert_accessible(page)


def test_screening_notes_typed_before_a_link_are_still_there_after_it(
    page: Page, sign_in_as: Callable[..., None], console_errors: list[str], contact_officer: User, mash_team: Any
) -> None:
    """The walk-through typed its screening notes, pressed "Link" for a child, and lost them."""
    contact = ContactFactory(team=mash_team)
    second = ContactSubjectFactory(contact=contact, order=1, given_name="Leo", family_name="Harlow")
    sign_in_as(page, contact_officer)
    page.goto(reverse("screening:screen-contact", args=[contact.pk]))
    page.get_by_role("button", name="Start screening").click()
    notes = page.get_by_label("Screening notes")
    notes.fill("Mum says the school has been told; checked with the health visitor.")
    block = page.locator(f"#block-subject-{second.pk}")
    block.get_by_label("Not known: create a new person record").check()
    block.get_by_role("button", name="Link Leo Harlow").click()
    page.wait_for_load_state()
    expect(block.get_by_text("Identified")).to_be_visible()
    expect(page.get_by_label("Screening notes")).to_have_value(
        "Mum says the school has been told; checked with the health visitor."
    )
    assert console_errors == []
