from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest

from safehub.matching import presenters, rules
from safehub.matching.features import Features, PersonDetails, features_of
from safehub.matching.model import MatchModel
from safehub.matching.services import DEFAULT_MODEL

HOME = {"address": "14 Elm Road", "postcode": "DA6 7AT"}


@pytest.fixture(scope="module")
def model() -> MatchModel:
    return MatchModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")))


def f(**fields: Any) -> Features:
    return features_of(PersonDetails(**fields))


def child(**changes: Any) -> Features:
    fields: dict[str, Any] = {
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": dt.date(2018, 3, 9),
        "sex": "F",
        **HOME,
    }
    fields.update(changes)
    return f(**fields)


def test_the_same_record_is_almost_certainly_the_same_person(model: MatchModel) -> None:
    assert model.score(child(), child()).probability > 0.99


def test_a_nickname_with_everything_else_the_same_is_a_match(model: MatchModel) -> None:
    alfred = child(given_name="Alfred", sex="M")
    assert model.score(child(given_name="Alfie", sex="M"), alfred).probability > 0.9


def test_twins_are_held_below_every_threshold(model: MatchModel) -> None:
    score = model.score(child(), child(given_name="Chioma"))
    assert score.probability <= rules.RELATIVE_CAP
    assert score.rule == rules.DIFFERENT_FIRST_NAMES


def test_an_agreeing_nhs_number_overrides_the_relatives_rule(model: MatchModel) -> None:
    score = model.score(child(nhs_number="9434765919"), child(given_name="Chioma", nhs_number="9434765919"))
    assert score.rule == ""
    assert score.probability > rules.RELATIVE_CAP


def test_a_parent_with_the_childs_name_is_held_below_every_threshold(model: MatchModel) -> None:
    score = model.score(child(), child(date_of_birth=dt.date(1990, 5, 1)))
    assert score.probability <= rules.RELATIVE_CAP
    assert score.rule == rules.BORN_APART


def test_two_unborn_babies_of_one_mother_are_not_one_child(model: MatchModel) -> None:
    first = f(given_name="Baby", family_name="Okafor", expected_date_of_delivery=dt.date(2025, 1, 10), **HOME)
    second = f(given_name="Baby", family_name="Okafor", expected_date_of_delivery=dt.date(2025, 8, 22), **HOME)
    score = model.score(first, second)
    assert score.probability <= rules.RELATIVE_CAP
    assert score.rule == rules.NO_FIRST_NAME


def test_an_unborn_baby_matches_the_born_child_near_the_expected_date(model: MatchModel) -> None:
    unborn = f(given_name="Baby", family_name="Okafor", expected_date_of_delivery=dt.date(2027, 1, 20), **HOME)
    born = f(given_name="Amara", family_name="Okafor", date_of_birth=dt.date(2027, 2, 2), **HOME)
    score = model.score(unborn, born)
    assert score.levels["dob"] == "expected"
    assert score.rule == ""


def test_the_relatives_rule_can_be_off_for_data_without_relatives(model: MatchModel) -> None:
    lenient = replace(model, relatives_rule=False)
    assert lenient.score(child(), child(given_name="Chioma")).rule == ""


def test_the_explanation_adds_up_to_the_score(model: MatchModel) -> None:
    score = model.score(child(given_name="Alfie"), child(given_name="Alfred", postcode="DA6 7BB"))
    assert {c.comparison for c in score.contributions} == {w.comparison.name for w in model.comparisons}
    assert score.prior_weight + sum(c.total for c in score.contributions) == pytest.approx(score.match_weight, abs=1e-9)
    rows = presenters.explanation(score)
    assert len(rows) == len(score.contributions)
    assert rows[0].weight.startswith("+")  # strongest evidence first, here for the match
    assert "Agreed:" in presenters.summary(score)


def test_uncommon_names_count_for_more_than_common_ones(model: MatchModel) -> None:
    common = model.score(
        child(given_name="Oliver", family_name="Smith"), child(given_name="Oliver", family_name="Smith")
    )
    rare = model.score(
        child(given_name="Oliver", family_name="Zebedeus"), child(given_name="Oliver", family_name="Zebedeus")
    )
    family = next(c for c in common.contributions if c.comparison == "family_name")
    assert family.term_frequency_adjustment < 0  # Smith is common
    assert rare.match_weight >= common.match_weight


