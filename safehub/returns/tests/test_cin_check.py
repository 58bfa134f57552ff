"""Reading what the census validator found (its program's JSON, without running it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safehub.returns import cin_check, external
from safehub.returns.cin_check import IssueKind

pytestmark = pytest.mark.database_independent

FOUND = {
    "ruleset": "cin2025_26",
    "validator": "csc-validator-be-cin 0.1.13",
    "children": 2,
    "issues": [
        {
            "rule": "8866",
            "type": "error",
            "message": "Source of Referral is missing or an invalid code",
            "child": "CIN1",
            "table": "CINdetails",
            "fields": ["CINreferralDate", "ReferralSource"],
            "values": {"CINreferralDate": "2025-05-12", "ReferralSource": None},
            "episode": 1,
        },
        {
            "rule": "8608",
            "type": "error",
            "message": "Assessment Start Date …",
            "child": "CIN2",
            "table": "Assessments",
        },
        {"rule": "8866", "type": "error", "message": "Source of Referral …", "child": "CIN2", "table": "CINdetails"},
        {"rule": "2887Q", "type": "query", "message": "Less than 8 disability codes …", "child": None, "table": None},
    ],
    "rules_not_run": [{"rule": "8898", "error": "TypeError, unhashable type: 'list'"}],
}


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    calls: list[tuple[str, ...]] = []

    def check(name: str, *args: str) -> Any:
        calls.append((name, *args))
        return FOUND

    monkeypatch.setattr(external, "check", check)
    return calls


def test_the_census_years_rules_are_asked_for(asked: list[tuple[str, ...]]) -> None:
    cin_check.validate(Path("/exports/census.xml"), year=2026)

    assert asked == [("cin", "/exports/census.xml", "--ruleset", "cin2025_26")]


def test_issues_are_errors_or_queries_and_grouped_by_rule(asked: list[tuple[str, ...]]) -> None:
    found = cin_check.validate(Path("census.xml"), year=2026)

    assert found.ruleset == "cin2025_26"
    assert [issue.rule for issue in found.errors] == ["8866", "8608", "8866"]
    assert [issue.rule for issue in found.queries] == ["2887Q"]
    assert {rule: [issue.child for issue in issues] for rule, issues in found.by_rule().items()} == {
        "8866": ["CIN1", "CIN2"],
        "8608": ["CIN2"],
        "2887Q": [None],
    }
    assert found.rules(child="CIN2") == {"8608", "8866"}
    assert found.rules() == {"8866", "8608", "2887Q"}
    first = found.issues[0]
    assert first.kind is IssueKind.ERROR
    assert first.fields == ("CINreferralDate", "ReferralSource")
    assert dict(first.values) == {"CINreferralDate": "2025-05-12", "ReferralSource": None}
    assert first.episode == 1
    assert found.rules_not_run == {"8898": "TypeError, unhashable type: 'list'"}


def test_a_nonsensical_year_is_refused_before_the_validator_is_asked(asked: list[tuple[str, ...]]) -> None:
    with pytest.raises(ValueError, match="in full"):
        cin_check.validate(Path("census.xml"), year=26)

    assert asked == []
