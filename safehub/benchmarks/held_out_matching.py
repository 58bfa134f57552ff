"""Person matching measured on the held-out population (`held_out.py`), which it was never trained on.

- Batch: the records go through `safehub dedupe --unreadable-values blank` (`batch.run`, the command's
  own path, which trains on the file itself): pairwise precision and recall, and the share of
  predicted pairs that join two relatives (two people of one household). Each missed pair is put down
  to a reason (never compared, held by the relatives rule, scored under the threshold) and counted
  by the recording errors its two records carry.
- Screening search: the index holds every record; each search is a fresh record of a person, ranked
  by the search's own keys and scoring (`index.search_keys`, `search.rank`) with the model the hub
  would use. Children whose every record is left out of the index are searched for too: any
  candidate at or above the threshold is someone else, nearly always a brother, sister or twin.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from safehub.benchmarks.held_out import DEFAULT_SEED, HeldOutPopulation, Person, Record, write_csv
from safehub.benchmarks.matching import PairMetrics
from safehub.matching import batch, learned_names
from safehub.matching.csvio import BadValues, feature_frame, read_people_file
from safehub.matching.features import Features, features_of
from safehub.matching.index import record_keys, search_keys
from safehub.matching.model import MatchModel
from safehub.matching.search import RETRIEVE, SHOW_ABOVE, rank
from safehub.matching.services import shipped_model
from safehub.matching.training import PREDICTION_BLOCKS

# What a missed pair is put down to, in the order the issue names them (a pair with two is the first).
MISS_KINDS = (
    ("given_typo", "first name mistyped"),
    ("swapped", "names the other way round"),
    ("nickname", "nickname"),
    ("dob_missing", "no date of birth"),
)
OTHER_MISS = "other"
NOT_COMPARED = "never compared (no blocking rule)"
RELATIVES_RULE = "held by the relatives rule"
UNDER_THRESHOLD = "scored under the threshold"


@dataclass(frozen=True)
class SearchMetrics:
    searches: int
    top_ten: int
    first: int
    first_at_threshold: int  # the true person first, at or above the threshold
    unknown: int  # searches for children with no record in the index
    unknown_matched: int  # … given a candidate at or above the threshold
    unknown_matched_relative: int  # … that candidate being one of their household


@dataclass(frozen=True)
class RelativesPair:
    """A predicted pair joining two people of one household, as the benchmark lists it."""

    left: Record
    right: Record
    left_role: str  # mother, father, child, twin, namesake_son…
    right_role: str
    probability: float
    found_by: str  # "score" or "group" (`linkage.group`)
    twins: bool


@dataclass(frozen=True)
class HeldOutResult:
    seed: int
    people: int
    records: int
    pairs: PairMetrics
    relatives_joined: int  # predicted pairs of two different people of one household
    twins_joined: int
    misses: Counter[str]  # missed true pairs by reason
    misses_by_kind: Counter[tuple[str, str]]  # missed true pairs by (MISS_KINDS label, reason)
    missed_errors: Counter[str]  # missed true pairs by the recording errors either record carries
    pairs_by_error: Counter[str]  # true pairs by the recording errors either record carries
    search: SearchMetrics  # with the model trained on this set, as a hub that has trained on its index
    search_shipped: SearchMetrics  # with the model shipped with Safehub, as a hub that has not
    training_seconds: float
    relatives_pairs: tuple[RelativesPair, ...] = ()  # the predicted pairs of two people of one household

    @property
    def relatives_share(self) -> float:
        return self.relatives_joined / self.pairs.predicted if self.pairs.predicted else 0.0


def _features(path: Path) -> dict[str, Features]:
    return {row.id: features_of(row.details) for row in read_people_file(path, bad_values=BadValues.BLANK).rows}


def _compared(missed: list[tuple[str, str]], frame: pd.DataFrame) -> set[tuple[str, str]]:
    """Which of these pairs a prediction blocking rule brings together (in either order)."""
    if not missed:
        return set()
    scalars = [c for c in frame.columns if not frame[c].map(lambda v: isinstance(v, list)).any()]
    connection = duckdb.connect()
    connection.register("records", frame[scalars].assign(unique_id=frame["unique_id"].astype(str)))
    connection.register("missed", pd.DataFrame(missed, columns=["a", "b"]))
    rules = " OR ".join(f"({rule})" for rule in PREDICTION_BLOCKS)
    found = connection.execute(
        f"""
        SELECT m.a, m.b FROM missed m JOIN records l ON l.unique_id = m.a JOIN records r ON r.unique_id = m.b
        WHERE {rules}
        UNION
        SELECT m.a, m.b FROM missed m JOIN records l ON l.unique_id = m.b JOIN records r ON r.unique_id = m.a
        WHERE {rules}
        """  # noqa: S608 - our own constant rules
    ).fetchall()
    return {(a, b) for a, b in found}


def _pair_errors(left: Record, right: Record) -> set[str]:
    return set(left.errors | right.errors) or {"none"}


def miss_kind(errors: set[str]) -> str:
    return next((label for error, label in MISS_KINDS if error in errors), OTHER_MISS)


def held_out(
    households: int,
    *,
    seed: int = DEFAULT_SEED,
    threshold: float = 0.9,
    searches: int = 2000,
    search_model: MatchModel | None = None,
    workdir: Path | None = None,
) -> HeldOutResult:
    population = HeldOutPopulation(seed=seed)
    people = population.people(households)
    records = population.records(people)
    with tempfile.TemporaryDirectory() as temporary:
        folder = workdir or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        path = write_csv(records, folder / f"held_out_{seed}.csv")
        started = time.perf_counter()
        result = batch.run(
            [path], folder / f"held_out_{seed}_pairs.csv", threshold=threshold, bad_values=BadValues.BLANK
        )
        seconds = time.perf_counter() - started
        predicted = pd.read_csv(folder / f"held_out_{seed}_pairs.csv", dtype=str)
        features = _features(path)
        frame = feature_frame(read_people_file(path, bad_values=BadValues.BLANK).rows)

    by_id = {r.id: r for r in records}
    person_of = {p.key: p for p in people}
    found = set()
    relatives: list[RelativesPair] = []
    for a, b, probability, found_by in zip(
        predicted["left_id"], predicted["right_id"], predicted["match_probability"], predicted["found_by"], strict=True
    ):
        left, right = by_id[a], by_id[b]
        if left.person_key == right.person_key:
            found.add((min(a, b), max(a, b)))
        elif left.household == right.household:
            one, other = person_of[left.person_key], person_of[right.person_key]
            relatives.append(
                RelativesPair(left, right, one.role, other.role, float(probability), found_by, one.born == other.born)
            )
    per_person: dict[str, list[str]] = defaultdict(list)
    for r in records:
        per_person[r.person_key].append(r.id)
    true_pairs = [(a, b) for ids in per_person.values() for i, a in enumerate(ids) for b in ids[i + 1 :]]
    missed = [pair for pair in true_pairs if (min(pair), max(pair)) not in found]
    pairs_by_error: Counter[str] = Counter()
    for a, b in true_pairs:
        pairs_by_error.update(_pair_errors(by_id[a], by_id[b]))
    compared = _compared(missed, frame)
    misses: Counter[str] = Counter()
    misses_by_kind: Counter[tuple[str, str]] = Counter()
    missed_errors: Counter[str] = Counter()
    learnt = {key: learned_names.add_to_features(f, result.model.name_forms) for key, f in features.items()}
    for a, b in missed:
        score = result.model.score(learnt[a], learnt[b])
        reason = NOT_COMPARED if (a, b) not in compared else RELATIVES_RULE if score.rule else UNDER_THRESHOLD
        misses[reason] += 1
        errors = _pair_errors(by_id[a], by_id[b])
        misses_by_kind[miss_kind(errors), reason] += 1
        missed_errors.update(errors)
    metrics = PairMetrics(len(true_pairs), len(predicted), len(found), seconds, len(result.unreadable))
    search, search_shipped = _search(
        population,
        people,
        records,
        features,
        [search_model or result.model, shipped_model()],
        threshold=threshold,
        searches=searches,
    )
    return HeldOutResult(
        seed,
        len(people),
        len(records),
        metrics,
        len(relatives),
        sum(pair.twins for pair in relatives),
        misses,
        misses_by_kind,
        missed_errors,
        pairs_by_error,
        search,
        search_shipped,
        seconds,
        tuple(relatives),
    )


class _Index:
    """The person index's retrieval, in memory: the same keys, the same order, the same limit."""

    def __init__(self, features: dict[str, Features]) -> None:
        self.features = features
        self.number = {record_id: n for n, record_id in enumerate(features)}
        self.ids = list(features)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for record_id, f in features.items():
            for key in record_keys(f):
                self.postings[key].append(self.number[record_id])

    def retrieve(self, query: Features, *, leave_out: frozenset[str] = frozenset()) -> list[tuple[int, Features]]:
        shared: Counter[int] = Counter()
        for key in search_keys(query):
            shared.update(self.postings.get(key, ()))
        ordered = sorted((n for n in shared if self.ids[n] not in leave_out), key=lambda n: (-shared[n], n))
        return [(n, self.features[self.ids[n]]) for n in ordered[:RETRIEVE]]


