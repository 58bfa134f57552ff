"""Who sees a contact's decided outcome among the partner agencies: the professionals of an agency
that answered its MASH checks, on their own request, and of the agency that referred it."""

from __future__ import annotations

from safehub.accounts.models import Agency, User
from safehub.accounts.permissions import can_answer_for_an_agency
from safehub.checks.models import AgencyRequest, RequestState, partner_agencies
from safehub.checks.permissions import can_answer
from safehub.partner_outcomes.models import REFERRAL_SOURCES


def referring_agencies(user: User) -> list[Agency]:
    """The user's agencies whose referrals the hub recognises as theirs (REFERRAL_SOURCES): none for
    anyone but a partner professional, without reading their agencies."""
    if not can_answer_for_an_agency(user):
        return []
    return list(partner_agencies(user).filter(kind__in=sorted(REFERRAL_SOURCES)).order_by("name"))


def can_see_referral_outcomes(user: User) -> bool:
    """A partner professional of an agency whose referrals the hub recognises (the police: 000, "outcomes
    of any referral made by Police") reads the outcomes of its agency's referrals."""
    return bool(referring_agencies(user))


def can_see_request_outcome(user: User, request: AgencyRequest) -> bool:
    """Whoever may answer a request (a partner professional of its agency; for a GP practice, the hub's
    health partner, who tells the practice, 003 §2.6) sees the contact's outcome on it once their
    agency has answered it: an agency that did not answer is not told."""
    return request.state == RequestState.ANSWERED and can_answer(user, request)
