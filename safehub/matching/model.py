"""A trained Fellegi–Sunter model, and scoring one pair of people with it, explained.

The parameters come from Splink (see `training.py`); this module only reads them, so the
interactive search can score a candidate in microseconds without a database engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from safehub.matching import rules
from safehub.matching.comparisons import BY_NAME, Agreement, Comparison
from safehub.matching.features import Features

FORMAT = 1


@dataclass(frozen=True)
class Contribution:
    """How one field moved the score: which level it reached and the match weight that carries."""

    comparison: str
    title: str
    level: str
    label: str
    agreement: Agreement
    weight: float
    term_frequency_adjustment: float = 0.0
    description: str = ""  # the whole sentence: "First names are forms of the same name"

    @property
    def total(self) -> float:
        return self.weight + self.term_frequency_adjustment


@dataclass(frozen=True)
class Score:
    match_weight: float
    probability: float
    contributions: tuple[Contribution, ...]
    prior_weight: float
    rule: str = ""  # why the probability was capped, if it was

    @property
    def levels(self) -> dict[str, str]:
        return {c.comparison: c.level for c in self.contributions}


def probability_from_weight(weight: float) -> float:
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds: float = 2.0**weight
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class ComparisonWeights:
    comparison: Comparison
    weights: tuple[float, ...]  # log2(m/u) per level, 0 for the null level and unobserved levels
    u_exact: float | None = None  # u of the exact level, for term-frequency adjustment
    tf: Mapping[str, float] = field(default_factory=dict)
    tf_minimum: float = 0.0

    def term_frequency_adjustment(self, level: int, value: str | None) -> float:
        if self.comparison.tf_column is None or self.comparison.levels[level].key != "exact" or value is None:
            return 0.0
        frequency = self.tf.get(value)
        if frequency is None or self.u_exact is None:
            return 0.0
        return math.log2(self.u_exact) - math.log2(max(frequency, self.tf_minimum))


@dataclass(frozen=True)
class MatchModel:
    prior: float  # the probability that two records picked at random are the same person
    comparisons: tuple[ComparisonWeights, ...]
    splink_settings: Mapping[str, Any]
    trained_on: int = 0
    # Whether the relatives rules apply (see rules.py and docs/adr/0005): always for the hub's person
    # index; for other data only when first names are reliable enough to tell relatives apart.
    relatives_rule: bool = True
    # First-name forms learnt from the records trained on (learned_names.py): name → its other forms.
    name_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def score(self, left: Features, right: Features) -> Score:
        total = self.prior_weight
        contributions = []
        for weights in self.comparisons:
            comparison = weights.comparison
            index = comparison.level_for(left, right)
            level = comparison.levels[index]
            tf_adjustment = 0.0
            if comparison.tf_column:
                tf_adjustment = weights.term_frequency_adjustment(index, getattr(left, comparison.tf_column))
            contribution = Contribution(
                comparison.name,
                comparison.title,
                level.key,
                level.label,
                level.agreement,
                weights.weights[index],
                tf_adjustment,
                comparison.describe(level),
            )
            contributions.append(contribution)
            total += contribution.total
        probability = probability_from_weight(total)
        levels = {c.comparison: c.level for c in contributions}
        reason = self.guard(levels, left, right) if self.relatives_rule else None
        if reason and probability > rules.RELATIVE_CAP:
            probability = rules.RELATIVE_CAP
        return Score(total, probability, tuple(contributions), self.prior_weight, reason or "")

    def quick(self, left: Features, right: Features) -> tuple[float, float]:
        """The match weight and probability `score` gives, without the explanation: for ranking many candidates,
        of which only the few shown are scored in full."""
        total = self.prior_weight
        levels: dict[str, str] = {}
        for weights in self.comparisons:
            comparison = weights.comparison
            index = comparison.level_for(left, right)
            tf_adjustment = 0.0
            if comparison.tf_column:
                tf_adjustment = weights.term_frequency_adjustment(index, getattr(left, comparison.tf_column))
            total += weights.weights[index] + tf_adjustment  # added as `score` adds, so the two agree exactly
            if comparison.name in rules.READS:
                levels[comparison.name] = comparison.levels[index].key
        probability = probability_from_weight(total)
        if self.relatives_rule and probability > rules.RELATIVE_CAP and self.guard(levels, left, right):
            probability = rules.RELATIVE_CAP
        return total, probability

    def guard(
        self, levels: Mapping[str, str], left: Features, right: Features, *, two_people: bool = False
    ) -> str | None:
        """The relatives rules (`rules.relative_guard`) on the levels two people reached, told whether
        first names that are not one name are one name mistyped (looked at only then), and whether names that
        agree are a last name written the other way round on both records (`rules.both_the_other_way_round`).

        two_people: batch linkage has seen in the file that the two first names are two people's
        (`rules.two_peoples_names`); it counts only where the first names reached forms, typo or jw92."""
        given = levels.get("given_name")
        mistyped = given in rules.FIRST_NAMES_DIFFER and rules.mistyped(left.given_name, right.given_name, self.seen)
        both_swapped = (
            given == "exact"
            and levels.get("family_name") == "else"
            and rules.both_the_other_way_round(left, right, self.seen, self.seen_as_last_name)
        )
        return rules.relative_guard(
            levels,
            mistyped=mistyped,
            both_swapped=both_swapped,
            two_people=two_people and given in ("forms", "typo", "jw92"),
        )

    def seen(self, given_name: str) -> float:
        """About how many of the records the model was trained on carry this first name."""
        return self._given_shares.get(given_name, 0.0) * self.trained_on

    def seen_as_last_name(self, family_name: str) -> float:
        """About how many of the records the model was trained on carry this last name."""
        return self._family_shares.get(family_name, 0.0) * self.trained_on

    @cached_property
    def _given_shares(self) -> Mapping[str, float]:
        return next((w.tf for w in self.comparisons if w.comparison.name == "given_name"), {})

    @cached_property
    def _family_shares(self) -> Mapping[str, float]:
        return next((w.tf for w in self.comparisons if w.comparison.name == "family_name"), {})

    # Storage -----------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "prior": self.prior,
            "trained_on": self.trained_on,
            "relatives_rule": self.relatives_rule,
            "name_forms": {name: list(forms) for name, forms in self.name_forms.items()},
            "comparisons": [
                {
                    "name": w.comparison.name,
                    "levels": [level.key for level in w.comparison.levels],
                    "weights": list(w.weights),
                    "u_exact": w.u_exact,
                    "tf": dict(w.tf),
                    "tf_minimum": w.tf_minimum,
                }
                for w in self.comparisons
            ],
            "splink_settings": dict(self.splink_settings),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatchModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"This matcher model has format {data.get('format')!r}; Safehub reads format {FORMAT}")
        comparisons = []
        for item in data["comparisons"]:
            comparison = BY_NAME.get(item["name"])
            if comparison is None or [level.key for level in comparison.levels] != item["levels"]:
                raise ValueError(
                    f"The stored matcher model's '{item['name']}' comparison no longer matches this version of"
                    " Safehub: train the matcher again (safehub train-matcher)"
                )
            comparisons.append(
                ComparisonWeights(
                    comparison,
                    tuple(item["weights"]),
                    item.get("u_exact"),
                    item.get("tf") or {},
                    item.get("tf_minimum") or 0.0,
                )
            )
        return cls(
            data["prior"],
            tuple(comparisons),
            data.get("splink_settings") or {},
            data.get("trained_on", 0),
            bool(data.get("relatives_rule", True)),
            {name: tuple(forms) for name, forms in (data.get("name_forms") or {}).items()},
        )