def _search(
    population: HeldOutPopulation,
    people: Sequence[Person],
    records: Sequence[Record],
    features: dict[str, Features],
    models: Sequence[MatchModel],
    *,
    threshold: float,
    searches: int,
) -> list[SearchMetrics]:
    """The same searches with each model."""
    rng = random.Random(population.rng.random())  # noqa: S311 - choosing benchmark records
    index = _Index(features)
    owner = {r.id: r.person_key for r in records}
    household = {p.key: p.household for p in people}
    held: dict[str, list[str]] = defaultdict(list)
    for r in records:
        held[r.person_key].append(r.id)
    chosen = rng.sample([p for p in people if held[p.key]], min(searches, len(people)))
    with tempfile.TemporaryDirectory() as temporary:
        queries = [population.record(person, "police") for person in chosen]
        query_features = _features(write_csv(queries, Path(temporary) / "queries.csv"))
    children = {p.key for p in people if p.role in ("child", "twin", "namesake_son")}
    unknown = {person.key for person in chosen if person.key in children and rng.random() < 0.2}
    tallies = [Counter[str]() for _ in models]
    for person, query in zip(chosen, queries, strict=True):
        leave_out = frozenset(held[person.key]) if person.key in unknown else frozenset()
        for model, tally in zip(models, tallies, strict=True):
            q = learned_names.add_to_features(query_features[query.id], model.name_forms)
            ranked = [
                s for s in rank(q, index.retrieve(q, leave_out=leave_out), model) if s.score.probability >= SHOW_ABOVE
            ]
            shown = [(owner[index.ids[s.person_id]], s.score.probability) for s in ranked[:10]]
            if person.key in unknown:
                above = [key for key, probability in shown if probability >= threshold]
                tally["unknown_matched"] += bool(above)
                tally["unknown_matched_relative"] += any(household[key] == person.household for key in above)
                continue
            tally["top_ten"] += any(key == person.key for key, _ in shown)
            if shown and shown[0][0] == person.key:
                tally["first"] += 1
                tally["first_at"] += shown[0][1] >= threshold
    return [
        SearchMetrics(
            len(chosen) - len(unknown),
            t["top_ten"],
            t["first"],
            t["first_at"],
            len(unknown),
            t["unknown_matched"],
            t["unknown_matched_relative"],
        )
        for t in tallies
    ]
