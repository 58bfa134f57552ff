"""The batch linkage commands' work: read, choose a model, score pairs, write. Shared by link and dedupe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from safehub.matching.csvio import feature_frame, read_people, write_pairs
from safehub.matching.linkage import predict_pairs, refine_prior
from safehub.matching.model import MatchModel
from safehub.matching.services import active_model
from safehub.matching.training import train

ModelChoice = Literal["train", "hub"]


@dataclass(frozen=True)
class BatchResult:
    records: tuple[int, ...]
    pairs: int
    model: MatchModel


def run(
    inputs: Sequence[Path],
    out: Path,
    *,
    threshold: float,
    model: ModelChoice = "train",
    engine: str = "duckdb",
    relatives_rule: bool = True,
) -> BatchResult:
    """Link two files (or find duplicates in one) and write the pairs at or above `threshold`.

    model="train" estimates the parameters on the inputs themselves (unsupervised); "hub" uses the
    hub's active model. relatives_rule=False is for data known to hold no relatives (such as FEBRL):
    there a different first name may be a recording error rather than a brother or sister. Nothing is
    written unless every input is valid.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("--threshold must be above 0 and at most 1")
    frames = [feature_frame(read_people(path)) for path in inputs]
    chosen = refine_prior(frames, train(frames, relatives_rule=relatives_rule)) if model == "train" else active_model()
    if chosen.relatives_rule != relatives_rule:
        chosen = replace(chosen, relatives_rule=relatives_rule)
    pairs: pd.DataFrame = predict_pairs(frames, chosen, threshold=threshold, engine=engine)
    write_pairs(pairs, out)
    return BatchResult(tuple(len(f) for f in frames), len(pairs), chosen)
