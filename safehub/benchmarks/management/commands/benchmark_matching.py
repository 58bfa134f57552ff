from __future__ import annotations

import logging
import resource
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safehub.benchmarks import matching


class Command(BaseCommand):
    help = "Measure person matching: FEBRL4 through `safehub link`, and the synthetic multi-agency set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--febrl", action="store_true", help="FEBRL4 (5,000 x 5,000)")
        parser.add_argument("--synthetic", type=int, metavar="HOUSEHOLDS", help="Synthetic set of this many households")
        parser.add_argument("--workdir", type=Path, help="Where to keep the CSV files (default: a temporary folder)")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("splink").setLevel(logging.ERROR)
        with tempfile.TemporaryDirectory() as temporary:
            workdir = options["workdir"] or Path(temporary)
            if options["febrl"]:
                for rule in ("off", "on"):
                    m = matching.febrl4(workdir, relatives_rule=rule)
                    self.stdout.write(
                        f"FEBRL4 via safehub link --relatives-rule {rule}: precision {m.precision:.4f},"
                        f" recall {m.recall:.4f}, F1 {m.f1:.4f} ({m.true_positives} of {m.true_pairs} true links,"
                        f" {m.predicted - m.true_positives} false; {m.seconds:.1f} s including training;"
                        f" {m.unreadable} unreadable values read as not known)"
                    )
            if options["synthetic"]:
                r = matching.synthetic(options["synthetic"])
                p = r.pairs
                self.stdout.write(
                    f"Synthetic: {r.people} people, {r.records} agency records; trained in {r.training_seconds:.1f} s;"
                    f" pairwise precision {p.precision:.4f}, recall {p.recall:.4f}, F1 {p.f1:.4f}"
                    f" ({p.true_positives} of {p.true_pairs}, {p.predicted - p.true_positives} false; {p.seconds:.1f} s)"
                )
                rel = r.relatives
                self.stdout.write(
                    f"Unknown children matched to a relative at p >= 0.9: {rel.matched_to_relative} of"
                    f" {rel.unknown_children} ({rel.relative_rate:.2%})"
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"Peak memory: {peak:.0f} MB")
