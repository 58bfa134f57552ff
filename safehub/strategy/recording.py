"""Holding and recording a strategy discussion, its actions, the record sent to those who took part,
and the section 47 dates (000: "Decision making about outcomes and safety plans should be evidenced
by partners and collated in the strategy meeting minutes"; issue 13).

Every change is one transaction with its audit event; the discussion moves only through
`core.lifecycle.transition`, so that two people recording one discussion at once end with one
record and a message for the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import NotToldReason
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.core.races import claim
from safehub.core.working_time import LONDON, add_working_days, is_working_day
from safehub.protocols.models import Clock
from safehub.protocols.policy import due_time
from safehub.sharing.exits import Exit, Item, Release, release
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import Category, Condition, Purpose
from safehub.strategy import invitations, permissions
from safehub.strategy.alerts import settle_alerts
from safehub.strategy.models import (
    REASON_LENGTH,
    RECORD_TEXT_LENGTH,
    TOOK_PART,
    Attendance,
    Decision,
    Invitation,
    OnwardOutcome,
    ProtectionMeans,
    RecordCopy,
    StrategyAction,
    StrategyDiscussion,
    StrategyRecord,
)
from safehub.strategy.queries import invited_agencies
from safehub.strategy.workflow import ActionEvent, ActionState, DiscussionEvent, DiscussionState

# What a strategy discussion's record holds, as the ledger names it.
RECORD_CATEGORIES = (Category.IDENTITY, Category.STRATEGY, Category.AGENCY_INFORMATION)
NOUN = "strategy discussion"
# The initial child protection conference: within 15 working days of the latest strategy discussion at
# which section 47 enquiries were started (Working Together to Safeguard Children 2023, 4.3; issue 13).
CONFERENCE_WORKING_DAYS = 15
OWNER_LENGTH = 200


def conference_due(held_on: date) -> date:
    """The initial conference's target: 15 working days after the discussion, never a weekend or an
    English bank holiday (the day itself is day 0)."""
    return add_working_days(held_on, CONFERENCE_WORKING_DAYS)


def record_due(held_at: datetime) -> datetime:
    """When the record is due to those who took part: the protocol's time, one working day if it sets none."""
    due = due_time(Clock.STRATEGY_RECORD, start=held_at)
    if due is not None:
        return due
    local = held_at.astimezone(LONDON)
    return datetime.combine(add_working_days(local.date(), 1), local.timetz())


@dataclass(frozen=True)
class Presence:
    """One invitee at the discussion: how they took part, who came, why not, and what they brought."""

    invitation_id: int
    attendance: str
    attendee: str = ""
    reason: str = ""
    contribution: str = ""
    restricted: bool = False


@dataclass(frozen=True)
class NewAction:
    description: str
    agency: Agency | None
    owner: str
    due_at: datetime | None


@dataclass(frozen=True)
class Outcome:
    """What the chair records: everything the discussion decided, at once."""

    held_at: datetime | None
    analysis: str
    decision: str
    onward_outcome: str = ""
    protection_means: str = ""
    police_investigate: bool | None = None
    medical_examination: bool | None = None
    medical_note: str = ""
    family_told: bool | None = None
    who_tells: str = ""
    tell_by: datetime | None = None
    not_told_reason: str = ""
    not_told_rationale: str = ""
    safety_plan: str = ""
    presence: tuple[Presence, ...] = ()
    actions: tuple[NewAction, ...] = field(default=())


def _text(value: str, limit: int, problems: list[Problem], *, field: str, required: str = "") -> str:
    text = value.strip()
    if required and not text:
        problems.append(Problem(required, field=field))
    elif len(text) > limit:
        problems.append(Problem(f"Write at most {limit:,} characters", field=field))
    return text


def _choice(value: str, choices: type[Any], problems: list[Problem], *, field: str, required: str) -> str:
    if value not in choices.values:
        problems.append(Problem(required, field=field))
        return ""
    return value


