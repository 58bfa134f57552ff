"""`safehub create-administrator`: the first administrator of a new hub, from the command line.

With the Django admin off (production), this is how an installation gets the administrator who then
adds everyone else on Safehub's own pages. It refuses while the hub has an active administrator.
The password is typed twice at the prompt (never an argument: it would stay in the shell's history)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.core.errors import DomainError, Refused
from safehub.users.services import FirstAdministrator, UserDetails, create_first_administrator


class Command(BaseCommand):
    help = "Create the hub's first administrator (and its host agency and team, if missing). Asks for the password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--job-title", default="Safehub administrator")
        parser.add_argument("--agency", required=True, help="The host agency: the local authority that runs the hub.")
        parser.add_argument("--team", required=True, help="The administrator's team in the host agency.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("The two passwords are not the same: nothing was created")
        new = FirstAdministrator(
            username=options["username"],
            details=UserDetails(options["first_name"], options["last_name"], options["email"], options["job_title"]),
            password=password,
            agency=options["agency"],
            team=options["team"],
        )
        try:
            user = create_first_administrator(new)
        except DomainError as error:
            messages = [p.message for p in error.problems] if isinstance(error, Refused) else [error.message]
            for message in messages:
                self.stderr.write(message)
            raise CommandError("Nothing was created") from None
        self.stdout.write(f"{user.username} is the hub's administrator: sign in and add users on the Users page")
