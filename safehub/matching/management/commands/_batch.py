"""Options and error reporting shared by `safehub link` and `safehub dedupe`."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.matching import batch
from safehub.matching.csvio import BadValues, CsvRefused


class BatchCommand(BaseCommand):
    inputs = 1

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, required=True, help="Where to write left_id,right_id,match_probability."
        )
        parser.add_argument("--threshold", type=float, default=0.9, help="Lowest match probability written (0.9).")
        parser.add_argument(
            "--model",
            choices=["train", "hub"],
            default="train",
            help="train: learn the parameters from the input files (default); hub: use the hub's active model.",
        )
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument(
            "--relatives-rule",
            choices=["on", "off"],
            default="on",
            help="on (default): a different first name or a birth years apart is never a match unless the NHS"
            " number agrees; off: only for data known to hold no relatives, such as test sets.",
        )
        parser.add_argument(
            "--unreadable-values",
            choices=[choice.value for choice in BadValues],
            default=BadValues.REFUSE.value,
            help="refuse (default): a value that cannot be read (a date such as 1966-00-91, an unknown sex, an NHS"
            " number that fails its check) refuses its file; blank: read it as not known and list it, by file and"
            " line, in OUT-unreadable.csv beside the output.",
        )

    def run_batch(self, paths: list[Path], options: dict[str, Any]) -> None:
        logging.getLogger("splink").setLevel(logging.ERROR)
        started = time.perf_counter()
        try:
            result = batch.run(
                paths,
                Path(options["out"]),
                threshold=options["threshold"],
                model=options["model"],
                engine=options["engine"],
                relatives_rule=options["relatives_rule"] != "off",
                bad_values=BadValues(options["unreadable_values"]),
            )
        except CsvRefused as refused:
            for error in refused.errors:
                self.stderr.write(f"{refused.path}: {error}")
            raise CommandError(f"Nothing was written: {refused.path} has {len(refused.errors)} problem(s)") from None
        except (ValueError, ImportError) as error:
            raise CommandError(f"Nothing was written: {error}") from None
        self.stdout.write(
            f"{result.pairs} pairs at or above {options['threshold']}, and {result.grouped} more of records grouped"
            f" as one person through them, from {' × '.join(map(str, result.records))} records, written to"
            f" {options['out']} ({time.perf_counter() - started:.1f} s)"
        )
        if result.report is not None:
            swapped = sum(value.swapped for value in result.unreadable)
            read_so = f", {swapped} date(s) read with the day and month the other way round" if swapped else ""
            self.stdout.write(
                f"{len(result.unreadable)} value(s) could not be read as written:"
                f" {len(result.unreadable) - swapped} taken as not known{read_so};"
                f" listed in {result.report}"
            )
