"""Estimating the model's parameters with Splink (DuckDB, embedded), unsupervised.

u probabilities come from random pairs; m probabilities from expectation maximisation in two
sessions blocked on different fields, so that every comparison is estimated at least once; the
prior from pairs that agree on an identifier or on every name and the date of birth.
"""

from __future__ import annotations

import copy
import logging
import math
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Literal

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.exceptions import EMTrainingException

from safehub.matching import learned_names
from safehub.matching.comparisons import BY_NAME, COMPARISONS, Comparison
from safehub.matching.features import COLUMNS
from safehub.matching.model import ComparisonWeights, MatchModel

log = logging.getLogger(__name__)
LinkType = Literal["link_only", "dedupe_only"]


def block_on_sql(rule: str) -> dict[str, Any]:
    return {"blocking_rule": rule}


# Pairs Splink scores in batch linkage: any one of these must agree for two records to be compared.
PREDICTION_BLOCKS = (
    "l.nhs_number = r.nhs_number",
    "l.dob = r.dob",
    "l.dob_swapped = r.dob",
    "l.given_name = r.given_name AND l.family_name = r.family_name",
    "l.given_name = r.family_name AND l.family_name = r.given_name",
    "l.family_name = r.family_name AND l.postcode = r.postcode",
    "l.given_name = r.given_name AND l.postcode = r.postcode",
    "l.family_name = r.family_name AND substr(l.dob, 1, 7) = substr(r.dob, 1, 7)",
    "l.given_name = r.given_name AND substr(l.dob, 1, 4) = substr(r.dob, 1, 4)",
    "l.given_name = r.given_name AND substr(l.family_name, 1, 3) = substr(r.family_name, 1, 3)",
    "l.address = r.address",
    "l.postcode = r.postcode",
    "l.family_name = r.family_name AND substr(l.given_name, 1, 1) = substr(r.given_name, 1, 1)",
    "l.house_number = r.house_number AND substr(l.family_name, 1, 1) = substr(r.family_name, 1, 1)",
    "l.house_number = r.house_number AND l.given_name = r.given_name",
)
# Deterministic rules for the prior: an identifier, or every name and the date of birth; they are
# assumed to find this share of the true matches.
CERTAIN_RULES = (("nhs_number",), ("given_name", "family_name", "dob"))
CERTAIN_RECALL = 0.8


MINIMUM_CERTAIN_PAIRS = 20


def certain_pairs(frames: Sequence[pd.DataFrame]) -> float:
    """How many pairs agree on the most productive certain rule."""
    found = 0.0
    for columns in CERTAIN_RULES:
        counts = [f.dropna(subset=list(columns)).groupby(list(columns)).size() for f in frames]
        if len(frames) == 2:
            joined = counts[0].to_frame("left").join(counts[1].to_frame("right"), how="inner")
            pairs = float((joined["left"] * joined["right"]).sum())
        else:
            pairs = float((counts[0] * (counts[0] - 1) / 2).sum())
        found = max(found, pairs)
    return found


def estimate_prior(frames: Sequence[pd.DataFrame], found: float) -> float:
    """The probability that two records picked at random are the same person: the certain pairs,
    scaled up by the rules' recall, over all pairs."""
    sizes = [len(f) for f in frames]
    total = sizes[0] * sizes[1] if len(frames) == 2 else sizes[0] * (sizes[0] - 1) / 2
    return float(min(found / CERTAIN_RECALL / total, 0.5))


def _splink_comparison(comparison: Comparison) -> cl.CustomComparison:
    levels: list[Any] = []
    for index, level in enumerate(comparison.levels):
        if level.key == "null":
            levels.append(cll.CustomLevel(level.sql_for("duckdb"), "null").configure(is_null_level=True))
        elif level.key == "else":
            levels.append(cll.ElseLevel())
        else:
            creator = cll.CustomLevel(level.sql_for("duckdb"), level.key)
            if level.key == "exact" and comparison.tf_column and index == 1:
                creator.configure(tf_adjustment_column=comparison.tf_column, tf_adjustment_weight=1.0)
            levels.append(creator)
    return cl.CustomComparison(levels, output_column_name=comparison.name, comparison_description=comparison.title)


def usable_comparisons(frames: Iterable[pd.DataFrame]) -> tuple[Comparison, ...]:
    """The comparisons whose fields are present in every input (a comparison with no data cannot be trained)."""
    frames = list(frames)
    usable = []
    for comparison in COMPARISONS:
        main_column = comparison.columns[0]
        if all(frame[main_column].notna().any() for frame in frames):
            usable.append(comparison)
    return tuple(usable)


