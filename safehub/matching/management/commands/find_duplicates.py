from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safehub.matching.duplicates import REVIEW_THRESHOLD, find_duplicates


class Command(BaseCommand):
    help = "Find probable duplicate person records and queue them for review. Nothing is merged automatically."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold", type=float, default=REVIEW_THRESHOLD, help="Lowest match probability to queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("splink").setLevel(logging.ERROR)
        started = time.perf_counter()
        result = find_duplicates(at=timezone.now(), threshold=options["threshold"])
        self.stdout.write(
            f"{result.scored} probable pairs, {result.new} new for review, {result.already_known} already known"
            f" ({time.perf_counter() - started:.1f} s)"
        )
