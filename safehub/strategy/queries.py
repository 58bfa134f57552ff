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
from safehub.strategy.workflow import ActionState, DiscussionState


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
    discussions: list[StrategyDiscussion]


# The worktray's sections, in the order a coordinator works them (issue 13): the overdue first.
WORKTRAY_LIMIT = 200


def worktray(user: User, *, at: datetime) -> list[Section]:
    """The coordinator's worktray: overdue, to arrange, arranged, held with the record to send. Each
    list is ordered by the time it is due, the earliest first."""
    base = (
        visible_discussions(user)
        .select_related("contact", "chair", "exception_by", "record")
        .prefetch_related("children__subject", "children__person")
        .order_by("due_at", "pk")
    )
    overdue = base.overdue(at=at)
    return [
        Section("overdue", "Overdue", "No strategy discussion is overdue.", list(overdue[:WORKTRAY_LIMIT])),
        Section(
            "to-arrange",
            "To arrange",
            "Nothing to arrange.",
            list(base.filter(state=DiscussionState.TO_ARRANGE, due_at__gte=at)[:WORKTRAY_LIMIT]),
        ),
        Section(
            "arranged",
            "Arranged",
            "No discussion is arranged.",
            list(
                base.filter(state=DiscussionState.ARRANGED, due_at__gte=at).order_by("meeting_at", "pk")[
                    :WORKTRAY_LIMIT
                ]
            ),
        ),
        Section(
            "record-to-send",
            "Held: record to send",
            "No record waits to be sent.",
            list(base.filter(state=DiscussionState.HELD).order_by("record__send_due_at", "pk")[:WORKTRAY_LIMIT]),
        ),
    ]


def open_actions(user: User, *, agencies: Sequence[int] = ()) -> list[StrategyAction]:
    """The open actions of the discussions `user` may see, soonest due first (the coordinator's "actions
    open"; a partner's, their own agency's)."""
    actions = StrategyAction.objects.filter(
        state=ActionState.OPEN, discussion__in=visible_discussions(user).values("pk")
    )
    if agencies:
        actions = actions.filter(agency_id__in=list(agencies))
    return list(actions.select_related("agency", "discussion").order_by("due_at", "pk")[:WORKTRAY_LIMIT])


def invitations_for(user: User) -> list[Invitation]:
    """A partner's invitations: their agency's, the soonest meeting first."""
    return list(
        Invitation.objects.filter(agency_id__in=invited_agencies(user))
        .exclude(discussion__state__in=[DiscussionState.CANCELLED])
        .select_related("discussion", "agency", "discussion__chair")
        .order_by("discussion__meeting_at", "pk")[:WORKTRAY_LIMIT]
    )
