from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.accounts.models import User
from safehub.core.csv_import import ImportRefused
from safehub.matching.importers import import_involvements
from safehub.people.permissions import can_import_involvements


class Command(BaseCommand):
    help = "Import involvements from a CSV file (docs/involvements-csv.md). All rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="The team manager responsible for the import.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not can_import_involvements(user):
            raise CommandError(f"{options['username']} is not a team manager in Safehub")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            with path.open("rb") as file:
                result = import_involvements(file, by=user, at=timezone.now())
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: {len(refused.errors)} problem(s) in {path}") from None
        self.stdout.write(
            f"Imported {result.rows} rows: {result.created} involvements created, {result.updated} updated, "
            f"{result.created_people} new people"
        )
