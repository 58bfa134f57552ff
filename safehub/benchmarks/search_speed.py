"""How fast the screening search is on a large person index, and how often it finds the person.

`build` fills the database with a generated multi-agency index (several records per person, with
recording errors); `measure` times searches for people in it, each made from a fresh record of the
person with new errors, and checks that one of the person's records is in the top ten.

Beside the search it times a baseline, the usual way to use a trained Splink model on a new record:
the same retrieval from the same index, then Splink's own inference scoring the same candidates
(`Linker.inference.score_pairs`, DuckDB), the same rules on the levels Splink reports, the same ranking
and the same people loaded. Both run in one process on the same queries, alternately, so their ratio
holds across machines where absolute times do not.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pandas as pd
from django.db import connection, transaction
from django.db.models import QuerySet

from safehub.core.stats import percentile
from safehub.matching import learned_names, rules
from safehub.matching.features import COLUMNS, Features, PersonDetails, features_of
from safehub.matching.index import record_people
from safehub.matching.model import MatchModel
from safehub.matching.population import AgencyRecord, PersonTruth, Population, details_of
from safehub.matching.search import SHOW_ABOVE, candidates, search
from safehub.matching.training import new_linker
from safehub.people.models import Address, Person, PersonKind, Sex

BATCH = 5000
LOCAL_ID_PREFIX = "B"


@dataclass(frozen=True)
class Generated:
    population: Population
    people: dict[str, PersonTruth]
    records: list[AgencyRecord]


def generate(records: int, *, seed: int) -> Generated:
    """At least `records` agency records, deterministic for a seed (so a built index can be reused)."""
    population = Population(seed=seed)
    people: dict[str, PersonTruth] = {}
    made: list[AgencyRecord] = []
    household = 0
    while len(made) < records:
        members = population.household(household, today=datetime(2026, 11, 24, tzinfo=UTC).date())
        household += 1
        people.update((p.key, p) for p in members)
        base = len(made)
        made.extend(replace(r, id=f"R{base + n:08d}") for n, r in enumerate(population.records(members)))
    return Generated(population, people, made[:records])


def store(records: list[AgencyRecord], *, progress: Callable[[str], None] = lambda _: None) -> None:
    """One person row per agency record, as an index that has never been deduplicated holds them,
    stored and indexed in batches."""
    now = datetime.now(UTC)
    for start in range(0, len(records), BATCH):
        chunk = records[start : start + BATCH]
        with transaction.atomic():
            addresses = [Address(line_1=r.address[:200], postcode=r.postcode[:8], created_at=now) for r in chunk]
            record_people(
                [
                    Person(
                        local_id=f"{LOCAL_ID_PREFIX}{r.id}",
                        kind=PersonKind.UNBORN if r.dob_is_expected else PersonKind.CHILD,
                        given_name=r.given_name,
                        middle_names=r.middle_names,
                        family_name=r.family_name,
                        sex=r.sex or Sex.UNKNOWN,
                        date_of_birth=None if r.dob_is_expected else r.dob,
                        expected_date_of_delivery=r.dob if r.dob_is_expected else None,
                        nhs_number=r.nhs_number,
                        address=address,
                        created_at=now,
                    )
                    for r, address in zip(chunk, addresses, strict=True)
                ]
            )
        if (start // BATCH) % 20 == 0:
            progress(f"  {start + len(chunk):,} people stored and indexed")


def build(generated: Generated, *, progress: Callable[[str], None]) -> None:
    """Person rows and their index entries for every generated record."""
    if Person.objects.exists():
        raise ValueError("The database already holds people: build the benchmark index in an empty database")
    store(generated.records, progress=progress)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would soon after a bulk load: the visibility map lets the key lookups read the
            # index alone, not a heap page for each key's row.
            cursor.execute("VACUUM (ANALYZE)")


@dataclass(frozen=True)
class SpeedResult:
    searches: int
    found_in_top_ten: int
    found_first: int
    milliseconds: list[float]
    misses: list[str]

    def percentile(self, share: float) -> float:
        return percentile(self.milliseconds, share)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.milliseconds)


class SplinkBaseline:
    """The screening search as the usual practice would score it: Splink's inference on the same candidates."""

    def __init__(self, model: MatchModel) -> None:
        self.model = model
        settings = {**model.splink_settings, "retain_intermediate_calculation_columns": True}
        anyone = pd.DataFrame([{"unique_id": "anyone", **Features().as_row()}], columns=["unique_id", *COLUMNS])
        self.linker = new_linker([anyone], settings)
        self.tf = {w.comparison.tf_column: w.tf for w in model.comparisons if w.comparison.tf_column}

    def _record(self, unique_id: str, features: Features) -> dict[str, object]:
        record: dict[str, object] = {"unique_id": unique_id, **features.as_row()}
        for column, frequencies in self.tf.items():
            value = getattr(features, column)
            record[f"tf_{column}"] = frequencies.get(value) if value is not None else None
        return record

    def shown(self, details: PersonDetails) -> tuple[list[str], bool]:
        """As `_search`, for the benchmark."""
        found = self.search(details, within=Person.objects.all(), limit=10)
        return [person.local_id for person, _, _ in found], all(weights for _, _, weights in found)

    def _levels(self, row: dict[str, object]) -> dict[str, str]:
        levels = {}
        for weights in self.model.comparisons:
            comparison = weights.comparison
            gamma = int(row[f"gamma_{comparison.name}"])  # type: ignore[call-overload]
            levels[comparison.name] = comparison.levels[0 if gamma < 0 else len(comparison.levels) - 1 - gamma].key
        return levels

    def search(
        self, details: PersonDetails, *, within: QuerySet[Person], limit: int = 10
    ) -> list[tuple[Person, float, dict[str, float]]]:
        """The `limit` most likely people, each with its probability and each comparison's weight."""
        query = learned_names.add_to_features(features_of(details), self.model.name_forms)
        found = candidates(query)
        if not found:
            return []
        scored = self.linker.inference.score_pairs(
            [self._record("query", query)], [self._record(str(person_id), features) for person_id, features in found]
        ).as_pandas_dataframe()  # type: ignore[no-untyped-call]
        ranked = []
        entries = {str(person_id): features for person_id, features in found}
        for row in scored.to_dict("records"):
            probability = float(row["match_probability"])
            if (
                self.model.relatives_rule
                and probability > rules.RELATIVE_CAP
                and self.model.guard(self._levels(row), query, entries[str(row["unique_id_r"])])
            ):
                probability = rules.RELATIVE_CAP
            weights = {
                name: float(row[f"mw_{name}"]) + float(row.get(f"mw_tf_adj_{name}", 0.0))
                for name in (w.comparison.name for w in self.model.comparisons)
            }
            ranked.append((probability, float(row["match_weight"]), int(row["unique_id_r"]), weights))
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
        likely = [(person_id, (p, w)) for p, _, person_id, w in ranked if p >= SHOW_ABOVE]
        shown: list[tuple[Person, float, dict[str, float]]] = []
        for start in range(0, len(likely), 2 * limit):
            batch = likely[start : start + 2 * limit]
            people = within.filter(pk__in=[person_id for person_id, _ in batch])
            loaded = people.select_related("address").prefetch_related("involvements").in_bulk()
            for person_id, (probability, weights) in batch:
                if person_id in loaded:
                    shown.append((loaded[person_id], probability, weights))
                    if len(shown) == limit:
                        return shown
        return shown


