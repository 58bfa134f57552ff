"""Every other page, as the role that uses it, passes axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from safehub.accounts.models import Team, User
from safehub.contacts.tests.factories import ContactApprovedFactory, ContactSubjectFactory
from safehub.matching.index import index_people
from safehub.outbox.models import OutboxEmail
from safehub.people.models import Person, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory, RelationshipFactory

Check = Callable[[Page], None]


@pytest.mark.parametrize(
    "url_name",
    [
        "people:search",
        "people:import-involvements",
        "consultations:list",
        "consultations:record",
        "protocols:list",
        "queues:home",
        "checks:worktray",
    ],
)
def test_manager_pages_are_accessible(
    url_name: str,
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    manager: User,
) -> None:
    sign_in_as(page, manager)
    page.goto(reverse(url_name))
    assert_accessible(page)
    assert console_errors == []


def test_person_page_and_search_results_are_accessible(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, social_worker: User
) -> None:
    child = PersonFactory(given_name="Mia", family_name="Harlow")
    InvolvementFactory(person=child)
    RelationshipFactory(relative=child)
    index_people()
    sign_in_as(page, social_worker)
    page.goto(reverse("people:search"))
    page.get_by_label("First name", exact=True).fill("Mia")
    page.get_by_label("Last name").fill("Harlow")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mia Harlow").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add an involvement").click()
    page.get_by_role("button", name="Save involvement").click()
    assert_accessible(page)  # with the error summary showing


def test_protocol_and_audit_pages_are_accessible(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    administrator: User,
    data_protection_officer: User,
) -> None:
    sign_in_as(page, administrator)
    page.goto(reverse("protocols:list"))
    page.get_by_role("link", name="Bexley MASH").click()
    assert_accessible(page)
    page.get_by_label("Amount for Basic screening, any rating").fill("0")
    page.get_by_label("Code of Additional").fill("Not a code")
    page.get_by_role("button", name="Save protocol").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A timescale must be more than zero")
    assert_accessible(page)  # with the error summary and the rows' errors showing
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, data_protection_officer)
    page.goto(reverse("audit:events") + "?verify=1")
    assert_accessible(page)


def test_demo_outbox_is_accessible(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    administrator: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = True
    sent = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    for n in range(15):  # two pages
        OutboxEmail.objects.create(
            sender="safehub@localhost",
            recipient=f"desk{n % 3}@police.example",
            subject=f"Safehub: MASH check request {n} to Example Police is overdue",
            body=f"Overdue.\n\nRequest {n} to Example Police was due at 09:00. Sign in to Safehub to see it.",
            sent_at=sent + dt.timedelta(minutes=n),
        )
    sign_in_as(page, administrator)
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert_accessible(page)
    assert console_errors == []


def test_outcome_page_with_errors_is_accessible(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User, mash_team: Team
) -> None:
    contact = ContactApprovedFactory(team=mash_team)
    sign_in_as(page, contact_officer)
    page.goto(reverse("decisions:action-outcome", args=[contact.pk]))
    assert_accessible(page)
    page.get_by_role("button", name="Close the contact").click()
    assert_accessible(page)


def test_ending_an_involvement_is_accessible(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User
) -> None:
    involvement = InvolvementFactory()
    sign_in_as(page, contact_officer)
    page.goto(reverse("people:person", args=[involvement.person_id]))
    page.get_by_role("link", name="Record the end").click()
    page.get_by_role("button", name="Record the end").click()
    assert_accessible(page)  # with the error summary showing


def test_person_page_with_flags_warnings_and_chronology_is_accessible(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, contact_officer: User, mash_team: Team
) -> None:
    child = PersonFactory(given_name="Mia", family_name="Harlow", missing_since=dt.date(2026, 11, 1))
    PersonFactory.create(merged_into=child, local_id="P0000999")
    InvolvementFactory(person=child, service=Service.CHILD_PROTECTION_PLAN)
    RelationshipFactory(relative=child)
    contact = ContactApprovedFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=contact, person=child)
    merged = Person.objects.get(local_id="P0000999")
    sign_in_as(page, contact_officer)
    page.goto(reverse("people:person", args=[merged.pk]))  # sent on to Mia's record, with a notice
    expect(page.get_by_text("was merged into this one")).to_be_visible()
    expect(page.get_by_text("Child protection plan").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record or clear a warning").click()
    page.get_by_label("Warning for workers' safety").fill("Dog at the address")
    page.get_by_role("button", name="Save warnings").click()
    expect(page.get_by_text("Workers' safety: Dog at the address")).to_be_visible()
    assert_accessible(page)


def test_contact_page_printed_shows_no_navigation_and_is_accessible(
    page: Page, sign_in_as: Callable[..., None], assert_accessible: Check, social_worker: User, mash_team: Team
) -> None:
    contact = ContactApprovedFactory(team=mash_team)
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name=contact.reference)).to_be_visible()
    for hidden in (
        page.locator(".govuk-header"),
        page.locator(".govuk-service-navigation"),
        page.locator(".govuk-footer"),
    ):
        expect(hidden).to_be_hidden()
    expect(page.get_by_role("link", name="Download the contact and its MASH checks (PDF)")).to_be_hidden()
    assert_accessible(page)
