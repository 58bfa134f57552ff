"""Starting, moving, arranging and cancelling strategy discussions, each hub's clock pinned
(Tuesday 24 November 2026, 10:00 London time), with their audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory, ContactSubjectFactory
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.people.models import Person, PersonKind, Service
from safehub.people.tests.factories import OpenInvolvementFactory, PersonFactory
from safehub.protocols.models import Brag
from safehub.strategy import services
from safehub.strategy.models import MeetingFormat, StartRoute, StrategyDiscussion
from safehub.strategy.tests.helpers import approve_strategy_for, approved_for_strategy, use_protocol
from safehub.strategy.workflow import DiscussionState

H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)


def _events(verb: Verb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("seq"))


@pytest.fixture
def discussion(mash_team: Team, social_worker: User, manager: User, now: dt.datetime) -> StrategyDiscussion:
    return approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)


@pytest.mark.parametrize(
    ("slug", "hours", "from_receipt"),
    [
        ("birmingham", 24, False),  # 000: "respond to all strategy meetings within 24 hours"
        ("walsall", 2, True),  # 004 §6: "progress a child protection concern is within a maximum of 2 hours"
        ("bexley", 4, False),  # 002 §11 "immediately": the local default, 4 hours
        ("sefton", 24, False),  # 003 sets no time: the local default
    ],
)
def test_approving_a_strategy_discussion_starts_one_on_the_hubs_clock(
    slug: str, hours: int, from_receipt: bool, mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    use_protocol(slug)

    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)

    assert discussion.state == DiscussionState.TO_ARRANGE
    assert discussion.route == StartRoute.APPROVED_OUTCOME
    assert discussion.started_at == now
    contact = discussion.contact
    assert contact is not None
    start = contact.received_at if from_receipt else now  # the contact came in half an hour before the approval
    assert discussion.due_at == discussion.standard_due_at == start + hours * H
    assert discussion.team == mash_team
    assert {child.subject_id for child in discussion.children.all()} == {
        s.pk for s in contact.subjects.all() if s.is_child
    }
    [started] = _events(Verb.STRATEGY_DISCUSSION_STARTED)
    assert (started.by, started.contact_id, started.data["route"]) == (manager, contact.pk, "approved_outcome")


def _children(contact: Contact) -> list[int]:
    return [s.pk for s in contact.subjects.all() if s.is_child]


def test_a_manager_starts_one_at_once_from_a_contact_in_any_state(
    mash_team: Team, manager: User, now: dt.datetime
) -> None:
    use_protocol("walsall")
    contact: Contact = ContactFactory(team=mash_team)  # just recorded, not yet screened

    discussion = services.start_now(
        contact, subject_ids=_children(contact), reason="Child says she is afraid to go home", by=manager, at=now
    )

    assert discussion.route == StartRoute.IMMEDIATE_PROTECTION
    assert discussion.due_at == contact.received_at + 2 * H  # 004 §6: 2 hours from the contact, not from now
    assert discussion.reason == "Child says she is afraid to go home"
    assert _events(Verb.STRATEGY_DISCUSSION_STARTED)[0].data["reason"] == discussion.reason
    # Significant harm is Red: the contact goes to the front of its queue with the Red clock.
    contact.refresh_from_db()
    assert contact.initial_rating == Brag.RED
    assert _events(Verb.CONTACT_UPDATED)[0].data["initial_rating"]["to"] == "red"


@pytest.mark.parametrize(
    ("subjects", "reason", "message"),
    [
        ("all", "  ", "Say why protection cannot wait"),
        ("none", "Afraid to go home", "Choose the children"),
        ("other", "Afraid to go home", "Choose children on this contact"),
    ],
)
def test_starting_one_at_once_needs_children_of_the_contact_and_a_reason(
    mash_team: Team, manager: User, now: dt.datetime, subjects: str, reason: str, message: str
) -> None:
    contact: Contact = ContactFactory(team=mash_team)
    other: Contact = ContactFactory(team=mash_team)
    ids = {"all": _children(contact), "none": [], "other": _children(other)}[subjects]

    with pytest.raises(DomainError, match=message):
        services.start_now(contact, subject_ids=ids, reason=reason, by=manager, at=now)
    assert not StrategyDiscussion.objects.exists()
    assert not _events(Verb.STRATEGY_DISCUSSION_STARTED)


def test_only_a_manager_starts_one(mash_team: Team, social_worker: User, strategy_coordinator: User, now: Any) -> None:
    contact: Contact = ContactFactory(team=mash_team)
    for user in (social_worker, strategy_coordinator):
        with pytest.raises(PermissionDenied):
            services.start_now(contact, subject_ids=_children(contact), reason="Now", by=user, at=now)


def test_walsalls_discussion_is_due_2_hours_from_the_contact_however_late_the_approval(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    # 004 §6: the MASH will "screen the referral and hold a strategy meeting"; "The agreed standard for the
    # Walsall MASH to progress a child protection concern is within a maximum of 2 hours".
    use_protocol("walsall")
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=now - 90 * MIN)

    discussion = approve_strategy_for(contact, social_worker=social_worker, manager=manager, at=now)

    assert discussion.due_at == discussion.standard_due_at == contact.received_at + 2 * H  # not now + 2 hours
    late: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=now - 3 * H)
    overdue = approve_strategy_for(late, social_worker=social_worker, manager=manager, at=now)
    assert overdue.due_at == late.received_at + 2 * H  # already past: the discussion is overdue at once
    assert services.latest_meeting(overdue, at=now) == now + 2 * H  # and held as soon as it can be


@pytest.mark.parametrize("slug", ["birmingham", "bexley", "sefton"])
def test_other_hubs_count_the_discussion_from_its_start_alone(
    slug: str, mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    use_protocol(slug)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=now - 30 * H)

    discussion = approve_strategy_for(contact, social_worker=social_worker, manager=manager, at=now)

    assert discussion.due_at == services.standard_due(now)


def test_a_child_waiting_for_a_discussion_is_not_given_a_second(
    discussion: StrategyDiscussion, second_manager: User, now: dt.datetime
) -> None:
    """Two managers pressing at once, or a second press: the second is told of the first."""
    contact = discussion.contact
    assert contact is not None

    with pytest.raises(DomainError, match="already to arrange"):
        services.start_now(contact, subject_ids=_children(contact), reason="Now", by=second_manager, at=now)
    assert StrategyDiscussion.objects.count() == 1


def test_birminghams_exception_lets_a_discussion_wait_up_to_72_hours_with_a_risk_assessment(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    use_protocol("birmingham")
    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
    later = now + 2 * H

    services.record_exception(
        discussion,
        due_at=now + 48 * H,
        reason="Children staying with grandmother; police have spoken to her",
        by=manager,
        at=later,
        version=discussion.version,
    )

    discussion.refresh_from_db()
    assert discussion.due_at == now + 48 * H
    assert discussion.standard_due_at == now + 24 * H
    assert discussion.on_exception
    assert (discussion.exception_by, discussion.exception_at) == (manager, later)
    [event] = _events(Verb.STRATEGY_EXCEPTION_RECORDED)
    assert event.data["due_at"] == (now + 48 * H).isoformat()
    assert "grandmother" in event.data["reason"]


@pytest.mark.parametrize(
    ("hours", "reason", "message"),
    [
        (73, "Safe with grandmother", "allows an exception up to"),  # past Birmingham's 72 hours
        (20, "Safe with grandmother", "Choose a time after the standard"),  # within the standard
        (48, " ", "Enter the risk assessment"),
    ],
)
def test_an_exception_past_the_limit_before_the_standard_or_without_a_risk_assessment_is_refused(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime, hours: int, reason: str, message: str
) -> None:
    use_protocol("birmingham")
    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)

    with pytest.raises(Refused, match=message):
        services.record_exception(
            discussion, due_at=now + hours * H, reason=reason, by=manager, at=now, version=discussion.version
        )
    discussion.refresh_from_db()
    assert not discussion.on_exception
    assert not _events(Verb.STRATEGY_EXCEPTION_RECORDED)


def test_bexleys_exception_is_a_day_at_most_and_walsalls_two_hours_allow_none(
    discussion: StrategyDiscussion, manager: User, mash_team: Team, social_worker: User, now: dt.datetime
) -> None:
    """A Red discussion must never be moved off to next year: every exception has a limit, and
    where the seed calls its time a maximum (004 §6) there is none."""
    with pytest.raises(Refused, match="allows an exception up to 25 November 2026, 10:00"):
        services.record_exception(discussion, due_at=now + 200 * H, reason="Abroad", by=manager, at=now, version=0)
    services.record_exception(discussion, due_at=now + 20 * H, reason="With grandmother", by=manager, at=now, version=0)
    assert discussion.due_at == now + 20 * H

    use_protocol("walsall")
    walsall = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
    with pytest.raises(DomainError, match="allows no exception"):
        services.record_exception(walsall, due_at=now + 3 * H, reason="Later", by=manager, at=now, version=0)


def test_only_a_manager_records_an_exception(
    discussion: StrategyDiscussion, strategy_coordinator: User, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        services.record_exception(
            discussion, due_at=now + 30 * H, reason="Safe", by=strategy_coordinator, at=now, version=0
        )


def _arrangement(chair: User, at: dt.datetime) -> services.Arrangement:
    return services.Arrangement(at, MeetingFormat.VIDEO, "https://meet.example/strategy-1", chair)


def test_the_coordinator_arranges_it_before_its_due_time(
    discussion: StrategyDiscussion, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    meeting = now + 2 * H

    services.arrange(discussion, _arrangement(manager, meeting), by=strategy_coordinator, at=now, version=0)

    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.ARRANGED
    assert (discussion.meeting_at, discussion.chair, discussion.arranged_by) == (meeting, manager, strategy_coordinator)
    assert discussion.state_changes.get().event == "arrange"
    [event] = _events(Verb.STRATEGY_DISCUSSION_ARRANGED)
    assert (event.by, event.data["again"], event.data["chair"]) == (strategy_coordinator, False, manager.username)

    services.arrange(
        discussion, _arrangement(manager, now + 3 * H), by=strategy_coordinator, at=now, version=discussion.version
    )
    discussion.refresh_from_db()
    assert discussion.meeting_at == now + 3 * H
    assert _events(Verb.STRATEGY_DISCUSSION_ARRANGED)[-1].data["again"] is True


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (-1, "Choose a time in the future"),
        (5, "The discussion is due by"),  # Bexley: 4 hours, and no exception recorded
    ],
)
def test_a_discussion_arranged_in_the_past_or_after_its_clock_is_refused(
    discussion: StrategyDiscussion,
    strategy_coordinator: User,
    manager: User,
    now: dt.datetime,
    offset: int,
    message: str,
) -> None:
    with pytest.raises(Refused, match=message):
        services.arrange(
            discussion, _arrangement(manager, now + offset * H), by=strategy_coordinator, at=now, version=0
        )
    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.TO_ARRANGE


def test_an_overdue_discussion_is_arranged_for_the_first_time_it_can_be_held(
    discussion: StrategyDiscussion, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    """Past its due time with no exception, it is still to be held, as soon as it can be: within the
    standard counted from now (Bexley: 4 hours), and it stays late on the record."""
    later = now + 6 * H  # two hours overdue
    with pytest.raises(Refused, match="The discussion is overdue: arrange it for the first time it can be held"):
        services.arrange(discussion, _arrangement(manager, later + 5 * H), by=strategy_coordinator, at=later, version=0)

    services.arrange(discussion, _arrangement(manager, later + 3 * H), by=strategy_coordinator, at=later, version=0)

    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.ARRANGED
    assert discussion.due_at == now + 4 * H  # still due when it was: held late


def test_the_chair_is_a_team_manager(
    discussion: StrategyDiscussion, strategy_coordinator: User, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(Refused, match="Choose a team manager"):
        services.arrange(discussion, _arrangement(social_worker, now + H), by=strategy_coordinator, at=now, version=0)


def test_two_coordinators_arranging_at_once_one_wins_and_the_other_is_told(
    discussion: StrategyDiscussion, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    stale = StrategyDiscussion.objects.get(pk=discussion.pk)
    services.arrange(discussion, _arrangement(manager, now + H), by=strategy_coordinator, at=now, version=0)

    with pytest.raises(ConcurrentChange, match="strategy discussion was changed by someone else"):
        services.arrange(stale, _arrangement(manager, now + 2 * H), by=manager, at=now, version=0)
    discussion.refresh_from_db()
    assert discussion.meeting_at == now + H
    assert len(_events(Verb.STRATEGY_DISCUSSION_ARRANGED)) == 1


def test_a_manager_cancels_a_discussion_not_yet_held_saying_why(
    discussion: StrategyDiscussion, manager: User, now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="Say why"):
        services.cancel(discussion, reason="", by=manager, at=now, version=0)

    services.cancel(discussion, reason="Started on the wrong family", by=manager, at=now, version=0)

    discussion.refresh_from_db()
    assert discussion.state == DiscussionState.CANCELLED
    assert discussion.state_changes.get().note == "Started on the wrong family"
    assert _events(Verb.STRATEGY_DISCUSSION_CANCELLED)[0].data["reason"] == "Started on the wrong family"
    # A cancelled discussion no longer stands in the way of a new one for the same children.
    contact = discussion.contact
    assert contact is not None
    services.start_now(contact, subject_ids=_children(contact), reason="New concern", by=manager, at=now)


def test_a_manager_starts_one_for_a_child_already_open_to_childrens_social_care(
    manager: User, mash_team: Team, now: dt.datetime
) -> None:
    """000: strategy meetings "for children already open to the TRUST", with no new contact."""
    child: Person = PersonFactory(kind=PersonKind.CHILD)
    OpenInvolvementFactory(person=child, service=Service.CHILD_IN_NEED)

    discussion = services.start_for_open_case(child, reason="New injury seen by the nursery", by=manager, at=now)

    assert (discussion.route, discussion.contact, discussion.team) == (StartRoute.OPEN_CASE, None, mash_team)
    assert [c.person for c in discussion.children.all()] == [child]
    assert discussion.due_at == now + 4 * H
    with pytest.raises(DomainError, match="is already to arrange"):
        services.start_for_open_case(child, reason="Again", by=manager, at=now)


@pytest.mark.parametrize(
    ("kind", "service", "message"),
    [
        (PersonKind.CHILD, None, "is not open to children's social care"),
        (PersonKind.CHILD, Service.EARLY_HELP, "is not open to children's social care"),
        (PersonKind.ADULT, Service.CHILD_IN_NEED, "about a child"),
    ],
)
def test_one_for_an_open_case_needs_a_child_open_to_childrens_social_care(
    manager: User, now: dt.datetime, kind: str, service: Service | None, message: str
) -> None:
    person = PersonFactory(kind=kind)
    if service is not None:
        OpenInvolvementFactory(person=person, service=service)
    with pytest.raises(DomainError, match=message):
        services.start_for_open_case(person, reason="Now", by=manager, at=now)
    assert not StrategyDiscussion.objects.exists()


def test_a_child_whose_contact_has_a_discussion_waiting_is_not_given_another_from_their_record(
    discussion: StrategyDiscussion, manager: User, now: dt.datetime
) -> None:
    person = PersonFactory(kind=PersonKind.CHILD)
    discussion.children.update(person=person)  # the child on the contact, identified as this person
    OpenInvolvementFactory(person=person, service=Service.CHILD_IN_NEED)
    with pytest.raises(DomainError, match="already to arrange"):
        services.start_for_open_case(person, reason="Now", by=manager, at=now)


def test_approving_siblings_starts_one_for_those_not_already_waiting(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    """A manager started one at once for Mia; the approval then covers her brother, not Mia again."""
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    ContactSubjectFactory(contact=contact, given_name="Leo", role=SubjectRole.SIBLING, sex="male")
    mia = contact.subjects.get(given_name="Mia")
    services.start_now(contact, subject_ids=[mia.pk], reason="Mia afraid to go home", by=manager, at=now)
    approve_strategy_for(contact, social_worker=social_worker, manager=manager, at=now)

    by_route = {d.route: [str(c) for c in d.children.all()] for d in StrategyDiscussion.objects.all()}
    assert by_route == {StartRoute.IMMEDIATE_PROTECTION: ["Mia Harlow"], StartRoute.APPROVED_OUTCOME: ["Leo Harlow"]}
