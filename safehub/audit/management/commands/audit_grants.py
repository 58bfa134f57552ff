from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.audit.roles import app_role_grants, is_role_name


class Command(BaseCommand):
    help = (
        "Print the SQL the owner role runs after every migrate on PostgreSQL, so that the application's role"
        " can use Safehub's tables but only add to the audit trail (docs/operations/audit-trail.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app", default="safehub_app", help="The application's role (safehub_app).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_role_name(options["app"]):
            raise CommandError(
                f"{options['app']!r} is not a plain PostgreSQL role name: use lower-case letters, digits and"
                " underscores, starting with a letter or underscore."
            )
        for statement in app_role_grants(options["app"]):
            self.stdout.write(f"{statement};")
