"""Batch linkage's rules on top of Splink's scores (linkage.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from safehub.matching import rules
from safehub.matching.features import COLUMNS, PersonDetails, features_of
from safehub.matching.linkage import group, predict_pairs
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


def _scored(*pairs: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["left_id", "right_id", "match_probability"])


DODIE = {
    "dodie-police": {"given_name": "Dodie", "family_name": "Okafor", "nhs_number": "9434765919", **HOME},
    "dorothy-gp": {"given_name": "Dorothy", "family_name": "Okafor", "nhs_number": "9434765919", **HOME},
    "dorothy-school": {"given_name": "Dorothy", "family_name": "Okafor", **HOME},
}


def test_records_grouped_as_one_person_through_a_third_are_listed_with_their_own_probability(
    model: MatchModel,
) -> None:
    """Dodie and Dorothy are one name in no table: pair by pair a twin's name, but the NHS number joins them."""
    people = frame(DODIE)
    grouped = group(
        _scored(("dodie-police", "dorothy-gp", 0.99), ("dorothy-gp", "dorothy-school", 0.99)),
        [people],
        model,
        threshold=0.9,
    )
    added = grouped[grouped["found_by"] == "group"]
    assert _pairs(added) == {frozenset({"dodie-police", "dorothy-school"})}
    assert added["match_probability"].iloc[0] == pytest.approx(rules.RELATIVE_CAP)  # its own score, held
    assert set(grouped[grouped["found_by"] == "score"]["match_probability"]) == {0.99}


def test_two_groups_join_when_two_pairs_between_them_are_likely_and_not_on_one(model: MatchModel) -> None:
    people = frame({f"r{n}": {"given_name": "Amara", "family_name": "Okafor", **HOME} for n in range(4)})
    strong = [("r0", "r1", 0.99), ("r2", "r3", 0.99)]
    one = group(_scored(*strong, ("r1", "r2", 0.6)), [people], model, threshold=0.9)
    assert frozenset({"r0", "r3"}) not in _pairs(one)
    two = group(_scored(*strong, ("r1", "r2", 0.6), ("r0", "r3", 0.7)), [people], model, threshold=0.9)
    assert frozenset({"r0", "r2"}) in _pairs(two)


def test_records_told_apart_by_birth_are_never_grouped(model: MatchModel) -> None:
    """An undated 'Owen Ellis' may score above the threshold with the father and the son: the groups stay two."""
    grouped = group(
        _scored(
            ("father-gp", "father-police", 0.99),
            ("son-school", "son-health", 0.99),
            ("undated", "father-gp", 0.98),
            ("undated", "son-school", 0.97),
        ),
        [frame(FATHER_AND_SON)],
        model,
        threshold=0.9,
    )
    assert not any(
        {"father-gp", "son-school"} <= pair or {"father-police", "son-health"} <= pair for pair in _pairs(grouped)
    )


def test_a_record_sharing_its_nhs_number_with_one_of_two_people_told_apart_matches_that_one(
    model: MatchModel,
) -> None:
    people = {**FATHER_AND_SON, "undated": {**FATHER_AND_SON["undated"], "nhs_number": "4010232137"}}
    people["son-health"] = {**people["son-health"], "nhs_number": "4010232137"}
    found = _pairs(predict_pairs([frame(people)], model, threshold=0.9))
    assert frozenset({"undated", "son-health"}) in found
    assert not any("undated" in pair and ("father-gp" in pair or "father-police" in pair) for pair in found)


TWINS = {
    "mia-gp": {"given_name": "Mia", "family_name": "Bird", "date_of_birth": dt.date(2026, 3, 12), **HOME},
    "mia-school": {"given_name": "Mia", "family_name": "Bird", "date_of_birth": dt.date(2026, 3, 12), **HOME},
    "mila-school": {"given_name": "Mila", "family_name": "Bird", "date_of_birth": dt.date(2026, 3, 12), **HOME},
    "mila-health": {"given_name": "Mila", "family_name": "Bird", **HOME},
}


def test_twins_whose_names_are_a_typing_error_apart_are_two_people_when_each_name_recurs(model: MatchModel) -> None:
    """Mia and Mila, each written on two records of one home, are twins; one 'Mila' record could be 'Mia' mistyped."""
    twins = {key: {**person, "sex": "F"} for key, person in TWINS.items()}
    found = _pairs(predict_pairs([frame(twins)], model, threshold=0.9))
    assert frozenset({"mia-gp", "mia-school"}) in found
    assert frozenset({"mila-school", "mila-health"}) in found
    assert not any(len({key.split("-")[0] for key in pair}) == 2 for pair in found)
    once = {key: person for key, person in twins.items() if key != "mila-health"}
    assert frozenset({"mia-gp", "mila-school"}) in _pairs(predict_pairs([frame(once)], model, threshold=0.9))
