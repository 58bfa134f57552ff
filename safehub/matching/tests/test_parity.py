"""The interactive search scores in Python; training and batch linkage score in Splink's SQL. They
must agree, level by level and weight by weight, or the search would not be the model we trained."""

from __future__ import annotations

import pandas as pd
import pytest

from safehub.benchmarks.held_out import HeldOutPopulation, write_csv
from safehub.matching import learned_names
from safehub.matching.csvio import BadValues, feature_frame, read_people_file
from safehub.matching.features import features_from_row
from safehub.matching.model import MatchModel
from safehub.matching.population import Population
from safehub.matching.population import feature_frame as population_frame
from safehub.matching.training import new_linker, train

# Splink and files only: the same on any database (see conftest.py).
pytestmark = pytest.mark.database_independent


@pytest.fixture(scope="module")
def trained() -> tuple[pd.DataFrame, MatchModel]:
    population = Population(seed=21)
    records = list(population.records(list(population.people(250))))
    frame = population_frame(records)
    return frame, train([frame])


def test_python_scores_equal_splink_scores(trained: tuple[pd.DataFrame, MatchModel]) -> None:
    frame, model = trained
    settings = {**model.splink_settings, "retain_intermediate_calculation_columns": True}
    predictions = new_linker([frame], settings).inference.predict().as_pandas_dataframe()  # type: ignore[no-untyped-call]
    assert len(predictions) > 1000
    features = {str(row["unique_id"]): features_from_row(row) for row in frame.to_dict("records")}
    for row in predictions.sample(n=1000, random_state=1).to_dict("records"):
        score = model.score(features[str(row["unique_id_l"])], features[str(row["unique_id_r"])])
        assert score.match_weight == pytest.approx(row["match_weight"], abs=1e-6), (
            row["unique_id_l"],
            row["unique_id_r"],
        )
        for contribution in score.contributions:
            assert contribution.weight == pytest.approx(row[f"mw_{contribution.comparison}"], abs=1e-6)


def test_every_level_is_reached_by_some_pair(trained: tuple[pd.DataFrame, MatchModel]) -> None:
    """So that the parity test above exercises the levels that matter for people (not address words)."""
    frame, model = trained
    settings = {**model.splink_settings, "retain_intermediate_calculation_columns": True}
    predictions = new_linker([frame], settings).inference.predict().as_pandas_dataframe()  # type: ignore[no-untyped-call]
    features = {str(row["unique_id"]): features_from_row(row) for row in frame.to_dict("records")}
    reached: dict[str, set[str]] = {}
    for row in predictions.to_dict("records"):
        score = model.score(features[str(row["unique_id_l"])], features[str(row["unique_id_r"])])
        for name, level in score.levels.items():
            reached.setdefault(name, set()).add(level)
    assert {"exact", "forms", "jw92", "else", "null"} <= reached["given_name"]
    assert {"exact", "part", "else"} <= reached["family_name"]
    assert {"exact", "swapped", "near", "else", "null"} <= reached["dob"]


@pytest.fixture(scope="module")
def held_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, MatchModel]:
    """The held-out population's records, which carry other spellings, short forms and names the other way
    round with a nickname, as the training population's do not."""
    population = HeldOutPopulation(seed=4)
    path = write_csv(population.records(population.people(300)), tmp_path_factory.mktemp("held_out") / "set.csv")
    frame = feature_frame(read_people_file(path, bad_values=BadValues.BLANK).rows)
    return frame, train([frame])


def test_python_scores_equal_splink_scores_on_the_held_out_population(
    held_out: tuple[pd.DataFrame, MatchModel],
) -> None:
    frame, model = held_out
    settings = {**model.splink_settings, "retain_intermediate_calculation_columns": True}
    frame = learned_names.add_to_frame(frame, model.name_forms)
    predictions = new_linker([frame], settings).inference.predict().as_pandas_dataframe()  # type: ignore[no-untyped-call]
    features = {str(row["unique_id"]): features_from_row(row) for row in frame.to_dict("records")}
    reached: dict[str, set[str]] = {}
    for row in predictions.to_dict("records"):
        score = model.score(features[str(row["unique_id_l"])], features[str(row["unique_id_r"])])
        assert score.match_weight == pytest.approx(row["match_weight"], abs=1e-6), (
            row["unique_id_l"],
            row["unique_id_r"],
        )
        for name, lvl in score.levels.items():
            reached.setdefault(name, set()).add(lvl)
    assert {"typo", "sound", "short", "swapped", "jw92", "jw80", "else"} <= reached["given_name"]