def test_a_model_round_trips_through_json(model: MatchModel) -> None:
    again = MatchModel.from_json(json.loads(json.dumps(model.to_json())))
    a, b = child(given_name="Alfie"), child(given_name="Alfred")
    assert again.score(a, b) == model.score(a, b)


def test_a_stored_model_with_other_levels_is_refused(model: MatchModel) -> None:
    data = model.to_json()
    data["comparisons"][0]["levels"] = ["null", "exact", "else"]
    with pytest.raises(ValueError, match="train the matcher again"):
        MatchModel.from_json(data)
    with pytest.raises(ValueError, match="format"):
        MatchModel.from_json({**model.to_json(), "format": 99})


@pytest.mark.parametrize(
    ("probability", "text"), [(0.9999, "over 99.9%"), (0.0001, "under 0.1%"), (0.5, "50%"), (0.995, "99.5%")]
)
def test_percentages_never_overstate_certainty(probability: float, text: str) -> None:
    assert presenters.percent(probability) == text


def test_a_first_name_with_a_typing_error_is_still_the_same_child(model: MatchModel) -> None:
    score = model.score(child(given_name="Anthony", sex="M"), child(given_name="Authony", sex="M"))
    assert score.levels["given_name"] == "typo"
    assert score.rule == ""
    assert score.probability > 0.9


def test_a_mistyped_first_letter_in_a_name_no_one_has_is_the_same_child(model: MatchModel) -> None:
    """'Pliver' is seen on no record the model was trained on, and Oliver on many: a typing error, not a twin."""
    assert model.seen("oliver") > 10
    assert model.seen("pliver") == 0
    score = model.score(child(given_name="Oliver", sex="M"), child(given_name="Pliver", sex="M"))
    assert score.levels["given_name"] in {"jw80", "else"}
    assert score.rule == ""
    assert score.probability > 0.9
    assert model.quick(child(given_name="Oliver", sex="M"), child(given_name="Pliver", sex="M"))[1] == score.probability


def test_a_brother_and_sister_with_alike_names_are_held_below_every_threshold(model: MatchModel) -> None:
    score = model.score(child(given_name="Daniel", sex="M"), child(given_name="Daniela", sex="F"))
    assert score.probability <= rules.RELATIVE_CAP
    assert score.rule == rules.BROTHER_AND_SISTER


def test_names_the_other_way_round_are_the_same_child(model: MatchModel) -> None:
    score = model.score(child(), child(given_name="Okafor", family_name="Amara"))
    assert score.levels["given_name"] == "swapped"
    assert score.probability > 0.9
    family = next(c for c in score.contributions if c.comparison == "family_name")
    assert family.weight == 0.0  # counted once, with the first name


def test_names_the_other_way_round_on_both_records_with_different_first_names_are_relatives(model: MatchModel) -> None:
    """'Smith Olivia' and 'Smith Melissa' (no date of birth): a girl and her mother, both written last name first."""
    assert model.seen_as_last_name("smith") > model.seen("smith")
    girl, mother = child(given_name="Smith", family_name="Olivia"), child(given_name="Smith", family_name="Melissa")
    mother = replace(mother, dob=None, dob_days=None, dob_swapped=None, dob_expected=None)
    score = model.score(girl, mother)
    assert score.rule == rules.BOTH_THE_OTHER_WAY_ROUND
    assert score.probability <= rules.RELATIVE_CAP
    assert model.quick(girl, mother)[1] == score.probability
    assert model.score(girl, child(given_name="Smith", family_name="Olivia", date_of_birth=None)).probability > 0.9


def test_identical_names_without_a_date_of_birth_at_the_same_home_are_the_same_child(model: MatchModel) -> None:
    assert model.score(child(), child(date_of_birth=None)).probability > 0.9


def test_the_quick_score_used_for_ranking_equals_the_full_score(model: MatchModel) -> None:
    people = [
        child(),
        child(given_name="Chioma"),
        child(given_name="Authony", sex="M"),
        child(date_of_birth=dt.date(1990, 5, 1)),
        child(given_name="Okafor", family_name="Amara", postcode="B1 1AA"),
        f(given_name="Baby", family_name="Okafor", expected_date_of_delivery=dt.date(2025, 1, 10), **HOME),
        f(),
    ]
    for left in people:
        for right in people:
            full = model.score(left, right)
            assert model.quick(left, right) == (full.match_weight, full.probability)
