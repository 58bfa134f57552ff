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
from safehub.core.presenters import how_many
from safehub.returns.models import ReturnKind
from safehub.returns.permissions import can_export_returns
from safehub.returns.services import ReturnRefused, export_return

SHOWN_CHILDREN = 20


def exporter(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not can_export_returns(user):
        raise CommandError(f"{username} is not the performance lead in Safehub")
    return user


EXAMPLE_FILE = {ReturnKind.CIN_CENSUS: "census.xml", ReturnKind.ANNEX_A: "annex-a.xlsx"}


def check_writable(out: Path, *, kind: ReturnKind) -> None:
    """Refuse a file that could not be written before the return is built (Annex A takes half a minute):
    the folder must exist and let a file be made in it, and `out` must not be a folder itself."""
    folder = out.absolute().parent
    if out.is_dir():
        raise CommandError(f"{out} is a folder: give the name of the file to write, such as {out / EXAMPLE_FILE[kind]}")
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"Cannot write {out}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise CommandError(f"Cannot write {out}: the folder {folder} does not exist")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{out.name}."):
            pass
    except OSError:
        raise CommandError(f"Cannot write {out}: files cannot be made in the folder {folder}") from None


def write_whole(out: Path, data: bytes) -> None:
    """Write `out` through a temporary file beside it, renamed into place: the whole file or nothing."""
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=out.absolute().parent, prefix=f".{out.name}.")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, out)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        reason = (error.strerror or "the file could not be saved").lower()
        raise CommandError(f"Nothing was written to {out}, and the export was not recorded: {reason}") from None


def _said(refused: ReturnRefused, *, stderr: OutputWrapper) -> CommandError:
    """Each rule that stops the return, with the children it names, and the error that ends the command."""
    for issue in refused.issues:
        named = ", ".join(issue.children[:SHOWN_CHILDREN])
        more = f" and {len(issue.children) - SHOWN_CHILDREN} more" if len(issue.children) > SHOWN_CHILDREN else ""
        stderr.write(f"{issue.rule}: {issue.message}" + (f" (children: {named}{more})" if named else ""))
    return CommandError(f"Nothing was written: {refused.message}")


def export_to_file(
    kind: ReturnKind, period: str, *, out: Path, username: str, stdout: OutputWrapper, stderr: OutputWrapper
) -> None:
    """Export the return to `out`: written whole once it passes its validator, and recorded as sent only
    once written; CommandError listing the rules and children that stop it, or why it cannot be written."""
    user = exporter(username)
    check_writable(out, kind=kind)
    try:
        check, _ = export_return(
            kind, period, by=user, at=timezone.now(), deliver=lambda built: write_whole(out, built.data)
        )
    except ReturnRefused as refused:
        raise _said(refused, stderr=stderr) from None
    children = how_many(check.children, "child", "children")
    rows = how_many(check.rows, "row", "rows")
    queries = f"; {how_many(len(check.queries), 'query', 'queries')} for a person to review" if check.queries else ""
    stdout.write(f"Wrote {out}: {children}, {rows}, passes its validator{queries}")


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
