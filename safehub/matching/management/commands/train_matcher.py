from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.matching.population import Population, feature_frame
from safehub.matching.services import train_and_activate
from safehub.matching.training import train


class Command(BaseCommand):
    help = (
        "Estimate the person matcher's parameters on the hub's person index (unsupervised) and make them the"
        " active model. With --synthetic, train on a generated population and write the model to --out instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--synthetic", type=int, metavar="HOUSEHOLDS", help="Train on a generated population.")
        parser.add_argument("--seed", type=int, default=20261124)
        parser.add_argument("--out", type=Path, help="Where to write the model (with --synthetic).")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("splink").setLevel(logging.ERROR)
        if options["synthetic"]:
            if options["out"] is None:
                raise CommandError("--synthetic needs --out FILE for the trained model")
            population = Population(seed=options["seed"])
            records = list(population.records(list(population.people(options["synthetic"]))))
            started = time.perf_counter()
            model = train([feature_frame(records)], relatives_rule=True)
            options["out"].write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
            self.stdout.write(
                f"Trained on {len(records)} generated records in {time.perf_counter() - started:.1f} s;"
                f" written to {options['out']}"
            )
            return
        try:
            stored = train_and_activate(by=None, at=timezone.now())
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Matcher version {stored.version} trained on {stored.records} people in {stored.seconds:.1f} s and now active"
        )
