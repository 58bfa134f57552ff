from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from safehub.matching.management.commands._batch import BatchCommand


class Command(BatchCommand):
    help = "Link two people CSV files (id,given_name,family_name,dob,sex,address,postcode,nhs_number)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path)
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_batch([options["left"], options["right"]], options)
