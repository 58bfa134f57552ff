from __future__ import annotations

import logging
import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from safehub.benchmarks import machine, search_speed
from safehub.matching.services import active_model, train_and_activate
from safehub.people.models import Person


class Command(BaseCommand):
    help = (
        "Measure the screening search on a large generated person index (run it against an empty scratch"
        " database: it stores the index there). Prints p50/p95/p99, top-ten recall, training time and peak memory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", type=int, default=1_000_000)
        parser.add_argument("--searches", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--reuse", action="store_true", help="Use the index a previous run built in this database.")
        parser.add_argument("--train", action="store_true", help="Also time train-matcher on the whole index.")
        parser.add_argument(
            "--no-baseline",
            action="store_true",
            help="Skip the baseline (Splink's own inference scoring the same candidates), timed beside each search.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("splink").setLevel(logging.ERROR)
        say = self.stdout.write
        say(f"Database: {connection.vendor}")
        started = time.perf_counter()
        generated = search_speed.generate(options["records"], seed=options["seed"])
        say(
            f"Generated {len(generated.records):,} records of {len(generated.people):,} people in {time.perf_counter() - started:.0f} s"
        )
        if options["reuse"]:
            if Person.objects.count() != len(generated.records):
                raise CommandError("--reuse: this database does not hold the index for these --records and --seed")
        else:
            started = time.perf_counter()
            try:
                search_speed.build(generated, progress=say)
            except ValueError as error:
                raise CommandError(str(error)) from None
            say(f"Stored and indexed in {time.perf_counter() - started:.0f} s")
        if options["train"]:
            stored = train_and_activate(by=None, at=timezone.now())
            say(f"train-matcher on {stored.records:,} people: {stored.seconds:.1f} s")
        say(f"Machine speed: {machine.speed():.1f} million steps a second")
        compared = search_speed.measure(
            generated,
            searches=options["searches"],
            seed=options["seed"],
            baseline=None if options["no_baseline"] else active_model(),
        )
        runs = [("Screening search", compared.ours)]
        if compared.splink is not None:
            runs.append(("Baseline, Splink scoring the same candidates", compared.splink))
        for name, result in runs:
            say(
                f"{name}, {result.searches} searches: p50 {result.percentile(0.5):.1f} ms,"
                f" p95 {result.percentile(0.95):.1f} ms, p99 {result.percentile(0.99):.1f} ms, mean {result.mean:.1f} ms;"
                f" true person in the top ten {result.found_in_top_ten / result.searches:.2%},"
                f" first {result.found_first / result.searches:.2%}"
            )
            if options["verbosity"] > 1:
                for miss in result.misses:
                    say(f"  not in the top ten: {miss}")
        if compared.splink is not None:
            say(
                f"The search is {compared.ratio(0.5):.1f}x faster than the baseline at p50, {compared.ratio(0.95):.1f}x at p95"
            )
        say(f"Machine speed after: {machine.speed():.1f} million steps a second")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say(f"Peak memory of this process: {peak:.0f} MB")
