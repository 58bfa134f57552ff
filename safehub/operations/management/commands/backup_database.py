from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.operations.backups import BackupError, back_up, manifest_path


class Command(BaseCommand):
    help = (
        "Back up Safehub's PostgreSQL database: a pg_dump custom-format file, and beside it a manifest"
        " (OUTPUT.manifest.json) of the rows in every Safehub table and the audit head, counted in the"
        " snapshot the dump was taken from. `safehub restore-drill OUTPUT` checks a restore against it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path, help="The dump file to write (its directory must exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(f"No directory {output.parent} to write the backup in")
        try:
            manifest = back_up(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {len(manifest['counts'])} tables ({rows} rows, audit head #{manifest['audit_head']['seq']})"
            f" to {output}; manifest {manifest_path(output)}"
        )
