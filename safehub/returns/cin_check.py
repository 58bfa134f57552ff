"""The DfE's Children in Need census rules run on a return, from Safehub's side.

The rules run in the validator's own environment (`validators/cin/check.py`, through
`safehub.returns.external`); this module asks for them and reads the answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from safehub.returns import external
from safehub.returns.cin_xml import ruleset_for


class IssueKind(StrEnum):
    ERROR = "error"  # the DfE will not take the return until it is put right
    QUERY = "query"  # to be put right or explained in a note on the return


@dataclass(frozen=True)
class Issue:
    rule: str
    kind: IssueKind
    message: str
    child: str | None  # the LAchildID; None when the issue is with the whole return
    table: str | None = None
    fields: tuple[str, ...] = ()
    values: tuple[tuple[str, str | None], ...] = ()
    episode: int | None = None  # which of the child's <CINdetails>, counting from 1


@dataclass(frozen=True)
class CensusValidation:
    ruleset: str
    validator: str
    issues: list[Issue]
    # Rules that failed with an error of their own inside the validator, and the error: a return with
    # no issues but a rule here was not fully checked.
    rules_not_run: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind is IssueKind.ERROR]

    @property
    def queries(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind is IssueKind.QUERY]

    def by_rule(self) -> dict[str, list[Issue]]:
        grouped: defaultdict[str, list[Issue]] = defaultdict(list)
        for issue in self.issues:
            grouped[issue.rule].append(issue)
        return dict(grouped)

    def rules(self, *, child: str | None = None) -> set[str]:
        """The rules with an issue, for one child (or, with no child, for every child and the return)."""
        return {issue.rule for issue in self.issues if child is None or issue.child == child}


def _issue(found: dict[str, Any]) -> Issue:
    values = found.get("values") or {}
    return Issue(
        rule=str(found["rule"]),
        kind=IssueKind(found["type"]),
        message=str(found["message"]),
        child=found.get("child"),
        table=found.get("table"),
        fields=tuple(found.get("fields") or ()),
        values=tuple((str(name), value) for name, value in values.items()),
        episode=found.get("episode"),
    )


def validate(xml_path: Path, *, year: int) -> CensusValidation:
    """Run the census year's rules on the return at `xml_path`.

    Raises `external.ValidatorUnavailable` when the validator cannot be installed or cannot read the file.
    """
    found = external.check("cin", str(xml_path), "--ruleset", ruleset_for(year))
    return CensusValidation(
        ruleset=found["ruleset"],
        validator=found["validator"],
        issues=[_issue(issue) for issue in found["issues"]],
        rules_not_run={str(failed["rule"]): str(failed["error"]) for failed in found.get("rules_not_run", [])},
    )
