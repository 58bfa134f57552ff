"""Who may start, move, arrange and read strategy discussions (000; 002 §11; 004 §6)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import (
    can_answer_for_an_agency,
    can_coordinate_strategy,
    can_manage,
    can_work_on_cases,
)
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.workflow import NOT_YET_HELD, DiscussionState


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


def is_finished(discussion: StrategyDiscussion) -> bool:
    return discussion.state in (DiscussionState.RECORD_SENT, DiscussionState.CANCELLED)
