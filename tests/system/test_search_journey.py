"""Finding a family in a real browser: a contact officer finds the O'Donnells by their surname alone,
typed without its apostrophe, pages through them and opens a child's record; then finds a contact by
its reference typed in lower case, and opens it. Every page passes axe-core, and no address the
browser asks for holds what was searched for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_plus

from django.urls import reverse
from playwright.sync_api import Page, expect

from safehub.accounts.models import Team, User
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.matching.index import index_people
from safehub.people.models import Person
from safehub.people.tests.factories import AddressFactory, PersonFactory

Check = Callable[[Page], None]


def _odonnells() -> Person:
    """Twenty-seven O'Donnells (two pages), one of them Aoife, at 14 Elm Road."""
    home = AddressFactory(line_1="14 Elm Road", town="Bexleyheath", postcode="DA6 7AT")
    aoife = PersonFactory(
        given_name="Aoife",
        family_name="O'Donnell",
        date_of_birth=dt.date(2015, 4, 2),
        address=home,
        local_id="P0000901",
    )
    for number in range(26):
        PersonFactory(given_name=f"Cousin{number:02d}", family_name="O’Donnell", date_of_birth=dt.date(2010, 1, 1))
    index_people()
    return aoife


def test_a_contact_officer_finds_a_family_by_surname_and_a_contact_by_reference(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    contact_officer: User,
    mash_team: Team,
) -> None:
    # Given a family in the person index and a contact about one of its children
    aoife = _odonnells()
    contact: Contact = ContactFactory(
        team=mash_team, reference="C2026-000123", subject=None, concern_categories=["neglect"]
    )
    ContactSubjectFactory(contact=contact, given_name="Aoife", family_name="O'Donnell", person=aoife)
    ContactFactory(team=mash_team, reference="C2026-000124")

    # Every address the browser asks for, as the server's access log and the browser's history keep them
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))

    # When the contact officer searches the People index by the surname alone, as typed in a hurry
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you know about the person")
    assert_accessible(page)
    page.get_by_label("Last name").fill("odonnell")
    page.get_by_role("button", name="Search").click()

    # Then every O'Donnell is listed in name order, 25 a page
    table = page.locator("table.govuk-table")
    expect(table.locator("caption")).to_have_text("27 people found, in order of last name")
    expect(table.locator("tbody tr")).to_have_count(25)
    expect(table.locator("tbody tr").first).to_contain_text("Aoife O'Donnell")
    assert_accessible(page)
    screenshot(page, "people-by-surname")
    page.get_by_role("link", name="Next page").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.get_by_role("link", name="Previous page").click()

    # And Aoife's record opens from the list, and Back returns to the list
    page.get_by_role("link", name="Aoife O'Donnell").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aoife O'Donnell")
    assert_accessible(page)
    page.go_back()
    expect(table.locator("caption")).to_have_text("27 people found, in order of last name")
    expect(page.get_by_label("Last name")).to_have_value("odonnell")
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aoife O'Donnell")

    # When she finds the contact by its reference, typed in lower case
    page.get_by_role("link", name="Find a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a contact")
    assert_accessible(page)
    page.get_by_label("Reference, name, referrer or address").fill("c2026-000123")
    page.get_by_role("button", name="Search").click()

    # Then that contact alone is listed, with its child, concern and state, and it opens
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Aoife O'Donnell")
    expect(rows.first).to_contain_text("Neglect")
    assert_accessible(page)
    screenshot(page, "contact-by-reference")
    page.get_by_role("link", name="C2026-000123").click()
    expect(page).to_have_url(reverse("contacts:contact", args=[contact.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("C2026-000123")

    # And searching by the child's name finds the contact too
    page.goto(reverse("contacts:find-contact"))
    page.get_by_label("Reference, name, referrer or address").fill("Aoife ODonnell")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table.govuk-table caption")).to_have_text("1 contact found, newest first")
    assert_accessible(page)
    assert console_errors == []

    # And nothing that was searched for was ever in an address
    searched = ("odonnell", "donnell", "aoife", "c2026-000123")
    assert [address for address in addresses if any(word in unquote_plus(address).lower() for word in searched)] == []
