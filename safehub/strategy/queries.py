"""Reading strategy discussions for a user, through the one audited door, and the coordinators'
worktray (000: "Timeliness and partner participation of strategy meetings is monitored")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from safehub.accounts.models import Team, User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact, subject_name
from safehub.core.queries import by_pk
from safehub.strategy import permissions
from safehub.strategy.models import (
    Invitation,
    StrategyAction,
    StrategyChild,
    StrategyDiscussion,
    StrategyDiscussionQuerySet,
    StrategyRecord,
)
from safehub.strategy.workflow import NOT_YET_HELD, ActionState, DiscussionState


def invited_agencies(user: User) -> list[int]:
    """The agencies a partner professional answers for (their teams'): read once for the signed-in user
    of a request, whose teams it asks (User.team_ids, read with their roles)."""
    known: list[int] | None = getattr(user, "_strategy_agency_ids", None)
    if known is None:
        known = sorted(set(Team.objects.filter(pk__in=sorted(user.team_ids())).values_list("agency_id", flat=True)))
        user._strategy_agency_ids = known  # type: ignore[attr-defined]
    return list(known)


def visible_discussions(user: User) -> StrategyDiscussionQuerySet:
    """The discussions `user` may see: hub staff in the discussion's team, and of a contact only
    when they may see the contact (a restricted contact's discussion is as restricted as it); a
    partner, those their agency is invited to (another agency's: 404)."""
    if permissions.sees_as_an_invited_agency(user):
        invited = Invitation.objects.filter(discussion=OuterRef("pk"), agency_id__in=invited_agencies(user))
        return StrategyDiscussion.objects.filter(Exists(invited))
    if not permissions.can_see_strategy(user):
        return StrategyDiscussion.objects.none()
    teams = sorted(user.team_ids())
    contact_seen = Exists(Contact.objects.visible_to(user).filter(pk=OuterRef("contact_id")))
    # A contact of the user's team that is not restricted is seen (Contact.visible_to): said first, so
    # that the database asks the full question only of the few others (a year's discussions at once,
    # for the open actions' count, took a second without it: benchmark-strategy).
    plainly_seen = Q(contact__team_id__in=teams, contact__is_restricted=False)
    return StrategyDiscussion.objects.filter(
        Q(team_id__in=teams) & (Q(contact__isnull=True) | plainly_seen | contact_seen)
    )


def attach_children_names(discussions: Iterable[StrategyDiscussion]) -> None:
    """Each discussion's children as one line ("Ann Smith, Ben Smith") in `children_text`, for the
    lists: one query of names for them all, where prefetching each child's contact subject and person
    record took three and built a model for each (benchmark-strategy)."""
    found = list(discussions)
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        StrategyChild.objects.filter(discussion_id__in=sorted({d.pk for d in found}))
        .order_by("discussion_id", "pk")
        .values_list(
            "discussion_id",
            "subject__given_name",
            "subject__family_name",
            "subject__kind",
            "person__given_name",
            "person__family_name",
            "person__kind",
        )
    )
    for discussion_id, given, family, kind, person_given, person_family, person_kind in rows:
        if kind:  # a child on the contact (the subject's columns are empty when there is none)
            names[discussion_id].append(subject_name(given, family, kind))
        else:
            names[discussion_id].append(subject_name(person_given or "", person_family or "", person_kind or ""))
    for discussion in found:
        discussion.children_text = ", ".join(names[discussion.pk])


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


# What a list's row reads (strategy.presenters' rows): of a discussion, its contact, chair and record only
# the columns the row shows. A contact's forty columns, read for each row, cost the worktray a third of
# its time, and a record's texts (its analysis, its safety plan) are never shown in a list.
DISCUSSION_COLUMNS = (
    "contact",
    "team",
    "rating",
    "state",
    "standard_due_at",
    "due_at",
    "exception_at",
    "meeting_at",
    "meeting_format",
    "chair",
)
RECORD_COLUMNS = ("discussion", "held_at", "send_due_at", "decision", "onward_outcome", "protection_means")
ROW_RELATED_COLUMNS = (
    "contact__reference",
    "contact__is_restricted",
    "contact__team_id",
    "chair__first_name",
    "chair__last_name",
    "chair__username",
    *(f"record__{name}" for name in RECORD_COLUMNS),
)
ROW_CONTACT = tuple(name.removeprefix("contact__") for name in ROW_RELATED_COLUMNS if name.startswith("contact__"))
# A worktray section shows its first 20 rows, soonest due first (a screen or two); "Show all" the rest (to the cap).
SECTION_ROWS = 20
WORKTRAY_LIMIT = 2000


def worktray(user: User, *, at: datetime, show_all: str = "") -> list[Section]:
    """The coordinator's worktray: overdue, to arrange, arranged, held with the record to send; each
    ordered by the time it is due, the earliest first (arranged: by the meeting's time). One query
    for every discussion not finished, shared out here: the hub's open discussions are tens, not
    thousands, and one query costs a page far less than four."""
    unfinished = list(
        visible_discussions(user)
        .exclude(state__in=[DiscussionState.RECORD_SENT, DiscussionState.CANCELLED])
        .select_related("contact", "chair", "record")
        .only(*DISCUSSION_COLUMNS, *ROW_RELATED_COLUMNS)
        .order_by("due_at", "pk")[:WORKTRAY_LIMIT]
    )
    attach_children_names(unfinished)
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


COUNT_LIMIT = 500
# What a list of open actions shows of each (strategy.presenters.ActionRow.html).
ACTION_COLUMNS = ("discussion", "description", "agency", "owner", "due_at", "state")


@dataclass(frozen=True)
class ActionList:
    actions: list[StrategyAction]
    total: int | None  # counted as far as COUNT_LIMIT; None: more than are shown, not counted

    @property
    def more(self) -> bool:
        return self.total is None or self.total > len(self.actions)

    @property
    def total_text(self) -> str:
        if self.total is None:
            return f"more than {len(self.actions)}"
        return f"{self.total} or more" if self.total >= COUNT_LIMIT else str(self.total)


def open_actions(user: User, *, agencies: Sequence[int] = (), show_all: bool = False) -> ActionList:
    """The open actions of the discussions `user` may see, soonest due first (the coordinator's "actions
    open"; a partner's, their own agency's): the first SECTION_ROWS, or all (to the cap) when asked."""
    actions = StrategyAction.objects.filter(state=ActionState.OPEN)
    if agencies:
        actions = actions.filter(agency_id__in=list(agencies))
    actions = actions.filter(discussion__in=visible_discussions(user).values("pk"))
    limit = WORKTRAY_LIMIT if show_all else SECTION_ROWS
    columns = (
        *ACTION_COLUMNS,
        "agency__name",
        *(f"discussion__{name}" for name in DISCUSSION_COLUMNS),
        *(f"discussion__{name}" for name in ROW_RELATED_COLUMNS if name.startswith("contact__")),
    )
    shown = list(
        actions.select_related("agency", "discussion__contact").only(*columns).order_by("due_at", "pk")[:limit]
    )
    attach_children_names(action.discussion for action in shown)
    # Counted as far as COUNT_LIMIT ("500 or more"): a hub that leaves thousands open should not pay for
    # counting every one of them on each page.
    if len(shown) < limit:
        return ActionList(shown, len(shown))
    # More than the page shows: counted only when they are all asked for (to COUNT_LIMIT, "500 or more"),
    # since counting every open action the user may see on each visit cost the page most of its time.
    return ActionList(shown, actions[:COUNT_LIMIT].count() if show_all else None)


RECENT_DAYS = timedelta(days=30)  # "held recently": the last month's, the latest first


@dataclass(frozen=True)
class InvitationList:
    """One list of a partner's invitations, as a worktray section: those shown (the first SECTION_ROWS, or
    all to the cap when asked) and how many there are."""

    invitations: list[Invitation]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.invitations)


@dataclass(frozen=True)
class PartnerInvitations:
    """A partner's invitations: those still to be held, the soonest first; and the last month's held, the
    latest first."""

    upcoming: InvitationList
    recent: InvitationList


def invitations_for(user: User, *, show_all: str = "") -> PartnerInvitations:
    """A partner's invitations: their agency's, those still to be held the soonest first, then the
    latest held (their records and actions). Each list its first SECTION_ROWS, or all (to the cap) when
    `show_all` names it ("upcoming", "recent"), with how many there are."""
    agencies = invited_agencies(user)
    # The rows are chosen joined to their discussion alone, then what they show is fetched for those
    # twenty: joined before the limit, the last month's held discussions read every contact of the year.
    mine = (
        Invitation.objects.filter(agency_id__in=agencies)
        .select_related("discussion", "agency")
        .only("discussion", "agency__name", "reason", *(f"discussion__{name}" for name in DISCUSSION_COLUMNS))
    )
    waiting = Q(discussion__state__in=[state.value for state in NOT_YET_HELD])
    held = [DiscussionState.HELD.value, DiscussionState.RECORD_SENT.value]
    recently_held = Q(discussion__state__in=held, discussion__meeting_at__gte=timezone.now() - RECENT_DAYS)
    upcoming = mine.filter(waiting).order_by("discussion__meeting_at", "pk")
    recent = mine.filter(recently_held).order_by("-discussion__meeting_at", "-pk")
    # Both lists counted in one question: neither is long (those not yet held, a month's held), so they are
    # counted in full, where the open actions (a hub's whole backlog) are counted only as far as COUNT_LIMIT.
    totals = (
        Invitation.objects.filter(agency_id__in=agencies)
        .filter(waiting | recently_held)
        .aggregate(upcoming=Count("pk", filter=waiting), recent=Count("pk", filter=recently_held))
    )

    def shown(slug: str, invitations: QuerySet[Invitation]) -> InvitationList:
        limit = WORKTRAY_LIMIT if show_all == slug else SECTION_ROWS
        found = list(invitations[:limit])
        return InvitationList(found, max(totals[slug] or 0, len(found)))  # counted a moment apart

    lists = PartnerInvitations(upcoming=shown("upcoming", upcoming), recent=shown("recent", recent))
    discussions = [invitation.discussion for invitation in [*lists.upcoming.invitations, *lists.recent.invitations]]
    # Once for both lists, and of each contact only what a row shows.
    prefetch_related_objects(
        discussions,
        Prefetch("contact", queryset=Contact.objects.only(*ROW_CONTACT)),
        Prefetch("record", queryset=StrategyRecord.objects.only(*RECORD_COLUMNS)),
    )
    attach_children_names(discussions)
    return lists
