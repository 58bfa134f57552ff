"""The lists across discussions (the coordinator's worktray, a partner's invitations and open actions, a
contact's panel): their rows are drawn in Python (strategy.presenters), so each is checked for what it
shows and that whatever was typed into a name or an action is shown as text, never as markup."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.contacts.models import ContactSubject
from safehub.mfa.testing import sign_in_both_steps
from safehub.strategy import recording
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for, hold_for
from safehub.strategy.workflow import STATES, DiscussionState

CHILD = '<img src=x onerror="alert(1)">Mia'
ACTION = "<script>alert('the father')</script> & check the school's register"


@pytest.fixture
def held(
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    now: dt.datetime,
) -> StrategyDiscussion:
    """A discussion held an hour ago about a child whose name was typed with markup, with an action for the
    police whose description holds some too."""
    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
    ContactSubject.objects.filter(contact=discussion.contact, kind="child").update(given_name=CHILD)
    discussion = arrange_for(discussion, by=strategy_coordinator, chair=manager, at=now)
    discussion = hold_for(discussion, by=manager, at=now + dt.timedelta(hours=1))
    police = discussion.actions.get().agency
    recording.add_action(
        discussion,
        recording.NewAction(ACTION, police, "DC Example", now + dt.timedelta(days=2)),
        by=manager,
        at=now + dt.timedelta(hours=1),
    )
    return discussion


def _page(user: User, url: str) -> str:
    response = sign_in_both_steps(Client(), user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _shows_as_text(page: str, typed: str) -> None:
    assert html.escape(typed, quote=True) in page
    assert typed not in page


def test_the_worktray_row_of_a_held_discussion_shows_its_decision_chair_and_record_clock(
    held: StrategyDiscussion, strategy_coordinator: User, manager: User
) -> None:
    page = _page(strategy_coordinator, reverse("strategy:worktray"))

    link = reverse("strategy:discussion", args=[held.pk])
    assert "Held: record to send (1)" in page
    assert f'<a class="govuk-link" href="{link}">' in page
    assert held.contact is not None
    assert held.contact.reference in page
    assert "Section 47 enquiry, joint with police" in page
    assert f"Chaired by {manager}" in page
    assert "Record to send by" in page
    _shows_as_text(page, CHILD)
    # The open actions: each links to its place on the discussion's page.
    action = held.actions.get(description=ACTION)
    assert f'href="{link}#action-{action.pk}"' in page
    assert f'id="action-{action.pk}"' in page
    _shows_as_text(page, ACTION)


def test_a_partners_invitations_and_actions_show_what_was_typed_as_text(
    held: StrategyDiscussion, police_partner: User
) -> None:
    page = _page(police_partner, reverse("strategy:invitations"))

    assert "Held in the last month" in page
    assert f'href="{reverse("strategy:discussion", args=[held.pk])}"' in page
    assert held.record.held_at.strftime("%H:%M") in page
    _shows_as_text(page, CHILD)
    _shows_as_text(page, ACTION)


def test_the_contact_panel_lists_the_discussion_with_the_same_row(
    held: StrategyDiscussion, social_worker: User
) -> None:
    assert held.contact is not None
    page = _page(social_worker, reverse("contacts:contact", args=[held.contact.pk]))

    assert f'href="{reverse("strategy:discussion", args=[held.pk])}"' in page
    assert "Record to send by" in page
    _shows_as_text(page, CHILD)


def test_the_lists_ask_the_database_the_same_number_of_questions_however_many_rows_they_show(
    held: StrategyDiscussion,
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    now: dt.datetime,
    django_assert_num_queries: Any,
) -> None:
    # A row that read a column its list did not fetch would ask for it, once a row (benchmark-strategy).
    coordinator = sign_in_both_steps(Client(), strategy_coordinator)
    partner = sign_in_both_steps(Client(), police_partner)
    pages = [(coordinator, reverse("strategy:worktray")), (partner, reverse("strategy:invitations"))]
    counts = []
    for client, url in pages:
        client.get(url)  # signing in's first page writes the session; the counts are of the pages after it
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        counts.append(len(seen))
    for _ in range(2):  # one more to arrange, one more arranged (the police invited), one more held
        approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
        arranged = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
        arranged = arrange_for(arranged, by=strategy_coordinator, chair=manager, at=now)
    hold_for(arranged, by=manager, at=now + dt.timedelta(hours=1))

    for (client, url), count in zip(pages, counts, strict=True):
        with django_assert_num_queries(count):
            page = client.get(url).content.decode()
        assert page.count('<tr class="govuk-table__row">') >= 4


def test_a_partners_lists_are_counted_and_show_all_when_asked(
    held: StrategyDiscussion,
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    now: dt.datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("safehub.strategy.queries.SECTION_ROWS", 1)
    another = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
    another = arrange_for(another, by=strategy_coordinator, chair=manager, at=now)
    hold_for(another, by=manager, at=now + dt.timedelta(hours=1))
    for _ in range(3):
        arranged = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
        arrange_for(arranged, by=strategy_coordinator, chair=manager, at=now)
    invitations = reverse("strategy:invitations")

    page = _page(police_partner, invitations)

    assert '<h2 class="govuk-heading-m" id="upcoming">Still to be held (3)</h2>' in page
    assert "The soonest 1 of 3." in page
    assert '<a class="govuk-link" href="?all=upcoming#upcoming">Show all 3</a>' in page
    assert '<h2 class="govuk-heading-m" id="recent">Held in the last month (2)</h2>' in page
    assert "The latest 1 of 2." in page
    assert '<a class="govuk-link" href="?all=recent#recent">Show all 2</a>' in page
    assert page.count('<tr class="govuk-table__row">') == 2 + 2 + 2  # each table's header row, and one row

    everything = _page(police_partner, invitations + "?all=recent")
    assert "Held in the last month (2)" in everything
    assert "The latest 1 of 2." not in everything
    assert f'href="{reverse("strategy:discussion", args=[held.pk])}"' in everything
    assert f'href="{reverse("strategy:discussion", args=[another.pk])}"' in everything
    assert "The soonest 1 of 3." in everything  # the other list as it was
    upcoming = _page(police_partner, invitations + "?all=upcoming")
    assert "The soonest 1 of 3." not in upcoming
    assert "The latest 1 of 2." in upcoming


def test_a_partners_invitations_say_who_was_invited_why_and_tag_the_state(
    held: StrategyDiscussion, police_partner: User
) -> None:
    page = _page(police_partner, reverse("strategy:invitations"))

    police = held.invitations.get(agency__kind="police").agency
    assert f"{police} (police: invited to every strategy discussion)" in page
    assert f"{police}: Police:" not in page
    state = STATES[DiscussionState.HELD]
    assert f'<td class="govuk-table__cell"><strong class="{state.tag_class}">{state.label}</strong></td>' in page


@pytest.mark.parametrize(
    ("who", "captions"),
    [
        ("strategy_coordinator", ["Held: record to send", "Actions open"]),
        ("police_partner", ["Strategy discussions held recently", "Your agency's open actions"]),
        ("social_worker", ["Strategy discussions about children on this contact"]),
    ],
)
def test_each_list_table_scrolls_sideways_on_its_own(
    held: StrategyDiscussion, who: str, captions: list[str], request: pytest.FixtureRequest
) -> None:
    """On a phone's narrow screen a table wider than the page scrolls within its own region (a keyboard
    reaches it; a screen reader names it by the table's caption), not the whole page sideways."""
    user: User = request.getfixturevalue(who)
    assert held.contact is not None
    pages = {
        "strategy_coordinator": reverse("strategy:worktray"),
        "police_partner": reverse("strategy:invitations"),
        "social_worker": reverse("contacts:contact", args=[held.contact.pk]),
    }
    page = _page(user, pages[who])

    for caption in captions:
        region = (
            rf'<div class="app-table-scroll" role="region" aria-label="{re.escape(caption)}" tabindex="0">\s*'
            rf'<table class="govuk-table">\s*<caption class="[^"]*">{re.escape(caption)}</caption>'
        )
        assert re.search(region, page), caption
