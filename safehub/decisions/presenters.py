"""The decisions app's part of the contact page: recommendations, the manager's decisions, the outcome."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import Action, Panel
from safehub.decisions.models import Decision, Recommendation, Verdict
from safehub.decisions.permissions import can_action_outcome, can_approve, can_recommend
from safehub.decisions.queries import latest_recommendation


def verdict(decision: Decision) -> str:
    """'Approved: Refer to children's social care': the manager's verdict, with the outcome it set."""
    outcome = f": {decision.get_outcome_display()}" if decision.outcome else ""
    return f"{decision.get_verdict_display()}{outcome}"


def children_named(contact: Contact) -> str:
    """The children named in the contact (subjects prefetched), as a list in a sentence."""
    return ", ".join(s.display_name for s in contact.subjects.all() if s.is_child)


class ContactPanel(Panel):
    """Each recommendation with the manager's decision on it, and the outcome once actioned."""

    template_name = "decisions/_contact_panel.html"
    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = (
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("recommended_by", "level")),
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
    )
    related = ("outcome_action__actioned_by", "outcome_action__allocated_worker")

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        decided: dict[int, list[Decision]] = defaultdict(list)
        for decision in contact.decisions.all():
            decided[decision.recommendation_id].append(decision)
        recommendations = [(r, [(d, verdict(d)) for d in decided[r.pk]]) for r in contact.recommendations.all()]
        outcome = getattr(contact, "outcome_action", None)
        if not recommendations and outcome is None:
            return None
        return {"recommendations": recommendations, "outcome": outcome}

    def actions(self, record: Contact, *, user: User) -> list[Action]:
        offered = [
            (can_recommend(user, record), "Rate and recommend", "decisions:recommend"),
            (can_approve(user, record), "Approve or return the recommendation", "decisions:approve"),
            (can_action_outcome(user, record), "Record the outcome as actioned", "decisions:action-outcome"),
        ]
        return [Action(text, reverse(url, args=[record.pk])) for allowed, text, url in offered if allowed]


def returned(contact: Contact) -> dict[str, Any] | None:
    """On the threshold page after a manager returned the recommendation: their reason and what
    was recommended before, so the social worker reconsiders with both in front of them."""
    latest = latest_recommendation(contact)
    if latest is None:
        return None
    decision = (
        Decision.objects.filter(recommendation=latest, verdict=Verdict.RETURNED)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    if decision is None:
        return None
    return {"decision": decision, "recommendation": latest}
