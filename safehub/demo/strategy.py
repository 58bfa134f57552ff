"""Strategy discussions in the demo hub, moved on through the real services: the discussions the demo's
approvals started are arranged, held and recorded, their records sent and conferences booked, their
actions closed or still open (some overdue); a few are cancelled, a few wait past their time, and the
newest are still to arrange, so that every state and every list has something in it."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import AgencyKind, User
from safehub.contacts.models import Contact, NotToldReason
from safehub.contacts.workflow import ContactState
from safehub.core.working_time import LONDON, is_working_day
from safehub.strategy import invitations, recording, services
from safehub.strategy.models import (
    Attendance,
    Decision,
    Invitation,
    MeetingFormat,
    OnwardOutcome,
    ProtectionMeans,
    StrategyDiscussion,
)
from safehub.strategy.workflow import DiscussionState

H = timedelta(hours=1)
PLACES = {
    MeetingFormat.VIDEO: "https://meet.example.gov.uk/mash-strategy",
    MeetingFormat.PHONE: "Conference line 0300 000 0000, code 4471",
    MeetingFormat.IN_PERSON: "MASH meeting room 2, Civic Centre",
}
CONTRIBUTIONS = {
    AgencyKind.POLICE: "Two domestic incidents at the address in the last year; the father is known for violence.",
    AgencyKind.HEALTH: "Missed health appointments; the health visitor saw a bruise on the child's arm last month.",
    AgencyKind.EDUCATION: "Attendance has fallen to 78%; the child told a teaching assistant they were scared.",
}
OWNERS = {
    AgencyKind.POLICE: "DC Example, public protection",
    AgencyKind.HEALTH: "Named nurse for safeguarding",
    AgencyKind.EDUCATION: "Designated safeguarding lead",
}
ACTIONS = {
    AgencyKind.POLICE: "Interview the father and share the outcome with the allocated social worker",
    AgencyKind.HEALTH: "Arrange a child protection medical and send the findings",
    AgencyKind.EDUCATION: "Daily welfare check at school; tell the social worker of any absence at once",
}


def _moment(at: datetime) -> datetime:
    """Five-minute times, as people book meetings."""
    local = at.astimezone(LONDON)
    return local.replace(minute=local.minute - local.minute % 5, second=0, microsecond=0)


def _decision(rng: random.Random) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.45:
        return {"decision": Decision.JOINT}
    if roll < 0.65:
        return {"decision": Decision.SINGLE_AGENCY}
    if roll < 0.7:
        return {
            "decision": Decision.IMMEDIATE_PROTECTION,
            "protection_means": rng.choice(list(ProtectionMeans)).value,
        }
    onward = rng.choices(list(OnwardOutcome), weights=[6, 3, 1])[0]
    return {"decision": Decision.NO_ENQUIRY, "onward_outcome": onward.value}


def _presence(invited: list[Invitation], rng: random.Random) -> tuple[recording.Presence, ...]:
    found = []
    for invitation in invited:
        kind = invitation.agency.kind if invitation.agency is not None else ""
        roll = rng.random()
        if roll < 0.8:
            found.append(
                recording.Presence(
                    invitation.pk,
                    Attendance.ATTENDED,
                    attendee="Designated safeguarding professional",
                    contribution=CONTRIBUTIONS.get(AgencyKind(kind), "Shared what the agency holds.") if kind else "",
                )
            )
        elif roll < 0.9:
            found.append(
                recording.Presence(
                    invitation.pk,
                    Attendance.SENT_INFORMATION,
                    contribution="Written information sent before the meeting.",
                )
            )
        else:
            found.append(recording.Presence(invitation.pk, Attendance.APOLOGIES, reason="Attending court"))
    if found and all(presence.attendance == Attendance.APOLOGIES for presence in found):
        # A discussion nobody took part in is arranged again, not recorded (strategy.recording): the
        # first invited attended after all. Without this a demo whose dice said "apologies" for every
        # invitee failed to load, now and then.
        first = invited[0]
        found[0] = recording.Presence(first.pk, Attendance.ATTENDED, attendee="Designated safeguarding professional")
    return tuple(found)


def _hold(discussion: StrategyDiscussion, *, chair: User, rng: random.Random, held_at: datetime) -> None:
    invited = list(discussion.invitations.select_related("agency"))
    decision = _decision(rng)
    told = rng.random() < 0.85
    at = held_at + H
    actions = tuple(
        recording.NewAction(
            ACTIONS[AgencyKind(invitation.agency.kind)],
            invitation.agency,
            OWNERS[AgencyKind(invitation.agency.kind)],
            _moment(held_at + timedelta(hours=rng.randint(6, 120))),
        )
        for invitation in invited
        if invitation.agency is not None and invitation.agency.kind in ACTIONS and rng.random() < 0.6
    )
    recording.hold(
        discussion,
        recording.Outcome(
            held_at=held_at,
            analysis="The agencies' information together shows an escalating risk of physical harm at home.",
            police_investigate=decision["decision"] in (Decision.JOINT, Decision.IMMEDIATE_PROTECTION),
            medical_examination=rng.random() < 0.3,
            family_told=told,
            who_tells="The allocated social worker" if told else "",
            tell_by=_moment(held_at + 6 * H) if told else None,
            not_told_reason="" if told else rng.choice(list(NotToldReason)).value,
            not_told_rationale="" if told else "Agreed with the police at the discussion",
            safety_plan="The father does not return home while enquiries are made; the mother agrees to tell the"
            " social worker if he does. The school checks on the children each day.",
            presence=_presence(invited, rng),
            actions=actions,
            **decision,
        ),
        by=chair,
        at=at,
        version=discussion.version,
    )


def _after(
    discussion: StrategyDiscussion, *, coordinator: User, manager: User, rng: random.Random, now: datetime
) -> None:
    """The record sent (mostly in time), the conference booked or not needed, actions closed."""
    discussion.refresh_from_db()
    kept = discussion.record
    sent_at = kept.held_at + timedelta(hours=rng.choice([2, 3, 5, 20, 30, 50]))
    if sent_at < now and rng.random() < 0.9:
        recording.send_record(discussion, by=coordinator, at=sent_at, version=discussion.version)
        discussion.refresh_from_db()
    if kept.starts_enquiry and kept.enquiry_started_on is not None and kept.held_at + 5 * 24 * H < now:
        roll = rng.random()
        if roll < 0.7:
            assert kept.conference_due_on is not None  # noqa: S101 - an enquiry has its target
            on = kept.conference_due_on - timedelta(days=rng.randint(-2, 5))
            while not is_working_day(on):  # conferences are held on working days
                on -= timedelta(days=1)
            recording.record_conference(
                discussion, on=on, not_required="", by=coordinator, at=kept.held_at + 48 * H, version=discussion.version
            )
        elif roll < 0.8:
            recording.record_conference(
                discussion,
                on=None,
                not_required="The enquiry found the children were not at continuing risk of significant harm",
                by=manager,
                at=kept.held_at + 96 * H,
                version=discussion.version,
            )
    for action in discussion.actions.all():
        closed_at = action.due_at - timedelta(hours=rng.randint(1, 12))
        if closed_at < now and closed_at > kept.held_at and rng.random() < 0.75:
            recording.close_action(
                action, note="Done: shared with the social worker", by=coordinator, at=closed_at, version=action.version
            )


def add_strategy_discussions(
    *, coordinator: User, managers: list[User], rng: random.Random, now: datetime
) -> Counter[str]:
    """Move the discussions the demo's approvals started on (those still to arrange: the year's are held
    or cancelled already); returns how many end in each state."""
    for discussion in StrategyDiscussion.objects.filter(state=DiscussionState.TO_ARRANGE).order_by("started_at", "pk"):
        manager = rng.choice(managers)
        if discussion.due_at > now:  # still within its time: half are arranged already
            if rng.random() < 0.5 and discussion.due_at - now > H:
                meeting = _moment(now + (discussion.due_at - now) / 2)
                _arrange(discussion, coordinator, manager, at=now - timedelta(minutes=10), meeting=meeting, rng=rng)
            continue
        roll = rng.random()
        if roll < 0.06:
            services.cancel(
                discussion,
                reason="The children's allocated social worker is holding one for the same incident",
                by=manager,
                at=discussion.started_at + H,
                version=discussion.version,
            )
            continue
        if roll < 0.1:
            continue  # left overdue: the worktray shows it first
        if roll < 0.16:  # overdue, and arranged now for the first time it can be held
            latest = services.latest_meeting(discussion, at=now - timedelta(minutes=10))
            meeting = _moment(min(latest, now + 2 * H))
            _arrange(discussion, coordinator, manager, at=now - timedelta(minutes=10), meeting=meeting, rng=rng)
            continue
        arranged_at = discussion.started_at + timedelta(minutes=10)
        meeting = _moment(discussion.started_at + (discussion.due_at - discussion.started_at) * 0.6)
        if meeting <= arranged_at:
            meeting = discussion.due_at
        _arrange(discussion, coordinator, manager, at=arranged_at, meeting=meeting, rng=rng)
        if meeting + 2 * H >= now:
            continue  # held, but not yet recorded
        _hold(discussion, chair=manager, rng=rng, held_at=meeting)
        _after(discussion, coordinator=coordinator, manager=manager, rng=rng, now=now)
    _start_one_now(managers[0], now=now)
    return Counter(StrategyDiscussion.objects.values_list("state", flat=True))


def _start_one_now(manager: User, *, now: datetime) -> None:
    """A manager started one twenty minutes ago straight from a new contact: protection cannot wait."""
    waiting = StrategyDiscussion.objects.not_yet_held().values("children__subject")
    contact = (
        Contact.objects.filter(state__in=[ContactState.RECEIVED, ContactState.SCREENING])
        .exclude(subjects__in=waiting)
        .order_by("-received_at")
        .first()
    )
    if contact is None:
        return
    children = [subject.pk for subject in contact.subjects.all() if subject.is_child]
    if children:
        services.start_now(
            contact,
            subject_ids=children,
            reason="The child told the referrer her father hit her with a belt last night and she is afraid to go home",
            by=manager,
            at=now - timedelta(minutes=20),
        )


def _arrange(
    discussion: StrategyDiscussion,
    coordinator: User,
    chair: User,
    *,
    at: datetime,
    meeting: datetime,
    rng: random.Random,
) -> None:
    proposed = [p.agency for p in invitations.proposed(discussion, on=at.date())]
    meeting_format = rng.choice(list(MeetingFormat))
    arrangement = services.Arrangement(meeting, meeting_format, PLACES[meeting_format], chair, tuple(proposed))
    services.arrange(discussion, arrangement, by=coordinator, at=at, version=discussion.version)
    discussion.refresh_from_db()
