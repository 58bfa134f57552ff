"""Who may start, move, arrange and read strategy discussions (000; 002 §11; 004 §6)."""

from __future__ import annotations

from collections.abc import Collection

from safehub.accounts.models import User
from safehub.accounts.permissions import (
    can_answer_for_an_agency,
    can_coordinate_strategy,
    can_manage,
    can_read_performance,
    can_work_on_cases,
)
from safehub.strategy.models import Invitation, StrategyAction, StrategyDiscussion
from safehub.strategy.workflow import NOT_YET_HELD, ActionState, DiscussionState

# The discussion has been held: its record, actions and conference can be written.
HELD_STATES = frozenset({DiscussionState.HELD, DiscussionState.RECORD_SENT})


def sees_as_an_invited_agency(user: User) -> bool:
    """A partner agency's professional sees the discussions their agency is invited to, and in each
    only what was sent to their agency (queries.visible_discussions)."""
    return can_answer_for_an_agency(user)


def can_see_strategy(user: User) -> bool:
    """The hub's children's social care staff, in the discussion's team (queries.visible_discussions)."""
    return can_work_on_cases(user)


def can_start_strategy(user: User) -> bool:
    """A manager decides that a strategy discussion is needed: by approving it as a child's outcome,
    or at once from a contact when protection cannot wait (000; 002 §11 "immediately")."""
    return can_manage(user)


def can_record_exception(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    """Only a manager's recorded risk assessment moves a discussion past the standard (000)."""
    return can_manage(user) and (discussion is None or discussion.state in NOT_YET_HELD)


def can_arrange(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    """Strategy coordinators arrange discussions (000: "arranged by coordinators"); a manager may too."""
    allowed = can_coordinate_strategy(user) or can_manage(user)
    return allowed and (discussion is None or discussion.state in NOT_YET_HELD)


def can_cancel(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    """A manager cancels a discussion not yet held (started in error, or the children's plan changed)."""
    return can_manage(user) and (discussion is None or discussion.state in NOT_YET_HELD)


def _runs_discussions(user: User) -> bool:
    """The coordinators who arrange and minute discussions, and the managers who chair them (000)."""
    return can_coordinate_strategy(user) or can_manage(user)


def can_record(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    """The chair, another manager, or the coordinator minuting for them records the discussion once it
    has been held (000: outcomes and safety plans "collated in the strategy meeting minutes")."""
    return _runs_discussions(user) and (discussion is None or discussion.state == DiscussionState.ARRANGED)


def can_send_record(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    return _runs_discussions(user) and (discussion is None or discussion.state == DiscussionState.HELD)


def can_add_action(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    return _runs_discussions(user) and (discussion is None or discussion.state in HELD_STATES)


def can_record_conference(user: User, discussion: StrategyDiscussion | None = None) -> bool:
    """The conference date (or that none is needed) follows a section 47 enquiry the discussion started."""
    if not _runs_discussions(user):
        return False
    if discussion is None:
        return True
    kept = getattr(discussion, "record", None)
    return discussion.state in HELD_STATES and kept is not None and kept.starts_enquiry


def can_close_action(
    user: User, action: StrategyAction | None = None, *, agencies: frozenset[int] = frozenset()
) -> bool:
    """The hub's coordinators and managers close any open action; a partner, their own agency's
    (`agencies`: the agencies the partner answers for, queries.invited_agencies)."""
    if action is not None and action.state != ActionState.OPEN:
        return False
    if _runs_discussions(user):
        return True
    return sees_as_an_invited_agency(user) and (action is None or action.agency_id in agencies)


def is_finished(discussion: StrategyDiscussion) -> bool:
    return discussion.state in (DiscussionState.RECORD_SENT, DiscussionState.CANCELLED)


def can_read_strategy_timeliness(user: User) -> bool:
    """The performance lead and managers (001), and the coordinators who arrange the discussions (000:
    "Timeliness and partner participation of strategy meetings is monitored")."""
    return can_read_performance(user) or can_coordinate_strategy(user)


def can_agree_contribution(user: User, invitation: Invitation, *, agencies: Collection[int]) -> bool:
    """Only the invited agency lifts the condition it asked for on its own contribution: a partner
    professional answering for it (`agencies`: theirs, queries.invited_agencies)."""
    return sees_as_an_invited_agency(user) and invitation.agency_id is not None and invitation.agency_id in agencies
