"""What a user's roles allow, before any record is in question. Every app's `permissions.py`
builds its `can_<verb>(user, obj)` predicates on these; nothing else asks for a role by name."""

from __future__ import annotations

from collections.abc import Iterable

from safehub.accounts.models import (
    APPROVAL_CANDIDATE_ROLES,
    APPROVER_ROLES,
    CASE_ROLES,
    FRONT_DOOR_ROLES,
    QUALIFIED_ROLES,
    Role,
    User,
)


def can_work_on_cases(user: User) -> bool:
    """Children's social care staff, who work on the hub's own records (the strategy coordinator too)."""
    return user.has_role(*CASE_ROLES)


def can_work_the_front_door(user: User) -> bool:
    """Contact officers and qualified staff: record contacts, screen them, action outcomes."""
    return user.has_role(*FRONT_DOOR_ROLES)


def can_make_threshold_decisions(user: User) -> bool:
    """Social workers, senior practitioners and managers (002 appendix: SW, SSW, manager)."""
    return user.has_role(*QUALIFIED_ROLES)


def can_manage(user: User) -> bool:
    """A team manager: approves every decision, starts MASH checks, restricts records (004 §5, §7)."""
    return user.has_role(*APPROVER_ROLES)


def could_approve(user: User) -> bool:
    """Team managers and senior practitioners: the roles a local protocol may let approve a
    threshold recommendation (decisions.permissions.can_approve asks the protocol which do)."""
    return user.has_role(*APPROVAL_CANDIDATE_ROLES)


def holds_one_of(user: User, roles: Iterable[str]) -> bool:
    """Whether the user holds one of `roles`, as a setting names them (a protocol's approvers)."""
    return user.has_role(*roles)


def can_supervise(user: User) -> bool:
    """Senior practitioners and managers: the hub's experienced reviewers (e.g. of duplicate records)."""
    return user.has_role(Role.SENIOR_PRACTITIONER, *APPROVER_ROLES)


def can_answer_for_an_agency(user: User) -> bool:
    """A partner agency's designated professional (002 §15–16)."""
    return user.has_role(Role.PARTNER_PROFESSIONAL)


def refusal_is_not_found(user: User) -> bool:
    """A partner agency's professional is refused a hub page with 404, as another agency's record is
    refused to everyone: a 403 would tell them the page is there (issue 12 §4)."""
    return user.has_role(Role.PARTNER_PROFESSIONAL)


def can_override_consent(user: User, *, senior_practitioners_too: bool) -> bool:
    """A team manager; a senior practitioner too where the local protocol says so (consent.permissions)."""
    if user.has_role(Role.TEAM_MANAGER):
        return True
    return senior_practitioners_too and user.has_role(Role.SENIOR_PRACTITIONER)


def can_coordinate_strategy(user: User) -> bool:
    """The strategy coordinator arranges strategy discussions (000)."""
    return user.has_role(Role.STRATEGY_COORDINATOR)


def can_chair_strategy(user: User) -> bool:
    """A team manager chairs a strategy discussion (issue 13; 000 has managers decide its outcome)."""
    return user.has_role(Role.TEAM_MANAGER)


def is_performance_lead(user: User) -> bool:
    """The performance lead: the hub's figures and the council's statutory returns (001; issue 16)."""
    return user.has_role(Role.PERFORMANCE_LEAD)


def can_read_performance(user: User) -> bool:
    """The performance lead, and managers for their own service (001)."""
    return user.has_role(Role.PERFORMANCE_LEAD, Role.TEAM_MANAGER)


def can_administer(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR)


def can_reset_mfa(user: User) -> bool:
    """An administrator unlocks another user's sign-in codes, or removes their authenticator app
    so that they set up a new one (never their own: another administrator does that)."""
    return user.has_role(Role.ADMINISTRATOR)


def can_protect_data(user: User) -> bool:
    """The data protection officer: the audit trail, subject access, breaches (003 App. 3)."""
    return user.has_role(Role.DATA_PROTECTION_OFFICER)


def can_unlock_accounts(user: User) -> bool:
    """An administrator unlocks an account that failed sign-ins have locked (ADR 0023)."""
    return user.has_role(Role.ADMINISTRATOR)
