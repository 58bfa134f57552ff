from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.accounts.models import User
from safehub.core.import_pages import import_file
from safehub.matching.importers import involvements_said
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
        import_file(options["path"], user, involvements_said, stdout=self.stdout, stderr=self.stderr)
