"""A CSV file with a value longer than Python's `csv` limit (131,072 characters; most often an
opening quote never closed) is refused with the line it starts on, by the involvements upload
page and command and by `safehub link` and `dedupe`: never a server error or a traceback, and
nothing imported or written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.core.csvfiles import UnreadableCsv, header, rows
from safehub.matching.csvio import REQUIRED
from safehub.people.models import Involvement, Person

LIMIT = csv.field_size_limit()
INVOLVEMENTS = "local_person_id,given_name,family_name,date_of_birth,nhs_number,postcode,service,started_on,ended_on,allocated_worker,worker_email,team,external_ref\n"
GOOD_INVOLVEMENT = "LCS1,Amy,Smith,2016-05-17,,,child_in_need,2026-01-05,,,,,\n"
PEOPLE = ",".join(REQUIRED) + "\n"
GOOD_PERSON = "1,Amy,Smith,,,,,\n"


def _too_long(prefix: str) -> str:
    return f'{prefix}"{"x" * (LIMIT + 10)}"'


def _unclosed(prefix: str) -> str:
    """A value whose quote is never closed: the rest of the file is one value."""
    return f'{prefix}"Smith\n' + "more text,\n" * (LIMIT // 10)


def test_reading_stops_at_the_line_the_long_value_starts_on() -> None:
    text = PEOPLE + GOOD_PERSON + GOOD_PERSON + _too_long("3,Amy,") + ",,,,,\n"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert header(reader) == list(REQUIRED)
    read: list[dict[str, str]] = []
    with pytest.raises(UnreadableCsv) as unreadable:
        read.extend(rows(reader))
    assert len(read) == 2
    assert unreadable.value.line == 4
    assert f"Line 4: a value is longer than {LIMIT:,} characters" in unreadable.value.message


def test_a_header_too_long_is_line_one() -> None:
    reader = csv.DictReader(io.StringIO(_too_long("id,") + "\n", newline=""))
    with pytest.raises(UnreadableCsv, match="Line 1: a value is longer"):
        header(reader)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [_too_long("LCS2,Ben,"), _unclosed("LCS2,Ben,")])
def test_the_involvements_upload_page_names_the_line(manager_client: Client, bad: str) -> None:
    upload = io.BytesIO((INVOLVEMENTS + GOOD_INVOLVEMENT + bad).encode())
    upload.name = "involvements.csv"
    response = manager_client.post(reverse("people:import-involvements"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert f"Line 3: a value is longer than {LIMIT:,} characters" in page
    assert not Involvement.objects.exists()
    assert not Person.objects.filter(local_id="LCS1").exists()


@pytest.mark.django_db
def test_the_involvements_command_names_the_line(
    manager: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "involvements.csv"
    path.write_text(INVOLVEMENTS + GOOD_INVOLVEMENT + _too_long("LCS2,Ben,"), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_involvements", str(path), "--as", manager.username)
    assert "Line 3: a value is longer than" in capsys.readouterr().err
    assert not Involvement.objects.exists()


@pytest.mark.parametrize("command", ["link", "dedupe"])
def test_link_and_dedupe_name_the_line_and_write_nothing(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(PEOPLE + GOOD_PERSON + _unclosed("2,Ben,"), encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(PEOPLE + GOOD_PERSON, encoding="utf-8")
    out = tmp_path / "pairs.csv"
    files = [str(good), str(bad)] if command == "link" else [str(bad)]
    with pytest.raises(CommandError, match="Nothing was written") as refused:
        call_command(command, *files, out=out)
    said = str(refused.value) + capsys.readouterr().err
    assert f"Line 3: a value is longer than {LIMIT:,} characters" in said
    assert not out.exists()
