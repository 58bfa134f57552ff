"""Census returns written by Safehub, checked by the DfE's rules in the validator's own environment.

Each run of the validator takes a few seconds (and the first ever run installs it), so these tests are
few: the broken children share one return, since the rules are per child, and are asserted child by
child.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from safehub.returns import external
from safehub.returns.cin_check import CensusValidation, Issue, validate
from safehub.returns.cin_xml import to_xml
from safehub.returns.tests import censuses

pytestmark = pytest.mark.database_independent

# A return-level query that any return with fewer than 8 different disability codes gets: a small
# return cannot avoid it, and a council's real return of thousands of children does not get it.
SMALL_RETURN_QUERIES = {"2887Q"}

# Each broken child, and the rules that must fire for it.
EXPECTED = {
    censuses.REFERRAL_AFTER_REFERENCE_DATE: {"8600"},  # referral date after the collection period
    censuses.NO_REFERRAL_SOURCE: {"8866"},  # referral source missing
    censuses.PLAN_WITHOUT_CONFERENCE: {"2885"},  # plan starts on no conference's day
    censuses.AUTHORISED_BEFORE_START: {"8608"},  # assessment ends before it starts
    censuses.TWICE: {"8510"},  # one LAchildID for two children
    censuses.LATE_REVIEW_BEFORE_START: {"8841"},  # the plan's second review is before it started
}
# Rules about the return as a whole that the broken children bring.
EXPECTED_FOR_THE_RETURN = {"2883"}  # more plans started than initial conferences held


def checked(tmp_path: Path, children: list[censuses.CensusChild]) -> tuple[CensusValidation, float]:
    path = tmp_path / "census.xml"
    path.write_bytes(to_xml(censuses.census(children)))
    external.install("cin")  # outside the timing: the first run ever makes the environment
    started = time.perf_counter()
    found = validate(path, year=censuses.YEAR)
    return found, time.perf_counter() - started


def shown(issues: list[Issue]) -> str:
    return "\n".join(
        f"  {issue.rule} {issue.kind} {issue.child} {issue.table} {dict(issue.values)}: {issue.message}"
        for issue in issues
    )


def test_a_clean_census_has_no_errors(tmp_path: Path) -> None:
    found, seconds = checked(tmp_path, censuses.clean_children())

    print(f"clean census: {seconds:.1f} s in the validator")
    assert found.ruleset == "cin2025_26"
    assert found.rules_not_run == {}
    assert found.errors == [], f"errors in the clean census:\n{shown(found.errors)}"
    unexplained = [issue for issue in found.queries if issue.rule not in SMALL_RETURN_QUERIES]
    assert unexplained == [], f"queries on the clean census:\n{shown(found.queries)}"


def test_the_named_rules_fire_for_each_broken_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # check.py reads big returns a few hundred children at a time: here two at a time, so that the
    # children sharing an LAchildID are read in different batches and rules still see them together.
    monkeypatch.setenv("CIN_CHECK_READ_BATCH", "2")
    found, seconds = checked(tmp_path, censuses.broken_children())

    print(f"broken census: {seconds:.1f} s in the validator")
    missing = {child: rules - found.rules(child=child) for child, rules in EXPECTED.items()}
    assert not any(missing.values()), f"rules that did not fire: {missing}\nall issues:\n{shown(found.issues)}"
    whole_return = {issue.rule for issue in found.issues if issue.child is None}
    assert whole_return >= EXPECTED_FOR_THE_RETURN, f"issues with the whole return: {whole_return}"
    # The children with nothing wrong but their one fault get no other error.
    for child in (censuses.NO_REFERRAL_SOURCE, censuses.AUTHORISED_BEFORE_START):
        assert {issue.rule for issue in found.errors if issue.child == child} == EXPECTED[child]


def test_a_file_that_is_not_a_census_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "census.xml"
    path.write_text("LAchildID,Sex\nCIN1,M\n")

    with pytest.raises(external.ValidatorUnavailable, match="not well-formed XML"):
        validate(path, year=censuses.YEAR)