def action_problems(action: NewAction, *, index: int | None, after: datetime) -> list[Problem]:
    """What is wrong with an action: each needs what is to be done, an agency, a person and a due time."""
    problems = []
    if not action.description.strip():
        problems.append(Problem("Say what is to be done", field="description", item=index))
    elif len(action.description.strip()) > REASON_LENGTH:
        problems.append(Problem(f"Write at most {REASON_LENGTH:,} characters", field="description", item=index))
    if action.agency is None:
        problems.append(Problem("Choose the agency that owns the action", field="agency", item=index))
    if not action.owner.strip():
        problems.append(Problem("Name the person responsible for the action", field="owner", item=index))
    elif len(action.owner.strip()) > OWNER_LENGTH:
        problems.append(Problem(f"Enter at most {OWNER_LENGTH} characters", field="owner", item=index))
    if action.due_at is None:
        problems.append(Problem("Enter when the action is due", field="due_at", item=index))
    elif action.due_at <= after:
        problems.append(Problem(f"Choose a due time after {shown_date(after)}", field="due_at", item=index))
    return problems


def presence_field(name: str, invitation_id: int) -> str:
    """The name under which one invitee's attendance, reason, attendee or contribution is asked for."""
    return f"{name}_{invitation_id}"


def _presence_problems(discussion: StrategyDiscussion, presence: Sequence[Presence], problems: list[Problem]) -> None:
    invitations = list(discussion.invitations.all())
    given = {p.invitation_id: p for p in presence}
    if not invitations:
        problems.append(
            Problem(
                "Nobody was invited: arrange the discussion with its invitees before recording it", field="attendance"
            )
        )
    for invitation in invitations:
        entry = given.get(invitation.pk)
        if entry is None or entry.attendance not in Attendance.values:
            problems.append(
                Problem(f"Say whether {invitation} attended", field=presence_field("attendance", invitation.pk))
            )
            continue
        if entry.attendance in (Attendance.APOLOGIES, Attendance.DID_NOT_ATTEND) and not entry.reason.strip():
            problems.append(
                Problem(f"Say why {invitation} did not attend", field=presence_field("reason", invitation.pk))
            )
        for value, limit, name in (
            (entry.reason, REASON_LENGTH, "reason"),
            (entry.attendee, OWNER_LENGTH, "attendee"),
            (entry.contribution, RECORD_TEXT_LENGTH, "contribution"),
        ):
            if len(value.strip()) > limit:
                problems.append(
                    Problem(f"Write at most {limit:,} characters", field=presence_field(name, invitation.pk))
                )
    if invitations and not any(
        given.get(i.pk) is not None and given[i.pk].attendance in TOOK_PART for i in invitations
    ):
        problems.append(
            Problem(
                "Nobody invited attended or sent information: a strategy discussion is multi-agency. Arrange it"
                " again rather than record it",
                field="attendance",
            )
        )


