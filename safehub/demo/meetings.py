"""A week of daily MASH meetings in the demo hub, held through the real services (002 §7): each meeting
day's opened at its time, the members' attendance taken, most items decided, the meeting closed; the
items it did not reach go onto the next agenda. Today's, if it has begun, is still open."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from safehub.accounts.models import Team, User
from safehub.core.working_time import LONDON
from safehub.meetings import services
from safehub.meetings.models import DECISIONS, ItemDecision, MeetingKind
from safehub.protocols.policy import active_protocol

WHO_ACTS = {
    ItemDecision.SHARE: ["Police MASH officer", "Health MASH nurse", "Education MASH lead"],
    ItemDecision.CHECKS: ["MASH team manager"],
    ItemDecision.TO_MASH: ["MASH team manager"],
    ItemDecision.EARLY_HELP: ["Early help hub"],
    ItemDecision.INFORMATION_ONLY: ["Police MASH officer, who keeps the notification"],
    ItemDecision.NO_FURTHER_ACTION: ["MASH social worker, who tells the referrer"],
}
# How often each kind's decisions are taken, in DECISIONS' order.
WEIGHTS = {MeetingKind.MASH: [5, 3, 2], MeetingKind.TRIAGE: [4, 3, 2, 1]}


def add_daily_meetings(
    *,
    team: Team,
    managers: list[User],
    staff: list[User],
    rng: random.Random,
    now: datetime,
    kind: MeetingKind = MeetingKind.MASH,
) -> int:
    """The last week's meetings of a kind (none if the protocol holds none); returns how many were held."""
    held_when = services.schedule(active_protocol(), kind)
    if not held_when.is_held or held_when.starts is None:
        return 0
    held = 0
    today = now.astimezone(LONDON).date()
    for back in range(7, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, held_when.starts, tzinfo=LONDON)
        if day.weekday() not in held_when.days or start > now:
            continue
        manager = rng.choice(managers)
        meeting = services.open_meeting(team, by=manager, at=start, kind=kind)
        held += 1
        members = list(meeting.attendance.values_list("agency_id", flat=True))
        host = set(meeting.attendance.filter(agency__is_host=True).values_list("agency_id", flat=True))
        present = [agency for agency in members if agency in host or rng.random() < 0.85]  # the hub chairs it
        services.record_attendance(meeting, attended=present, by=manager, at=start, version=meeting.version)
        ended = start + timedelta(hours=1)
        if ended > now:
            continue  # today's meeting: still going
        for minute, item in enumerate(meeting.items.order_by("order"), start=1):
            if rng.random() < 0.15:
                continue  # not reached: carried to the next meeting
            decision = rng.choices(DECISIONS[kind], weights=WEIGHTS[kind])[0]
            services.decide(
                item,
                decision=decision,
                acts=rng.choice(WHO_ACTS[decision]),
                note="",
                by=rng.choice(staff),
                at=start + timedelta(minutes=min(minute, 55)),
                version=item.version,
            )
        meeting.refresh_from_db()
        services.close_meeting(meeting, by=manager, at=ended, version=meeting.version)
    return held
