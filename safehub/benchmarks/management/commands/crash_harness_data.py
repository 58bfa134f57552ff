import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.benchmarks import crash_data


class Command(BaseCommand):
    help = (
        "The crash harness's data step, run by `safehub crash-harness` in a process of its own against its"
        " scratch database: `setup FILE` makes the data the plan in FILE asks for, `verify FILE` counts"
        " what the run in FILE wrote. Prints JSON. It writes generated data: never point it at a real database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["setup", "verify"])
        parser.add_argument("file", type=Path, help="JSON: the plan (setup) or the run's id and requests (verify)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            given = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        step = crash_data.setup if options["step"] == "setup" else crash_data.verify
        self.stdout.write(json.dumps(step(given)))
