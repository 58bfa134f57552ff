"""The decisions app's part of the contact page: recommendations, the manager's decisions, the outcome."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.core.presenters import Action, Panel, shown_date
from safehub.decisions.forms import RecommendationForm
from safehub.decisions.models import (
    SHORT_LABELS,
    STATUTORY_OUTCOMES,
    ChildAction,
    ChildDecision,
    ChildRecommendation,
    Decision,
    Outcome,
    OutcomeAction,
    Recommendation,
    Verdict,
)
from safehub.decisions.permissions import FOUR_EYES, can_action_outcome, can_approve, can_recommend
from safehub.decisions.queries import ChildOutcome, latest_recommendation, the_decision
from safehub.decisions.services import SERVICE_OUTCOMES

Child = TypeVar("Child", ChildRecommendation, ChildDecision)


@dataclass(frozen=True)
class ChildRow:
    """One child's line in a recommendation or decision: 'Ann Smith', 'Amber, specialist: Section 17'."""

    name: str
    text: str
    referral: bool = False


def recommended_rows(children: Iterable[ChildRecommendation]) -> list[ChildRow]:
    """Each child's recommended outcome, rating and level of need (their subjects and levels fetched)."""
    return [
        ChildRow(c.subject.display_name, f"{c.get_outcome_display()} ({c.get_rating_display()}, {c.level})")
        for c in _in_order(children)
    ]


def decided_rows(decision: Decision, recommendation: Recommendation, *, changes: bool = True) -> list[ChildRow]:
    """Each child's approved outcome, saying (`changes`) where the manager changed the recommended one."""
    recommended = {c.subject_id: c.outcome for c in recommendation.children.all()}
    rows = []
    for child in _in_order(decision.children.all()):
        changed = changes and recommended.get(child.subject_id) not in (None, child.outcome)
        note = f" (changed from {Outcome(recommended[child.subject_id]).label})" if changed else ""
        rows.append(
            ChildRow(
                child.subject.display_name,
                f"{child.get_outcome_display()}{note}",
                referral=child.outcome in STATUTORY_OUTCOMES,
            )
        )
    return rows


def _in_order(children: Iterable[Child]) -> list[Child]:
    return sorted(children, key=lambda c: (c.subject.order, c.subject_id))


def recommended_children(recommendation: Recommendation | None) -> list[ChildRecommendation]:
    """The newest recommendation's children in the contact's order, with their subjects and levels."""
    if recommendation is None:
        return []
    return list(recommendation.children.select_related("subject", "level").order_by("subject__order", "subject_id"))


def action_summary(outcomes: Sequence[ChildOutcome]) -> list[str]:
    """What the outcome page says will happen to each child: 'Ann Smith: Section 17 assessment (a referral)'."""
    return [
        f"{child.name}: {child.outcome.label}{' (a referral)' if child.outcome in STATUTORY_OUTCOMES else ''}"
        for child in outcomes
    ]


def service_groups(outcomes: Sequence[ChildOutcome]) -> list[tuple[Outcome, list[str]]]:
    """Each outcome that sends children to a service, with their names, in `SERVICE_OUTCOMES` order:
    the outcome page's fieldsets, a team and worker for each (OutcomeActionForm)."""
    return [
        (outcome, [child.name for child in outcomes if child.outcome == outcome])
        for outcome in SERVICE_OUTCOMES
        if any(child.outcome == outcome for child in outcomes)
    ]


def children_named(contact: Contact) -> str:
    """The children named in the contact (subjects prefetched), as a list in a sentence."""
    return ", ".join(s.display_name for s in contact.subjects.all() if s.is_child)


def placed(children: Sequence[ChildAction]) -> list[str]:
    """Where each child went, when siblings went to different places: 'Ann Smith: Section 17
    assessment, Assessment team 2, Sam Okafor'. Empty when there is one child, or all went alike
    (the outcome's own 'Referred to' and 'Social worker allocated' say it)."""
    if len({(child.team, child.worker) for child in children}) < 2:
        return []
    return [
        f"{child.subject.display_name}: "
        + ", ".join(part for part in (SHORT_LABELS[Outcome(child.outcome)], child.team, child.worker) if part)
        for child in children
    ]


