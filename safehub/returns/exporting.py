"""What the export commands share (`safehub export-annex-a`, `safehub export-cin-census`): who may
export, the file written whole or not at all, every rule that stops it said."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import timezone

from safehub.accounts.models import User
from safehub.returns.models import ReturnKind
from safehub.returns.permissions import can_export_returns
from safehub.returns.services import ReturnRefused, export_return

SHOWN_CHILDREN = 20


def exporter(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not can_export_returns(user):
        raise CommandError(f"{username} is not the performance lead in Safehub")
    return user


def export_to_file(
    kind: ReturnKind, period: str, *, out: Path, username: str, stdout: OutputWrapper, stderr: OutputWrapper
) -> None:
    """Export the return to `out`: written whole (through a temporary file beside it) once it passes its
    validator, never half-written; CommandError listing the rules and children that stop it."""
    user = exporter(username)
    if out.is_dir() or not out.parent.is_dir():
        raise CommandError(f"Cannot write {out}: its folder does not exist")
    try:
        check, built = export_return(kind, period, by=user, at=timezone.now())
    except ReturnRefused as refused:
        for issue in refused.issues:
            named = ", ".join(issue.children[:SHOWN_CHILDREN])
            more = f" and {len(issue.children) - SHOWN_CHILDREN} more" if len(issue.children) > SHOWN_CHILDREN else ""
            stderr.write(f"{issue.rule}: {issue.message}" + (f" (children: {named}{more})" if named else ""))
        raise CommandError(f"Nothing was written: {refused.message}") from None
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(built.data)
        os.replace(temporary, out)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"Cannot write {out}: {error.strerror}") from None
    queries = f"; {len(check.queries)} queries for a person to review" if check.queries else ""
    stdout.write(f"Wrote {out}: {check.children} children, {check.rows} rows, passes its validator{queries}")


class ExportCommand(BaseCommand):
    """`safehub export-…`: the period as its option, the file, and who exports it."""

    kind: ReturnKind
    period_option: str  # "--year", "--as-at"
    period_help: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(self.period_option, dest="period", required=True, help=self.period_help)
        parser.add_argument("--out", required=True, type=Path, help="The file to write.")
        parser.add_argument("--as", dest="username", required=True, help="The performance lead exporting it.")

    def handle(self, *args: Any, **options: Any) -> None:
        export_to_file(
            self.kind,
            options["period"],
            out=options["out"],
            username=options["username"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
