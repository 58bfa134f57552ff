"""Reading the daily MASH meetings for a user, through the one audited door: a meeting's agenda names
children, so opening it is a read of their records (each contact on it the user may see)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact
from safehub.core.queries import by_pk
from safehub.meetings import permissions
from safehub.meetings.models import AgendaItem, DailyMeeting, MeetingKind

RECENT = 30


def visible_meetings(user: User) -> QuerySet[DailyMeeting]:
    """The meetings of the user's teams; nobody else's (partners see none: 404)."""
    if not permissions.can_see_meetings(user):
        return DailyMeeting.objects.none()
    return DailyMeeting.objects.filter(team_id__in=sorted(user.team_ids()))


def _viewed(kind: str) -> Verb:
    return Verb.TRIAGE_VIEWED if kind == MeetingKind.TRIAGE else Verb.DAILY_MEETING_VIEWED


def get_meeting_for(user: User, pk: int, *, purpose: str) -> DailyMeeting:
    meeting = by_pk(visible_meetings(user).select_related("team", "opened_by", "closed_by"), pk)
    if meeting is None:
        note_refusal(user, Read(Verb.DAILY_MEETING_VIEWED, "daily-meeting", pk, purpose))
        raise Http404("No daily meeting found")
    note_read(user, Read(_viewed(meeting.kind), "daily-meeting", pk, purpose))
    return meeting


def agenda_for(user: User, meeting: DailyMeeting) -> tuple[list[AgendaItem], int]:
    """The items the user may see, in order, and how many others there are (restricted contacts:
    counted, never named)."""
    items = list(
        meeting.items.select_related(
            "contact", "contact__domestic_abuse__victim", "decided_by", "carried_from__meeting"
        ).prefetch_related("contact__subjects__person__involvements")
    )
    seen = set(
        Contact.objects.visible_to(user).filter(pk__in=[i.contact_id for i in items]).values_list("pk", flat=True)
    )
    shown = [i for i in items if i.contact_id in seen]
    for item in shown:  # each child's contact the agenda shows is a read of it
        read = Read(
            _viewed(meeting.kind),
            "daily-meeting",
            meeting.pk,
            "daily meeting agenda",
            contact_id=item.contact_id,
            restricted=item.contact.is_restricted,
        )
        note_read(user, read)
    return shown, len(items) - len(shown)


def recent_meetings(user: User, kind: str = MeetingKind.MASH) -> list[DailyMeeting]:
    meetings = visible_meetings(user).filter(kind=kind).select_related("opened_by")
    return list(meetings.order_by("-held_on", "-pk")[:RECENT])


def meetings_of_contact(user: User, contact: Contact) -> list[AgendaItem]:
    """The daily meetings that discussed a contact, for its page (read with the contact)."""
    return list(
        AgendaItem.objects.filter(contact=contact, meeting__in=visible_meetings(user))
        .select_related("meeting", "decided_by")
        .order_by("meeting__held_on", "pk")
    )
