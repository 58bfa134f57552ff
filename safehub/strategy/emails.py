"""Invitations to strategy discussions by email, each with a calendar entry, sent exactly once for
each arrangement by the background worker (core.mail_batches; ADR 0006).

An agency's invitation goes to its designated professionals in Safehub (the active users of its
teams), who sign in to read the papers: the email names no child. The referrer, outside Safehub,
is told the meeting and the contact's reference. A meeting moved is sent again, as an update of
the same calendar entry (its SEQUENCE is the discussion's version)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from icalendar import Calendar, Event

from safehub.accounts.models import User
from safehub.core.links import link_line
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, lock_for_sending
from safehub.core.presenters import shown_london_time
from safehub.strategy.models import Invitation, InviteeReason, RecordCopy, StrategyDiscussion
from safehub.strategy.workflow import DiscussionState

BATCH = 50
MEETING_LENGTH = timedelta(hours=1)


def recipients(invitation: Invitation) -> list[str]:
    """Where the invitation goes: the agency's active professionals' addresses and its shared inbox (which
    reaches it even when nobody there uses Safehub), or the person's."""
    if invitation.agency is None:
        return [invitation.email] if invitation.email else []
    users = User.objects.filter(is_active=True, memberships__team__agency=invitation.agency).exclude(email="")
    shared = [invitation.agency.email] if invitation.agency.email else []
    return sorted(set(users.values_list("email", flat=True)) | set(shared))


def calendar_entry(discussion: StrategyDiscussion, *, made_at: datetime) -> bytes:
    """The meeting as an iCalendar request: no names, the same UID for every version of it."""
    assert discussion.meeting_at is not None  # noqa: S101 - only an arranged discussion is emailed
    calendar = Calendar()
    calendar.add("prodid", "-//Safehub//Strategy discussions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"strategy-discussion-{discussion.pk}@safehub")
    event.add("sequence", discussion.version)
    event.add("dtstamp", made_at)  # when this version of the entry was made (RFC 5545 3.8.7.2)
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    event.add("dtstart", discussion.meeting_at)
    event.add("dtend", discussion.meeting_at + MEETING_LENGTH)
    event.add("summary", "Strategy discussion (Multi-Agency Safeguarding Hub)")
    event.add("location", discussion.place)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def message_id(invitation: Invitation) -> str:
    """The same on every attempt at one arrangement's email, new for the next arrangement."""
    return f"<strategy-invitation-{invitation.pk}-{invitation.discussion.version}@safehub>"


def moved_since_invited(invitation: Invitation) -> bool:
    """The meeting was arranged again after this invitee was first invited: their email is an update."""
    return invitation.discussion.version > invitation.invited_version


def email_for(invitation: Invitation, addresses: Sequence[str], *, at: datetime) -> EmailMessage | None:
    if not addresses:
        return None
    discussion = invitation.discussion
    assert discussion.meeting_at is not None  # noqa: S101 - see calendar_entry
    when = shown_london_time(discussion.meeting_at)
    how = f"{discussion.get_meeting_format_display().lower()}: {discussion.place}"
    moved = moved_since_invited(invitation)
    changed = "CHANGED: " if moved else ""
    update = (
        "The arrangement has changed since you were invited: the time, place or chair below is the one that now"
        " stands, and the calendar entry is updated.\n\n"
        if moved
        else ""
    )
    if invitation.reason == InviteeReason.REFERRER and discussion.contact is not None:
        body = update + (
            f"You are invited to a strategy discussion about the concern you raised with the Multi-Agency"
            f" Safeguarding Hub (reference {discussion.contact.reference}), on {when} ({how}).\n\n"
            "A calendar entry is attached. If you cannot attend, tell the hub what you know before then."
        )
    else:
        body = (
            update
            + (
                f"{invitation.agency} is invited to a strategy discussion on {when} ({how}), chaired by"
                f" {discussion.chair}.\n\nSign in to Safehub and open Strategy discussions to read the papers sent"
                " to your agency. A calendar entry is attached. This email holds no personal details."
            )
            + link_line("strategy:invitations")
        )
    message = EmailMessage(
        f"Safehub: {changed}strategy discussion on {when}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        list(addresses),
        headers={"Message-ID": message_id(invitation), "Auto-Submitted": "auto-generated"},
    )
    message.attach("strategy-discussion.ics", calendar_entry(discussion, made_at=at), "text/calendar; method=REQUEST")
    return message


def _claim(batch: int) -> list[Invitation]:
    # The arranged discussions as a subquery, not a join: the row locks are the invitations' alone. Only
    # those still to be held: an invitation to a meeting already held or cancelled (the worker was down
    # meanwhile, or the demo made its past) is not sent afterwards.
    arranged = StrategyDiscussion.objects.filter(meeting_at__isnull=False, state=DiscussionState.ARRANGED).values("pk")
    pending = lock_for_sending(
        Invitation.objects.filter(emailed_at__isnull=True, discussion_id__in=arranged).order_by("pk")
    )
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        Invitation.objects.filter(pk__in=ids)
        .select_related("discussion__contact", "discussion__chair", "agency")
        .order_by("pk")
    )


