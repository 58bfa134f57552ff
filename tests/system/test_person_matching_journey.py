"""Person matching in a real browser: screening finds a known child despite a nickname and a swapped
date, explains why, and keeps the twin apart; a manager reviews a duplicate, merges and undoes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from safehub.accounts.models import Team, User
from safehub.contacts.models import ContactSubject
from safehub.contacts.tests.factories import ContactInScreeningFactory
from safehub.matching.index import index_people
from safehub.matching.models import DuplicatePair
from safehub.people.models import Person, Service, Sex
from safehub.people.tests.factories import AddressFactory, InvolvementFactory, PersonFactory

Check = Callable[[Page], None]


def _okafor_twins() -> tuple[Person, Person]:
    home = AddressFactory(line_1="14 Elm Road", postcode="DA6 7AT")
    alfred = PersonFactory(
        given_name="Alfred",
        family_name="Okafor",
        sex=Sex.MALE,
        date_of_birth=dt.date(2016, 3, 9),
        address=home,
        local_id="P0000501",
    )
    twin = PersonFactory(
        given_name="Chidi",
        family_name="Okafor",
        sex=Sex.MALE,
        date_of_birth=dt.date(2016, 3, 9),
        address=home,
        local_id="P0000502",
    )
    InvolvementFactory(person=alfred, service=Service.CHILD_IN_NEED, started_on=dt.date(2026, 6, 1), ended_on=None)
    index_people()
    return alfred, twin


def test_screening_finds_the_known_child_and_explains_why(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    contact_officer: User,
    mash_team: Team,
) -> None:
    # Given a child known to children's social care, with a twin brother at the same address
    alfred, twin = _okafor_twins()
    contact = ContactInScreeningFactory(team=mash_team, subject=None)
    subject = ContactSubject.objects.create(
        contact=contact,
        order=1,
        role="child",
        kind="child",
        given_name="Alfie",
        family_name="Okafor",
        sex=Sex.MALE,
        date_of_birth=dt.date(2016, 9, 3),  # day and month swapped
        postcode="DA6 7AT",
    )

    # When the contact officer screens the contact
    sign_in_as(page, contact_officer)
    page.goto(reverse("screening:screen-contact", args=[contact.pk]))
    expect(page.get_by_role("heading", level=2, name="1. Is each person known?")).to_be_visible()

    # Then Alfred is offered first, as probably the same person; the twin is listed as unlikely, and why
    candidate = page.locator("p", has_text="Alfred Okafor (P0000501)")
    expect(candidate).to_contain_text("probably the same person")
    expect(page.locator("p", has_text="Chidi Okafor (P0000502)")).to_contain_text("unlikely to be the same person")
    page.locator("details").nth(1).locator("summary").click()
    expect(page.locator("details").nth(1)).to_contain_text("probably a relative such as a twin")
    page.locator("details").first.locator("summary").click()
    explanation = page.locator("details").first
    expect(explanation).to_contain_text("First names are forms of the same name")
    expect(explanation).to_contain_text("Dates of birth agree with day and month swapped")
    assert_accessible(page)
    screenshot(page, "screening-candidates")

    # And linking the subject to Alfred routes the contact to his allocated worker
    page.get_by_label("Alfred Okafor", exact=False).check()
    page.get_by_role("button", name="Link Alfie Okafor").click()
    expect(page.get_by_text("Identified").first).to_be_visible()
    subject.refresh_from_db()
    assert subject.person == alfred
    assert twin.pk != alfred.pk
    assert console_errors == []


def test_manager_merges_a_duplicate_and_undoes_it(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    manager: User,
) -> None:
    # Given the same girl recorded twice
    first = PersonFactory(
        given_name="Katarzyna", family_name="Nowak", date_of_birth=dt.date(2014, 2, 20), local_id="P0000601"
    )
    second = PersonFactory(
        given_name="Kasia", family_name="Nowak", date_of_birth=dt.date(2014, 2, 20), local_id="P0000602"
    )
    index_people()
    left, right = sorted([first, second], key=lambda p: p.pk)
    DuplicatePair.objects.create(left=left, right=right, probability=0.97, found_at=dt.datetime.now(dt.UTC))

    # When a manager reviews the pair from the duplicates list
    sign_in_as(page, manager)
    page.get_by_role("link", name="Duplicates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicate records")
    assert_accessible(page)
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these the same person?")
    assert_accessible(page)
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether these are the same person")
    assert_accessible(page)
    page.get_by_label("Yes: keep Katarzyna Nowak", exact=False).check()
    page.get_by_role("button", name="Save decision").click()

    # Then the records are merged, and the merge can be undone
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Merged into Katarzyna Nowak")
    assert Person.objects.get(pk=second.pk).merged_into_id == first.pk
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Merge undone")
    assert Person.objects.get(pk=second.pk).merged_into is None
    assert_accessible(page)
    assert console_errors == []