def outcome_problems(discussion: StrategyDiscussion, outcome: Outcome, *, at: datetime) -> list[Problem]:
    """Everything wrong with the record at once, so that the form shows it all."""
    problems: list[Problem] = []
    if outcome.held_at is None:
        problems.append(Problem("Enter when the discussion was held", field="held_at"))
    elif outcome.held_at > at:
        problems.append(
            Problem("The discussion is recorded once it has been held: enter a time already past", field="held_at")
        )
    elif outcome.held_at < discussion.started_at:
        problems.append(
            Problem(
                f"It cannot have been held before it was started, {shown_date(discussion.started_at)}", field="held_at"
            )
        )
    _presence_problems(discussion, outcome.presence, problems)
    _text(outcome.analysis, RECORD_TEXT_LENGTH, problems, field="analysis", required="Enter the analysis of risk")
    decision = _choice(
        outcome.decision, Decision, problems, field="decision", required="Choose the discussion's decision"
    )
    if decision == Decision.NO_ENQUIRY:
        _choice(
            outcome.onward_outcome,
            OnwardOutcome,
            problems,
            field="onward_outcome",
            required="Choose what happens instead of a section 47 enquiry",
        )
    if decision == Decision.IMMEDIATE_PROTECTION:
        _choice(
            outcome.protection_means,
            ProtectionMeans,
            problems,
            field="protection_means",
            required="Choose how the children are protected now",
        )
    if outcome.police_investigate is None:
        problems.append(Problem("Say whether the police will investigate", field="police_investigate"))
    if outcome.medical_examination is None:
        problems.append(Problem("Say whether a medical examination is needed", field="medical_examination"))
    _text(outcome.medical_note, REASON_LENGTH, problems, field="medical_note")
    if outcome.family_told is None:
        problems.append(Problem("Say whether the family will be told", field="family_told"))
    elif outcome.family_told:
        _text(outcome.who_tells, OWNER_LENGTH, problems, field="who_tells", required="Name who tells the family")
        if outcome.tell_by is None:
            problems.append(Problem("Enter when the family is to be told by", field="tell_by"))
        elif outcome.held_at is not None and outcome.tell_by <= outcome.held_at:
            problems.append(
                Problem("The family is told after the discussion: choose a later time to tell them by", field="tell_by")
            )
    else:
        _choice(
            outcome.not_told_reason,
            NotToldReason,
            problems,
            field="not_told_reason",
            required="Choose why the family is not told",
        )
        _text(
            outcome.not_told_rationale,
            REASON_LENGTH,
            problems,
            field="not_told_rationale",
            required="Explain why the family is not told",
        )
    required_plan = (
        "Enter the safety plan"
        if decision in (Decision.SINGLE_AGENCY, Decision.JOINT, Decision.IMMEDIATE_PROTECTION)
        else ""
    )
    _text(outcome.safety_plan, RECORD_TEXT_LENGTH, problems, field="safety_plan", required=required_plan)
    after = outcome.held_at or at
    for index, action in enumerate(outcome.actions):
        problems += action_problems(action, index=index, after=after)
    return problems


class RecordedAlready(DomainError):  # noqa: N818 (a domain phrase)
    """Someone else recorded the discussion first: who and when, and the entries sent are not saved."""


def recorded_by_whom(discussion: StrategyDiscussion) -> str | None:
    """'Kate Williams recorded it at 6 December 2026, 10:57', once it is recorded."""
    kept = StrategyRecord.objects.filter(discussion_id=discussion.pk).select_related("recorded_by").first()
    if kept is None:
        return None
    return f"{kept.recorded_by} recorded it at {shown_date(kept.recorded_at)}"


def _not_recorded_already(discussion: StrategyDiscussion) -> None:
    """Two people recording one discussion: the second is told who recorded it, not that they may not."""
    who = recorded_by_whom(discussion)
    if who is not None:
        raise RecordedAlready(
            f"{who}: this {NOUN} is recorded already. What you entered below was not saved; compare it with the"
            " record on the discussion's page and add anything missing as an action"
        )


