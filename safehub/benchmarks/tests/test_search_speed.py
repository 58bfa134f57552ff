"""The search speed benchmark's baseline ranks what the search ranks: only the scorer differs."""

from __future__ import annotations

import pytest

from safehub.benchmarks import search_speed
from safehub.matching.population import details_of
from safehub.matching.search import search
from safehub.matching.services import active_model
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated() -> search_speed.Generated:
    made = search_speed.generate(600, seed=3)
    search_speed.store(made.records)
    return made


def test_splink_scoring_the_same_candidates_ranks_the_same_people(generated: search_speed.Generated) -> None:
    baseline = search_speed.SplinkBaseline(active_model())
    everyone = Person.objects.all()
    for number, key in enumerate(sorted(generated.people)[:12]):
        details = details_of(generated.population.record(generated.people[key], "police", number))
        ours = search(details, within=everyone)
        theirs = baseline.search(details, within=everyone)
        assert [c.person.pk for c in ours] == [person.pk for person, _, _ in theirs]
        for candidate, (_, probability, weights) in zip(ours, theirs, strict=True):
            assert probability == pytest.approx(candidate.probability, abs=1e-9)
            assert weights == pytest.approx(
                {c.comparison: c.weight + c.term_frequency_adjustment for c in candidate.score.contributions}
            )


def test_the_measure_times_both_on_the_same_searches(generated: search_speed.Generated) -> None:
    compared = search_speed.measure(generated, searches=6, seed=1, baseline=active_model())
    assert compared.splink is not None
    assert compared.ours.searches == compared.splink.searches == 6
    assert compared.ours.found_in_top_ten == compared.splink.found_in_top_ten
    assert compared.ratio(0.95) > 0
    assert search_speed.measure(generated, searches=6, seed=1).splink is None
