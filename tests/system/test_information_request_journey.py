"""Information requests in a real browser (issue 14; 000, levels 1 to 3): a school's call turned away until
the caller's identity is checked, then answered with the allocated worker; a written request answered
by a social worker and approved by a manager; the DPO finds both in the register and the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from safehub.accounts.models import User
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.workflow import RequestState
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.sharing.models import Disclosure

Check = Callable[[Page], None]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _requester(page: Page) -> None:
    page.get_by_label("Their name").fill("Ann Teacher")
    page.get_by_label("Their role").fill("Designated safeguarding lead")
    page.get_by_label("Their organisation").fill("Example Primary School")
    page.get_by_label("Their work email address").fill("ann.teacher@example-primary.sch.uk")
    page.get_by_label("The child's name").fill("Mia Harlow")


def test_a_call_and_a_written_request_answered_and_found_by_the_dpo(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    contact_officer: User,
    social_worker: User,
    manager: User,
    data_protection_officer: User,
) -> None:
    mia = PersonFactory(local_id="P0000042", given_name="Mia", family_name="Harlow")
    InvolvementFactory(person=mia)

    # A school rings the front door: is Mia known, and who is her worker?
    sign_in_as(page, contact_officer)
    page.get_by_role("link", name="Information requests").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Take a request").click()
    page.get_by_label("Level 1", exact=False).check()
    _requester(page)
    page.get_by_label("Why they ask").fill("Mia told her teacher she is scared to go home")
    # Enter in a box never records a half-taken request: it is checked, and the page says what is missing.
    page.get_by_label("The child's name").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say how you checked who the caller is")
    assert not InformationRequest.objects.exists()
    assert_accessible(page)
    screenshot(page, "information-request-turned-away")
    page.get_by_label("For a phone call: how you checked who they are").fill(
        "She emailed me from her school address during the call"
    )
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    page.get_by_label("The child's person ID, if you found them").fill("P0000042")
    page.get_by_role("button", name="Record the answer and tell them").click()
    expect(page.locator(".govuk-inset-text").first).to_contain_text("Allocated worker: Sam Okafor")
    assert_accessible(page)
    screenshot(page, "information-request-answered")
    _sign_out(page)

    # A written request for a closed case's history, with the parent's signed consent.
    mia.involvements.update(ended_on=dt.date(2026, 6, 1))
    sign_in_as(page, social_worker)
    page.goto("/information-requests/new/")
    page.get_by_label("Level 2", exact=False).check()
    _requester(page)
    page.get_by_label("Why they ask").fill("Mia joined from another area: we need to know of past involvement")
    page.get_by_label("A form or letter signed by the parent, carer or young person").check()
    page.get_by_role("button", name="Record the request").click()
    page.get_by_label("The child's person ID, if you found them").fill("P0000042")
    page.get_by_label("The reasons for the involvement").fill("Concerns about neglect of the home in January 2026")
    page.get_by_role("button", name="Send for a manager's approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("a manager approves it")
    written = InformationRequest.objects.get(level=2)
    assert written.state == RequestState.AWAITING_APPROVAL
    _sign_out(page)

    sign_in_as(page, manager)
    page.goto(f"/information-requests/{written.pk}/")
    expect(page.get_by_text("Reasons: Concerns about neglect of the home in January 2026")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Approved")
    _sign_out(page)

    # The DPO finds both in the register, and both answers in the sharing ledger.
    sign_in_as(page, data_protection_officer)
    page.goto("/information-requests/")
    expect(page.get_by_role("table", name="Every request found, the latest first")).to_contain_text("Ann Teacher")
    assert_accessible(page)
    page.goto("/sharing/ledger/?person=P0000042")
    expect(page.get_by_text("2 rows, the latest first")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sharing-ledger")
    assert Disclosure.objects.filter(origin="information_requests.informationrequest").count() == 2
    assert not console_errors