class ContactPanel(Panel):
    """Each recommendation with the manager's decision on it, and the outcome once actioned."""

    template_name = "decisions/_contact_panel.html"
    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = (
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("recommended_by")),
        Prefetch("recommendations__children", queryset=ChildRecommendation.objects.select_related("subject", "level")),
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
        Prefetch("decisions__children", queryset=ChildDecision.objects.select_related("subject")),
        Prefetch("outcome_action__children", queryset=ChildAction.objects.select_related("subject")),
    )
    related = ("outcome_action__actioned_by", "outcome_action__allocated_worker")

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        decided: dict[int, list[Decision]] = defaultdict(list)
        for decision in contact.decisions.all():
            decided[decision.recommendation_id].append(decision)
        recommendations = [
            (r, recommended_rows(r.children.all()), [(d, decided_rows(d, r)) for d in decided[r.pk]])
            for r in contact.recommendations.all()
        ]
        outcome = getattr(contact, "outcome_action", None)
        if not recommendations and outcome is None:
            return None
        deciding = the_decision(contact)
        by_pk = {r.pk: r for r in contact.recommendations.all()}
        approved = (
            decided_rows(deciding, by_pk[deciding.recommendation_id], changes=False) if deciding and outcome else []
        )
        return {
            "recommendations": recommendations,
            "outcome": outcome,
            "approved": approved,
            "placed": placed(list(outcome.children.all())) if outcome is not None else [],
        }

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
    return {"decision": decision, "recommendation": latest, "children": recommended_rows(recommended_children(latest))}


def recommendation_layout(form: RecommendationForm) -> dict[str, Any]:
    """The recommendation form's fieldsets: with several children, the one for all of them first
    and each child's in a 'Choose differently' section, open when a child has a choice or an error
    of their own (so that the error summary's link lands on a field that shows)."""
    fieldsets = form.fieldsets()
    if not form.several:
        return {"all_children": [], "each_child": fieldsets, "each_open": False}
    each = fieldsets[1:]
    own = any(field.errors or (form.is_bound and field.value()) for _, fields in each for field in fields)
    return {"all_children": fieldsets[:1], "each_child": each, "each_open": own}


def _who(actor: User, user: User) -> str:
    return "You" if actor.pk == user.pk else str(actor)


def why_not_open(step: str, user: User, contact: Contact) -> str:
    """Why a decision page (`step`: recommend, approve, action-outcome) that the user's role opens is
    not open on this contact now, when the contact says why: what was done, by whom and when, as
    the contact page (which the user may read) shows it. "" when it does not say."""
    latest = latest_recommendation(contact)
    decision = (
        Decision.objects.filter(recommendation=latest).select_related("decided_by").first()
        if latest is not None
        else None
    )
    if step == "approve":
        if (
            contact.state == ContactState.AWAITING_APPROVAL
            and latest is not None
            and latest.recommended_by_id == user.pk
        ):
            return FOUR_EYES
        if decision is not None:
            done = "approved this" if decision.verdict == Verdict.APPROVED else "returned this recommendation"
            return f"{_who(decision.decided_by, user)} {done} on {shown_date(decision.decided_at)}"
    if step in ("recommend", "approve") and contact.state == ContactState.MASH_CHECKS:
        return (
            "MASH checks are under way on this contact: the threshold recommendation is made once the coordinator"
            " submits them for a decision"
        )
    if step == "recommend" and contact.state in (ContactState.RECEIVED, ContactState.SCREENING):
        return "This contact has not been screened yet: it comes for a threshold decision once screening sends it on"
    if step == "recommend" and latest is not None:
        if decision is not None and decision.verdict == Verdict.APPROVED:
            return f"{_who(decision.decided_by, user)} approved a decision on {shown_date(decision.decided_at)}"
        if decision is None:
            return (
                f"{_who(latest.recommended_by, user)} made the recommendation on {shown_date(latest.recommended_at)}:"
                " it is waiting for approval"
            )
    if step == "action-outcome":
        action = OutcomeAction.objects.filter(contact=contact).select_related("actioned_by").first()
        if action is not None:
            return (
                f"{_who(action.actioned_by, user)} recorded the outcome as actioned on {shown_date(action.actioned_at)}"
            )
    return ""
