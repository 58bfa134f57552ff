"""How fast the screening search is on a large person index, and how often it finds the person.

`build` fills the database with a generated multi-agency index (several records per person, with
recording errors); `measure` times searches for people in it, each made from a fresh record of the
person with new errors, and checks that one of the person's records is in the top ten.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.db import connection, transaction

from safehub.core.stats import percentile
from safehub.matching.index import record_people
from safehub.matching.population import AgencyRecord, PersonTruth, Population, details_of
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
            cursor.execute("ANALYZE")


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


def measure(generated: Generated, *, searches: int, seed: int) -> SpeedResult:
    """Time `searches` screening searches (retrieval, scoring, explanation, loading the people)."""
    from safehub.matching.search import search  # imported late: it loads the active model from the database

    rng = random.Random(seed)  # noqa: S311 - choosing benchmark records, not security
    by_person: dict[str, set[str]] = {}
    for r in generated.records:
        by_person.setdefault(r.person_key, set()).add(f"{LOCAL_ID_PREFIX}{r.id}")
    targets = rng.sample(sorted(by_person), searches)
    everyone = Person.objects.all()
    search(details_of(generated.population.record(generated.people[targets[0]], "police", 0)), within=everyone)
    timings, top_ten, first, misses = [], 0, 0, []
    for number, key in enumerate(targets):
        incoming = generated.population.record(generated.people[key], "police", number)
        started = time.perf_counter()
        found = search(details_of(incoming), within=everyone, limit=10)
        explanation = [c.score.contributions for c in found]  # part of what the page shows
        timings.append((time.perf_counter() - started) * 1000)
        ids = [c.person.local_id for c in found]
        hit = bool(by_person[key] & set(ids))
        top_ten += hit
        if not hit:
            misses.append(f"{incoming.given_name} {incoming.family_name} {incoming.dob} {incoming.postcode}: {ids[:3]}")
        first += bool(ids) and ids[0] in by_person[key] and bool(explanation)
    return SpeedResult(searches, top_ten, first, timings, misses)
