from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.accounts.permissions import refusal_is_not_found
from safehub.core.http import AuthenticatedHttpRequest
from safehub.partner_outcomes import services
from safehub.partner_outcomes.permissions import can_see_referral_outcomes
from safehub.partner_outcomes.presenters import decision_shown, referral_rows
from safehub.partner_outcomes.queries import get_referral_for, referral_list

PAGE = 25


@require_GET
def referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The referrals the partner's agency made, once decided: each opens on its outcome."""
    if not can_see_referral_outcomes(request.user):
        if refusal_is_not_found(request.user):
            raise Http404("No such page")
        raise PermissionDenied
    page = Paginator(referral_list(request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "partner_outcomes/referrals.html", {"page": page, "rows": referral_rows(page.object_list)})


@require_GET
def referral(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One referral's outcome, for the agency that made it (its showing recorded in the sharing ledger)."""
    found = get_referral_for(request.user, pk, purpose="referral-outcome")
    shown = services.show_referral_outcome(found.contact, found.agency, by=request.user, at=timezone.now())
    context = {"contact": found.contact, "agency": found.agency, "decision": decision_shown(shown)}
    return render(request, "partner_outcomes/referral.html", context)
