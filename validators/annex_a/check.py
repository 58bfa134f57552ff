"""Run liiatools' Annex A cleaner on one workbook and print what it found, as JSON on standard output.

    python check.py annex-a.xlsx

Run by the Python of the annex_a validator's own environment (safehub/returns/external.py), never
by Safehub's. The cleaner (`liiatools annex-a cleanfile`) reads each sheet, recognises which list it
is from its column headers, blanks every cell it cannot read as the list's code, integer or date, and
writes what it did to an error log: for each list, how many cells of each column it blanked and how
many it found blank that must be filled; columns it did not expect; sheets it could not recognise;
lists missing from the workbook. That log, read here line by line, is the verdict.

The log counts cells but does not say which rows they were in, so the same stages of the cleaner are
run once more over the workbook to find them: an entry gets its row (as Excel numbers it, the header
being row 1) and the value that was refused whenever the rows found agree with the log's count.

Prints {"errors": [...], "recoded": [...], "raw_log": "..."}, where each error is
{"kind", "list", "column", "message"} and, where known, "row", "value" or "count"; "recoded" lists
the cells that the cleaner accepted but read as a different code from the one written. Exits 0 when
the cleaner ran, 2 (with the reason on standard error) when the file cannot be read as a workbook,
1 when the cleaner itself failed.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import json
import logging
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

# Any code in liiatools' list of authorities will do: it only marks the child IDs of the cleaned copy,
# which is thrown away with the temporary folder.
LA_CODE = "BAR"

UNFORMATTABLE = "Number of cells that have been made blank because they could not be formatted correctly"
BLANK = "Number of blank cells that should have contained data"
UNEXPECTED = re.compile(r"^Headers of unexpected columns that have been removed or reformatted: (?P<columns>.*)$")
DUPLICATE = re.compile(
    r"^Sheet with title (?P<list>.+?) contained the following duplicate column\(s\): (?P<columns>.*)$"
)
UNMATCHED = re.compile(r"^Failed to find a set of matching columns headers for sheet titled '(?P<sheet>.*?)'")
MISSING = re.compile(r"^The following sheets are missing: (?P<lists>.*) so no output has been created$")
WRONG_TYPE = re.compile(r"^File: '.*' not in any of the expected formats")
LIST_TITLE = re.compile(r"^List \d+$")
QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def unreadable(path: Path) -> str | None:
    """Why the file cannot be read as a workbook, or None when it can."""
    from openpyxl import load_workbook

    if not path.is_file():
        return f"There is no file at {path}"
    try:
        load_workbook(path, read_only=True).close()
    except Exception as error:  # whatever openpyxl says, it is not a workbook
        return f"{path} cannot be read as an Excel workbook: {error}"
    return None


def run_cleaner(workbook: Path, log_dir: Path, out_dir: Path) -> str:
    """The cleaner exactly as its command line runs it; the text of the error log it wrote."""
    from liiatools.datasets.annex_a.annex_a_cli import cleanfile

    logging.getLogger().setLevel(logging.WARNING)  # its "Loading configuration" chatter
    with contextlib.redirect_stdout(sys.stderr):  # standard output carries the JSON alone
        cleanfile.callback(input=str(workbook), la_code=LA_CODE, la_log_dir=str(log_dir), output=str(out_dir))
    return "".join(log.read_text(encoding="utf-8") for log in sorted(log_dir.glob("*.txt")))


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _remember_values(stream: Any) -> Any:
    from sfdata_stream_parser import events

    for event in stream:
        yield event.from_event(event, written=event.value) if isinstance(event, events.Cell) else event


def locate(workbook: Path) -> tuple[dict[tuple[str, str, str], list[dict[str, Any]]], list[dict[str, Any]]]:
    """The cleaner's stages up to its error check, once more: the refused cells by (list, column, kind),
    and the cells it accepted as a code other than the one written."""
    from liiatools.datasets.annex_a.lds_annexa_clean import cleaner, configuration, degrade, logger
    from sfdata_stream_parser import events
    from sfdata_stream_parser.filters.column_headers import promote_first_row
    from sfdata_stream_parser.parser import openpyxl as sheets

    stream: Any = sheets.parse_sheets(str(workbook))
    stream = [event.from_event(event, la_code=LA_CODE, filename=workbook.stem) for event in stream]
    stream = promote_first_row(stream)
    stream = configuration.configure_stream(stream, configuration.Config())
    stream = _remember_values(stream)
    stream = cleaner.clean(stream)
    stream = degrade.degrade(stream)
    stream = logger.log_errors(stream)

    refused: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    recoded: list[dict[str, Any]] = []
    row = 0
    for event in stream:
        if isinstance(event, events.StartRow):
            row = event.row_index + 1  # the parser counts from 0 with the header row first
        if not isinstance(event, events.Cell) or event.get("sheet_name") is None:
            continue
        where = (event.sheet_name, str(event.get("column_header")))
        written = event.get("written")
        if event.get("formatting_error") == "1":
            refused[(*where, "unformattable")].append({"row": row, "value": _text(written)})
        elif event.get("blank_error") == "1":
            refused[(*where, "blank")].append({"row": row})
        elif event.get("category_config") and _text(written) and _text(written) != _text(event.value):
            recoded.append(
                {
                    "list": where[0],
                    "column": where[1],
                    "row": row,
                    "value": _text(written),
                    "cleaned": _text(event.value),
                }
            )
    return refused, recoded


def _counts(line: str) -> dict[str, int] | None:
    try:
        counts = ast.literal_eval("{" + line + "}")
    except (SyntaxError, ValueError):
        return None
    if isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values()):
        return {str(column): n for column, n in counts.items()}
    return None


def _quoted(text: str) -> list[str]:
    return [single or double for single, double in QUOTED.findall(text)]


def parse(raw_log: str, refused: dict[tuple[str, str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every line of the log as an entry: each refused or missing cell with its row where it was found."""
    errors: list[dict[str, Any]] = []
    current: str | None = None
    heading: str | None = None
    for line in (line.strip() for line in raw_log.splitlines()):
        if not line:
            continue
        if LIST_TITLE.match(line):
            current, heading = line, None
            continue
        if line in (UNFORMATTABLE, BLANK):
            heading = line
            continue
        counts = _counts(line) if heading else None
        if heading and counts is not None:
            kind = "unformattable" if heading == UNFORMATTABLE else "blank"
            for column, count in counts.items():
                entry = {"kind": kind, "list": current, "column": column, "message": heading}
                found = refused.get((current or "", column, kind), [])
                if len(found) == count:
                    errors.extend({**entry, **cell} for cell in found)
                else:
                    errors.append({**entry, "count": count})
            heading = None
            continue
        heading = None
        if match := UNEXPECTED.match(line):
            for column in _quoted(match["columns"]) or [None]:
                errors.append({"kind": "unexpected_column", "list": current, "column": column, "message": line})
        elif match := DUPLICATE.match(line):
            for column in _quoted(match["columns"]) or [None]:
                errors.append({"kind": "duplicate_column", "list": match["list"], "column": column, "message": line})
        elif match := UNMATCHED.match(line):
            errors.append({"kind": "unrecognised_sheet", "list": match["sheet"], "column": None, "message": line})
        elif match := MISSING.match(line):
            for name in sorted(_quoted(match["lists"]), key=lambda name: int(name.split()[-1])):
                errors.append({"kind": "missing_list", "list": name, "column": None, "message": line})
        elif WRONG_TYPE.match(line):
            errors.append({"kind": "wrong_file_type", "list": None, "column": None, "message": line})
        else:
            errors.append({"kind": "unparsed", "list": current, "column": None, "message": line})
    return errors


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: check.py ANNEX_A.xlsx", file=sys.stderr)
        return 2
    source = Path(argv[1])
    if problem := unreadable(source):
        print(problem, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="annex-a-check-") as folder:
        # The cleaner names its log after the file and accepts only .xlsx and .xlsm: a copy of known name.
        workbook = Path(folder) / "annex_a.xlsx"
        shutil.copyfile(source, workbook)
        (Path(folder) / "log").mkdir()
        (Path(folder) / "out").mkdir()
        try:
            raw_log = run_cleaner(workbook, Path(folder) / "log", Path(folder) / "out")
            refused, recoded = locate(workbook)
        except Exception as error:  # reported, not hidden: the caller shows it
            print(f"The Annex A cleaner failed on {source}: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
    print(json.dumps({"errors": parse(raw_log, refused), "recoded": recoded, "raw_log": raw_log}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
