"""The pages for a discussion held: recording it, sending the record, the actions and the conference;
a partner reads the record sent to their agency and closes their own agency's actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.mfa.testing import sign_in_both_steps
from safehub.strategy import recording, services
from safehub.strategy.models import StrategyAction, StrategyDiscussion, StrategyRecord
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for, hold_for
from safehub.strategy.workflow import ActionState, DiscussionState

AT = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)  # an hour before the suite's clock


def _client(user: User) -> Client:
    return sign_in_both_steps(Client(), user)


@pytest.fixture
def health(police_partner: User) -> Agency:
    return PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH)


@pytest.fixture
def arranged(
    mash_team: Team, social_worker: User, manager: User, strategy_coordinator: User, health: Agency, now: dt.datetime
) -> StrategyDiscussion:
    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=AT)
    return arrange_for(discussion, by=strategy_coordinator, chair=manager, at=AT)  # for 09:30


def _record(discussion: StrategyDiscussion, **changes: str) -> dict[str, str]:
    data = {
        "version": str(discussion.version),
        "held_on_0": "24",
        "held_on_1": "11",
        "held_on_2": "2026",
        "held_time": "09:30",
        "analysis": "Bruising fits a slap",
        "decision": "s47_joint",
        "police_investigate": "yes",
        "medical_examination": "no",
        "family_told": "yes",
        "who_tells": "The social worker",
        "tell_on_0": "24",
        "tell_on_1": "11",
        "tell_on_2": "2026",
        "tell_time": "17:00",
        "safety_plan": "Father stays with his brother",
        "action-0-description": "Interview the father",
        "action-0-agency": str(Agency.objects.get(kind=AgencyKind.POLICE).pk),
        "action-0-owner": "DC Example",
        "action-0-due_on_0": "25",
        "action-0-due_on_1": "11",
        "action-0-due_on_2": "2026",
        "action-0-due_time": "12:00",
    }
    for invitation in discussion.invitations.all():
        data[f"attendance_{invitation.pk}"] = "attended"
        data[f"contribution_{invitation.pk}"] = f"{invitation} shared what it holds"
    return data | changes


def test_the_chair_records_the_discussion_on_its_page(arranged: StrategyDiscussion, manager: User) -> None:
    client = _client(manager)
    address = reverse("strategy:record", args=[arranged.pk])
    page = client.get(address).content.decode()
    assert "Record the discussion" in page
    assert "Example Police (police" in page

    response = client.post(address, _record(arranged))

    assert response.status_code == 302
    arranged.refresh_from_db()
    assert arranged.state == DiscussionState.HELD
    kept = StrategyRecord.objects.get(discussion=arranged)
    assert kept.conference_due_on == dt.date(2026, 12, 15)
    assert StrategyAction.objects.get().owner == "DC Example"
    shown = client.get(response["Location"]).content.decode()
    assert "Section 47 enquiry, joint with police" in shown
    assert "Send the record" in shown
    assert "Initial child protection conference" in shown


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"decision": ""}, ["Choose the discussion&#x27;s decision"]),
        ({"held_time": "23:00"}, ["enter a time already past"]),
        ({"action-0-owner": "", "action-0-due_time": ""}, ["Action 1: Name the person responsible"]),
        ({"family_told": "no"}, ["Choose why the family is not told", "Explain why the family is not told"]),
        ({"held_on_0": "99999999999999999999"}, ["The date it was held must be a real date"]),
        ({"version": "0"}, ["changed by someone else"]),
    ],
)
def test_a_bad_record_says_why_and_saves_nothing(
    arranged: StrategyDiscussion, manager: User, changes: dict[str, str], messages: list[str]
) -> None:
    response = _client(manager).post(reverse("strategy:record", args=[arranged.pk]), _record(arranged, **changes))

    assert response.status_code in (200, 409)
    html = response.content.decode()
    assert "There is a problem" in html
    for message in messages:
        assert message in html
    assert not StrategyRecord.objects.exists()
    assert not StrategyAction.objects.exists()


def test_a_missing_attendance_is_shown_beside_the_invitee(arranged: StrategyDiscussion, manager: User) -> None:
    police = arranged.invitations.get(agency__kind=AgencyKind.POLICE)
    data = _record(arranged)
    del data[f"attendance_{police.pk}"]
    html = _client(manager).post(reverse("strategy:record", args=[arranged.pk]), data).content.decode()
    assert f'href="#id_attendance_{police.pk}_0">Say whether Example Police attended' in html


def test_the_record_page_of_a_discussion_already_held_goes_back_to_it(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime
) -> None:
    hold_for(arranged, by=manager, at=now)
    response = _client(manager).get(reverse("strategy:record", args=[arranged.pk]))
    assert response.status_code == 302


def test_a_partner_reads_the_record_sent_to_their_agency_and_closes_their_action(
    arranged: StrategyDiscussion,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    health: Agency,
    now: dt.datetime,
) -> None:
    hold_for(arranged, by=manager, at=now)
    coordinator = _client(strategy_coordinator)
    sent = coordinator.post(reverse("strategy:send-record", args=[arranged.pk]), {"send-version": arranged.version})
    assert sent.status_code == 302
    assert "Record sent to" in coordinator.get(sent["Location"]).content.decode()

    police = _client(police_partner)
    page = police.get(reverse("strategy:discussion", args=[arranged.pk])).content.decode()
    assert "The record, sent" in page
    assert "Section 47 enquiry, joint with police" in page
    action = StrategyAction.objects.get()
    assert "Close this action" in page
    mine = police.get(reverse("strategy:invitations")).content.decode()
    assert "Interview the father" in mine

    closed = police.post(
        reverse("strategy:close-action", args=[arranged.pk, action.pk]),
        {f"close-{action.pk}-version": action.version, f"close-{action.pk}-note": "Interviewed under caution"},
    )
    assert closed.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.CLOSED


def test_another_agencys_partner_cannot_close_the_action(
    arranged: StrategyDiscussion, manager: User, health: Agency, now: dt.datetime
) -> None:
    hold_for(arranged, by=manager, at=now)
    action = StrategyAction.objects.get()  # the police's
    nurse = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Nurses", agency=health), username="n.1")
    client = _client(nurse)
    assert "Close this action" not in client.get(reverse("strategy:discussion", args=[arranged.pk])).content.decode()
    response = client.post(
        reverse("strategy:close-action", args=[arranged.pk, action.pk]),
        {f"close-{action.pk}-version": action.version, f"close-{action.pk}-note": "Done"},
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.state == ActionState.OPEN


def test_the_coordinators_worktray_lists_the_record_to_send_and_the_open_actions(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, now: dt.datetime
) -> None:
    hold_for(arranged, by=manager, at=now)
    html = _client(strategy_coordinator).get(reverse("strategy:worktray")).content.decode()
    assert "Held: record to send (1)" in html
    assert "Actions open (1)" in html
    assert "Interview the father" in html


def test_the_conference_is_recorded_on_the_page(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, **_: Any
) -> None:
    hold_for(arranged, by=manager, at=now)
    client = _client(manager)
    response = client.post(
        reverse("strategy:conference", args=[arranged.pk]),
        {
            "conference-version": arranged.version,
            "conference-held": "date",
            "conference-conference_on_0": "10",
            "conference-conference_on_1": "12",
            "conference-conference_on_2": "2026",
        },
    )
    assert response.status_code == 302
    assert "Conference recorded for 10 December 2026" in client.get(response["Location"]).content.decode()
    kept = StrategyRecord.objects.get()
    assert kept.conference_on == dt.date(2026, 12, 10)


def test_a_long_worktray_section_shows_its_first_rows_and_all_when_asked(
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    now: dt.datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("safehub.strategy.queries.SECTION_ROWS", 2)
    for _ in range(3):  # started yesterday: overdue
        approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now - dt.timedelta(days=1))
    client = _client(strategy_coordinator)
    html = client.get(reverse("strategy:worktray")).content.decode()
    assert "Overdue: not held by its time (3)" in html
    assert "The first 2 of 3." in html
    everything = client.get(reverse("strategy:worktray") + "?all=overdue").content.decode()
    assert "The first 2 of 3." not in everything
    assert everything.count('href="/strategy/') >= 3


def test_the_second_of_two_people_recording_at_once_is_told_who_recorded_it_and_keeps_their_entries(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User
) -> None:
    address = reverse("strategy:record", args=[arranged.pk])
    first, second = _client(manager), _client(strategy_coordinator)
    second_form = _record(arranged, analysis="The coordinator's own analysis")
    assert first.post(address, _record(arranged)).status_code == 302

    response = second.post(address, second_form)

    assert response.status_code == 409
    html = response.content.decode()
    assert f"{manager} recorded it at" in html
    assert "The coordinator&#x27;s own analysis" in html  # what they typed is still there to compare
    assert StrategyRecord.objects.count() == 1


def _text(html: str) -> str:
    """The page's text as a reader meets it: its markup's runs of whitespace as one space."""
    return " ".join(html.split())


def test_each_close_control_says_which_action_it_closes(
    arranged: StrategyDiscussion, manager: User, police_partner: User, now: dt.datetime
) -> None:
    discussion = hold_for(arranged, by=manager, at=now)
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    long = "Ask the school for the attendance record of both children since September, and the notes of the DSL"
    recording.add_action(
        discussion, recording.NewAction(long, police, "DC Example", now + dt.timedelta(days=2)), by=manager, at=now
    )

    for user in (manager, police_partner):
        page = _client(user).get(reverse("strategy:discussion", args=[discussion.pk])).content.decode()

        for action in StrategyAction.objects.all():
            assert f"Close action {action.pk}" not in page
        assert 'Close this action<span class="govuk-visually-hidden">: Interview the father</span>' in page
        assert (
            'Close this action<span class="govuk-visually-hidden">: Ask the school for the attendance record of both'
            " children…</span>" in page
        )


def test_who_took_part_reads_as_one_line_each_on_the_hubs_page_and_in_the_record_sent(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, police_partner: User, health: Agency
) -> None:
    police = arranged.invitations.get(agency__kind=AgencyKind.POLICE)
    health_invitation = arranged.invitations.get(agency=health)
    record = _record(
        arranged,
        **{
            f"attendee_{police.pk}": "DC Example",
            f"attendance_{health_invitation.pk}": "apologies",
            f"reason_{health_invitation.pk}": "Attending court",
        },
    )
    coordinator = _client(strategy_coordinator)
    assert _client(manager).post(reverse("strategy:record", args=[arranged.pk]), record).status_code == 302

    hubs = _text(coordinator.get(reverse("strategy:discussion", args=[arranged.pk])).content.decode())
    assert "Sent apologies: Attending court" in hubs
    assert "Attended (DC Example)" in hubs
    assert "Sent apologies :" not in hubs

    arranged.refresh_from_db()
    sent = coordinator.post(reverse("strategy:send-record", args=[arranged.pk]), {"send-version": arranged.version})
    assert sent.status_code == 302
    partners = _text(_client(police_partner).get(reverse("strategy:discussion", args=[arranged.pk])).content.decode())
    assert "Sent apologies: Attending court" in partners
    assert "Attended (DC Example)" in partners
    assert "Sent apologies :" not in partners


def test_an_invitation_not_emailed_before_the_discussion_was_held_says_so(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, now: dt.datetime
) -> None:
    page = reverse("strategy:discussion", args=[arranged.pk])
    coordinator = _client(strategy_coordinator)
    assert "the email is on its way" in coordinator.get(page).content.decode()  # arranged: the worker sends it

    hold_for(arranged, by=manager, at=now)  # before the worker reached it: it never will

    html = _text(coordinator.get(page).content.decode())
    assert "on its way" not in html
    assert html.count("not emailed: the discussion was held before its email went out") == 2  # police and health


def test_an_invitation_not_emailed_before_the_discussion_was_cancelled_says_so(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, now: dt.datetime
) -> None:
    services.cancel(arranged, reason="The family moved away", by=manager, at=now, version=arranged.version)

    html = _text(_client(strategy_coordinator).get(reverse("strategy:discussion", args=[arranged.pk])).content.decode())

    assert "on its way" not in html
    assert "not emailed: the discussion was cancelled before its email went out" in html
