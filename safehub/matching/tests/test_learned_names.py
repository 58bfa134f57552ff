"""First-name forms learnt from records that are one person (learned_names.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from safehub.matching import learned_names, rules
from safehub.matching.features import COLUMNS, PersonDetails, features_of
from safehub.matching.model import MatchModel
from safehub.matching.services import DEFAULT_MODEL

NHS = ["9434765919", "4010232137", "6541367818", "8820464738"]


def frame(*people: dict[str, Any]) -> pd.DataFrame:
    rows = [{"unique_id": str(n), **features_of(PersonDetails(**p)).as_row()} for n, p in enumerate(people)]
    return pd.DataFrame(rows, columns=["unique_id", *COLUMNS])


def oscar(nhs: str, given: str, born: dt.date, **more: Any) -> dict[str, Any]:
    return {"given_name": given, "family_name": "Okafor", "date_of_birth": born, "nhs_number": nhs, **more}


def test_names_two_people_are_recorded_under_are_learnt_as_forms_of_one_name() -> None:
    one, two = dt.date(2015, 3, 9), dt.date(2017, 6, 1)
    learnt = learned_names.learn(
        [
            frame(oscar(NHS[0], "Oscar", one), oscar(NHS[0], "Ossie", one), oscar(NHS[1], "Ossie", two)),
            frame(oscar(NHS[1], "Oscar", two)),
        ]
    )
    assert learnt == {"oscar": ("ossie",), "ossie": ("oscar",)}


def test_one_person_is_not_enough_to_learn_a_form() -> None:
    """One mistyped NHS number (a sister's on her brother's record) must not make two names one."""
    born = dt.date(2015, 3, 9)
    assert learned_names.learn([frame(oscar(NHS[0], "Oscar", born), oscar(NHS[0], "Chloe", born))]) == {}


def test_records_sharing_a_home_and_a_birth_add_support_to_a_pair_an_nhs_number_confirms() -> None:
    one, two = dt.date(2015, 3, 9), dt.date(2017, 6, 1)
    home = {"postcode": "DA6 7AT"}
    confirmed = [oscar(NHS[0], "Oscar", one), oscar(NHS[0], "Ossie", one)]
    at_home = [oscar("", "Oscar", two, **home), oscar("", "Ossie", two, **home)]
    assert learned_names.learn([frame(*confirmed, *at_home)]) == {"oscar": ("ossie",), "ossie": ("oscar",)}
    # Without a person whose NHS number confirms the pair, twins at home are all there is.
    twins = [oscar("", "Oscar", one, **home), oscar("", "Ossie", one, **home)]
    assert learned_names.learn([frame(*at_home, *twins)]) == {}


def test_twins_recorded_with_different_nhs_numbers_or_sexes_are_never_learnt() -> None:
    one, two = dt.date(2015, 3, 9), dt.date(2017, 6, 1)
    home = {"postcode": "DA6 7AT"}
    records = [
        oscar(NHS[0], "Oscar", one),
        oscar(NHS[0], "Ossie", one),
        oscar(NHS[1], "Oscar", two, **home),
        oscar(NHS[2], "Ossie", two, **home),  # twins: their NHS numbers differ
    ]
    assert learned_names.learn([frame(*records)]) == {}
    records[3] = oscar("", "Ossie", two, sex="F", **home)  # twins: a boy and a girl
    records[2] = oscar("", "Oscar", two, sex="M", **home)
    assert learned_names.learn([frame(*records)]) == {}


def test_names_under_one_nhs_number_but_other_births_or_surnames_are_not_learnt() -> None:
    one, two = dt.date(2015, 3, 9), dt.date(2017, 6, 1)
    records = [
        oscar(NHS[0], "Oscar", one),
        oscar(NHS[0], "Ossie", two),
        oscar(NHS[1], "Oscar", one),
        oscar(NHS[1], "Ossie", one, family_name="Bell"),
    ]
    assert learned_names.learn([frame(*records)]) == {}


def test_learnt_forms_are_added_to_records_and_to_a_search() -> None:
    learnt = {"oscar": ("ossie",), "ossie": ("oscar",)}
    added = learned_names.add_to_frame(frame({"given_name": "Ossie"}, {"given_name": "Amara"}), learnt)
    assert added["given_forms"].tolist()[0] == ["oscar", "ossie"]
    assert added["given_forms"].tolist()[1] == ["amara"]
    search = learned_names.add_to_features(features_of(PersonDetails(given_name="Oscar")), learnt)
    assert search.given_forms == ["oscar", "ossie"]


@pytest.fixture(scope="module")
def model() -> MatchModel:
    return MatchModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")))


def test_a_learnt_nickname_is_the_same_child_where_an_unknown_one_is_held_as_a_twin(model: MatchModel) -> None:
    home = {
        "family_name": "Okafor",
        "date_of_birth": dt.date(2015, 3, 9),
        "address": "14 Elm Road",
        "postcode": "DA6 7AT",
    }
    # Dodie is a pet form of Dorothy in no table, and not made from the name's start (as Ossie is of Oscar).
    dodie, dorothy = (
        features_of(PersonDetails(given_name="Dodie", **home)),
        features_of(PersonDetails(given_name="Dorothy", **home)),
    )
    assert model.score(dodie, dorothy).rule == rules.DIFFERENT_FIRST_NAMES
    learnt = replace(model, name_forms={"dorothy": ("dodie",), "dodie": ("dorothy",)})
    score = learnt.score(learned_names.add_to_features(dodie, learnt.name_forms), dorothy)
    assert score.levels["given_name"] == "forms"
    assert score.rule == ""
    assert score.probability > 0.9


def test_learnt_forms_round_trip_through_the_stored_model(model: MatchModel) -> None:
    learnt = replace(model, name_forms={"oscar": ("ossie",), "ossie": ("oscar",)})
    assert MatchModel.from_json(json.loads(json.dumps(learnt.to_json()))).name_forms == learnt.name_forms
