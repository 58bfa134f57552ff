"""Which roles make sense for which agency (ADR 0026).

The hub's roles belong to the local authority that runs the hub: contact officers, social workers,
senior practitioners, managers and the strategy coordinator are its children's social care staff
(accounts.models.CASE_ROLES, DESIGN §1), and so are the performance lead, the data protection
officer and the administrator (DESIGN §1: the authority is the data controller for its hub, §4).
A partner agency's staff take part through one role only, the designated professional, who sees
only the checks addressed to their agency (DESIGN §1, 002 §15-16; accounts.models.Membership:
"a partner professional's team belongs to their agency"). The demo hub is built the same way
(demo.loader: hub staff in the host's teams, one partner professional in each partner's desk).

So:
1. the partner professional's role is held in a partner agency's team, never the host's;
2. every other role is held in a team of the host agency, never a partner's;
3. an account works for one agency: a police officer's account is never also a hub account (it
   would read every child's record from a partner's sign-in). Someone who moves gets a new account.
"""

from __future__ import annotations

from collections.abc import Sequence

from safehub.accounts.models import Membership, Role, Team, User


def role_problem(role: Role, team: Team, *, held: Sequence[Membership], user: User | None = None) -> str | None:
    """Why `role` in `team` makes no sense for this account, or None. `held` is the account's
    other memberships (with their teams' agencies)."""
    agency = team.agency
    if role == Role.PARTNER_PROFESSIONAL and agency.is_host:
        return (
            f"{role.label} is the role of a partner agency's designated professional: "
            f"choose a team of a partner agency, not of {agency.name}"
        )
    if role != Role.PARTNER_PROFESSIONAL and not agency.is_host:
        return (
            f"{agency.name} is a partner agency: its staff can only be partner professionals. "
            f"{role.label} is a role in the hub's own service"
        )
    elsewhere = sorted({m.team.agency.name for m in held if m.team.agency_id != agency.pk})
    if elsewhere:
        who = str(user) if user is not None else "This user"
        return (
            f"{who} works for {', '.join(elsewhere)}: an account works for one agency only. "
            "Make a separate account for their work with another agency"
        )
    return None
