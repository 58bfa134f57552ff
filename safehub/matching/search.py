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


def _top(query: Features, limit: int) -> QuerySet[BlockingKey, dict[str, int]] | None:
    keys = sorted(search_keys(query))
    if not keys:
        return None
    return (
        BlockingKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(shared=Count("key"))
        .order_by("-shared", "person_id")[:limit]
    )


def retrieve(query: Features, *, limit: int = RETRIEVE) -> list[int]:
    """Ids of the people sharing the most retrieval keys with the query, best first."""
    top = _top(query, limit)
    return [row["person_id"] for row in top] if top is not None else []


def candidates(query: Features, *, limit: int = RETRIEVE) -> list[tuple[int, Features]]:
    """The people sharing the most retrieval keys with the query and their index entries, in one query."""
    top = _top(query, limit)
    if top is None:
        return []
    entries = PersonIndexEntry.objects.filter(person_id__in=top.values("person_id")).values_list(
        "person_id", "features"
    )
    return [(person_id, features_from_row(features)) for person_id, features in entries]


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
    """The `limit` most likely people for these details, among those `within` (the user's view).

    Every candidate is ranked by its weight alone (`MatchModel.quick`); only those shown are scored
    with their explanation, and only their person records are loaded.
    """
    model = model or active_model()
    query = learned_names.add_to_features(features_of(details), model.name_forms)
    ranked = sorted(
        ((*model.quick(query, features), person_id, features) for person_id, features in candidates(query)),
        key=lambda c: (-c[1], -c[0], c[2]),
    )
    likely = [(person_id, features) for _, probability, person_id, features in ranked if probability >= SHOW_ABOVE]
    found: list[Candidate] = []
    for start in range(0, len(likely), 2 * limit):
        batch = likely[start : start + 2 * limit]
        people = within.filter(pk__in=[person_id for person_id, _ in batch])
        loaded = people.select_related("address").prefetch_related("involvements").in_bulk()
        for person_id, features in batch:
            if person_id in loaded:
                found.append(Candidate(loaded[person_id], model.score(query, features)))
                if len(found) == limit:
                    return found
    return found
