from __future__ import annotations

import logging
import resource
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safehub.benchmarks import held_out_matching, machine, matching
from safehub.benchmarks.held_out import DEFAULT_SEED, Record


class Command(BaseCommand):
    help = "Measure person matching: FEBRL4 through `safehub link`, and the synthetic multi-agency set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--febrl", action="store_true", help="FEBRL4 (5,000 x 5,000)")
        parser.add_argument("--synthetic", type=int, metavar="HOUSEHOLDS", help="Synthetic set of this many households")
        parser.add_argument(
            "--held-out",
            type=int,
            metavar="HOUSEHOLDS",
            help="The harder held-out population of this many households (safehub/benchmarks/held_out.py)",
        )
        parser.add_argument(
            "--held-out-seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Its seed (default {DEFAULT_SEED}, the checking seed: develop against another)",
        )
        parser.add_argument(
            "--list-relatives",
            action="store_true",
            help="List the held-out set's predicted pairs that join two people of one household",
        )
        parser.add_argument("--workdir", type=Path, help="Where to keep the CSV files (default: a temporary folder)")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("splink").setLevel(logging.ERROR)
        self.stdout.write(f"Machine speed: {machine.speed():.1f} million steps a second")
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
            if options["held_out"]:
                self._held_out(
                    options["held_out"],
                    options["held_out_seed"],
                    options["workdir"],
                    list_relatives=options["list_relatives"],
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"Peak memory: {peak:.0f} MB")

    def _held_out(self, households: int, seed: int, workdir: Path | None, *, list_relatives: bool = False) -> None:
        r = held_out_matching.held_out(households, seed=seed, workdir=workdir)
        p = r.pairs
        say = self.stdout.write
        say(
            f"Held-out set (seed {seed}): {r.people} people, {r.records} agency records, through safehub dedupe"
            f" --unreadable-values blank ({p.unreadable} unreadable values) in {p.seconds:.1f} s"
        )
        say(
            f"  pairwise precision {p.precision:.4f}, recall {p.recall:.4f}, F1 {p.f1:.4f} ({p.true_positives} of"
            f" {p.true_pairs}, {p.predicted - p.true_positives} false)"
        )
        say(
            f"  pairs joining two relatives: {r.relatives_joined} of {p.predicted} predicted ({r.relatives_share:.3%});"
            f" twins among them: {r.twins_joined}"
        )
        if list_relatives:
            for pair in r.relatives_pairs:
                say(
                    f"    {pair.left_role} and {pair.right_role}{' (twins)' if pair.twins else ''},"
                    f" {pair.found_by} p={pair.probability:.3f}: {_described(pair.left)} | {_described(pair.right)}"
                )
        say("  missed pairs by reason: " + ", ".join(f"{why} {n}" for why, n in r.misses.most_common()))
        reasons = (held_out_matching.NOT_COMPARED, held_out_matching.RELATIVES_RULE, held_out_matching.UNDER_THRESHOLD)
        kinds = [label for _, label in held_out_matching.MISS_KINDS] + [held_out_matching.OTHER_MISS]
        say("  missed pairs by kind (either record) and reason: " + " / ".join(reasons))
        for kind in kinds:
            counts = [r.misses_by_kind[kind, reason] for reason in reasons]
            say(f"    {kind}: " + " / ".join(str(n) for n in counts) + f" (all {sum(counts)})")
        say(
            "  recall of the pairs where either record carries each error: "
            + ", ".join(
                f"{error} {1 - r.missed_errors[error] / total:.3f} ({total - r.missed_errors[error]} of {total})"
                for error, total in sorted(r.pairs_by_error.items(), key=lambda item: -r.missed_errors[item[0]])
            )
        )
        for name, s in (("trained on this set", r.search), ("shipped with Safehub", r.search_shipped)):
            say(
                f"  screening search with the model {name}, {s.searches} searches: true person in the top ten"
                f" {s.top_ten / s.searches:.2%}, first {s.first / s.searches:.2%},"
                f" first at p >= 0.9 {s.first_at_threshold / s.searches:.2%}; children not in the index given a"
                f" candidate at p >= 0.9: {s.unknown_matched} of {s.unknown} ({s.unknown_matched_relative} a relative)"
            )


def _described(record: Record) -> str:
    """A record's values as the file has them, and the errors the held-out population put in."""
    values = (record.given_name, record.family_name, record.dob or "no date", record.sex or "-", record.postcode or "-")
    nhs = "NHS number" if record.nhs_number else "no NHS number"
    errors = ", ".join(sorted(record.errors)) or "no errors"
    return f"{record.id} {' / '.join(values)} / {nhs} ({errors})"
