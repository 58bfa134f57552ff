"""MASH checks in a real browser: a manager starts checks, police and health answer in their
workspace, and the coordinating social worker collates them and submits for decision."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from safehub.accounts.models import AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks.models import ChecksState, MashChecks
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState

Check = Callable[[Page], None]


def _partner(kind: AgencyKind, name: str, username: str) -> User:
    agency = PartnerAgencyFactory(name=name, kind=kind)
    return user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="MASH desk", agency=agency), username=username
    )


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


RESTRICTION = "Not to be disclosed to the family without police agreement"


def _answer(page: Page, *, holds: str, sources: str, assert_accessible: Check, restriction: str = "") -> None:
    page.locator("table").get_by_role("link").first.click()
    expect(page.get_by_role("table", name="People to search for")).to_be_visible()
    assert_accessible(page)
    if holds:
        page.get_by_label("What your agency holds").fill(holds)
        page.get_by_label("What it means for the child").fill("The child was present during the incident.")
    else:
        page.get_by_label("Nothing known", exact=False).check()
    page.get_by_label("Systems searched").fill(sources)
    if restriction:
        page.get_by_label("May go to the family only with our agreement").check()
        page.get_by_label("More about the conditions (optional)").fill(restriction)
    page.get_by_role("button", name="Submit response").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Response submitted")


def test_manager_starts_checks_partners_answer_coordinator_submits(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    manager: User,
    social_worker: User,
    mash_team: Team,
) -> None:
    police = _partner(AgencyKind.POLICE, "Example Police", "police.desk")
    health = _partner(AgencyKind.HEALTH, "Example Health Trust", "health.desk")
    PartnerAgencyFactory(name="Example Education Service", kind=AgencyKind.EDUCATION)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)

    # Given a manager who decides the contact needs MASH checks
    sign_in_as(page, manager)
    page.goto(contact.get_absolute_url())
    page.get_by_role("link", name="Start MASH checks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start MASH checks")
    assert_accessible(page)
    expect(page.get_by_label("Example Police")).to_be_checked()  # always checked under the protocol
    page.get_by_label("Why are MASH checks needed?").fill("Neglect and a possible domestic abuse history")
    page.get_by_label("Amber", exact=False).check()
    page.get_by_label("Coordinating social worker").select_option(str(social_worker.pk))
    page.get_by_label("Example Education Service").uncheck()
    page.get_by_role("button", name="Send the requests").click()
    # Leaving out an always-checked agency needs a reason, asked for beside its box.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why Example Education Service is not being asked")
    page.get_by_label("why is it not being asked?", exact=False).fill("The child is not of school age")
    page.get_by_role("button", name="Send the requests").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2 agencies asked")
    assert_accessible(page)
    _sign_out(page)

    # When police and health answer in their workspace
    sign_in_as(page, police)
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests to your agency")
    assert_accessible(page)
    _answer(
        page,
        holds="Domestic incident at the address in March 2026.",
        sources="Niche, PND",
        assert_accessible=assert_accessible,
        restriction=RESTRICTION,
    )
    # And the police correct their answer: the form starts from it, so only the change and the reason are typed
    expect(page.get_by_label("More about the conditions (optional)")).to_have_value(RESTRICTION)
    expect(page.get_by_label("May go to the family only with our agreement")).to_be_checked()
    expect(page.get_by_label("Systems searched")).to_have_value("Niche, PND")
    page.get_by_label("What your agency holds").fill("Domestic incidents at the address in March and April 2026.")
    page.get_by_label("Why is the response being corrected?").fill("The April incident was found on PND")
    page.get_by_role("button", name="Submit correction").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Correction submitted")
    assert_accessible(page)
    _sign_out(page)
    sign_in_as(page, health)
    _answer(page, holds="", sources="SystmOne", assert_accessible=assert_accessible)
    _sign_out(page)

    # Then the coordinator sees both answers side by side and submits for decision
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())
    page.get_by_role("link", name="MASH checks started", exact=False).click()
    expect(page.get_by_text("Domestic incidents at the address in March and April 2026.")).to_be_visible()
    expect(page.get_by_text(RESTRICTION).first).to_be_visible()  # the correction kept the restriction
    expect(page.get_by_text("Nothing known")).to_be_visible()
    page.get_by_text("Earlier answers (1)").click()
    expect(page.get_by_text("Domestic incident at the address in March 2026.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your analysis of what the agencies hold").fill(
        "Police hold a DA incident; health nothing known."
    )
    page.get_by_role("button", name="Submit for decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("submitted for a threshold decision")
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert MashChecks.objects.get(contact=contact).state == ChecksState.SUBMITTED
    assert console_errors == []


def test_a_manager_asks_the_agency_left_out_and_its_partner_sees_the_request(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    manager: User,
    social_worker: User,
    mash_team: Team,
) -> None:
    """Walk-through: a manager who unticked the police had no way to ask them once checks started."""
    police = _partner(AgencyKind.POLICE, "Example Police", "police.desk")
    education = PartnerAgencyFactory(name="Example Education Service", kind=AgencyKind.EDUCATION)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[education], at=timezone.now())

    sign_in_as(page, manager)
    page.goto(reverse("checks:checks", args=[checks.pk]))
    page.get_by_role("link", name="Ask another agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask another agency")
    assert_accessible(page)
    page.get_by_label("Example Police").check()
    page.get_by_role("button", name="Send the requests").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Request sent to Example Police")
    assert_accessible(page)
    _sign_out(page)

    sign_in_as(page, police)
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests to your agency")
    request = checks.requests.get(agency__kind=AgencyKind.POLICE)
    expect(page.get_by_role("link", name=f"Request {request.pk}")).to_be_visible()
    assert console_errors == []


def test_coordinator_withdraws_a_request_and_the_agency_sees_why(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    manager: User,
    social_worker: User,
    mash_team: Team,
) -> None:
    police = _partner(AgencyKind.POLICE, "Example Police", "police.withdrawn")
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    agency = police.memberships.get().team.agency
    assert agency is not None
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[agency], at=timezone.now())

    # Given the coordinator on the checks page
    sign_in_as(page, social_worker)
    page.goto(reverse("checks:checks", args=[checks.pk]))
    page.get_by_role("link", name="Withdraw this request to Example Police").click()
    assert_accessible(page)
    # When they try without a reason, then give one
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the request is withdrawn")
    assert_accessible(page)
    page.get_by_label("Why is the request withdrawn?").fill("The family moved out of the area yesterday")
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("withdrawn")
    expect(page.get_by_text("The family moved out of the area yesterday")).to_be_visible()
    _sign_out(page)

    # Then the police desk sees the request withdrawn, with the reason, and nothing to answer
    sign_in_as(page, police)
    expect(page.get_by_role("heading", name="Withdrawn by the hub this week")).to_be_visible()
    page.get_by_role("link", name=f"Request {checks.requests.get().pk}").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("The family moved out of the area yesterday")
    expect(page.get_by_role("button", name="Submit response")).to_have_count(0)
    assert_accessible(page)
    assert console_errors == []


def test_enter_in_a_box_never_sends_the_requests(
    page: Page, sign_in_as: Callable[..., None], manager: User, social_worker: User, mash_team: Team
) -> None:
    """Walk-through: with everything filled in, a stray Enter in a text box (then "Lawful basis") sent
    every request, a disclosure to each agency. Only the button sends them."""
    PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    sign_in_as(page, manager)
    page.goto(reverse("checks:start", args=[contact.pk]))
    page.get_by_label("Why are MASH checks needed?").fill("Neglect")
    page.get_by_label("Amber", exact=False).check()
    page.get_by_label("Coordinating social worker").select_option(str(social_worker.pk))
    page.get_by_label("Time to respond by (optional)").press("Enter")
    page.wait_for_timeout(500)
    expect(page.get_by_role("heading", level=1)).to_have_text("Start MASH checks")
    assert not MashChecks.objects.exists()
    page.get_by_role("button", name="Send the requests").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 agency asked")
