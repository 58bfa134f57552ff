from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.accounts.models import User
from safehub.casework.importer import casework_said
from safehub.casework.permissions import can_import_casework
from safehub.core.import_pages import import_file


class Command(BaseCommand):
    help = "Import assessments, section 47 enquiries, conferences and plans from a CSV file (docs/casework-csv.md). All rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--as", dest="username", required=True, help="The manager or performance lead importing it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not can_import_casework(user):
            raise CommandError(f"{options['username']} is not a manager or the performance lead in Safehub")
        import_file(options["path"], user, casework_said, stdout=self.stdout, stderr=self.stderr)