@dataclass(frozen=True)
class SpeedComparison:
    ours: SpeedResult
    splink: SpeedResult | None

    def ratio(self, share: float) -> float:
        """How many times faster the search is than the baseline at this percentile."""
        if self.splink is None:
            return float("nan")
        return self.splink.percentile(share) / self.ours.percentile(share)


def measure(generated: Generated, *, searches: int, seed: int, baseline: MatchModel | None = None) -> SpeedComparison:
    """Time `searches` screening searches (retrieval, scoring, explanation, loading the people), and the
    Splink baseline on each of the same queries when given the model to run it with."""
    rng = random.Random(seed)  # noqa: S311 - choosing benchmark records, not security
    by_person: dict[str, set[str]] = {}
    for r in generated.records:
        by_person.setdefault(r.person_key, set()).add(f"{LOCAL_ID_PREFIX}{r.id}")
    targets = rng.sample(sorted(by_person), searches)
    splink = SplinkBaseline(baseline) if baseline is not None else None
    warm = details_of(generated.population.record(generated.people[targets[0]], "police", 0))
    _search(warm)
    if splink is not None:
        splink.shown(warm)
    ours, theirs = _Tally(), _Tally()
    for number, key in enumerate(targets):
        incoming = generated.population.record(generated.people[key], "police", number)
        details = details_of(incoming)
        runs: list[tuple[Callable[[PersonDetails], tuple[list[str], bool]], _Tally]] = [(_search, ours)]
        if splink is not None:
            runs.append((splink.shown, theirs))
        for run, tally in runs if number % 2 == 0 else runs[::-1]:
            started = time.perf_counter()
            ids, explained = run(details)
            tally.add((time.perf_counter() - started) * 1000, ids, by_person[key], explained, incoming)
    return SpeedComparison(ours.result(), theirs.result() if splink is not None else None)


def _search(details: PersonDetails) -> tuple[list[str], bool]:
    """The people the screening search shows (local ids), and whether each came with its explanation."""
    found = search(details, within=Person.objects.all(), limit=10)
    explanation = [c.score.contributions for c in found]  # part of what the page shows
    return [c.person.local_id for c in found], all(explanation)


@dataclass
class _Tally:
    timings: list[float] = field(default_factory=list)
    top_ten: int = 0
    first: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ms: float, ids: list[str], truth: set[str], explained: bool, incoming: AgencyRecord) -> None:
        self.timings.append(ms)
        hit = bool(truth & set(ids))
        self.top_ten += hit
        if not hit:
            self.misses.append(
                f"{incoming.given_name} {incoming.family_name} {incoming.dob} {incoming.postcode}: {ids[:3]}"
            )
        self.first += bool(ids) and ids[0] in truth and explained

    def result(self) -> SpeedResult:
        return SpeedResult(len(self.timings), self.top_ten, self.first, self.timings, self.misses)
