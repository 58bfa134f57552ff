"""The held-out population and its measure: what they make and count, not how well matching does."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from safehub.benchmarks.held_out import DEFAULT_SEED, HeldOutPopulation, _forms, write_csv
from safehub.benchmarks.held_out_matching import held_out
from safehub.matching.csvio import REQUIRED

# Files only: the same on any database (see conftest.py).
pytestmark = pytest.mark.database_independent


def test_a_seed_makes_the_same_records_and_another_seed_others() -> None:
    def records(seed: int) -> list[tuple[str, ...]]:
        population = HeldOutPopulation(seed=seed)
        return [
            (r.id, r.given_name, r.family_name, r.dob, r.address) for r in population.records(population.people(40))
        ]

    assert records(5) == records(5)
    assert records(5) != records(6)
    assert DEFAULT_SEED != 5


def test_households_hold_twins_namesake_sons_and_children_never_named_alike() -> None:
    people = HeldOutPopulation(seed=1).people(600)
    roles = Counter(p.role for p in people)
    assert roles["twin"]
    assert roles["namesake_son"]
    assert roles["step_parent"]
    children: dict[int, list[str]] = {}
    for person in people:
        if person.role in ("child", "twin"):
            children.setdefault(person.household, []).append(person.given_name)
    for names in children.values():
        for index, name in enumerate(names):
            assert not any(_forms(name) & _forms(other) for other in names[index + 1 :]), names


def test_records_carry_the_errors_they_are_labelled_with(tmp_path: Path) -> None:
    population = HeldOutPopulation(seed=2)
    people = {p.key: p for p in population.people(300)}
    records = population.records(list(people.values()))
    errors = Counter(error for r in records for error in r.errors)
    for kind in ("nickname", "given_typo", "swapped", "dob_missing", "dob_swapped", "moved", "half_surname"):
        assert errors[kind], kind
    for record in records:
        person = people[record.person_key]
        if "dob_missing" in record.errors:
            assert record.dob == ""
        if "swapped" in record.errors and not record.errors & {"nickname", "given_typo", "family_typo", "second_name"}:
            assert record.family_name.lower() == person.given_name.lower()
        if not record.errors & {"nickname", "given_typo", "swapped", "second_name"}:
            assert record.given_name.lower() == person.given_name.lower()
    with write_csv(records, tmp_path / "set.csv").open(encoding="utf-8") as file:
        assert tuple(next(csv.reader(file))) == REQUIRED  # the people CSV format: no middle names


def test_the_measure_accounts_for_every_true_pair(tmp_path: Path) -> None:
    result = held_out(150, seed=3, searches=60, workdir=tmp_path)
    pairs = result.pairs
    assert pairs.true_pairs > 0
    assert sum(result.misses.values()) == pairs.true_pairs - pairs.true_positives
    assert result.relatives_joined <= pairs.predicted - pairs.true_positives
    assert len(result.relatives_pairs) == result.relatives_joined
    assert all(pair.left.household == pair.right.household for pair in result.relatives_pairs)
    assert (tmp_path / "held_out_3_pairs-unreadable.csv").exists()
    assert result.search.searches + result.search.unknown == 60
    assert result.search.first <= result.search.top_ten <= result.search.searches
