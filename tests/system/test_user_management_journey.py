"""An administrator adds a user and gives them a second role; the new user sets their password
from the emailed link (issue 12 §2: user and role management as Safehub's own audited pages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import TeamFactory
from safehub.audit.models import AuditEvent, Verb

Check = Callable[[Page], None]


def test_an_administrator_adds_a_user_and_gives_them_a_role(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    administrator: User,
    mash_team: Any,
) -> None:
    assessment = TeamFactory(name="Assessment team 1")

    sign_in_as(page, administrator)
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Users", exact=True).click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a user").first.click()
    page.get_by_role("button", name="Add the user").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a username")
    assert_accessible(page)
    page.get_by_label("Username").fill("nadia.okoro")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Okoro")
    page.get_by_label("Work email address").fill("nadia.okoro@example.gov.uk")
    page.get_by_label("Job title (optional)").fill("Contact officer")
    page.get_by_label("Team", exact=True).select_option(label=f"MASH ({mash_team.agency.name})")
    page.get_by_label("Role", exact=True).select_option(label="Contact officer")
    page.get_by_role("button", name="Add the user").click()

    expect(page.get_by_role("heading", name="Nadia Okoro", level=1)).to_be_visible()
    expect(page.get_by_text("A link to set their password was sent to nadia.okoro@example.gov.uk")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Team", exact=True).select_option(label=f"Assessment team 1 ({assessment.agency.name})")
    page.get_by_label("Role", exact=True).select_option(label="Social worker")
    page.get_by_role("button", name="Give the role").click()
    expect(page.get_by_text("Nadia Okoro is now a social worker in Assessment team 1")).to_be_visible()
    expect(page.get_by_role("cell", name="Assessment team 1", exact=True).first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Role", exact=True).select_option(label="Data protection officer")
    page.get_by_label("Team", exact=True).select_option(label="Assessment team 1 (" + assessment.agency.name + ")")
    page.get_by_role("button", name="Give the role").click()
    expect(page.get_by_text("Nadia Okoro is now a data protection officer in Assessment team 1")).to_be_visible()

    nadia = User.objects.get(username="nadia.okoro")
    assert sorted(nadia.memberships.values_list("role", flat=True)) == sorted(
        [Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.DATA_PROTECTION_OFFICER]
    )
    assert AuditEvent.objects.filter(verb=Verb.ROLE_GRANTED, by=administrator).count() == 3

    # The new user sets their password from the emailed link, without signing in first.
    [email] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/set-password/\S+)", email.body)
    assert link is not None
    page.context.clear_cookies()
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Set your password", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("plum orbit kettle marsh")
    page.get_by_label("Type the new password again").fill("plum orbit kettle marsh")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    assert User.objects.get(username="nadia.okoro").check_password("plum orbit kettle marsh")
    assert console_errors == []


def test_an_administrator_adds_a_partner_agency_and_its_team(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    administrator: User,
) -> None:
    sign_in_as(page, administrator)
    page.get_by_role("link", name="Agencies and teams").first.click()
    expect(page.get_by_role("heading", name="Agencies and teams", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an agency").click()
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agency's name")
    assert_accessible(page)
    page.get_by_label("Name").fill("Example Youth Justice Service")
    page.get_by_label("Kind of agency").select_option(label="Youth justice")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.get_by_role("heading", name="Example Youth Justice Service", level=1)).to_be_visible()

    page.get_by_label("Team name").fill("MASH desk")
    page.get_by_role("button", name="Add the team").click()
    expect(page.get_by_text("Team MASH desk added to Example Youth Justice Service")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rename MASH desk").click()
    assert_accessible(page)
    page.get_by_label("New name").fill("Youth justice desk")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("cell", name="Youth justice desk", exact=True)).to_be_visible()
    assert AuditEvent.objects.filter(verb__in=[Verb.AGENCY_CREATED, Verb.TEAM_CREATED, Verb.TEAM_RENAMED]).count() == 3
    assert console_errors == []
