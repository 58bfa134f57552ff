from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.returns import external


class Command(BaseCommand):
    help = "Make (or list) the third-party validators' own environments: `safehub validators install`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["install", "list"])
        parser.add_argument("names", nargs="*", help="Which validators (all when none is named).")

    def handle(self, *args: Any, **options: Any) -> None:
        names: list[str] = options["names"] or external.known()
        try:
            for name in names:
                found = external.validator(name)
                if options["action"] == "list":
                    state = "installed" if external.is_installed(found) else "not installed"
                    self.stdout.write(f"{name}\t{state}\t{found.home}")
                    continue
                if not external.is_installed(found):
                    self.stdout.write(f"Installing the {name} validator in {found.home} …")
                external.install(name)
                self.stdout.write(f"{name}: ready")
        except external.ValidatorUnavailable as error:
            raise CommandError(str(error)) from None
