from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from safehub.matching.management.commands._batch import BatchCommand


class Command(BatchCommand):
    help = "Find probable duplicates within one people CSV file (id,given_name,family_name,dob,sex,address,postcode,nhs_number)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("people", type=Path)
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_batch([options["people"]], options)
