"""Onward referrals in a real browser (issue 15; 003 App. 4 §11–12): the social worker reads the pack and
sends it to the assessment team from the contact page; back and send again sends nothing more; a member of the
assessment team finds it in their worktray, reads it and accepts it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import TeamFactory, user_with_role
from safehub.decisions.models import Outcome
from safehub.letters.tests.helpers import actioned_contact
from safehub.onward.models import ReceivingTeam, ReferralPack
from safehub.onward.workflow import PackState

Check = Callable[[Page], None]


def test_a_worker_sends_the_referral_pack_and_the_team_accepts_it(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    mash_team: Team,
    social_worker: User,
    manager: User,
) -> None:
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=timezone.now())
    assessment = TeamFactory(name="Assessment Team 2", agency=mash_team.agency)
    ReceivingTeam.objects.create(
        name="Assessment Team 2", outcomes=[Outcome.SECTION_17_ASSESSMENT.value], team=assessment
    )
    member = user_with_role(Role.SOCIAL_WORKER, team=assessment, username="assessment.member")

    # Given the social worker on the actioned contact, which says the pack is not sent yet
    sign_in_as(page, social_worker)
    page.goto(contact.get_absolute_url())
    expect(page.get_by_role("heading", name="Onward referrals")).to_be_visible()
    expect(page.get_by_text("Referral pack not sent yet")).to_be_visible()

    # When they open it, the pack is shown before it goes, the team the outcome page named chosen
    page.get_by_role("link", name="Send the referral pack for Mia Harlow").click()
    expect(page.get_by_role("heading", name="What the team will read")).to_be_visible()
    expect(page.get_by_label("Assessment Team 2 (its worktray in Safehub)")).to_be_checked()
    assert_accessible(page)
    screenshot(page, "onward-send")
    page.get_by_role("button", name="Send the referral pack").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Assessment Team 2's worktray")
    expect(page.get_by_text("In the team's worktray: not accepted yet")).to_be_visible()
    page.go_back()  # back to the form, and send it again: the pack the first sent
    send_again = page.get_by_role("button", name="Send the referral pack")
    if send_again.count():
        send_again.click()
    expect(page.get_by_text("already sent to Assessment Team 2")).to_be_visible()
    assert ReferralPack.objects.count() == 1
    page.get_by_role("button", name="Sign out").click()

    # Then the assessment team's member finds it in their worktray, reads it and accepts it
    sign_in_as(page, member)
    page.get_by_role("link", name="Referrals").first.click()
    expect(page.get_by_role("heading", name="Sent to your team")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"{contact.reference}: Children's social care assessment").click()
    expect(page.get_by_role("heading", name="The hub's reasons")).to_be_visible()
    expect(page.get_by_role("link", name="Open the contact")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "onward-pack")
    page.get_by_role("button", name="Accept for Assessment Team 2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("left the worktray")
    expect(page.get_by_text("No referral is waiting for your team.")).to_be_visible()
    assert ReferralPack.objects.get().state == PackState.ACCEPTED
    assert console_errors == []
