"""Filling in the contact form as a contact officer would, for the browser journeys."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

CONCERN = "Mia has come to school hungry on most days this month."


def person_block(page: Page, number: int) -> Locator:
    return page.locator("fieldset", has=page.get_by_text(f"Person {number}", exact=True))


def fill_referrer(page: Page) -> None:
    """A school's designated safeguarding lead, by phone."""
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Referral source").select_option("2A")
    page.get_by_label("A professional").check()
    page.get_by_label("Referrer name", exact=True).fill("Priya Shah")
    page.get_by_label("Referrer agency", exact=True).fill("Example Primary School")


def fill_child(person: Locator) -> None:
    """Mia Harlow, born 17 May 2016."""
    person.get_by_label("First name", exact=True).fill("Mia")
    person.get_by_label("Last name", exact=True).fill("Harlow")
    person.get_by_label("Day", exact=True).first.fill("17")
    person.get_by_label("Month", exact=True).first.fill("5")
    person.get_by_label("Year", exact=True).first.fill("2016")


def fill_concern(page: Page) -> None:
    """Neglect, nobody in immediate danger, the parents aware and agreeing, consent given."""
    page.get_by_label("Neglect", exact=True).check()
    page.get_by_label("What is the concern?").fill(CONCERN)
    page.locator("input[name='immediate_protection'][value='no']").check()
    page.locator("input[name='parents_aware'][value='yes']").check()
    page.locator("input[name='parents_agree'][value='yes']").check()
    page.get_by_label("Consent given", exact=True).check()
