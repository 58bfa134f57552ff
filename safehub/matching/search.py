"""The screening search: is this person already known? Ranked candidates with an explanation.

Retrieval looks up the search's keys in the indexed key table and keeps the people sharing the
most keys; scoring applies the active model's weights in Python. No table is scanned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from safehub.matching import learned_names
from safehub.matching.features import Features, PersonDetails, features_from_row, features_of
from safehub.matching.index import search_keys
from safehub.matching.model import MatchModel, Score
from safehub.matching.models import BlockingKey, PersonIndexEntry
from safehub.matching.services import active_model
from safehub.people.models import Person

RETRIEVE = 200
SHOW_ABOVE = 1e-4  # below one in ten thousand a candidate is noise, not a lead


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: Score

    @property
    def probability(self) -> float:
        return self.score.probability


@dataclass(frozen=True)
class ScoredId:
    person_id: int
    score: Score


def retrieve(query: Features, *, limit: int = RETRIEVE) -> list[int]:
    """Ids of the people sharing the most retrieval keys with the query, best first."""
    keys = sorted(search_keys(query))
    if not keys:
        return []
    rows = (
        BlockingKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(shared=Count("key"))
        .order_by("-shared", "person_id")[:limit]
    )
    return [row["person_id"] for row in rows]


def rank(query: Features, candidates: Iterable[tuple[int, Features]], model: MatchModel) -> list[ScoredId]:
    """Score each candidate against the query, most likely first (the benchmarks rank the same way)."""
    scored = [ScoredId(person_id, model.score(query, features)) for person_id, features in candidates]
    scored.sort(key=lambda s: (-s.score.probability, -s.score.match_weight, s.person_id))
    return scored


def score_ids(query: Features, ids: list[int], model: MatchModel) -> list[ScoredId]:
    entries = PersonIndexEntry.objects.filter(person_id__in=ids).values_list("person_id", "features")
    return rank(query, ((person_id, features_from_row(features)) for person_id, features in entries), model)


def search(
    details: PersonDetails, *, within: QuerySet[Person], limit: int = 10, model: MatchModel | None = None
) -> list[Candidate]:
    """The `limit` most likely people for these details, among those `within` (the user's view)."""
    model = model or active_model()
    query = learned_names.add_to_features(features_of(details), model.name_forms)
    scored = [s for s in score_ids(query, retrieve(query), model) if s.score.probability >= SHOW_ABOVE]
    allowed = {s.person_id for s in scored}
    people = within.filter(pk__in=allowed).select_related("address").prefetch_related("involvements").in_bulk()
    candidates = [Candidate(people[s.person_id], s.score) for s in scored if s.person_id in people]
    return candidates[:limit]