def prediction_blocks() -> list[dict[str, Any]]:
    return [block_on_sql(rule) for rule in PREDICTION_BLOCKS]


def settings_for(comparisons: Sequence[Comparison], *, link_type: LinkType, prior: float = 1e-4) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        probability_two_random_records_match=prior,
        unique_id_column_name="unique_id",
        comparisons=[_splink_comparison(c) for c in comparisons],
        blocking_rules_to_generate_predictions=list[BlockingRuleCreator | dict[str, Any]](prediction_blocks()),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """The feature columns in Splink's expected order, with a string unique_id."""
    missing = [c for c in ("unique_id", *COLUMNS) if c not in frame.columns]
    if missing:
        raise ValueError(f"Feature table is missing columns: {', '.join(missing)}")
    prepared = frame[["unique_id", *COLUMNS]].copy()
    prepared["unique_id"] = prepared["unique_id"].astype(str)
    return prepared


def new_linker(
    frames: Sequence[pd.DataFrame], settings: SettingsCreator | dict[str, Any], *, engine: str = "duckdb"
) -> Linker:
    api = spark_api() if engine == "spark" else DuckDBAPI()
    tables = [api.register(prepare(frame)) for frame in frames]
    return Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)


def spark_api() -> Any:
    """Splink's Spark backend on a local session (pyspark is the optional extra `safehub[spark]`)."""
    try:
        from pyspark.sql import SparkSession  # an optional dependency, loaded only when asked for
        from splink.backends.spark import SparkAPI, similarity_jar_location
    except ImportError as error:
        raise ImportError("--engine spark needs pyspark: pip install 'safehub[spark]' (and Java 17)") from error
    session = (
        SparkSession.builder.appName("safehub-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="safehub-spark-"))
    return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]


def train(
    frames: Sequence[pd.DataFrame],
    *,
    relatives_rule: bool = True,
    max_pairs: float = 2e6,
    seed: int = 20261124,
) -> MatchModel:
    """Estimate a model on one table (find duplicates within it) or two (link them).

    relatives_rule: whether the rules that keep relatives apart apply to the model (see rules.py).
    """
    link_type: LinkType = "link_only" if len(frames) == 2 else "dedupe_only"
    comparisons = usable_comparisons(frames)
    if not any(c.name in ("given_name", "family_name") for c in comparisons):
        raise ValueError("There are no names to match on: at least one of given_name or family_name must have values")
    found = certain_pairs(frames)
    if found < MINIMUM_CERTAIN_PAIRS:
        raise ValueError(
            f"The records hold too few people recorded more than once to learn from: {found:.0f} pairs share an"
            f" NHS number or every name and the date of birth, and training needs {MINIMUM_CERTAIN_PAIRS}"
        )
    name_forms = learned_names.learn(frames)
    frames = [learned_names.add_to_frame(frame, name_forms) for frame in frames]
    linker = new_linker(frames, settings_for(comparisons, link_type=link_type, prior=estimate_prior(frames, found)))
    try:
        _estimate(linker, frames, {c.name for c in comparisons}, max_pairs=max_pairs, seed=seed)
    except (ValueError, EMTrainingException) as error:
        raise ValueError(
            f"The records hold too few people recorded more than once to learn from (Splink: {str(error)[:120]})"
        ) from error
    settings = _bounded(linker.misc.save_model_to_json(), max_pairs=max_pairs)
    frequencies = _term_frequencies(frames, comparisons)
    model = model_from_splink(
        settings, frequencies, trained_on=sum(len(f) for f in frames), relatives_rule=relatives_rule
    )
    return replace(model, name_forms=name_forms)


MINIMUM_LABELLED_PAIRS = 200
# Bounds on estimated probabilities: a level never seen among matches is unlikely, not impossible.
M_FLOOR = 1e-3
U_FLOOR = 1e-8
# An NHS number is recorded wrongly about once in two hundred records (assumed; it cannot be
# learnt from pairs that are labelled by the NHS number itself).
NHS_NUMBER_M = {"exact": 0.995, "else": 0.005}


def _labelled_pairs(frames: Sequence[pd.DataFrame]) -> int:
    counts = pd.concat([f["nhs_number"] for f in frames]).dropna().value_counts()
    return int((counts * (counts - 1) // 2).sum())


def _bounded(settings: dict[str, Any], *, max_pairs: float) -> dict[str, Any]:
    """Fill in what sampling could not see, conservatively.

    A level seen among matches but never among `max_pairs` random pairs (an agreeing NHS number,
    names the other way round) is rarer than one in `max_pairs`: that bound is its u. A level never
    seen among matches is at most neutral evidence and never proof against a match.
    """
    for item in settings["comparisons"]:
        ours = BY_NAME[item["output_column_name"]].levels
        levels = [
            (level, own)
            for level, own in zip(item["comparison_levels"], ours, strict=True)
            if not level.get("is_null_level")
        ]
        is_nhs = item["output_column_name"] == "nhs_number"
        for index, (level, own) in enumerate(levels):
            if is_nhs:
                level["m_probability"] = NHS_NUMBER_M["exact" if index == 0 else "else"]
            u, m = level.get("u_probability"), level.get("m_probability")
            if u is None and m is None:
                continue
            u = level["u_probability"] = max(u if u is not None else 1.0 / max_pairs, U_FLOOR)
            level["m_probability"] = u if own.counted_elsewhere else max(m or 0.0, min(M_FLOOR, u))
    return settings


def _estimate(linker: Linker, frames: Sequence[pd.DataFrame], names: set[str], *, max_pairs: float, seed: int) -> None:
    training = linker.training
    training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    if "nhs_number" in names and _labelled_pairs(frames) >= MINIMUM_LABELLED_PAIRS:
        # Records sharing an NHS number are the same person: learn m from them, not from EM, whose
        # "matches" among same-birthday pairs would include every pair of twins.
        training.estimate_m_from_label_column("nhs_number")
    else:
        if "dob" in names:
            training.estimate_parameters_using_expectation_maximisation(
                block_on("dob"), estimate_without_term_frequencies=True
            )
        training.estimate_parameters_using_expectation_maximisation(
            block_on("given_name", "family_name"), estimate_without_term_frequencies=True
        )


def _term_frequencies(frames: Sequence[pd.DataFrame], comparisons: Sequence[Comparison]) -> dict[str, dict[str, float]]:
    """Splink's definition: the share of non-missing values equal to this one, over all inputs."""
    result = {}
    for comparison in comparisons:
        if comparison.tf_column is None:
            continue
        values = pd.concat([f[comparison.tf_column] for f in frames]).dropna()
        shares = values.value_counts(normalize=True)
        result[comparison.tf_column] = {str(k): float(v) for k, v in shares.items()}
    return result


def _weight(level: dict[str, Any]) -> float:
    m, u = level.get("m_probability"), level.get("u_probability")
    if level.get("is_null_level") or not m or not u:
        return 0.0
    return math.log2(m / u)


def model_from_splink(
    settings: dict[str, Any],
    frequencies: dict[str, dict[str, float]],
    *,
    trained_on: int = 0,
    relatives_rule: bool = True,
) -> MatchModel:
    """Read the m and u probabilities Splink estimated into our model, level by level."""
    by_name = {c.name: c for c in COMPARISONS}
    comparisons = []
    for item in settings["comparisons"]:
        comparison = by_name[item["output_column_name"]]
        levels = item["comparison_levels"]
        if len(levels) != len(comparison.levels):
            raise ValueError(
                f"Splink's {comparison.name} comparison has {len(levels)} levels, ours {len(comparison.levels)}"
            )
        exact = levels[1] if comparison.levels[1].key == "exact" else None
        comparisons.append(
            ComparisonWeights(
                comparison,
                tuple(_weight(level) for level in levels),
                exact.get("u_probability") if exact else None,
                frequencies.get(comparison.tf_column or "", {}),
                float(exact.get("tf_minimum_u_value", 0.0)) if exact else 0.0,
            )
        )
    return MatchModel(
        settings["probability_two_random_records_match"], tuple(comparisons), settings, trained_on, relatives_rule
    )


def settings_for_engine(settings: dict[str, Any], engine: str) -> dict[str, Any]:
    """A stored model's Splink settings with each level's SQL rendered for another engine."""
    if engine == "duckdb":
        return settings
    rendered = copy.deepcopy(settings)
    rendered["sql_dialect"] = engine
    by_name = {c.name: c for c in COMPARISONS}
    for item in rendered["comparisons"]:
        comparison = by_name[item["output_column_name"]]
        for stored, level in zip(item["comparison_levels"], comparison.levels, strict=True):
            if level.key != "else":
                stored["sql_condition"] = level.sql_for(engine)
    return rendered
