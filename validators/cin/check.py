"""Check a Children in Need census file with the DfE's rules, as the `csc-validator-be-cin` package runs them.

Run by the validator environment's own Python (safehub/returns/external.py), never Safehub's:

    check.py census.xml --ruleset cin2025_26     every issue found, as JSON on standard output
    check.py --rules --ruleset cin2025_26        the ruleset's rules, as JSON

An issue is {"rule", "type" ("error" or "query"), "message", "child" (the LAchildID, or null for an
issue with the whole return), "table", "fields", "values", "episode"}. The exit status is 0 whenever
the rules ran, whatever they found; 2, with the reason on standard error, when the file or the
ruleset cannot be read.

Three things the package does that this program deals with:
- its reader copies every table each time it adds a child, so its time grows with the square of the
  number of children (20,000 took 19 minutes): the children are given to it a few hundred at a time;
- its reader takes one review date from each <Reviews> group, where the specification puts all of a
  plan's <CPPreviewDate>s in one group: the groups are split here, one date each, so that every
  review is checked;
- a rule that fails with an exception is printed to standard output and skipped: those rules are
  listed in "rules_not_run", so that a clean result is never mistaken for a full one.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib
import io
import json
import os
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import OrderedDict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cin_validator.rules as rulesets
import pandas
from cin_validator import cin_validator as engine

PACKAGE = "csc-validator-be-cin"
RULE_FAILED = re.compile(r"^Error with rule (?P<rule>\S+): (?P<error>.*)$")
EMPTY = {"", "nan", "NaN", "NaT", "<NA>", "None"}
TABLE_EPISODE = "CINdetailsID"
# Children read at a time (see read_tables); the tests set it small, to read their returns in several batches.
READ_BATCH = int(os.environ.get("CIN_CHECK_READ_BATCH", "250"))


class Unreadable(Exception):  # noqa: N818 (a statement about the input)
    pass


def load_ruleset(name: str) -> Any:
    try:
        return importlib.import_module(f"cin_validator.rules.{name}").registry
    except ModuleNotFoundError:
        folder = Path(rulesets.__file__).parent
        there = sorted(path.name for path in folder.iterdir() if path.name.startswith("cin"))
        raise Unreadable(f"There is no ruleset {name!r}: the package has {', '.join(there)}") from None


def kind(rule: Any) -> str:
    return "query" if rule.rule_type.name == "QUERY" else "error"


def table_of(rule: Any) -> str | None:
    return None if rule.module is None else str(rule.module.name)


def read_census(path: Path) -> ET.Element:
    try:
        root = ET.parse(path).getroot()  # noqa: S314 (the council's own export, read on its own machine)
    except OSError as error:
        raise Unreadable(f"Cannot read {path}: {error.strerror or error}") from None
    except ET.ParseError as error:
        raise Unreadable(f"{path} is not well-formed XML: {error}") from None
    if root.tag != "Message" or root.find("Header") is None or root.find("Children") is None:
        raise Unreadable(f"{path} is not a census return: it needs <Message> with <Header> and <Children>")
    for number, child in enumerate(children(root), start=1):
        if child.find("ChildIdentifiers") is None:
            raise Unreadable(f"Child {number} in {path} has no <ChildIdentifiers>")
        if child.find("ChildCharacteristics") is None:
            raise Unreadable(f"Child {number} in {path} has no <ChildCharacteristics>")
    return root


def children(root: ET.Element) -> list[ET.Element]:
    found = root.find("Children")
    return [] if found is None else found.findall("Child")


def one_review_date_a_group(root: ET.Element) -> None:
    """The package's reader takes the first <CPPreviewDate> of each <Reviews>: give it one each."""
    for plan in root.iter("ChildProtectionPlans"):
        for reviews in plan.findall("Reviews"):
            dates = reviews.findall("CPPreviewDate")
            if len(dates) < 2:
                continue
            at = list(plan).index(reviews)
            plan.remove(reviews)
            for offset, date in enumerate(dates):
                group = ET.Element("Reviews")
                group.append(date)
                plan.insert(at + offset, group)


def text(value: Any) -> str | None:
    shown = str(value)
    return None if shown in EMPTY else shown


