"""`safehub unlock-account USERNAME --reason "..."`: unlock an account that failed sign-ins locked;
`safehub unlock-account --list` lists the locked accounts. For a server without a signed-in
administrator to hand; the unlock is audited as this command's, with the reason."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.accounts.models import User
from safehub.core.errors import DomainError
from safehub.signin import lockout


class Command(BaseCommand):
    help = "Unlock an account locked by failed sign-ins (with a reason, audited), or --list the locked accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help="the account to unlock")
        parser.add_argument("--reason", default="", help="why it is being unlocked (kept in the audit trail)")
        parser.add_argument("--list", action="store_true", help="list the locked accounts and unlock nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            rows = list(lockout.locked_accounts())
            for row in rows:
                self.stdout.write(
                    f"{row.user.username}\tlocked {row.locked_at:%Y-%m-%d %H:%M %Z}\t{row.failures} failures"
                )
            self.stdout.write(f"{len(rows)} locked account{'' if len(rows) == 1 else 's'}")
            return
        username = options["username"]
        if not username:
            raise CommandError("Name the account to unlock, or use --list")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}")
        try:
            lockout.unlock_account(
                user, reason=options["reason"], system_process=f"unlock-account command ({_operator()})"[:60]
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Unlocked {username}")


def _operator() -> str:
    """Who ran the command, as the server knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"