@transaction.atomic(durable=True)
def hold(discussion: StrategyDiscussion, outcome: Outcome, *, by: User, at: datetime, version: int) -> StrategyRecord:
    """The chair (or a coordinator minuting for them) records the discussion once it has been held:
    attendance and each agency's contribution, the analysis, one decision, the police and medical
    answers, the family, the safety plan and the actions. A decision that starts a section 47 enquiry
    fixes its start date and the conference's target."""
    if not permissions.can_record(by):
        raise PermissionDenied
    _not_recorded_already(discussion)
    claim(discussion, version, noun=NOUN)
    if discussion.state != DiscussionState.ARRANGED:
        raise DomainError(f"This {NOUN} is {discussion.get_state_display().lower()}: arrange it before recording it")
    problems = outcome_problems(discussion, outcome, at=at)
    if problems or outcome.held_at is None:
        raise Refused(problems)
    held_at = outcome.held_at
    decision = Decision(outcome.decision)
    held_on = held_at.astimezone(LONDON).date()
    starts = decision != Decision.NO_ENQUIRY
    lifecycle.transition(discussion, DiscussionEvent.HOLD, by=by, at=at, note=decision.label)
    told = bool(outcome.family_told)
    kept = StrategyRecord.objects.create(
        discussion=discussion,
        held_at=held_at,
        recorded_at=at,
        recorded_by=by,
        analysis=outcome.analysis.strip(),
        decision=decision.value,
        onward_outcome=outcome.onward_outcome if decision == Decision.NO_ENQUIRY else "",
        protection_means=outcome.protection_means if decision == Decision.IMMEDIATE_PROTECTION else "",
        police_investigate=bool(outcome.police_investigate),
        medical_examination=bool(outcome.medical_examination),
        medical_note=outcome.medical_note.strip(),
        family_told=told,
        who_tells=outcome.who_tells.strip() if told else "",
        tell_by=outcome.tell_by if told else None,
        not_told_reason="" if told else outcome.not_told_reason,
        not_told_rationale="" if told else outcome.not_told_rationale.strip(),
        safety_plan=outcome.safety_plan.strip(),
        enquiry_started_on=held_on if starts else None,
        conference_due_on=conference_due(held_on) if starts else None,
        send_due_at=record_due(held_at),
    )
    given = {p.invitation_id: p for p in outcome.presence}
    invitations = list(discussion.invitations.all())
    for invitation in invitations:
        entry = given[invitation.pk]
        invitation.attendance = entry.attendance
        invitation.attendee = entry.attendee.strip()
        invitation.attendance_reason = entry.reason.strip()
        invitation.contribution = entry.contribution.strip()
        invitation.contribution_restricted = entry.restricted and bool(entry.contribution.strip())
    Invitation.objects.bulk_update(
        invitations, ["attendance", "attendee", "attendance_reason", "contribution", "contribution_restricted"]
    )
    actions = _create_actions(discussion, outcome.actions, by=by, at=at)
    record(
        Verb.STRATEGY_DISCUSSION_RECORDED,
        by=by,
        contact=discussion.contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "held_at": held_at.isoformat(),
            "decision": decision.value,
            "attendance": {str(i.pk): i.attendance for i in invitations},
            "actions": [a.pk for a in actions],
            **({"enquiry_started_on": held_on.isoformat()} if starts else {}),
        },
    )
    return kept


def _create_actions(
    discussion: StrategyDiscussion, actions: Sequence[NewAction], *, by: User, at: datetime
) -> list[StrategyAction]:
    made = []
    for action in actions:
        if action.agency is None or action.due_at is None:  # refused by action_problems before
            raise DomainError("An action needs an agency and a due time")
        made.append(
            StrategyAction.objects.create(
                discussion=discussion,
                description=action.description.strip(),
                agency=action.agency,
                owner=action.owner.strip(),
                due_at=action.due_at,
                created_at=at,
                created_by=by,
            )
        )
    return made


@transaction.atomic(durable=True)
def add_action(discussion: StrategyDiscussion, action: NewAction, *, by: User, at: datetime) -> StrategyAction:
    """An action agreed after the record was written (a follow-up), on a discussion held."""
    if not permissions.can_add_action(by, discussion):
        raise PermissionDenied
    StrategyDiscussion.objects.select_for_update().filter(pk=discussion.pk).values_list("pk", flat=True).first()
    problems = action_problems(action, index=None, after=at)
    if problems:
        raise Refused(problems)
    (made,) = _create_actions(discussion, [action], by=by, at=at)
    record(
        Verb.STRATEGY_ACTION_ADDED,
        by=by,
        contact=discussion.contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "action": made.pk,
            "agency": made.agency_id,
            "due_at": made.due_at.isoformat(),
        },
    )
    return made


@transaction.atomic(durable=True)
def close_action(action: StrategyAction, *, note: str, by: User, at: datetime, version: int) -> StrategyAction:
    """The action is done (or no longer needed), with a note saying which and what happened."""
    if not permissions.can_close_action(by, action, agencies=frozenset(invited_agencies(by))):
        raise PermissionDenied
    claim(action, version, noun="action")
    text = note.strip()
    if not text:
        raise DomainError("Say what was done, or why it is no longer needed", field="note")
    if len(text) > REASON_LENGTH:
        raise DomainError(f"Write at most {REASON_LENGTH:,} characters", field="note")
    if action.state != ActionState.OPEN:
        raise DomainError("This action is closed already")
    lifecycle.transition(
        action,
        ActionEvent.CLOSE,
        by=by,
        at=at,
        note=text,
        fields={"closed_note": text, "closed_at": at, "closed_by_id": by.pk},
    )
    action.closed_by = by
    settle_alerts(action, at=at)
    record(
        Verb.STRATEGY_ACTION_CLOSED,
        by=by,
        contact=action.discussion.contact,
        at=at,
        data={"discussion": action.discussion_id, "action": action.pk, "note": text},
    )
    return action


