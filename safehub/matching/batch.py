"""The batch linkage commands' work: read, choose a model, score pairs, write. Shared by link and dedupe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from safehub.matching.csvio import (
    BadValues,
    UnreadableValue,
    feature_frame,
    read_people_file,
    report_path,
    write_pairs,
    write_unreadable,
)
from safehub.matching.linkage import SUPPORT, group, predict_pairs, refine_prior
from safehub.matching.model import MatchModel
from safehub.matching.services import active_model
from safehub.matching.training import train

ModelChoice = Literal["train", "hub"]


@dataclass(frozen=True)
class BatchResult:
    records: tuple[int, ...]
    pairs: int  # at or above the threshold
    model: MatchModel
    unreadable: tuple[UnreadableValue, ...] = ()
    report: Path | None = None  # where the values read as not known are listed (BadValues.BLANK only)
    grouped: int = 0  # pairs below the threshold whose records are grouped as one person (`linkage.group`)


def run(
    inputs: Sequence[Path],
    out: Path,
    *,
    threshold: float,
    model: ModelChoice = "train",
    engine: str = "duckdb",
    relatives_rule: bool = True,
    bad_values: BadValues = BadValues.REFUSE,
) -> BatchResult:
    """Link two files (or find duplicates in one) and write the pairs at or above `threshold`, and the
    pairs whose records are grouped as one person through them (`linkage.group`).

    model="train" estimates the parameters on the inputs themselves (unsupervised); "hub" uses the
    hub's active model. relatives_rule=False is for data known to hold no relatives (such as FEBRL):
    there a different first name may be a recording error rather than a brother or sister.
    bad_values=BadValues.BLANK reads a value that cannot be read (a date such as 1966-00-91) as not
    known and lists it in a report beside the output (`csvio.report_path`); by default such a value
    refuses its file. Nothing is written unless every input can be read.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("--threshold must be above 0 and at most 1")
    files = [read_people_file(path, bad_values=bad_values) for path in inputs]
    frames = [feature_frame(file.rows) for file in files]
    chosen = refine_prior(frames, train(frames, relatives_rule=relatives_rule)) if model == "train" else active_model()
    if chosen.relatives_rule != relatives_rule:
        chosen = replace(chosen, relatives_rule=relatives_rule)
    scored = predict_pairs(frames, chosen, threshold=threshold, engine=engine, keep_from=SUPPORT)
    pairs: pd.DataFrame = group(scored, frames, chosen, threshold=threshold)
    write_pairs(pairs, out)
    unreadable = tuple(value for file in files for value in file.unreadable)
    report = None
    if bad_values == BadValues.BLANK:
        report = report_path(out)
        write_unreadable(unreadable, report)  # even when empty, so that no older report is left to mislead
    grouped = int((pairs["found_by"] == "group").sum())
    return BatchResult(tuple(len(f) for f in frames), len(pairs) - grouped, chosen, unreadable, report, grouped)
