"""Batch linkage's rules on top of Splink's scores (linkage.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from safehub.matching.features import COLUMNS, PersonDetails, features_of
from safehub.matching.linkage import predict_pairs
from safehub.matching.model import MatchModel
from safehub.matching.services import DEFAULT_MODEL

HOME = {"address": "6 Dale Walk", "postcode": "N5 2EQ", "sex": "M"}


def frame(people: dict[str, dict[str, Any]]) -> pd.DataFrame:
    rows = [{"unique_id": key, **features_of(PersonDetails(**p)).as_row()} for key, p in people.items()]
    return pd.DataFrame(rows, columns=["unique_id", *COLUMNS])


@pytest.fixture(scope="module")
def model() -> MatchModel:
    return MatchModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")))


FATHER_AND_SON = {
    "father-gp": {"given_name": "Owen", "family_name": "Ellis", "date_of_birth": dt.date(1983, 7, 4), **HOME},
    "father-police": {"given_name": "Owen", "family_name": "Ellis", "date_of_birth": dt.date(1983, 7, 4), **HOME},
    "son-school": {"given_name": "Owen", "family_name": "Ellis", "date_of_birth": dt.date(2019, 2, 1), **HOME},
    "son-health": {"given_name": "Owen", "family_name": "Ellis", "date_of_birth": dt.date(2019, 2, 1), **HOME},
    "undated": {"given_name": "Owen", "family_name": "Ellis", **HOME},
}


def _pairs(found: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in zip(found["left_id"], found["right_id"], strict=True)}


def test_a_record_matching_a_father_and_his_namesake_son_is_matched_to_neither(model: MatchModel) -> None:
    found = _pairs(predict_pairs([frame(FATHER_AND_SON)], model, threshold=0.9))
    assert frozenset({"father-gp", "father-police"}) in found
    assert frozenset({"son-school", "son-health"}) in found
    assert not any("undated" in pair for pair in found)


def test_without_the_relatives_rule_the_undated_record_matches_both(model: MatchModel) -> None:
    found = _pairs(predict_pairs([frame(FATHER_AND_SON)], replace(model, relatives_rule=False), threshold=0.9))
    assert frozenset({"undated", "father-gp"}) in found
    assert frozenset({"undated", "son-school"}) in found
