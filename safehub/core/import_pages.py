"""The page and the command that every CSV import has (involvements, casework): a file in, every
problem listed by line and nothing imported, or what was imported said."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django import forms
from django.contrib import messages
from django.core.management.base import CommandError, OutputWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safehub.core.csv_import import ImportRefused
from safehub.core.forms import GovukForm
from safehub.core.presenters import how_many

# Imports a file for a user at a moment; says what it imported.
Importer = Callable[[IO[bytes], Any, datetime], str]
# The problems the page lists: a file of half a million bad rows listed every one and took the browser
# minutes to show; the first hundred say what is wrong with it.
SHOWN = 100


def problems(count: int) -> str:
    return how_many(count, "problem", "problems")


class ImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text='Saved as CSV UTF-8 (in Excel: Save As, then "CSV UTF-8")',
        error_messages={"required": "Choose the CSV file to import", "empty": "The file chosen is empty"},
    )


def import_page(
    request: HttpRequest, importer: Importer, *, template: str, again: str, guide: dict[str, Any] | None = None
) -> HttpResponse:
    """The upload page: on a good file, what was imported said on the page `again` names. `guide` is what
    the page's template shows of the file's format."""
    form = ImportForm(request.POST or None, request.FILES or None)
    line_errors: list[str] = []
    more = ""
    if request.method == "POST" and form.is_valid():
        try:
            said = importer(form.cleaned_data["file"], request.user, timezone.now())
        except ImportRefused as refused:
            line_errors = refused.errors[:SHOWN]
            left = len(refused.errors) - len(line_errors)
            more = f"{left:,}" if left else ""  # "And 499,900 more."
            listed = "listed below" if not left else f"the first {SHOWN} listed below"
            form.add_error("file", f"Nothing was imported: the file has {problems(len(refused.errors))}, {listed}")
        else:
            messages.success(request, said)
            return redirect(again)
    return render(request, template, {"form": form, "line_errors": line_errors, "more": more, **(guide or {})})


def import_file(path: Path, user: Any, importer: Importer, *, stdout: OutputWrapper, stderr: OutputWrapper) -> None:
    """The command: every problem on stderr and CommandError, or what was imported on stdout."""
    if not path.is_file():
        raise CommandError(f"No file at {path}")
    try:
        with path.open("rb") as file:
            said = importer(file, user, timezone.now())
    except ImportRefused as refused:
        for error in refused.errors:
            stderr.write(error)
        raise CommandError(f"Nothing was imported: {problems(len(refused.errors))} in {path}") from None
    stdout.write(said)