def read_tables(root: ET.Element) -> dict[str, Any]:
    """The package's tables for the return, read by the package's own reader a few hundred children at
    a time. Its reader adds each child to every table by copying the table, so read whole its time
    grows with the square of the number of children; in batches it grows with the number. A child's
    episodes, assessments and plans are numbered afresh for each child, so the batches' tables, one
    after another, are the whole file's: the same rows, values and types."""
    header = root.find("Header")
    everyone = children(root)
    batches = []
    for start in range(0, max(len(everyone), 1), READ_BATCH):
        batch = ET.Element("Message")
        batch.append(header)
        ET.SubElement(batch, "Children").extend(everyone[start : start + READ_BATCH])
        batches.append(engine.convert_data(batch))
    tables = {name: pandas.concat([batch[name] for batch in batches], ignore_index=True) for name in batches[0]}
    tables["Header"] = batches[0]["Header"]  # one row, the same in every batch
    return tables


def validate(root: ET.Element, registry: Any) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    tables = engine.process_data(read_tables(root))
    # The tables as read, before any rule touches them: the values and episodes the issues show.
    raw = copy.deepcopy(tables)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        found = engine.CinValidator(tables, registry)
    not_run = [
        {"rule": match["rule"], "error": match["error"]}
        for line in printed.getvalue().splitlines()
        if (match := RULE_FAILED.match(line.strip()))
    ]
    return issues_from(found, registry, raw), not_run


def issues_from(found: Any, registry: Any, tables: dict[str, Any]) -> list[dict[str, Any]]:
    issues: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
    for row in found.full_issue_df.to_dict("records"):
        code = str(row["rule_code"])
        table = text(row.get("tables_affected"))
        child = text(row.get("child_id"))
        row_id = text(row.get("row_id"))
        field = text(row.get("columns_affected"))
        key = (code, child, table, row_id)
        issue = issues.get(key)
        if issue is None:
            rule = registry[code]
            issue = issues[key] = {
                "rule": code,
                "type": kind(rule),
                "message": rule.message,
                "child": child,
                "table": table,
                "fields": [],
                "values": {},
            }
            episode = cell(tables, table, row_id, TABLE_EPISODE)
            if episode is not None:
                issue["episode"] = int(float(episode))
        if field and field not in issue["fields"]:
            issue["fields"].append(field)
            issue["values"][field] = cell(tables, table, row_id, field)
    for row in found.multichild_issues.to_dict("records"):
        code = str(row["rule_code"])
        key = (code, None, None, None)
        if key not in issues:
            rule = registry[code]
            issues[key] = {
                "rule": code,
                "type": kind(rule),
                "message": rule.message,
                "child": None,
                "table": "Header" if table_of(rule) == "Header" else None,
                "fields": [],
                "values": {},
            }
    return list(issues.values())


def cell(tables: dict[str, Any], table: str | None, row_id: str | None, field: str) -> str | None:
    if table is None or row_id is None or table not in tables:
        return None
    frame = tables[table]
    if field not in frame.columns:
        return None
    try:
        value = frame[field].iloc[int(float(row_id))]
    except (IndexError, ValueError):
        return None
    if hasattr(value, "strftime") and text(value) is not None:
        return str(value.strftime("%Y-%m-%d"))
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return text(value)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("census", nargs="?", type=Path, help="The census return (XML).")
    parser.add_argument("--ruleset", required=True, help="For example cin2025_26.")
    parser.add_argument("--rules", action="store_true", help="List the ruleset's rules instead.")
    arguments = parser.parse_args(argv)
    warnings.simplefilter("ignore", FutureWarning)
    try:
        registry = load_ruleset(arguments.ruleset)
        if arguments.rules:
            rules = [
                {"rule": code, "type": kind(rule), "message": rule.message, "table": table_of(rule)}
                for code, rule in registry.items()
            ]
            json.dump({"ruleset": arguments.ruleset, "rules": rules}, sys.stdout)
            return 0
        if arguments.census is None:
            raise Unreadable("Name the census file to check")
        root = read_census(arguments.census)
    except Unreadable as error:
        print(error, file=sys.stderr)
        return 2
    one_review_date_a_group(root)
    issues, not_run = validate(root, registry)
    result = {
        "ruleset": arguments.ruleset,
        "validator": f"{PACKAGE} {version(PACKAGE)}",
        "children": len(children(root)),
        "issues": issues,
        "rules_not_run": not_run,
    }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
