"""Batch linkage: score every plausible pair between two tables (or within one) with Splink."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from safehub.matching import learned_names, rules
from safehub.matching.comparisons import BY_NAME
from safehub.matching.features import Features, features_from_row
from safehub.matching.model import MatchModel
from safehub.matching.training import new_linker, prediction_blocks, settings_for_engine


def predict_pairs(
    frames: Sequence[pd.DataFrame], model: MatchModel, *, threshold: float, engine: str = "duckdb"
) -> pd.DataFrame:
    """Pairs at or above `threshold`, after the relatives rules: left_id, right_id, match_probability.

    engine="spark" scores the pairs on Spark (local mode here; a cluster where SPARK_REMOTE or the
    session's master says so) for extracts too large for one machine; the model is the same.
    """
    frames = [learned_names.add_to_frame(frame, model.name_forms) for frame in frames]
    settings = settings_for_engine(dict(model.splink_settings), engine)
    settings["link_type"] = "link_only" if len(frames) == 2 else "dedupe_only"
    settings["retain_intermediate_calculation_columns"] = True
    # Which pairs to compare is this version's choice, not a parameter of the stored model.
    settings["blocking_rules_to_generate_predictions"] = prediction_blocks()
    linker = new_linker(frames, settings, engine=engine)
    predictions = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    if predictions.empty:
        return pd.DataFrame({"left_id": [], "right_id": [], "match_probability": []})
    if not model.relatives_rule:
        return _pairs(predictions, threshold)
    # Splink does not return the levels reached, so the rules look at the pairs above the threshold again.
    features = [_features_by_id(frame) for frame in frames]
    left_side, right_side = features[0], features[-1]
    left_ids = predictions["unique_id_l"].astype(str).tolist()
    right_ids = predictions["unique_id_r"].astype(str).tolist()
    capped = [
        model.guard(_levels(left_side[left], right_side[right]), left_side[left], right_side[right]) is not None
        for left, right in zip(left_ids, right_ids, strict=True)
    ]
    capped = _ambiguous(
        left_ids, right_ids, capped, predictions["match_probability"].tolist(), threshold, features, model
    )
    predictions.loc[capped, "match_probability"] = predictions.loc[capped, "match_probability"].clip(
        upper=rules.RELATIVE_CAP
    )
    return _pairs(predictions, threshold)


def _ambiguous(
    left_ids: list[str],
    right_ids: list[str],
    capped: list[bool],
    probabilities: list[float],
    threshold: float,
    features: list[dict[str, Features]],
    model: MatchModel,
) -> list[bool]:
    """`capped`, and also each pair whose record matches two people told apart (rules.told_apart).

    A partner sharing the record's NHS number is the record's person: it stands, and only the partners
    told apart from it are dropped.
    """
    two_files = len(features) == 2
    partners: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    for row, (left, right, held, probability) in enumerate(
        zip(left_ids, right_ids, capped, probabilities, strict=True)
    ):
        if held or probability < threshold:
            continue
        partners.setdefault((0, left), []).append((row, 1 if two_files else 0, right))
        partners.setdefault((1 if two_files else 0, right), []).append((row, 0, left))
    result = list(capped)
    for (side, record_id), found in partners.items():
        if len(found) < 2:
            continue

        def apart(one: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
            a, b = features[one[1]][one[2]], features[other[1]][other[2]]
            return model.guard(_levels(a, b), a, b) in rules.DIFFERENT_PEOPLE

        record = features[side][record_id]
        same_nhs = {p for p in found if _same_nhs(record, features[p[1]][p[2]])}
        for partner in rules.told_apart(found, apart, certain=same_nhs):
            result[partner[0]] = True
    return result


def _same_nhs(one: Features, other: Features) -> bool:
    return one.nhs_number is not None and one.nhs_number == other.nhs_number


def _pairs(predictions: pd.DataFrame, threshold: float) -> pd.DataFrame:
    kept = predictions[predictions["match_probability"] >= threshold]
    return pd.DataFrame(
        {
            "left_id": kept["unique_id_l"].astype(str),
            "right_id": kept["unique_id_r"].astype(str),
            "match_probability": kept["match_probability"].astype(float),
        }
    ).reset_index(drop=True)


def _features_by_id(frame: pd.DataFrame) -> dict[str, Features]:
    return {str(row["unique_id"]): features_from_row(row) for row in frame.to_dict("records")}


def _levels(left: Features, right: Features) -> dict[str, str]:
    return {name: BY_NAME[name].levels[BY_NAME[name].level_for(left, right)].key for name in rules.READS}


def with_prior(model: MatchModel, prior: float) -> MatchModel:
    settings = {**model.splink_settings, "probability_two_random_records_match": prior}
    return replace(model, prior=prior, splink_settings=settings)


def refine_prior(frames: Sequence[pd.DataFrame], model: MatchModel, *, rounds: int = 2) -> MatchModel:
    """Re-estimate the prior as the expected number of matches among the blocked pairs over all pairs.

    The first estimate assumes the certain rules find 80% of the matches; on heavily corrupted data
    they find far fewer. Summing the model's own probabilities is the self-consistent answer.
    """
    sizes = [len(f) for f in frames]
    total = sizes[0] * sizes[1] if len(frames) == 2 else sizes[0] * (sizes[0] - 1) / 2
    frames = [learned_names.add_to_frame(frame, model.name_forms) for frame in frames]
    for _ in range(rounds):
        settings = settings_for_engine(dict(model.splink_settings), "duckdb")
        settings["link_type"] = "link_only" if len(frames) == 2 else "dedupe_only"
        settings["blocking_rules_to_generate_predictions"] = prediction_blocks()
        scored = new_linker(frames, settings).inference.predict(threshold_match_probability=0.001)
        expected = float(scored.as_pandas_dataframe()["match_probability"].sum())  # type: ignore[no-untyped-call]
        model = with_prior(model, min(max(expected, 1.0) / total, 0.5))
    return model
