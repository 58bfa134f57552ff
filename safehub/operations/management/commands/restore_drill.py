import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.operations.backups import BackupError, drill, inspect


class Command(BaseCommand):
    help = (
        "Restore a backup (a pg_dump custom-format file) into a scratch database on the same PostgreSQL"
        " server, count every Safehub table there and verify the audit chain there, and compare with the"
        " backup's manifest (made by `safehub backup-database`) or, with --against-source, with this"
        " database. Prints a report; exits non-zero on any mismatch. The scratch database is dropped after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path, nargs="?", help="The backup to restore.")
        parser.add_argument("--manifest", type=Path, help="The manifest to compare with (default: beside the dump).")
        parser.add_argument(
            "--against-source",
            action="store_true",
            help="Compare with this database now, not a manifest (for a dump just taken of a quiet database).",
        )
        parser.add_argument(
            "--scratch-database", help="The database to restore into (default: this one's name + _restore_drill)."
        )
        parser.add_argument("--keep", action="store_true", help="Leave the scratch database for a look afterwards.")
        # Used by the drill itself, in a process whose DATABASE_URL names the scratch database.
        parser.add_argument("--inspect-this-database", action="store_true", help="(internal) Print counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inspect_this_database"]:
            self.stdout.write(json.dumps(inspect()))
            return
        if options["dump"] is None:
            raise CommandError("Name the backup to restore: safehub restore-drill BACKUP.dump")
        if options["manifest"] and options["against_source"]:
            raise CommandError("Compare with a manifest or with the source database, not both")
        try:
            report = drill(
                options["dump"],
                manifest=options["manifest"],
                against_source=options["against_source"],
                scratch=options["scratch_database"],
                keep=options["keep"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("\n".join(report.lines()))
        if not report.passed:
            raise CommandError(f"Restore drill failed: {len(report.mismatches)} mismatches (listed above)")
