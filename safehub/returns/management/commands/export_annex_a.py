from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safehub.returns.exporting import export_to_file
from safehub.returns.models import ReturnKind


class Command(BaseCommand):
    help = (
        "Write Ofsted's ILACS Annex A, lists 1 to 5, for the six months before --as-at, as an .xlsx workbook."
        " Checked by the Annex A cleaner first: nothing is written while it finds a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", required=True, help="The as-at date, YYYY-MM-DD.")
        parser.add_argument("--out", required=True, type=Path, help="The workbook to write.")
        parser.add_argument("--as", dest="username", required=True, help="The performance lead exporting it.")

    def handle(self, *args: Any, **options: Any) -> None:
        export_to_file(
            ReturnKind.ANNEX_A,
            options["as_at"],
            out=options["out"],
            username=options["username"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
