"""Reading strategy discussions for a user, through the one audited door, and the coordinators'
worktray (000: "Timeliness and partner participation of strategy meetings is monitored")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from safehub.accounts.models import Team, User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact
from safehub.core.queries import by_pk
from safehub.strategy import permissions
from safehub.strategy.models import Invitation, StrategyAction, StrategyDiscussion, StrategyDiscussionQuerySet
from safehub.strategy.workflow import NOT_YET_HELD, ActionState, DiscussionState


def invited_agencies(user: User) -> list[int]:
    """The agencies a partner professional answers for (their teams')."""
    return sorted(set(Team.objects.filter(pk__in=sorted(user.team_ids())).values_list("agency_id", flat=True)))


def visible_discussions(user: User) -> StrategyDiscussionQuerySet:
    """The discussions `user` may see: hub staff in the discussion's team, and of a contact only
    when they may see the contact (a restricted contact's discussion is as restricted as it); a
    partner, those their agency is invited to (another agency's: 404)."""
    if permissions.sees_as_an_invited_agency(user):
        invited = Invitation.objects.filter(discussion=OuterRef("pk"), agency_id__in=invited_agencies(user))
        return StrategyDiscussion.objects.filter(Exists(invited))
    if not permissions.can_see_strategy(user):
        return StrategyDiscussion.objects.none()
    contact_seen = Exists(Contact.objects.visible_to(user).filter(pk=OuterRef("contact_id")))
    return StrategyDiscussion.objects.filter(
        Q(team_id__in=sorted(user.team_ids())) & (Q(contact__isnull=True) | contact_seen)
    )


def get_discussion_for(user: User, pk: int, *, purpose: str) -> StrategyDiscussion:
    """The discussion, if `user` may see it, its read recorded; otherwise 404, refusal recorded."""
    discussion = by_pk(
        visible_discussions(user).select_related(
            "contact", "team", "started_by", "exception_by", "chair", "arranged_by", "reconvenes", "record"
        ),
        pk,
    )
    if discussion is None:
        note_refusal(user, Read(Verb.STRATEGY_DISCUSSION_VIEWED, "strategy-discussion", pk, purpose))
        raise Http404("No strategy discussion found")
    contact = discussion.contact
    note_read(
        user,
        Read(
            Verb.STRATEGY_DISCUSSION_VIEWED,
            "strategy-discussion",
            pk,
            purpose,
            contact_id=discussion.contact_id,
            restricted=contact is not None and contact.is_restricted,
        ),
    )
    return discussion


def discussions_of_contact(user: User, contact: Contact) -> list[StrategyDiscussion]:
    """A contact's discussions, for its page (read with the contact, whose read is recorded)."""
    return list(
        visible_discussions(user)
        .filter(contact=contact)
        .select_related("started_by", "chair", "exception_by", "record")
        .prefetch_related("children__subject", "children__person")
        .order_by("started_at", "pk")
    )


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    empty: str
    discussions: list[StrategyDiscussion]  # those shown: the first SECTION_ROWS, or all when asked
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.discussions)


# A worktray section shows its first rows, soonest due first; "Show all" shows the rest (up to the cap).
SECTION_ROWS = 50
WORKTRAY_LIMIT = 2000


def worktray(user: User, *, at: datetime, show_all: str = "") -> list[Section]:
    """The coordinator's worktray: overdue, to arrange, arranged, held with the record to send; each
    ordered by the time it is due, the earliest first (arranged: by the meeting's time). One query
    for every discussion not finished, shared out here: the hub's open discussions are tens, not
    thousands, and one query costs a page far less than four."""
    unfinished = list(
        visible_discussions(user)
        .exclude(state__in=[DiscussionState.RECORD_SENT, DiscussionState.CANCELLED])
        .select_related("contact", "chair", "exception_by", "record")
        .prefetch_related("children__subject", "children__person")
        .order_by("due_at", "pk")[:WORKTRAY_LIMIT]
    )
    waiting = {DiscussionState.TO_ARRANGE.value, DiscussionState.ARRANGED.value}
    overdue = [d for d in unfinished if d.state in waiting and d.due_at < at]
    to_arrange = [d for d in unfinished if d.state == DiscussionState.TO_ARRANGE and d.due_at >= at]
    arranged = sorted(
        (d for d in unfinished if d.state == DiscussionState.ARRANGED and d.due_at >= at),
        key=lambda d: (d.meeting_at or d.due_at, d.pk),
    )
    held = sorted(
        (d for d in unfinished if d.state == DiscussionState.HELD),
        key=lambda d: (getattr(getattr(d, "record", None), "send_due_at", d.due_at), d.pk),
    )
    found = [
        ("overdue", "Overdue: not held by its time", "No strategy discussion is overdue.", overdue),
        ("to-arrange", "To arrange", "Nothing to arrange in time.", to_arrange),
        ("arranged", "Arranged", "No discussion is arranged and still within its time.", arranged),
        ("record-to-send", "Held: record to send", "No record waits to be sent.", held),
    ]
    return [
        Section(slug, title, empty, rows if show_all == slug else rows[:SECTION_ROWS], len(rows))
        for slug, title, empty, rows in found
    ]


@dataclass(frozen=True)
class ActionList:
    actions: list[StrategyAction]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.actions)


def open_actions(user: User, *, agencies: Sequence[int] = (), show_all: bool = False) -> ActionList:
    """The open actions of the discussions `user` may see, soonest due first (the coordinator's "actions
    open"; a partner's, their own agency's): the first SECTION_ROWS, or all (to the cap) when asked."""
    actions = StrategyAction.objects.filter(
        state=ActionState.OPEN, discussion__in=visible_discussions(user).values("pk")
    )
    if agencies:
        actions = actions.filter(agency_id__in=list(agencies))
    limit = WORKTRAY_LIMIT if show_all else SECTION_ROWS
    shown = list(
        actions.select_related("agency", "discussion__contact")
        .prefetch_related("discussion__children__subject", "discussion__children__person")
        .order_by("due_at", "pk")[:limit]
    )
    total = len(shown) if len(shown) < limit else actions.count()
    return ActionList(shown, total)


RECENT_INVITATIONS = 50


@dataclass(frozen=True)
class PartnerInvitations:
    """A partner's invitations: those still to be held, the soonest first; and the latest held."""

    upcoming: list[Invitation]
    recent: list[Invitation]


def invitations_for(user: User) -> PartnerInvitations:
    """A partner's invitations: their agency's, those still to be held the soonest first, then the
    latest held (their records and actions)."""
    mine = (
        Invitation.objects.filter(agency_id__in=invited_agencies(user))
        .select_related("discussion", "agency", "discussion__chair", "discussion__contact", "discussion__record")
        .prefetch_related("discussion__children__subject", "discussion__children__person")
    )
    waiting = [state.value for state in NOT_YET_HELD]
    return PartnerInvitations(
        upcoming=list(
            mine.filter(discussion__state__in=waiting).order_by("discussion__meeting_at", "pk")[:SECTION_ROWS]
        ),
        recent=list(
            mine.filter(discussion__state__in=[DiscussionState.HELD, DiscussionState.RECORD_SENT]).order_by(
                "-discussion__meeting_at", "-pk"
            )[:RECENT_INVITATIONS]
        ),
    )
