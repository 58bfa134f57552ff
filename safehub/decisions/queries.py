"""The facts every page and service asks of a contact's decisions, each defined once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactSubject, subject_name
from safehub.contacts.queries import contacts_naming
from safehub.decisions.models import (
    SHORT_LABELS,
    ChildDecision,
    ChildRecommendation,
    Decision,
    Outcome,
    Recommendation,
    Verdict,
)
from safehub.screening.models import screening_outcome

# Newest first: a returned contact gets a new recommendation, and the newest is the one that counts.
NEWEST_RECOMMENDATION = ("-recommended_at", "-pk")


def _prefetched(contact: Contact, name: str) -> bool:
    return name in getattr(contact, "_prefetched_objects_cache", {})


def latest_recommendation(contact: Contact) -> Recommendation | None:
    """The newest recommendation (a returned contact gets a new one); prefetched ones are used."""
    if _prefetched(contact, "recommendations"):
        return max(contact.recommendations.all(), key=lambda r: (r.recommended_at, r.pk), default=None)
    return contact.recommendations.select_related("recommended_by").order_by(*NEWEST_RECOMMENDATION).first()


def latest_rating(contact: str = "pk") -> Subquery:
    """The newest recommendation's rating, as a column of a contacts query (`OuterRef("pk")`), or of
    another model's rows through their `contact`: the same recommendation as `latest_recommendation`, for
    a list that shows only its rating."""
    newest = Recommendation.objects.filter(contact=OuterRef(contact)).order_by(*NEWEST_RECOMMENDATION)
    return Subquery(newest.values("rating")[:1])


def the_decision(contact: Contact) -> Decision | None:
    """The manager's approval that decides the contact's outcome: the newest approved decision
    (a returned recommendation is not a decision)."""
    if _prefetched(contact, "decisions"):
        approved = [d for d in contact.decisions.all() if d.verdict == Verdict.APPROVED]
        return max(approved, key=lambda d: (d.decided_at, d.pk), default=None)
    return contact.decisions.filter(verdict=Verdict.APPROVED).order_by("-decided_at", "-pk").first()


@dataclass(frozen=True)
class ChildOutcome:
    """One child's outcome on a contact: approved by the manager, or, before that, recommended."""

    subject: int
    person: int | None
    name: str
    outcome: Outcome
    approved: bool

    @property
    def text(self) -> str:
        """'Ann Smith: Section 17 assessment', or '…(recommended)' before the manager approves it."""
        return f"{self.name}: {SHORT_LABELS[self.outcome]}{'' if self.approved else ' (recommended)'}"


def child_outcomes(contact_ids: Sequence[int]) -> dict[int, list[ChildOutcome]]:
    """Each child's outcome on each of these contacts, in the contact's order: the outcomes of the
    decision that counts (`the_decision`), or, for a contact waiting for approval, of the
    recommendation waiting (not one returned); a contact with neither has none. Two queries for
    any number of contacts. The ids come from a scoped query, so only contacts the user may see
    are read."""
    people = ("subject_id", "subject__person_id", "subject__given_name", "subject__family_name", "subject__kind")
    order = ("subject__order", "subject_id")
    decided = ChildDecision.objects.filter(
        decision__contact_id__in=contact_ids, decision__verdict=Verdict.APPROVED
    ).values_list("decision__contact_id", "decision__decided_at", "decision_id", *people, "outcome")
    waiting = ChildRecommendation.objects.filter(
        recommendation__contact_id__in=contact_ids, recommendation__decision__isnull=True
    ).values_list(
        "recommendation__contact_id", "recommendation__recommended_at", "recommendation_id", *people, "outcome"
    )
    result: dict[int, list[ChildOutcome]] = {pk: [] for pk in contact_ids}
    # An approval counts before a recommendation, and a newer act before an older one.
    counting: dict[int, tuple[bool, Any, int]] = {}
    for rows, approved in ((decided.order_by(*order), True), (waiting.order_by(*order), False)):
        for contact_id, at, act, subject, person, given, family, kind, outcome in rows:
            rank = (approved, at, act)
            if contact_id in counting and rank < counting[contact_id]:
                continue
            if counting.get(contact_id) != rank:
                counting[contact_id], result[contact_id] = rank, []
            child = ChildOutcome(subject, person, subject_name(given, family, kind), Outcome(outcome), approved)
            result[contact_id].append(child)
    return result


def outcomes_text(outcomes: Sequence[ChildOutcome]) -> str:
    """'Ann Smith: Section 17 assessment; Ben Smith: Early help'; for one child, the outcome alone."""
    if len(outcomes) == 1:
        return SHORT_LABELS[outcomes[0].outcome]
    return "; ".join(child.text for child in outcomes)


def contacts_about(user: User, person_id: int) -> list[dict[str, Any]]:
    """The contacts about a person that `user` may see, newest first, each as a row of what the
    person page's chronology shows: when it came, its concerns, its initial rating, state, the
    newest recommendation's rating, the outcome approved (for a child, their own) and the person's
    `role` in it."""
    on = ContactSubject.objects.filter(person_id=person_id)
    rows = list(
        contacts_naming(user, [person_id])
        .order_by("-received_at", "-pk")
        .values(
            "pk",
            "reference",
            "received_at",
            "concern_categories",
            "initial_rating",
            "state",
            "screening__route",
            "screening__allocated_worker",
            "screening__signposted_to",
            rating=latest_rating(),
        )
    )
    ids = [row["pk"] for row in rows]
    roles = dict(on.filter(contact_id__in=ids).values_list("contact_id", "role"))
    outcomes = child_outcomes(ids)
    return [
        {
            **row,
            "role": roles.get(row["pk"], ""),
            "outcome": outcome_for_person(person_id, outcomes[row["pk"]])
            or screening_outcome(
                row["screening__route"], row["screening__allocated_worker"], row["screening__signposted_to"]
            ),
        }
        for row in rows
    ]


def outcome_for_person(person_id: int, outcomes: Sequence[ChildOutcome]) -> str:
    """The outcome a contact's approval gave this person, if they were a child on it; else every
    child's ('Ann Smith: Early help; Ben Smith: No further action'); "" before the approval."""
    approved = [child for child in outcomes if child.approved]
    own = [child for child in approved if child.person == person_id]
    if own:
        return own[0].outcome.label
    return outcomes_text(approved)
