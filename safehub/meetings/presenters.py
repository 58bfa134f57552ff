"""The daily MASH meeting as its pages and the contact page show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.contacts.workflow import ContactState
from safehub.core.presenters import Panel, brag_tag_class, shown_day
from safehub.core.working_time import LONDON, is_working_day
from safehub.domestic_abuse.presenters import summaries
from safehub.meetings.forms import DecisionForm
from safehub.meetings.models import DECISIONS, AgendaItem, DailyMeeting, ItemReason, MeetingKind
from safehub.meetings.services import schedule
from safehub.meetings.workflow import STATES, MeetingState
from safehub.protocols.models import LocalProtocol

NOT_RECORDED = {"tags": [], "lines": [], "not_recorded": True}
# How far ahead the next meeting is looked for: two weeks, past Christmas and New Year's bank holidays.
LOOK_AHEAD_DAYS = 15


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    children: str
    siblings: str
    involvements: list[str]  # open services of anyone on the contact: "Ann Smith: child in need (since …)"
    rating_tag_class: str
    form: DecisionForm | None
    # A police domestic-abuse notification as the meeting knows it: {"tags", "lines"} (or "not_recorded"):
    # as it was when the item was decided or the meeting closed, else as it stands.
    notification: dict[str, Any]
    contact_state: str  # "Closed", "In basic screening"…: what the front door has done with it
    corrected_since: datetime | None  # the notification corrected after the meeting decided or closed on it


def _named(subject: ContactSubject) -> str:
    """A child's name with their date of birth: two children of one name on an agenda are told apart."""
    if subject.date_of_birth is None:
        return subject.display_name
    return f"{subject.display_name} (born {shown_day(subject.date_of_birth)})"


def item_names(item: AgendaItem) -> str:
    """Whose item it is, for its form's error summary: "Mia Harlow: Choose a decision"."""
    children = [s.display_name for s in item.contact.subjects.all() if s.role == SubjectRole.CHILD]
    return ", ".join(children) or item.contact.reference


def corrected_since(item: AgendaItem) -> datetime | None:
    """When the item's notification was last corrected, if after the meeting noted it (decided it, or
    closed without reaching it): its minutes then show what no longer stands."""
    notification = getattr(item.contact, "domestic_abuse", None)
    noted_at = item.decided_at or item.meeting.closed_at
    if notification is None or notification.corrected_at is None or noted_at is None or not item.noted:
        return None
    return notification.corrected_at if notification.corrected_at > noted_at else None


def notifications_now(user: User, items: list[AgendaItem]) -> dict[int, dict[str, Any]]:
    """Each domestic-abuse item's notification as it stands now, by item (what the meeting notes as it
    decides or closes). The items' contacts come with their notification and its victim."""
    recorded = [item.contact.domestic_abuse for item in items if getattr(item.contact, "domestic_abuse", None)]
    names = {s.pk: s.display_name for item in items for s in item.contact.subjects.all()}
    shown = summaries(user, recorded, names)
    found = {}
    for item in items:
        if item.reason != ItemReason.DOMESTIC_ABUSE:
            continue
        summary = shown.get(item.contact_id)
        found[item.pk] = summary.note() if summary is not None else NOT_RECORDED
    return found


def agenda_rows(
    items: list[AgendaItem],
    *,
    user: User,
    kind: str,
    open_meeting: bool,
    bound: dict[str, Any] | None = None,
) -> list[AgendaRow]:
    now = notifications_now(user, items)
    rows = []
    for item in items:
        subjects = list(item.contact.subjects.all())
        children = ", ".join(_named(s) for s in subjects if s.role == SubjectRole.CHILD)
        siblings = ", ".join(_named(s) for s in subjects if s.role == SubjectRole.SIBLING)
        involvements = [
            f"{_named(s)}: {involvement.get_service_display().lower()}"
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
            form.names = item_names(item)
        rows.append(
            AgendaRow(
                item,
                children,
                siblings,
                involvements,
                brag_tag_class(item.rating),
                form,
                item.noted or now.get(item.pk, {}),
                ContactState(item.contact.state).label,
                corrected_since(item),
            )
        )
    if kind == MeetingKind.TRIAGE:  # the referrals to MARAC first, each group in the agenda's order
        rows.sort(key=lambda row: "MARAC" not in row.notification.get("tags", []))
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
        for item in items:
            item.corrected_since = corrected_since(item)  # type: ignore[attr-defined]
        return {"items": sorted(items, key=lambda item: (item.meeting.held_on, item.pk))}


def meeting_url(meeting: DailyMeeting) -> str:
    return meeting.get_absolute_url()


def next_meeting(protocol: LocalProtocol, *, at: datetime, kind: str = MeetingKind.MASH) -> datetime | None:
    """The next time the protocol's meeting of this kind starts after `at` (London time), on one of its
    days that is a working day (002 §7; not a bank holiday, as `services.is_meeting_day`), or None if it
    holds none."""
    held = schedule(protocol, kind)
    if not held.is_held or held.starts is None:
        return None
    local = at.astimezone(LONDON)
    closed = protocol.extra_holidays()
    for ahead in range(LOOK_AHEAD_DAYS):
        day = local.date() + timedelta(days=ahead)
        start = datetime.combine(day, held.starts, tzinfo=LONDON)
        if start > local and day.weekday() in held.days and is_working_day(day, extra_holidays=closed):
            return start
    return None