def deliver_invitation_emails(at: datetime, *, limit: int = 100_000, batch: int = BATCH) -> int:
    """Email every invitation not yet emailed for its arrangement, each exactly once; an invitation
    nobody can be emailed is marked too (0 addresses), and the discussion's page says so."""

    def mark_sent(claimed: Sequence[Invitation]) -> tuple[int, list[EmailMessage]]:
        messages = []
        for invitation in claimed:
            addresses = recipients(invitation)
            marked = Invitation.objects.filter(pk=invitation.pk, emailed_at__isnull=True).update(
                emailed_at=at, emailed_to=len(addresses)
            )
            if not marked:
                raise OvertakenError()
            message = email_for(invitation, addresses, at=at)
            if message is not None:
                messages.append(message)
        return len(claimed), messages

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)


def record_message_id(copy: RecordCopy) -> str:
    return f"<strategy-record-{copy.pk}@safehub>"


def record_email_for(copy: RecordCopy, addresses: Sequence[str]) -> EmailMessage | None:
    """That the record is ready: the agency's professionals sign in to read it (the email names no child)."""
    if not addresses:
        return None
    invitation = copy.invitation
    discussion = invitation.discussion
    held = shown_london_time(discussion.record.held_at)
    return EmailMessage(
        f"Safehub: the record of the strategy discussion held on {held}",
        f"The record of the strategy discussion {invitation} took part in on {held} has been sent to"
        f" {invitation}, with any actions for your agency.\n\nSign in to Safehub and open Strategy discussions"
        " to read it. This email holds no personal details." + link_line("strategy:invitations"),
        settings.DEFAULT_FROM_EMAIL,
        list(addresses),
        headers={"Message-ID": record_message_id(copy), "Auto-Submitted": "auto-generated"},
    )


def _claim_records(batch: int) -> list[RecordCopy]:
    pending = lock_for_sending(RecordCopy.objects.filter(emailed_at__isnull=True).order_by("pk"))
    ids = list(pending.values_list("pk", flat=True)[:batch])
    return list(
        RecordCopy.objects.filter(pk__in=ids)
        .select_related("invitation__agency", "invitation__discussion__record")
        .order_by("pk")
    )


def deliver_record_emails(at: datetime, *, limit: int = 100_000, batch: int = BATCH) -> int:
    """Tell each agency sent a record that it is there, exactly once."""

    def mark_sent(claimed: Sequence[RecordCopy]) -> tuple[int, list[EmailMessage]]:
        messages = []
        for copy in claimed:
            addresses = recipients(copy.invitation)
            if not RecordCopy.objects.filter(pk=copy.pk, emailed_at__isnull=True).update(
                emailed_at=at, emailed_to=len(addresses)
            ):
                raise OvertakenError()
            message = record_email_for(copy, addresses)
            if message is not None:
                messages.append(message)
        return len(claimed), messages

    return deliver_in_batches(_claim_records, mark_sent, limit=limit, batch=batch)