def contribution_item(invitation: Invitation) -> Item:
    """An invitee's contribution as an exit sends it: one they asked not to be passed on is kept
    from everyone else, as a police answer's "no onward disclosure" is (`sharing.exits`), until their
    agency agrees that it may go in the record (`strategy.agreements`)."""
    conditions = frozenset({Condition.NO_ONWARD}) if invitation.contribution_restricted else frozenset()
    agreed = frozenset({Exit.STRATEGY_RECORD}) if hasattr(invitation, "agreement") else frozenset()
    return Item(
        key=f"strategy.invitation:{invitation.pk}",
        source=invitation.agency_id,
        source_name=str(invitation),
        conditions=conditions,
        agreed=agreed,
        content={"contribution": invitation.contribution},
    )


def record_content(
    discussion: StrategyDiscussion, kept: StrategyRecord, invitation: Invitation
) -> tuple[dict[str, Any], Release]:
    """The record as `invitation`'s invitee is sent it: the decision and plan in full; of the agencies'
    contributions, their own and those the gate lets through (000: "each agency is clear on the
    outcome and actions that will be completed by all attendees")."""
    others = [
        other for other in discussion.invitations.select_related("agency", "agreement") if other.pk != invitation.pk
    ]
    released = release(
        [contribution_item(other) for other in others], route=Exit.STRATEGY_RECORD, to=invitation.agency_id
    )
    shared = {item.key for item in released.shared}
    taking_part = []
    for other in sorted([*others, invitation], key=lambda found: found.pk):
        contribution = other.contribution
        if other.pk != invitation.pk and contribution_item(other).key not in shared:
            contribution = "Given to the chair; not passed on at the agency's request"
        taking_part.append(
            {
                "invitee": str(other),
                "attendance": other.get_attendance_display(),
                "attendee": other.attendee,
                "reason": other.attendance_reason,
                "contribution": contribution,
            }
        )
    content = {
        "held": shown_date(kept.held_at),
        "chair": str(discussion.chair) if discussion.chair else "",
        "children": [str(child) for child in discussion.children.all()],
        "attendance": taking_part,
        "analysis": kept.analysis,
        "decision": kept.get_decision_display(),
        "onward_outcome": kept.get_onward_outcome_display() if kept.onward_outcome else "",
        "protection": kept.get_protection_means_display() if kept.protection_means else "",
        "police_investigate": "Yes" if kept.police_investigate else "No",
        "medical_examination": ("Yes" if kept.medical_examination else "No")
        + (f": {kept.medical_note}" if kept.medical_note else ""),
        "family": (
            f"{kept.who_tells} tells the family by {shown_date(kept.tell_by)}"
            if kept.family_told
            else f"Not told: {kept.get_not_told_reason_display()}"
        ),
        "safety_plan": kept.safety_plan,
        "enquiry_started_on": shown_date(kept.enquiry_started_on, "j F Y") if kept.enquiry_started_on else "",
        "conference_due_on": shown_date(kept.conference_due_on, "j F Y") if kept.conference_due_on else "",
        "actions": [
            {
                "action": action.description,
                "agency": action.agency.name,
                "owner": action.owner,
                "due": shown_date(action.due_at),
            }
            for action in discussion.actions.select_related("agency").order_by("due_at", "pk")
        ],
    }
    return content, released


