"""A decision per child in a real browser: a social worker recommends different outcomes for two
siblings, a manager approves with one of them changed, the outcome is actioned, and the queues and
the contact page show each child's outcome; axe runs on every page on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from safehub.accounts.models import User
from safehub.contacts.models import Contact, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.decisions.models import Referral
from safehub.people.models import Involvement, Service
from safehub.people.tests.factories import PersonFactory

Check = Callable[[Page], None]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _child(page: Page, name: str) -> Locator:
    """A child's fieldset on the recommendation or approval page, named by its legend."""
    return page.get_by_role("group", name=name, exact=True)


def _siblings(team: object) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=team, subject=None, consent="given")
    for order, (given, role) in enumerate((("Ann", SubjectRole.CHILD), ("Ben", SubjectRole.SIBLING))):
        person = PersonFactory(given_name=given, family_name="Harlow")
        ContactSubjectFactory(contact=contact, given_name=given, role=role, order=order, person=person)
    return contact


def test_siblings_are_decided_for_one_by_one(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    mash_team: object,
    contact_officer: User,
    social_worker: User,
    manager: User,
) -> None:
    # Given a contact about two siblings, waiting for a threshold decision
    contact = _siblings(mash_team)

    # When the social worker recommends an assessment for Ann, and early help for Ben
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())
    page.get_by_role("link", name="Rate and recommend").click()
    assert_accessible(page)
    everyone = _child(page, "All the children")
    everyone.get_by_text("Amber: needs are complex", exact=False).check()
    everyone.get_by_label("Specialist").check()
    everyone.get_by_label("Children's social care assessment (section 17, child in need)").check()
    page.get_by_text("Choose differently for a child").click()
    ben = _child(page, "Ben Harlow")
    ben.get_by_text("Green: additional needs", exact=False).check()
    ben.get_by_label("Intensive").check()
    # A strategy discussion for Green Ben is refused beside his own field, and nothing is saved.
    ben.get_by_label("Strategy discussion (section 47, significant harm)").check()
    page.get_by_label("Rationale", exact=True).fill("Ann disclosed neglect at school; Ben is coping, with support.")
    page.get_by_role("button", name="Send to a manager for approval").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Ben Harlow: A strategy discussion is for a child at risk of significant harm")
    assert_accessible(page)
    ben = _child(page, "Ben Harlow")
    expect(ben.locator(".govuk-error-message")).to_contain_text("Ben Harlow")
    screenshot(page, "per-child-recommend-refused")
    ben.get_by_label("Early help (family wellbeing)").check()
    # 002 §9(c): early help where the situation meets one of the protocol's Family Wellbeing criteria.
    page.get_by_label("Parental mental ill-health").check()
    page.get_by_role("button", name="Send to a manager for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recommendation recorded")
    _sign_out(page)

    # And the manager finds it in the approval queue with each child's recommended outcome
    sign_in_as(page, manager)
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaiting approval")
    row = page.get_by_role("row", name=contact.reference)
    expect(row).to_contain_text("Ann Harlow: Section 17 assessment (recommended)")
    expect(row).to_contain_text("Ben Harlow: Early help (recommended)")
    expect(row).to_contain_text("Amber")  # the contact is rated as its most serious child
    assert_accessible(page)
    page.get_by_role("link", name=contact.reference).click()
    page.get_by_role("link", name="Approve or return the recommendation").click()
    assert_accessible(page)
    page.get_by_label("Approve", exact=True).check()
    # and approves Ben's early help as recommended, but Ann's with the disability service instead
    _child(page, "Ann Harlow").get_by_label("Children with disability service").check()
    page.get_by_label("Rationale", exact=True).fill("Ann's needs are for the disabled children's team.")
    screenshot(page, "per-child-approve")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision approved")
    decisions = page.locator(".govuk-summary-list").filter(has_text="Manager's rationale")
    expect(decisions).to_contain_text("Children with disability service (changed from")
    assert_accessible(page)
    _sign_out(page)

    # Then only Ann is a referral; the contact officer actions both outcomes
    assert list(Referral.objects.filter(contact=contact).values_list("subject__given_name", "outcome")) == [
        ("Ann", "children_with_disability")
    ]
    sign_in_as(page, contact_officer)
    page.goto("/queues/outcomes/")
    row = page.get_by_role("row", name=contact.reference)
    expect(row).to_contain_text("Ann Harlow: Children with disability; Ben Harlow: Early help")
    assert_accessible(page)
    page.get_by_role("link", name=contact.reference).click()
    page.get_by_role("link", name="Record the outcome as actioned").click()
    expect(page.get_by_role("list").filter(has_text="Ann Harlow")).to_contain_text("(a referral)")
    assert_accessible(page)
    # Siblings sent to different services: a team for each
    page.locator("fieldset").filter(has_text="Children with disability: Ann Harlow").get_by_label(
        "Service or team they were referred to"
    ).fill("Disabled children's team")
    page.locator("fieldset").filter(has_text="Early help: Ben Harlow").get_by_label(
        "Service or team they were referred to"
    ).fill("Family wellbeing north")
    page.get_by_label("Day").fill("24")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time the referrer was told").fill("11:00")
    page.get_by_label("How the referrer was told").select_option("phone")
    screenshot(page, "action-outcome-per-service")
    page.get_by_role("button", name="Close the contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The contact is closed")

    # And the contact page shows both children's outcomes; each child has the service of their own
    actioned = page.locator(".govuk-summary-list").filter(has_text="Actioned by")
    expect(actioned).to_contain_text("Ann Harlow")
    expect(actioned).to_contain_text("Children with disability service")
    expect(actioned).to_contain_text("Ben Harlow")
    expect(actioned).to_contain_text("Early help (family wellbeing)")
    expect(actioned).to_contain_text("Ben Harlow: Early help, Family wellbeing north")
    assert_accessible(page)
    screenshot(page, "per-child-decision")
    services = dict(
        Involvement.objects.filter(person__given_name__in=["Ann", "Ben"]).values_list("person__given_name", "service")
    )
    assert services == {"Ann": Service.CHILDREN_WITH_DISABILITY, "Ben": Service.EARLY_HELP}
    teams = dict(
        Involvement.objects.filter(person__given_name__in=["Ann", "Ben"]).values_list("person__given_name", "team")
    )
    assert teams == {"Ann": "Disabled children's team", "Ben": "Family wellbeing north"}
    assert console_errors == []
