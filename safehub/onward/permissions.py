"""Who may send a referral pack, receive one, and keep the register of receiving teams (002 §9–11:
"The MASH social worker will make a referral"; 003 App. 4 §11: "The Social Worker or Social Work
Manager")."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_administer, can_make_threshold_decisions, can_work_on_cases
from safehub.onward.models import ReceivingTeam, ReferralPack


def can_send_packs(user: User) -> bool:
    return can_make_threshold_decisions(user)


def is_member(user: User, team: ReceivingTeam) -> bool:
    """A member of the receiving team's own team in Safehub, in any role."""
    return team.team_id is not None and team.team_id in user.team_ids()


def can_accept_pack(user: User, pack: ReferralPack) -> bool:
    """Someone in the team the pack was sent to says the team has it."""
    return not pack.by_email and is_member(user, pack.receiving_team)


def receives_referrals(user: User) -> bool:
    """A member of a team that receives referral packs in Safehub."""
    return ReceivingTeam.objects.filter(is_active=True, team_id__in=sorted(user.team_ids())).exists()


def can_see_packs(user: User) -> bool:
    """The list of referrals: the council's case staff, the hub's and a receiving team's (whose members
    hold a case role in it: a social worker of the assessment team, an early help practitioner). Read from
    the user's roles alone, so the navigation asks no query of anyone."""
    return can_work_on_cases(user)


def can_manage_receiving_teams(user: User) -> bool:
    return can_administer(user)
