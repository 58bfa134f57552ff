"""The two facts every page and service asks of a contact's decisions, each defined once."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactSubject
from safehub.decisions.models import Decision, Recommendation, Verdict

# Newest first: a returned contact gets a new recommendation, and the newest is the one that counts.
NEWEST_RECOMMENDATION = ("-recommended_at", "-pk")


def _prefetched(contact: Contact, name: str) -> bool:
    return name in getattr(contact, "_prefetched_objects_cache", {})


def latest_recommendation(contact: Contact) -> Recommendation | None:
    """The newest recommendation (a returned contact gets a new one); prefetched ones are used."""
    if _prefetched(contact, "recommendations"):
        return max(contact.recommendations.all(), key=lambda r: (r.recommended_at, r.pk), default=None)
    return contact.recommendations.select_related("recommended_by", "level").order_by(*NEWEST_RECOMMENDATION).first()


def latest_rating() -> Subquery:
    """The newest recommendation's rating, as a column of a contacts query (`OuterRef("pk")`):
    the same recommendation as `latest_recommendation`, for a list that shows only its rating."""
    newest = Recommendation.objects.filter(contact=OuterRef("pk")).order_by(*NEWEST_RECOMMENDATION)
    return Subquery(newest.values("rating")[:1])


def the_decision(contact: Contact) -> Decision | None:
    """The manager's approval that decides the contact's outcome: the newest approved decision
    (a returned recommendation is not a decision)."""
    if _prefetched(contact, "decisions"):
        approved = [d for d in contact.decisions.all() if d.verdict == Verdict.APPROVED]
        return max(approved, key=lambda d: (d.decided_at, d.pk), default=None)
    return contact.decisions.filter(verdict=Verdict.APPROVED).order_by("-decided_at", "-pk").first()


def decided_outcome() -> Subquery:
    """The outcome `the_decision` approved, as a column of a contacts query (`OuterRef("pk")`)."""
    approved = Decision.objects.filter(contact=OuterRef("pk"), verdict=Verdict.APPROVED).order_by("-decided_at", "-pk")
    return Subquery(approved.values("outcome")[:1])


def contacts_about(user: User, person_id: int) -> list[dict[str, Any]]:
    """The contacts about a person that `user` may see, newest first, each as a row of what the
    person page's chronology shows: when it came, its concerns, its initial rating, state, the
    newest recommendation's rating, the outcome approved and the person's `role` in it."""
    on = ContactSubject.objects.filter(person_id=person_id)
    rows = list(
        Contact.objects.visible_to(user)
        .filter(pk__in=on.values("contact_id"))
        .order_by("-received_at", "-pk")
        .values(
            "pk",
            "reference",
            "received_at",
            "concern_categories",
            "initial_rating",
            "state",
            rating=latest_rating(),
            outcome=decided_outcome(),
        )
    )
    roles = dict(on.filter(contact_id__in=[row["pk"] for row in rows]).values_list("contact_id", "role"))
    return [{**row, "role": roles.get(row["pk"], "")} for row in rows]
