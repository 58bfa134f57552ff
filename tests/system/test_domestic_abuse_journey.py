"""A police domestic-abuse notification in a real browser (issue 13): a contact officer records the
incident and the DASH checklist police sent (14 "yes" answers: a referral to MARAC), and a manager runs
the day's domestic-abuse triage, which lists it first, and records its decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from safehub.accounts.models import Team, User
from safehub.core.working_time import LONDON
from safehub.domestic_abuse.models import Notification
from safehub.domestic_abuse.tests.test_notifications import notification_contact
from safehub.meetings.models import AgendaItem
from safehub.protocols.models import LocalProtocol

Check = Callable[[Page], None]


def test_recorded_and_triaged(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    mash_team: Team,
    contact_officer: User,
    manager: User,
    police_partner: User,
) -> None:
    # A hub that holds a triage every day (Birmingham's is weekdays: every day here, so the test runs any day).
    LocalProtocol.objects.filter(is_active=True).update(
        triage_days=[0, 1, 2, 3, 4, 5, 6],
        triage_time=(timezone.now() - timedelta(hours=1)).time(),
        triage_members=["police"],
    )
    contact = notification_contact(mash_team, timezone.now() - timedelta(hours=2))

    # Given a contact officer recording what police sent
    sign_in_as(page, contact_officer)
    page.goto(contact.get_absolute_url())
    page.get_by_role("link", name="record them").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # nothing filled in: every problem at once
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the police reference")
    expect(summary).to_contain_text("Say whether Mia Harlow was there")
    assert_accessible(page)

    incident = (timezone.now() - timedelta(hours=6)).astimezone(LONDON)
    page.get_by_label("Police reference").fill("WMP-20261124-0457")
    group = page.get_by_role("group", name="Date of the incident")
    group.get_by_label("Day").fill(str(incident.day))
    group.get_by_label("Month").fill(str(incident.month))
    group.get_by_label("Year").fill(str(incident.year))
    page.get_by_label("Time of the incident").fill(incident.strftime("%H:%M"))
    page.get_by_label("Where it happened").fill("The family home")
    page.get_by_role("group", name="Victim").get_by_label("Ann Harlow (parent or carer)").check()
    page.get_by_role("group", name="Alleged perpetrator").get_by_label("Dean Cole (alleged perpetrator)").check()
    page.get_by_role("group", name="Was Mia Harlow there?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was Leo Harlow there?").get_by_label("Not known").check()
    page.get_by_label("DASH risk checklist").check()
    for number in range(1, 25):
        page.locator(f'input[name="dash_{number}"][value="{"yes" if number <= 14 else "no"}"]').check()
    screenshot(page, "domestic-abuse-form")
    page.get_by_role("button", name="Save").click()

    # Then the contact page shows the referral to MARAC
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Incident and risk assessment saved")
    panel = page.locator("#domestic-abuse").locator("xpath=..")
    expect(panel).to_contain_text("DASH 14 of 24 (MARAC at 14)")
    expect(panel).to_contain_text("DASH score at or over the threshold")
    assert_accessible(page)
    assert Notification.objects.get().marac_basis == "threshold"
    page.get_by_role("button", name="Sign out").click()

    # When the manager runs today's triage
    sign_in_as(page, manager)
    page.goto("/meetings/triage/")
    assert_accessible(page)
    page.get_by_role("button", name="Open today's triage").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Today's triage is open: 1 item")
    item = page.locator(".app-agenda-item").first
    expect(item).to_contain_text("MARAC")
    expect(item).to_contain_text("Victim: Ann Harlow")
    assert_accessible(page)
    item.get_by_text("Record the decision").click()
    item.get_by_label("To the MASH").check()
    item.get_by_label("Who acts").fill("MASH team manager")
    item.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    page.get_by_role("button", name="Close the triage").click()  # who attended: not recorded yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record who attended before closing the triage")
    page.get_by_label("Example Police").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("button", name="Close the triage").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Triage closed")
    screenshot(page, "domestic-abuse-triage-closed")
    assert_accessible(page)
    decided = AgendaItem.objects.get()
    assert (decided.decision, decided.noted["tags"]) == ("to_mash", ["MARAC"])
    assert not console_errors
