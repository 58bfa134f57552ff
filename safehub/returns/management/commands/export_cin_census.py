from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safehub.returns.exporting import export_to_file
from safehub.returns.models import ReturnKind


class Command(BaseCommand):
    help = (
        "Write the DfE Children in Need census for a collection year (the year its reference date, 31 March,"
        " falls in) as the XML the DfE collects. Checked by the DfE's rules first: nothing is written while"
        " an error stops it; queries are listed for a person to review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", required=True, help="The collection year, such as 2026 (1 April 2025 to 31 March 2026)."
        )
        parser.add_argument("--out", required=True, type=Path, help="The XML file to write.")
        parser.add_argument("--as", dest="username", required=True, help="The performance lead exporting it.")

    def handle(self, *args: Any, **options: Any) -> None:
        export_to_file(
            ReturnKind.CIN_CENSUS,
            options["year"],
            out=options["out"],
            username=options["username"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
