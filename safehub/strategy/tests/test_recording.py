"""Holding and recording a strategy discussion (issue 13): attendance, one decision, the family, the
safety plan and actions; the record sent as disclosures; the section 47 and conference dates; the
actions' reminders and escalations, exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import NotToldReason
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.core.working_time import LONDON
from safehub.people.models import PersonKind, Service
from safehub.people.tests.factories import OpenInvolvementFactory, PersonFactory
from safehub.sharing.models import Disclosure
from safehub.strategy import alerts, emails, recording, services
from safehub.strategy.models import (
    ActionAlert,
    ActionAlertKind,
    Attendance,
    Decision,
    MeetingFormat,
    OnwardOutcome,
    ProtectionMeans,
    StrategyAction,
    StrategyDiscussion,
    StrategyRecord,
)
from safehub.strategy.workflow import ActionState, DiscussionState

H = dt.timedelta(hours=1)


def _presence(discussion: StrategyDiscussion, **by_agency: Any) -> tuple[recording.Presence, ...]:
    """Everyone attended, unless `by_agency` (an agency's kind) says otherwise."""
    found = []
    for invitation in discussion.invitations.select_related("agency"):
        kind = invitation.agency.kind if invitation.agency else "person"
        found.append(
            recording.Presence(
                invitation.pk,
                **{"attendance": Attendance.ATTENDED, "contribution": f"{invitation} shared what it holds"}
                | by_agency.get(kind, {}),
            )
        )
    return tuple(found)


def outcome(discussion: StrategyDiscussion, at: dt.datetime, **changes: Any) -> recording.Outcome:
    """A joint section 47 enquiry, the family told by the social worker, one police action."""
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    values: dict[str, Any] = {
        "held_at": discussion.meeting_at,
        "analysis": "Injuries consistent with a slap; the father's account does not fit",
        "decision": Decision.JOINT,
        "police_investigate": True,
        "medical_examination": True,
        "medical_note": "Paediatrician at 14:00 today",
        "family_told": True,
        "who_tells": "Asha Patel, social worker",
        "tell_by": at + 4 * H,
        "safety_plan": "Father leaves the home while enquiries are made; mother agrees",
        "presence": _presence(discussion),
        "actions": (recording.NewAction("Interview the father", police, "DC Example", at + 24 * H),),
    }
    return recording.Outcome(**(values | changes))


def _hold(discussion: StrategyDiscussion, by: User, at: dt.datetime, **changes: Any) -> StrategyRecord:
    return recording.hold(discussion, outcome(discussion, at, **changes), by=by, at=at, version=discussion.version)


def test_the_chair_records_one_decision_and_the_enquiry_dates_follow(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    later = now + 2 * H
    time_machine.move_to(later, tick=False)
    kept = _hold(arranged, manager, later)

    arranged.refresh_from_db()
    assert arranged.state == DiscussionState.HELD
    assert kept.decision == Decision.JOINT
    assert kept.starts_enquiry
    # Held on Tuesday 24 November 2026: the enquiry starts that day; the conference is due 15 working
    # days later, Tuesday 15 December.
    assert kept.enquiry_started_on == dt.date(2026, 11, 24)
    assert kept.conference_due_on == dt.date(2026, 12, 15)
    # The record is due one working day after it was held (every shipped profile's local default).
    assert kept.send_due_at == (now + H) + dt.timedelta(days=1)
    assert {i.attendance for i in arranged.invitations.all()} == {Attendance.ATTENDED}
    action = StrategyAction.objects.get(discussion=arranged)
    assert (action.owner, action.state) == ("DC Example", ActionState.OPEN)
    event = AuditEvent.objects.get(verb=Verb.STRATEGY_DISCUSSION_RECORDED)
    assert event.data["decision"] == "s47_joint"
    assert event.data["enquiry_started_on"] == "2026-11-24"


@pytest.mark.parametrize(
    ("held_on", "due_on"),
    [
        (dt.date(2026, 12, 18), dt.date(2027, 1, 13)),  # over Christmas Day, Boxing Day (Mon 28) and New Year
        (dt.date(2026, 11, 27), dt.date(2026, 12, 18)),  # a Friday: three weekends
        (dt.date(2027, 3, 24), dt.date(2027, 4, 16)),  # over Good Friday and Easter Monday 2027
    ],
)
def test_the_conference_target_is_15_working_days_never_a_weekend_or_bank_holiday(
    held_on: dt.date, due_on: dt.date
) -> None:
    assert recording.conference_due(held_on) == due_on
    assert due_on.weekday() < 5


def test_no_enquiry_needs_the_onward_outcome_and_starts_no_conference_clock(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    with pytest.raises(Refused, match="Choose what happens instead of a section 47 enquiry"):
        _hold(arranged, manager, now + 2 * H, decision=Decision.NO_ENQUIRY)
    arranged.refresh_from_db()
    kept = _hold(arranged, manager, now + 2 * H, decision=Decision.NO_ENQUIRY, onward_outcome=OnwardOutcome.ASSESSMENT)
    assert (kept.enquiry_started_on, kept.conference_due_on) == (None, None)


def test_immediate_protection_says_how_and_starts_an_enquiry(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    with pytest.raises(Refused, match="Choose how the children are protected now"):
        _hold(arranged, manager, now + 2 * H, decision=Decision.IMMEDIATE_PROTECTION)
    arranged.refresh_from_db()
    kept = _hold(
        arranged,
        manager,
        now + 2 * H,
        decision=Decision.IMMEDIATE_PROTECTION,
        protection_means=ProtectionMeans.EMERGENCY_PROTECTION_ORDER,
    )
    assert kept.starts_enquiry
    assert kept.enquiry_started_on == dt.date(2026, 11, 24)


def test_a_family_not_told_needs_a_coded_reason_and_why(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    with pytest.raises(Refused) as refused:
        _hold(arranged, manager, now + 2 * H, family_told=False)
    assert {p.message for p in refused.value.problems} >= {
        "Choose why the family is not told",
        "Explain why the family is not told",
    }
    arranged.refresh_from_db()
    kept = _hold(
        arranged,
        manager,
        now + 2 * H,
        family_told=False,
        not_told_reason=NotToldReason.PREJUDICE_INVESTIGATION,
        not_told_rationale="The police will interview the father first",
    )
    assert (kept.family_told, kept.who_tells, kept.tell_by) == (False, "", None)


def test_a_record_without_a_decision_or_attendance_says_everything_at_once_and_saves_nothing(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    bad = outcome(arranged, now + 2 * H, decision="", presence=(), analysis=" ", police_investigate=None)
    with pytest.raises(Refused) as refused:
        recording.hold(arranged, bad, by=manager, at=now + 2 * H, version=arranged.version)
    messages = [p.message for p in refused.value.problems]
    assert "Choose the discussion's decision" in messages
    assert "Enter the analysis of risk" in messages
    assert "Say whether the police will investigate" in messages
    assert "Say whether Example Police attended" in messages
    arranged.refresh_from_db()
    assert arranged.state == DiscussionState.ARRANGED
    assert not StrategyRecord.objects.exists()
    assert not StrategyAction.objects.exists()


def test_an_absence_needs_its_reason_and_someone_must_have_taken_part(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    absent = {"attendance": Attendance.APOLOGIES, "contribution": ""}
    nobody = _presence(arranged, police=absent, health={"attendance": Attendance.DID_NOT_ATTEND})
    with pytest.raises(Refused) as refused:
        _hold(arranged, manager, now + 2 * H, presence=nobody)
    messages = [p.message for p in refused.value.problems]
    assert "Say why Example Police did not attend" in messages
    assert any(m.startswith("Nobody invited attended or sent information") for m in messages)


def test_an_action_without_an_owner_or_due_time_is_refused(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    with pytest.raises(Refused) as refused:
        _hold(arranged, manager, now + 2 * H, actions=(recording.NewAction("Visit", police, " ", None),))
    problems = {(p.message, p.item) for p in refused.value.problems}
    assert problems == {("Name the person responsible for the action", 0), ("Enter when the action is due", 0)}


def test_a_discussion_cannot_be_recorded_before_it_was_held_or_twice(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, now: dt.datetime, time_machine: Any
) -> None:
    with pytest.raises(Refused, match="once it has been held"):
        _hold(arranged, manager, now, held_at=now + 30 * dt.timedelta(minutes=1))
    time_machine.move_to(now + 2 * H, tick=False)
    stale = StrategyDiscussion.objects.get(pk=arranged.pk)
    _hold(arranged, manager, now + 2 * H)
    # A second browser, holding the page from before: one record, and the second told who recorded it.
    with pytest.raises(recording.RecordedAlready, match=f"{manager} recorded it at 24 November 2026, 12:00"):
        _hold(stale, strategy_coordinator, now + 2 * H)
    assert StrategyRecord.objects.filter(discussion=arranged).count() == 1


def test_the_record_goes_to_those_who_took_part_each_seeing_what_they_may(
    arranged: StrategyDiscussion,
    manager: User,
    strategy_coordinator: User,
    health_visitor: User,
    now: dt.datetime,
    time_machine: Any,
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    presence = _presence(
        arranged,
        police={"contribution": "An investigation into the father is under way", "restricted": True},
    )
    _hold(arranged, manager, now + 2 * H, presence=presence)
    arranged.refresh_from_db()
    copies = recording.send_record(arranged, by=strategy_coordinator, at=now + 3 * H, version=arranged.version)

    arranged.refresh_from_db()
    assert arranged.state == DiscussionState.RECORD_SENT
    sent = {copy.invitation.agency.name: copy.disclosure for copy in copies}
    assert set(sent) == {"Example Police", "Example Health"}
    health_view = {row["invitee"]: row["contribution"] for row in sent["Example Health"].content["attendance"]}
    assert health_view["Example Police"] == "Given to the chair; not passed on at the agency's request"
    police_view = {row["invitee"]: row["contribution"] for row in sent["Example Police"].content["attendance"]}
    assert police_view["Example Police"] == "An investigation into the father is under way"
    assert sent["Example Health"].content["decision"] == "Section 47 enquiry, joint with police"
    assert Disclosure.objects.filter(origin="strategy.recordcopy").count() == 2
    assert AuditEvent.objects.get(verb=Verb.STRATEGY_RECORD_SENT).data["late"] is False
    # The agencies are told it is there, once; the email names no child.
    mail.outbox.clear()
    assert emails.deliver_record_emails(now + 3 * H) == 2
    assert emails.deliver_record_emails(now + 3 * H) == 0
    health_email = next(m for m in mail.outbox if health_visitor.email in m.to)
    assert "Mia" not in health_email.body
    assert "record of the strategy discussion" in health_email.subject


def test_only_agencies_that_took_part_are_sent_the_record(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    presence = _presence(arranged, health={"attendance": Attendance.APOLOGIES, "reason": "Clinic", "contribution": ""})
    _hold(arranged, manager, now + 2 * H, presence=presence)
    arranged.refresh_from_db()
    stale = StrategyDiscussion.objects.get(pk=arranged.pk)
    copies = recording.send_record(arranged, by=strategy_coordinator, at=now + 3 * H, version=arranged.version)
    assert [str(copy.invitation) for copy in copies] == ["Example Police"]
    # A second coordinator sending it from the page as it was: told it changed, not refused their role.
    with pytest.raises(ConcurrentChange):
        recording.send_record(stale, by=manager, at=now + 3 * H, version=stale.version)
    assert Disclosure.objects.filter(origin="strategy.recordcopy").count() == 1


def test_the_conference_date_or_not_required_is_recorded_after_the_enquiry(
    arranged: StrategyDiscussion, manager: User, strategy_coordinator: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    _hold(arranged, manager, now + 2 * H)
    arranged.refresh_from_db()
    with pytest.raises(Refused, match="The conference follows the enquiry"):
        recording.record_conference(
            arranged, on=dt.date(2026, 11, 1), not_required="", by=manager, at=now, version=arranged.version
        )
    with pytest.raises(Refused, match="Enter the conference date, or say why"):
        recording.record_conference(arranged, on=None, not_required=" ", by=manager, at=now, version=arranged.version)
    kept = recording.record_conference(
        arranged, on=dt.date(2026, 12, 10), not_required="", by=strategy_coordinator, at=now, version=arranged.version
    )
    assert kept.conference_on == dt.date(2026, 12, 10)
    kept = recording.record_conference(
        arranged, on=None, not_required="No significant harm found", by=manager, at=now, version=arranged.version
    )
    assert (kept.conference_on, kept.conference_not_required) == (None, "No significant harm found")
    event = AuditEvent.objects.filter(verb=Verb.STRATEGY_CONFERENCE_RECORDED).latest("pk")
    assert event.data["before"]["on"] == "2026-12-10"


def test_no_conference_is_recorded_for_a_discussion_that_started_no_enquiry(
    arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    _hold(arranged, manager, now + 2 * H, decision=Decision.NO_ENQUIRY, onward_outcome=OnwardOutcome.EARLY_HELP)
    arranged.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the page offers no conference form either
        recording.record_conference(
            arranged, on=dt.date(2026, 12, 10), not_required="", by=manager, at=now, version=arranged.version
        )


def test_action_alerts_are_queued_and_sent_exactly_once_and_stop_when_it_is_closed(
    arranged: StrategyDiscussion,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    now: dt.datetime,
    time_machine: Any,
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    _hold(arranged, manager, now + 2 * H)  # the police action is due at now + 24 hours
    action = StrategyAction.objects.get()
    assert alerts.queue_action_alerts(now + 2 * H) == 1  # within a day of its due time: the police reminded
    assert alerts.queue_action_alerts(now + 2 * H) == 0  # a second worker, or a restart, adds nothing
    reminder = ActionAlert.objects.get()
    assert (reminder.kind, reminder.recipient) == (ActionAlertKind.REMINDER, police_partner)
    mail.outbox.clear()
    assert alerts.deliver_action_alerts(now + 2 * H) == 1
    assert alerts.deliver_action_alerts(now + 2 * H) == 0
    assert len(mail.outbox) == 1
    assert "Mia" not in mail.outbox[0].body

    overdue = now + 27 * H  # it was due at now + 26 hours
    alerts.queue_action_alerts(overdue)
    escalated = set(
        ActionAlert.objects.filter(kind=ActionAlertKind.OVERDUE).values_list("recipient__username", flat=True)
    )
    assert escalated == {police_partner.username, manager.username, strategy_coordinator.username}
    recording.close_action(action, note="Interviewed", by=police_partner, at=overdue, version=action.version)
    # Queued before the close, not yet sent: dropped, never sent.
    assert alerts.deliver_action_alerts(overdue) == 0
    assert not ActionAlert.objects.filter(kind=ActionAlertKind.OVERDUE).exists()
    assert alerts.queue_action_alerts(overdue + H) == 0


def test_a_partner_closes_their_own_agencys_action_only(
    arranged: StrategyDiscussion,
    manager: User,
    health_visitor: User,
    police_partner: User,
    now: dt.datetime,
    time_machine: Any,
) -> None:
    time_machine.move_to(now + 2 * H, tick=False)
    _hold(arranged, manager, now + 2 * H)
    action = StrategyAction.objects.get()
    with pytest.raises(PermissionDenied):
        recording.close_action(action, note="Done", by=health_visitor, at=now + 3 * H, version=action.version)
    with pytest.raises(DomainError, match="Say what was done"):
        recording.close_action(action, note="  ", by=police_partner, at=now + 3 * H, version=action.version)
    closed = recording.close_action(
        action, note="Interviewed", by=police_partner, at=now + 3 * H, version=action.version
    )
    assert (closed.state, closed.closed_note) == (ActionState.CLOSED, "Interviewed")


def test_an_open_cases_discussion_is_sent_papers_in_the_ledger_without_a_contact(
    manager: User, strategy_coordinator: User, police_partner: User, health: Agency, now: dt.datetime
) -> None:
    child = PersonFactory(kind=PersonKind.CHILD)
    OpenInvolvementFactory(person=child, service=Service.CHILD_IN_NEED)
    discussion = services.start_for_open_case(child, reason="New injury reported by school", by=manager, at=now)
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    arrangement = services.Arrangement(now + H, MeetingFormat.PHONE, "01234 567890", manager, (police, health))
    services.arrange(discussion, arrangement, by=strategy_coordinator, at=now, version=discussion.version)
    papers = Disclosure.objects.get(agency=police, origin="strategy.invitation")
    assert papers.contact is None
    assert papers.content["reason"] == "New injury reported by school"
    assert papers.consent_position.startswith("Not sought")


@pytest.mark.django_db
def test_the_record_due_time_is_one_working_day_over_a_weekend() -> None:
    friday = dt.datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)
    assert recording.record_due(friday).astimezone(LONDON) == dt.datetime(2026, 11, 30, 15, 0, tzinfo=LONDON)