@transaction.atomic(durable=True)
def send_record(discussion: StrategyDiscussion, *, by: User, at: datetime, version: int) -> list[RecordCopy]:
    """The record goes to every agency and person who took part (attended or sent information), each as
    a disclosure of what they may see; the background worker emails each that it is ready."""
    if not permissions.can_send_record(by):
        raise PermissionDenied
    claim(discussion, version, noun=NOUN)  # a second sender finds it changed (or sent), not a refusal of their role
    kept = StrategyRecord.objects.select_related("discussion").get(discussion=discussion)
    lifecycle.transition(discussion, DiscussionEvent.SEND_RECORD, by=by, at=at)
    StrategyRecord.objects.filter(pk=kept.pk).update(sent_at=at, sent_by=by)
    contact = discussion.contact
    copies = []
    for invitation in discussion.invitations.filter(attendance__in=[a.value for a in TOOK_PART]).select_related(
        "agency"
    ):
        if invitation.agency is None and not invitation.email:
            continue  # a person with no address in Safehub: the coordinator sends it by hand
        copy = RecordCopy.objects.create(invitation=invitation, sent_at=at)
        content, released = record_content(discussion, kept, invitation)
        copy.disclosure = record_disclosure(
            contact,
            to=invitation.agency or invitation.name,
            released=released,
            content=content,
            purpose=Purpose.STRATEGY_DISCUSSION,
            bases=invitations.STRATEGY_BASES,
            categories=RECORD_CATEGORIES,
            consent_position=invitations.consent_position(discussion, at=at),
            people=invitations.discussion_people(discussion),
            origin=copy,
            by=by,
            at=at,
        )
        copy.save(update_fields=["disclosure"])
        copies.append(copy)
    record(
        Verb.STRATEGY_RECORD_SENT,
        by=by,
        contact=contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "to": [str(copy.invitation) for copy in copies],
            "late": at > kept.send_due_at,
        },
    )
    return copies


@transaction.atomic(durable=True)
def record_conference(
    discussion: StrategyDiscussion, *, on: date | None, not_required: str, by: User, at: datetime, version: int
) -> StrategyRecord:
    """The initial child protection conference's date (booked or held), or why none is required, for a
    discussion that started a section 47 enquiry. It may be changed (a conference moved); each change is
    audited with what it was."""
    if not permissions.can_record_conference(by, discussion):
        raise PermissionDenied
    claim(discussion, version, noun=NOUN)
    kept = StrategyRecord.objects.select_for_update().get(discussion=discussion)
    if not kept.starts_enquiry:
        raise DomainError("This discussion started no section 47 enquiry: there is no conference to record")
    reason = not_required.strip()
    if on is None and not reason:
        raise Refused(
            [Problem("Enter the conference date, or say why no conference is required", field="conference_on")]
        )
    if on is not None and kept.enquiry_started_on is not None and on < kept.enquiry_started_on:
        raise Refused(
            [
                Problem(
                    f"The conference follows the enquiry, which started {shown_date(kept.enquiry_started_on, 'j F Y')}:"
                    " choose a date on or after it",
                    field="conference_on",
                )
            ]
        )
    if on is not None and not is_working_day(on):
        raise Refused(
            [
                Problem(
                    "A conference is held on a working day: choose a weekday that is not a bank holiday",
                    field="conference_on",
                )
            ]
        )
    if len(reason) > REASON_LENGTH:
        raise Refused([Problem(f"Write at most {REASON_LENGTH:,} characters", field="not_required")])
    before = {
        "on": kept.conference_on.isoformat() if kept.conference_on else None,
        "not_required": kept.conference_not_required,
    }
    StrategyRecord.objects.filter(pk=kept.pk).update(
        conference_on=on,
        conference_not_required="" if on is not None else reason,
        conference_recorded_by=by,
        conference_recorded_at=at,
    )
    lifecycle.compare_and_set(discussion, noun=NOUN)
    kept.refresh_from_db()
    record(
        Verb.STRATEGY_CONFERENCE_RECORDED,
        by=by,
        contact=discussion.contact,
        at=at,
        data={
            "discussion": discussion.pk,
            "conference_on": on.isoformat() if on else None,
            "not_required": kept.conference_not_required,
            "due_on": kept.conference_due_on.isoformat() if kept.conference_due_on else None,
            "before": before,
        },
    )
    return kept
