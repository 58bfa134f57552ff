"""The strategy pages: the coordinators' worktray, a discussion's page with its forms, starting one
from a contact, and the contact page's panel; reads audited, other teams and partners refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.models import PersonKind, Service
from safehub.people.tests.factories import OpenInvolvementFactory, PersonFactory
from safehub.strategy import services
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy
from safehub.strategy.workflow import DiscussionState

WORKTRAY = reverse("strategy:worktray")


def _client(user: User) -> Client:
    return sign_in_both_steps(Client(), user)


def _page(discussion: StrategyDiscussion) -> str:
    return reverse("strategy:discussion", args=[discussion.pk])


@pytest.fixture
def discussion(mash_team: Team, social_worker: User, manager: User, now: dt.datetime) -> StrategyDiscussion:
    return approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)


def test_the_coordinator_starts_the_day_on_the_worktray_with_the_discussion_to_arrange(
    discussion: StrategyDiscussion, strategy_coordinator: User
) -> None:
    client = _client(strategy_coordinator)
    assert client.get(reverse("queues:home"))["Location"] == WORKTRAY

    html = client.get(WORKTRAY).content.decode()

    assert "To arrange (1)" in html
    assert "Overdue: not held by its time (0)" in html
    assert f'href="{_page(discussion)}"' in html
    assert "Due in 4 hours" in html  # Bexley's clock, from the approval
    assert "Not arranged" in html


def test_an_overdue_discussion_comes_first_on_the_worktray(
    discussion: StrategyDiscussion, strategy_coordinator: User, time_machine: object, now: dt.datetime
) -> None:
    time_machine.move_to(now + dt.timedelta(hours=5), tick=False)  # type: ignore[attr-defined]
    html = _client(strategy_coordinator).get(WORKTRAY).content.decode()
    assert "Overdue: not held by its time (1)" in html
    assert "Overdue by 1 hour" in html
    assert "To arrange (0)" in html


def test_the_discussion_page_is_read_through_the_audited_door(
    discussion: StrategyDiscussion, strategy_coordinator: User
) -> None:
    html = _client(strategy_coordinator).get(_page(discussion)).content.decode()

    assert "To arrange" in html
    assert "Arrange it" in html
    assert "Let it wait past the standard" not in html  # a manager's, not the coordinator's
    [read] = AuditEvent.objects.filter(verb=Verb.STRATEGY_DISCUSSION_VIEWED)
    assert (read.by, read.contact_id) == (strategy_coordinator, discussion.contact_id)


@pytest.mark.parametrize("who", ["other_team_social_worker", "police_partner"])
def test_another_team_and_a_partner_get_not_found(
    discussion: StrategyDiscussion, who: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    client = _client(user)

    assert client.get(_page(discussion)).status_code == 404
    assert client.post(reverse("strategy:cancel", args=[discussion.pk]), {"cancel-version": "0"}).status_code == 404
    assert AuditEvent.objects.filter(verb=Verb.READ_REFUSED, by=user).exists()


def _arrange(day: dt.date, clock: str, chair: User, **changes: str) -> dict[str, str]:
    return {
        "arrange-version": "0",
        "arrange-meeting_on_0": str(day.day),
        "arrange-meeting_on_1": str(day.month),
        "arrange-meeting_on_2": str(day.year),
        "arrange-meeting_time": clock,
        "arrange-meeting_format": "video",
        "arrange-place": "https://meet.example/s1",
        "arrange-chair": str(chair.pk),
    } | changes


def test_the_coordinator_arranges_it_on_the_page(
    discussion: StrategyDiscussion, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    client = _client(strategy_coordinator)
    response = client.post(reverse("strategy:arrange", args=[discussion.pk]), _arrange(now.date(), "12:30", manager))

    assert response.status_code == 302
    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.ARRANGED
    assert (
        "Strategy discussion arranged for 24 November 2026, 12:30" in client.get(response["Location"]).content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"arrange-meeting_time": "09:00"}, "Choose a time in the future for the discussion"),
        ({"arrange-meeting_time": "23:00"}, "The discussion is due by 24 November 2026, 14:00"),
        ({"arrange-place": ""}, "Enter where it is held"),
        ({"arrange-meeting_on_0": "99999999999999999999"}, "The date"),
        ({"arrange-chair": "99999999999999999999999"}, "Choose a team manager from the list"),
        ({"arrange-version": "x"}, "This page is out of date: reload the page"),
    ],
)
def test_a_bad_arrangement_says_why_and_changes_nothing(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    now: dt.datetime,
    changes: dict[str, str],
    message: str,
) -> None:
    response = _client(strategy_coordinator).post(
        reverse("strategy:arrange", args=[discussion.pk]), _arrange(now.date(), "12:30", manager, **changes)
    )

    assert response.status_code in (200, 409)
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.TO_ARRANGE


def test_a_stale_form_is_answered_409_and_the_page_shows_the_discussion_as_it_is(
    discussion: StrategyDiscussion, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    client = _client(strategy_coordinator)
    client.post(reverse("strategy:arrange", args=[discussion.pk]), _arrange(now.date(), "12:30", manager))

    again = client.post(reverse("strategy:arrange", args=[discussion.pk]), _arrange(now.date(), "13:00", manager))

    assert again.status_code == 409
    assert "changed by someone else" in again.content.decode()
    discussion.refresh_from_db()
    assert discussion.meeting_at == dt.datetime(2026, 11, 24, 12, 30, tzinfo=dt.UTC)


def test_a_manager_starts_one_from_the_contact_page(
    mash_team: Team, manager: User, manager_client: Client, now: dt.datetime
) -> None:
    contact: Contact = ContactFactory(team=mash_team)
    contact_page = manager_client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()
    start = reverse("strategy:start-now", args=[contact.pk])
    assert f'href="{start}"' in contact_page

    refused = manager_client.post(start, {"reason": ""})
    assert "Choose the children the discussion is about" in refused.content.decode()
    assert "Say why protection cannot wait" in refused.content.decode()
    children = [s.pk for s in contact.subjects.all() if s.is_child]
    response = manager_client.post(start, {"children": children, "reason": "Disclosed being hit with a belt"})

    discussion = StrategyDiscussion.objects.get()
    assert response["Location"] == _page(discussion)
    page = manager_client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()
    assert "Due in 4 hours" in page
    assert "Strategy discussion started" in page  # on the contact's timeline, with the reason
    assert "Disclosed being hit with a belt" in page
    again = manager_client.post(start, {"children": children, "reason": "Disclosed being hit with a belt"})
    assert "already to arrange" in again.content.decode()
    assert StrategyDiscussion.objects.count() == 1


def test_only_a_manager_is_offered_the_start(mash_team: Team, social_worker_client: Client) -> None:
    contact: Contact = ContactFactory(team=mash_team)
    start = reverse("strategy:start-now", args=[contact.pk])
    assert (
        f'href="{start}"'
        not in social_worker_client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()
    )
    assert social_worker_client.get(start).status_code == 403


def test_a_manager_starts_one_from_an_open_childs_record(manager_client: Client, social_worker_client: Client) -> None:
    child = PersonFactory(kind=PersonKind.CHILD)
    OpenInvolvementFactory(person=child, service=Service.CHILD_PROTECTION_PLAN)
    start = reverse("strategy:start-for-person", args=[child.pk])
    record = reverse("people:person", args=[child.pk])
    assert f'href="{start}"' in manager_client.get(record).content.decode()
    assert f'href="{start}"' not in social_worker_client.get(record).content.decode()
    assert social_worker_client.get(start).status_code == 403

    refused = manager_client.post(start, {"reason": " "})
    assert "Say why a strategy discussion is needed now" in refused.content.decode()
    response = manager_client.post(start, {"reason": "Bruise seen at nursery"})

    discussion = StrategyDiscussion.objects.get()
    assert response["Location"] == _page(discussion)
    assert (
        "A child already open to children&#x27;s social care" in manager_client.get(_page(discussion)).content.decode()
    )


def test_starting_one_now_shows_the_contacts_discussions_already_started_but_does_not_stop_another(
    discussion: StrategyDiscussion, manager_client: Client, manager: User, now: dt.datetime
) -> None:
    contact = discussion.contact
    assert contact is not None
    start = reverse("strategy:start-now", args=[contact.pk])
    fresh: Contact = ContactFactory(team=contact.team)
    assert (
        "govuk-warning-text" not in manager_client.get(reverse("strategy:start-now", args=[fresh.pk])).content.decode()
    )
    services.cancel(discussion, reason="Started in error", by=manager, at=now, version=discussion.version)

    html = manager_client.get(start).content.decode()

    assert "govuk-warning-text" in html
    assert "This contact already has 1 strategy discussion." in html
    assert f'<a class="govuk-link" href="{_page(discussion)}">Mia Harlow</a>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Cancelled</strong>' in html
    assert html.index("govuk-warning-text") < html.index('<form method="post" novalidate>')
    # Reconvening is right: another is started all the same.
    children = [s.pk for s in contact.subjects.all() if s.is_child]
    response = manager_client.post(start, {"children": children, "reason": "A new disclosure at school"})
    assert response.status_code == 302
    assert StrategyDiscussion.objects.filter(contact=contact).count() == 2
    assert "This contact already has 2 strategy discussions." in manager_client.get(start).content.decode()
