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
    frames: Sequence[pd.DataFrame],
    model: MatchModel,
    *,
    threshold: float,
    engine: str = "duckdb",
    keep_from: float | None = None,
) -> pd.DataFrame:
    """Pairs at or above `threshold`, after the relatives rules: left_id, right_id, match_probability.

    keep_from: also return the pairs from this probability up (after the rules), as `group` reads them;
    which pairs count as matches, and so which records are ambiguous, is still decided at `threshold`.
    engine="spark" scores the pairs on Spark (local mode here; a cluster where SPARK_REMOTE or the
    session's master says so) for extracts too large for one machine; the model is the same.
    """
    lowest = threshold if keep_from is None else min(keep_from, threshold)
    frames = [learned_names.add_to_frame(frame, model.name_forms) for frame in frames]
    settings = settings_for_engine(dict(model.splink_settings), engine)
    settings["link_type"] = "link_only" if len(frames) == 2 else "dedupe_only"
    settings["retain_intermediate_calculation_columns"] = True
    # Which pairs to compare is this version's choice, not a parameter of the stored model.
    settings["blocking_rules_to_generate_predictions"] = prediction_blocks()
    linker = new_linker(frames, settings, engine=engine)
    predictions = linker.inference.predict(threshold_match_probability=lowest).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    if predictions.empty:
        return pd.DataFrame({"left_id": [], "right_id": [], "match_probability": []})
    if not model.relatives_rule:
        return _pairs(predictions, lowest)
    # Splink does not return the levels reached, so the rules look at the pairs above the threshold again.
    features = [_features_by_id(frame) for frame in frames]
    left_side, right_side = features[0], features[-1]
    left_ids = predictions["unique_id_l"].astype(str).tolist()
    right_ids = predictions["unique_id_r"].astype(str).tolist()
    twins = rules.two_peoples_names(record for side in features for record in side.values())
    capped = [
        model.guard(
            _levels(left_side[left], right_side[right]),
            left_side[left],
            right_side[right],
            two_people=twins.hold(left_side[left], right_side[right]),
        )
        is not None
        for left, right in zip(left_ids, right_ids, strict=True)
    ]
    capped = _ambiguous(
        left_ids, right_ids, capped, predictions["match_probability"].tolist(), threshold, features, model
    )
    predictions.loc[capped, "match_probability"] = predictions.loc[capped, "match_probability"].clip(
        upper=rules.RELATIVE_CAP
    )
    return _pairs(predictions, lowest)


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


SUPPORT = 0.5  # a pair more likely than not the same person supports joining two groups (`group`)
SUPPORTING_PAIRS = 2  # … when at least this many pairs between the two groups do


def group(pairs: pd.DataFrame, frames: Sequence[pd.DataFrame], model: MatchModel, *, threshold: float) -> pd.DataFrame:
    """The pairs at or above `threshold`, and the pairs of records grouped as one person through them.

    Records are grouped by their pairs at or above the threshold, strongest first, and two groups are
    also joined when at least SUPPORTING_PAIRS pairs between them reach SUPPORT: 'Ossie Okafor' (no NHS
    number) and 'Oscar Okafor' are one person when each matches an 'Oscar Okafor' record that carries
    the NHS number, though a twin's name would look the same pair by pair. Two groups are never joined
    when any record of one is told apart from any record of the other by stronger evidence than names
    (`rules.told_apart_by_birth_nhs_or_sex`): that is how a father and his namesake son, or a brother and
    sister, stay two people. `pairs` holds every pair from SUPPORT up (`predict_pairs(keep_from=SUPPORT)`).
    The result adds a column `found_by`: "score" for a pair at or above the threshold, "group" for a pair
    below it (with its own probability) whose records are grouped as one person.
    """
    two_files = len(frames) == 2
    features = [_features_by_id(frame) for frame in frames]
    right_side = 1 if two_files else 0
    node: dict[tuple[int, str], list[tuple[int, str]]] = {}  # (side, id) → its group's members

    def find(key: tuple[int, str]) -> list[tuple[int, str]]:
        return node.setdefault(key, [key])

    def apart(one: tuple[int, str], other: tuple[int, str]) -> bool:
        a, b = features[one[0]][one[1]], features[other[0]][other[1]]
        return rules.told_apart_by_birth_nhs_or_sex(_levels(a, b))

    def join(a: tuple[int, str], b: tuple[int, str]) -> None:
        first, second = find(a), find(b)
        if first is second or any(apart(x, y) for x in first for y in second):
            return
        first.extend(second)
        for member in second:
            node[member] = first

    ordered = pairs.sort_values("match_probability", ascending=False, kind="stable")
    rows = list(
        zip(ordered["left_id"].astype(str), ordered["right_id"].astype(str), ordered["match_probability"], strict=True)
    )
    for left, right, probability in rows:
        if probability >= threshold:
            join((0, left), (right_side, right))
    support: dict[tuple[int, int], list[tuple[tuple[int, str], tuple[int, str]]]] = {}
    for left, right, probability in rows:
        if probability < threshold:
            a, b = (0, left), (right_side, right)
            first, second = find(a), find(b)
            if first is not second:
                key = (min(id(first), id(second)), max(id(first), id(second)))
                support.setdefault(key, []).append((a, b))
    for found in sorted(support.values(), key=len, reverse=True):
        if len(found) >= SUPPORTING_PAIRS:
            join(*found[0])
    scored = pairs[pairs["match_probability"] >= threshold]
    listed = {(str(a), str(b)) for a, b in zip(scored["left_id"], scored["right_id"], strict=True)}
    added: list[tuple[str, str, float]] = []
    groups = {id(members): members for members in node.values() if len(members) > 2}
    for members in groups.values():
        lefts = sorted(m[1] for m in members if m[0] == 0)
        rights = sorted(m[1] for m in members if m[0] == right_side) if two_files else lefts
        for left in lefts:
            for right in rights:
                if (not two_files and left >= right) or (left, right) in listed or (right, left) in listed:
                    continue
                score = model.score(features[0][left], features[right_side][right])
                added.append((left, right, score.probability))
    result = scored.assign(found_by="score")
    if added:
        extra = pd.DataFrame(added, columns=["left_id", "right_id", "match_probability"]).assign(found_by="group")
        result = pd.concat([result, extra], ignore_index=True)
    return result.reset_index(drop=True)


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
