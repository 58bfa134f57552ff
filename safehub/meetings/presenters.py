"""The daily MASH meeting as its pages and the contact page show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact, SubjectRole
from safehub.core.presenters import Panel, brag_tag_class
from safehub.core.working_time import LONDON
from safehub.domestic_abuse.presenters import Summary, summaries
from safehub.meetings.forms import DecisionForm
from safehub.meetings.models import DECISIONS, AgendaItem, DailyMeeting, MeetingKind
from safehub.meetings.services import schedule
from safehub.meetings.workflow import STATES, MeetingState
from safehub.protocols.models import LocalProtocol


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    children: str
    siblings: str
    involvements: list[str]  # open services of anyone on the contact: "Ann Smith: child in need (since …)"
    rating_tag_class: str
    form: DecisionForm | None
    domestic_abuse: Summary | None  # a police domestic-abuse notification's incident and risk, once recorded


def agenda_rows(
    items: list[AgendaItem],
    *,
    user: User,
    kind: str,
    open_meeting: bool,
    bound: dict[str, Any] | None = None,
) -> list[AgendaRow]:
    notifications = [
        item.contact.domestic_abuse for item in items if getattr(item.contact, "domestic_abuse", None) is not None
    ]
    names = {s.pk: s.display_name for item in items for s in item.contact.subjects.all()}
    shown = summaries(user, notifications, names)
    rows = []
    for item in items:
        subjects = list(item.contact.subjects.all())
        children = ", ".join(s.display_name for s in subjects if s.role == SubjectRole.CHILD)
        siblings = ", ".join(s.display_name for s in subjects if s.role == SubjectRole.SIBLING)
        involvements = [
            f"{s.display_name}: {involvement.get_service_display().lower()}"
            for s in subjects
            if s.person is not None
            for involvement in s.person.involvements.all()
            if involvement.ended_on is None
        ]
        prefix = f"item-{item.pk}"
        form = None
        if open_meeting:
            initial = {"version": item.version, "decision": item.decision, "acts": item.acts, "note": item.note}
            form = (bound or {}).get(prefix) or DecisionForm(initial=initial, prefix=prefix, decisions=DECISIONS[kind])
            form.names = children or item.contact.reference
        rows.append(
            AgendaRow(
                item,
                children,
                siblings,
                involvements,
                brag_tag_class(item.rating),
                form,
                shown.get(item.contact_id),
            )
        )
    return rows


def state_tag_class(meeting: DailyMeeting) -> str:
    return STATES[MeetingState(meeting.state)].tag_class


class ContactPanel(Panel):
    """The daily meetings that discussed the contact, with each decision and who acts."""

    template_name = "meetings/_contact_panel.html"
    lookups = (Prefetch("meeting_items", queryset=AgendaItem.objects.select_related("meeting", "decided_by")),)

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        items = [item for item in contact.meeting_items.all() if item.meeting.team_id in user.team_ids()]
        if not items:
            return None
        return {"items": sorted(items, key=lambda item: (item.meeting.held_on, item.pk))}


def meeting_url(meeting: DailyMeeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def next_meeting(protocol: LocalProtocol, *, at: datetime, kind: str = MeetingKind.MASH) -> datetime | None:
    """The next time the protocol's meeting of this kind starts after `at` (London time), or None if it
    holds none."""
    held = schedule(protocol, kind)
    if not held.is_held or held.starts is None:
        return None
    local = at.astimezone(LONDON)
    for ahead in range(8):
        day = local.date() + timedelta(days=ahead)
        start = datetime.combine(day, held.starts, tzinfo=LONDON)
        if day.weekday() in held.days and start > local:
            return start
    return None
