"""Consent in a real browser (issue 14): a social worker records a young person's competence and their own
answer, then asks to share without consent for the rest; the same worker may not decide it; a manager
does, with the power relied on and the police's agreement (Bexley, 002 §27); the contact shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from safehub.accounts.models import AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.consent.models import ConsentOverride
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import ConsentPosition, Contact, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.core.working_time import LONDON

Check = Callable[[Page], None]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _fill_day(page: Page, group: str, day: dt.date) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_consent_recorded_and_an_override_decided_by_another(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    mash_team: Team,
    social_worker: User,
    manager: User,
) -> None:
    PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.NOT_REQUIRED_PUBLIC)
    today = timezone.localdate()
    born = today.replace(year=today.year - 14) - dt.timedelta(days=30)
    ContactSubjectFactory(contact=contact, given_name="Sam", role=SubjectRole.SIBLING, date_of_birth=born)

    # Given a social worker on the contact, where nobody has been asked
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())
    panel = page.locator("#consent")
    expect(panel).to_contain_text("Consent")
    expect(page.get_by_role("table", name="Sharing information for MASH checks")).to_contain_text(
        "Consent not sought or not known"
    )
    assert_accessible(page)

    # When they assess Sam (14) as competent and record his own consent
    page.get_by_role("link", name="Assess a young person's competence").click()
    page.get_by_role("button", name="Save the assessment").click()  # nothing filled in: every problem at once
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the young person assessed")
    assert_accessible(page)
    page.get_by_label("Sam Harlow (sibling or other child in the household)").check()
    page.get_by_label("Sharing information for MASH checks").check()
    for question in (
        "Do they understand what is asked and why?",
        "Do they understand what follows from saying yes, and from saying no?",
        "Can they weigh it up and reach a decision?",
        "Are they deciding freely, without pressure from anyone?",
    ):
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_label("Why you reached this view").fill(
        "Sam explained back what would be shared, with whom and why, and what saying no would mean."
    )
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Sam Harlow is competent to decide")

    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Sam Harlow (sibling or other child in the household)").check()
    page.get_by_label("Sharing information for MASH checks").check()
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("The young person (under 16, assessed as competent)").check()
    _fill_day(page, "Day they answered", today)
    page.get_by_label("Verbally (in person or by phone)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Consent recorded")
    expect(page.get_by_role("table", name="Sharing information for MASH checks")).to_contain_text("Consent given")

    # And ask to share without consent for Mia (10), whose parents were not asked
    page.get_by_role("link", name="Ask to share without consent").click()
    expect(page.get_by_text("Mia Harlow: consent not sought or not known")).to_be_visible()
    page.get_by_label("Sharing information for MASH checks").check()
    page.get_by_label("Why share without consent").fill(
        "Neighbours report a child crying for hours at night; the parents cannot be reached and delay adds risk."
    )
    page.get_by_role("button", name="Ask a manager").click()
    expect(page.get_by_text("You asked for this: a manager who did not ask decides it.")).to_be_visible()
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    assert_accessible(page)
    _sign_out(page)

    # Then a manager finds it waiting and agrees, with the power relied on and the police's agreement
    sign_in_as(page, manager)
    page.get_by_role("link", name="Sharing without consent").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=contact.reference).click()
    page.get_by_label("Agree: share without consent").check()
    page.get_by_role("button", name="Record the decision").click()  # no power, no rationale: said, nothing changes
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the power relied on")
    assert_accessible(page)
    page.get_by_label("Agree: share without consent").check()
    page.get_by_label("Data Protection Act 2018 Sch. 8: sharing to protect a child from harm").check()
    page.get_by_label("Your rationale").fill(
        "A young child crying for hours at night with no adult answering: the risk outweighs the family's privacy."
    )
    page.get_by_label("The agency that owns the information").select_option(label="Example Police")
    page.get_by_label("Who there agreed").fill("DS Example, public protection desk")
    agreed = timezone.now().astimezone(LONDON) - dt.timedelta(minutes=5)
    _fill_day(page, "Day they agreed", agreed.date())
    page.get_by_label("Time they agreed").fill(agreed.strftime("%H:%M"))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Agreed: shared without consent")
    assert_accessible(page)
    screenshot(page, "consent-override-agreed")

    page.get_by_role("link", name="Back to the contact").click()
    expect(page.get_by_role("table", name="Sharing information for MASH checks")).to_contain_text(
        "Shared without consent (override agreed)"
    )
    assert ConsentOverride.objects.get().state == OverrideState.AGREED
    assert console_errors == []
