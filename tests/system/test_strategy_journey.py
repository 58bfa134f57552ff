"""A strategy discussion in a real browser (issue 13): a manager approves a strategy discussion, the
coordinator arranges it, police and health see their invitation and papers, the chair records the
discussion and its actions, the record goes out, and the police close their action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from safehub.accounts.models import AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.working_time import LONDON
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.protocols.models import Brag, LocalProtocol
from safehub.strategy.models import StrategyAction, StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for, hold_for
from safehub.strategy.workflow import ActionState, DiscussionState

Check = Callable[[Page], None]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _recommended(team: Team, social_worker: User) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=team)
    level = LocalProtocol.objects.get(is_active=True).levels.order_by("-order").first()
    assert level is not None
    choice = decisions.ChildChoice(Brag.RED, level, Outcome.STRATEGY_DISCUSSION)
    decisions.recommend(
        contact,
        children=decisions.same_for_all(contact, choice),
        rationale="Bruising to the face, explained differently by each parent",
        by=social_worker,
        at=timezone.now(),
        version=contact.version,
    )
    return contact


def _fill_date(page: Page, label: str, moment: datetime) -> None:
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(moment.day))
    group.get_by_label("Month").fill(str(moment.month))
    group.get_by_label("Year").fill(str(moment.year))


def test_approved_arranged_recorded_and_sent(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    screenshot: Callable[[Page, str], Path | None],
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
) -> None:
    health = PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH)
    nurse = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Nurses", agency=health), username="nurse")
    contact = _recommended(mash_team, social_worker)

    # Given a manager who approves the strategy discussion the social worker recommended
    sign_in_as(page, manager)
    page.goto(contact.get_absolute_url())
    page.get_by_role("link", name="Approve or return the recommendation").click()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Rationale", exact=True).fill("Agreed: significant harm is likely")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision approved")
    _sign_out(page)

    # When the coordinator arranges it from the worktray, with police and health ticked already
    sign_in_as(page, strategy_coordinator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy discussions")
    assert_accessible(page)
    page.get_by_role("table", name="To arrange").get_by_role("link").first.click()
    meeting = (timezone.now() + timedelta(hours=1)).astimezone(LONDON)
    _fill_date(page, "Date", meeting)
    page.get_by_label("Time", exact=True).fill(meeting.strftime("%H:%M"))
    page.get_by_label("Video call").check()
    page.get_by_label("Place, phone number or video link").fill("https://meet.example/s")
    page.get_by_label("Chair").select_option(str(manager.pk))
    expect(page.get_by_label("Example Police")).to_be_checked()
    expect(page.get_by_label("Example Health")).to_be_checked()
    page.get_by_role("button", name="Save the arrangement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Strategy discussion arranged")
    assert_accessible(page)
    _sign_out(page)
    discussion = StrategyDiscussion.objects.get(contact=contact)

    # Then police and health each see the invitation and the papers sent to them
    for partner in (police_partner, nurse):
        sign_in_as(page, partner)
        page.get_by_role("link", name="Strategy discussions").first.click()
        assert_accessible(page)  # their list of invitations and open actions
        page.get_by_role("table", name="Strategy discussions your agency is invited to").get_by_role("link").click()
        expect(page.get_by_text("Social worker's rationale")).to_be_visible()
        expect(page.get_by_text("Bruising to the face")).to_be_visible()
        assert_accessible(page)
        _sign_out(page)

    # Time passes: the discussion was started two hours ago and met half an hour ago
    now = timezone.now()
    StrategyDiscussion.objects.filter(pk=discussion.pk).update(
        started_at=now - timedelta(hours=2), meeting_at=now - timedelta(minutes=30)
    )

    # When the chair records it: attendance, one decision, the family, the plan and an action
    sign_in_as(page, manager)
    page.goto(f"/strategy/{discussion.pk}/")
    page.get_by_role("link", name="Record the discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the discussion")
    assert_accessible(page)
    page.get_by_role("button", name="Save the record").click()  # nothing filled in: every problem at once
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the discussion's decision")
    expect(summary).to_contain_text("Say whether Example Police attended")
    assert_accessible(page)
    for agency in ("Example Police", "Example Health"):
        group = page.get_by_role("group", name=f"{agency}: took part?")
        group.get_by_label("Attended", exact=True).check()
    page.get_by_label("What Example Police contributed").fill("Two call-outs this year; father on bail")
    page.get_by_label("Analysis of risk").fill("The injuries and the police history together show serious risk")
    page.get_by_label("Section 47 enquiry, joint with police").check()
    page.get_by_role("group", name="Will the police investigate?").get_by_label("Yes").check()
    page.get_by_role("group", name="Is a medical examination needed?").get_by_label("No").check()
    page.get_by_role("group", name="Will the family be told of the discussion and its decision?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Who tells them").fill("The social worker")
    tell_by = (timezone.now() + timedelta(hours=5)).astimezone(LONDON)
    _fill_date(page, "Told by: date", tell_by)
    page.get_by_label("Told by: time").fill(tell_by.strftime("%H:%M"))
    page.get_by_label("Safety plan").fill("Father stays with his brother while enquiries are made")
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("Action").fill("Interview the father")
    action.get_by_label("Agency").select_option(label="Example Police")
    action.get_by_label("Person responsible").fill("DC Example")
    due = (timezone.now() + timedelta(days=2)).astimezone(LONDON)
    due_group = action.get_by_role("group", name="Due: date")
    due_group.get_by_label("Day").fill(str(due.day))
    due_group.get_by_label("Month").fill(str(due.month))
    due_group.get_by_label("Year").fill(str(due.year))
    action.get_by_label("Due: time").fill("12:00")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Strategy discussion recorded")
    expect(page.get_by_text("Section 47 enquiry, joint with police").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "strategy-recorded")
    _sign_out(page)

    # And the coordinator sends the record to those who took part
    sign_in_as(page, strategy_coordinator)
    page.goto(f"/strategy/{discussion.pk}/")
    page.get_by_role("button", name="Send the record").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Record sent to")
    _sign_out(page)

    # Then the police read the record and close their action
    sign_in_as(page, police_partner)
    page.goto(f"/strategy/{discussion.pk}/")
    expect(page.get_by_role("heading", name="The record", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Close this action").click()
    page.get_by_label("What was done, or why it is no longer needed").fill("Father interviewed under caution")
    page.get_by_role("button", name="Close the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action closed")
    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.RECORD_SENT
    assert StrategyAction.objects.get(discussion=discussion).state == ActionState.CLOSED
    assert console_errors == []


PHONE = {"width": 375, "height": 812}  # a small phone's screen


def test_the_strategy_lists_fit_a_phones_width(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
) -> None:
    # Given a discussion arranged with the police, held, its record still to send and the police's action open
    now = timezone.now()
    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
    discussion = arrange_for(discussion, by=strategy_coordinator, chair=manager, at=now)
    discussion = hold_for(discussion, by=manager, at=now + timedelta(hours=1))
    assert discussion.contact is not None
    page.set_viewport_size(PHONE)

    for user, address, captions in (
        (strategy_coordinator, "/strategy/", ["Held: record to send", "Actions open"]),
        (
            police_partner,
            "/strategy/invitations/",
            ["Strategy discussions held recently", "Your agency's open actions"],
        ),
        (social_worker, discussion.contact.get_absolute_url(), ["Strategy discussions about children on this contact"]),
    ):
        # When each opens their list on a phone
        sign_in_as(page, user)
        page.goto(address)

        # Then each table scrolls sideways within its own region, which fits the screen
        for caption in captions:
            region = page.get_by_role("region", name=caption)
            expect(region.get_by_role("table", name=caption)).to_be_visible()
            box = region.bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= PHONE["width"], f"{caption} on {address}"
        if address.startswith("/strategy/"):  # and the strategy pages do not scroll sideways at all
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{address} is {width} px wide"
        assert_accessible(page)
        page.context.clear_cookies()  # signed out (the header's menu is folded away at this width)
    assert console_errors == []
