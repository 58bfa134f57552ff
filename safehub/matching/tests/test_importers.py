from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from safehub.audit.models import AuditEvent, Verb
from safehub.core.csv_import import ImportRefused
from safehub.matching import importers
from safehub.matching.features import PersonDetails
from safehub.matching.importers import import_involvements
from safehub.matching.models import BlockingKey
from safehub.matching.search import search
from safehub.people.models import Involvement, Person
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEADER = "local_person_id,given_name,family_name,date_of_birth,nhs_number,postcode,service,started_on,ended_on,allocated_worker,worker_email,team,external_ref\n"
GOOD = (
    HEADER
    + "LCS1,Mia,Harlow,2016-05-17,9434765919,DA6 7AT,child_in_need,2026-01-05,,Sam Okafor,sam@example.org,Team 2,CIN-1\n"
    + "LCS2,Dawn,Harlow,03/02/1988,,,adult_social_care,01/03/2025,01/09/2025,Ali Khan,,ASC,ASC-9\n"
)


def _run(text: str | bytes, by: Any, at: dt.datetime) -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return import_involvements(io.BytesIO(raw), by=by, at=at)


def test_a_good_file_creates_people_and_involvements(manager: Any, now: dt.datetime) -> None:
    result = _run(GOOD, manager, now)
    assert (result.rows, result.created_people, result.created, result.updated) == (2, 2, 2, 0)
    assert Person.objects.get(local_id="LCS1").kind == "child"
    assert Person.objects.get(local_id="LCS2").kind == "adult"
    assert AuditEvent.objects.get(verb=Verb.INVOLVEMENTS_IMPORTED).data["created"] == 2


def test_importing_again_updates_instead_of_duplicating(manager: Any, now: dt.datetime) -> None:
    _run(GOOD, manager, now)
    result = _run(GOOD.replace(",Sam Okafor,", ",Jo Baines,"), manager, now)
    assert (result.created, result.updated, result.created_people) == (0, 2, 0)
    assert Involvement.objects.count() == 2
    assert Involvement.objects.get(person__local_id="LCS1").allocated_worker == "Jo Baines"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "LCS3,A,B,2016-02-31,,,child_in_need,2026-01-05,,,,,",
            "Line 3: date_of_birth '2016-02-31' is not a real date",
        ),
        ("LCS3,A,B,2016-02-01,,,wardship,2026-01-05,,,,,", "Line 3: service 'wardship' is not one of"),
        (
            "LCS3,A,B,2016-02-01,1234567890,,child_in_need,2026-01-05,,,,,",
            "Line 3: nhs_number '1234567890' is not a valid NHS number",
        ),
        ("LCS3,A,B,2016-02-01,,ZZZ,child_in_need,2026-01-05,,,,,", "Line 3: postcode 'ZZZ' is not a real postcode"),
        ("LCS3,A,B,2016-02-01,,,child_in_need,2026-01-05,2025-01-01,,,,", "Line 3: ended_on is before started_on"),
        ("LCS3,A,,2016-02-01,,,child_in_need,2026-01-05,,,,,", "Line 3: family_name is required"),
        (
            "LCS1,Mia,Harlow,2016-05-18,,,child_in_need,2026-02-05,,,,,",
            "date_of_birth 2016-05-18 does not match person LCS1",
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    manager: Any, now: dt.datetime, row: str, message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        _run(GOOD.splitlines(keepends=True)[0] + GOOD.splitlines(keepends=True)[1] + row + "\n", manager, now)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert not Person.objects.exists()
    assert not Involvement.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty"),
        (b"name,dob\nx,y\n", "the header is missing the column(s) local_person_id"),
        (GOOD.encode("utf-16"), "must be saved as UTF-8"),
        (GOOD.encode() + "Zoë".encode("cp1252"),
         "must be saved as UTF-8 (byte"),  # Excel's "CSV (Comma delimited)" on Windows
        (b"PK\x03\x04" + b"\x00" * 40, "This is a spreadsheet, not a CSV file"),  # an .xlsx
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "This is a spreadsheet, not a CSV file"),  # an .xls
        (HEADER.encode(), "no rows"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_whole(manager: Any, now: dt.datetime, raw: bytes, message: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        _run(raw, manager, now)
    assert message in refused.value.errors[0]
    assert not Involvement.objects.exists()


def test_the_command_reports_problems_and_exits_non_zero(
    manager: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "LCS3,A,B,2016-02-31,,,child_in_need,2026-01-05,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_involvements", str(path), "--as", manager.username)
    assert "Line 2: date_of_birth" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_involvements", str(good), "--as", manager.username)
    assert Involvement.objects.count() == 2


def test_the_upload_page_lists_line_errors(manager_client: Client) -> None:
    upload = io.BytesIO((HEADER + "LCS3,A,B,2016-02-31,,,child_in_need,2026-01-05,,,,,\n").encode())
    upload.name = "bad.csv"
    response = manager_client.post(reverse("people:import-involvements"), {"file": upload})
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Line 2: date_of_birth" in page


def test_only_managers_import(social_worker_client: Client) -> None:
    assert social_worker_client.get(reverse("people:import-involvements")).status_code == 403


def test_an_involvement_by_hand(social_worker_client: Client, now: dt.datetime) -> None:
    person = PersonFactory()
    url = reverse("people:add-involvement", args=[person.pk])
    data = {
        "service": "early_help",
        "started_on_0": "1",
        "started_on_1": "9",
        "started_on_2": "2026",
        "team": "Early help hub",
    }
    assert social_worker_client.post(url, data).status_code == 302
    response = social_worker_client.post(url, data)
    assert "already has that service" in response.content.decode()
    bad = social_worker_client.post(url, {**data, "started_on_2": "2027"})
    assert "The start date must be today or in the past" in bad.content.decode()
    assert Involvement.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.INVOLVEMENT_RECORDED, person=person).count() == 1


def test_a_young_person_days_from_eighteen_is_imported_as_a_child(manager: Any, now: dt.datetime) -> None:
    """Counted in 365-day years they would be 18 already; they are 17 until their birthday."""
    born = dt.date(now.year - 18, now.month, now.day) + dt.timedelta(days=3)
    row = f"LCS5,Jo,Reed,{born.isoformat()},,,child_in_need,2026-01-05,,,,,\n"
    _run(HEADER + row, manager, now)
    assert Person.objects.get(local_id="LCS5").kind == "child"


# Each value the model would refuse, or the database could not store, as a row of its own (line 7
# of the file: five good rows first). On PostgreSQL each of these used to end in a server error.
GOOD_ROW = "LCS{n},Mia,Harlow,2016-05-17,,,child_in_need,2026-01-05,,Sam Okafor,sam@example.org,Team 2,CIN-1\n"
MALFORMED = [
    (
        {"local_person_id": "P" * 300},
        "Line 7: the local person ID (local_person_id) is 300 characters long: it can be at most 40",
    ),
    (
        {"family_name": "H" * 100_000},
        "Line 7: the last name (family_name) is 100,000 characters long: it can be at most 100",
    ),
    ({"given_name": "M" * 101}, "Line 7: the first name (given_name) is 101 characters long: it can be at most 100"),
    ({"given_name": "Mi\x00a"}, "Line 7: given_name contains a NUL character (byte 0), which cannot be stored"),
    ({"family_name": "\x00"}, "Line 7: family_name contains a NUL character"),
    ({"team": "Team\x002"}, "Line 7: team contains a NUL character"),
    (
        {"worker_email": "sam at example"},
        "Line 7: the worker's email (worker_email) 'sam at example' is not an email address",
    ),
    (
        {"worker_email": "s" * 250 + "@example.org"},
        "Line 7: the worker's email (worker_email) is 262 characters long: it can be at most 254",
    ),
    ({"allocated_worker": "W" * 201}, "Line 7: the allocated worker (allocated_worker) is 201 characters long"),
    ({"team": "T" * 201}, "Line 7: the team (team) is 201 characters long: it can be at most 200"),
    ({"external_ref": "R" * 61}, "Line 7: the reference in the case system (external_ref) is 61 characters long"),
    ({"service": "x" * 5000}, "Line 7: service 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is not one of"),
    ({"date_of_birth": "9" * 40}, "Line 7: date_of_birth '999999999999999999999999999999…' is not a real date"),
    ({"started_on": "2026-13-45"}, "Line 7: started_on '2026-13-45' is not a real date"),
]
COLUMN_ORDER = HEADER.strip().split(",")


def _file_with_row_7(**changes: str) -> str:
    bad = dict(zip(COLUMN_ORDER, GOOD_ROW.format(n=99).strip().split(","), strict=True)) | changes
    return HEADER + "".join(GOOD_ROW.format(n=n) for n in range(1, 6)) + ",".join(bad[c] for c in COLUMN_ORDER) + "\n"


@pytest.mark.parametrize(
    ("changes", "message"), MALFORMED, ids=[next(iter(c)) + str(i) for i, (c, _) in enumerate(MALFORMED)]
)
def test_every_value_is_checked_as_the_model_would_and_reported_by_line(
    manager: Any, now: dt.datetime, changes: dict[str, str], message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        _run(_file_with_row_7(**changes), manager, now)
    assert [error for error in refused.value.errors if message in error], refused.value.errors
    assert all(len(error) < 300 for error in refused.value.errors)  # a huge value is not quoted whole
    assert not any("\x00" in error for error in refused.value.errors)
    assert not Person.objects.exists()
    assert not Involvement.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.INVOLVEMENTS_IMPORTED).exists()


@pytest.mark.parametrize(
    ("changes", "message"), MALFORMED, ids=[next(iter(c)) + str(i) for i, (c, _) in enumerate(MALFORMED)]
)
def test_the_upload_page_reports_each_malformed_file_and_imports_nothing(
    manager_client: Client, changes: dict[str, str], message: str
) -> None:
    upload = io.BytesIO(_file_with_row_7(**changes).encode())
    upload.name = "involvements.csv"
    response = manager_client.post(reverse("people:import-involvements"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert escape(message) in page
    assert not Involvement.objects.exists()


@pytest.mark.parametrize(("changes", "message"), MALFORMED[:6], ids=[next(iter(c)) for c, _ in MALFORMED[:6]])
def test_the_command_reports_each_malformed_file_without_a_traceback(
    manager: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str], changes: dict[str, str], message: str
) -> None:
    path = tmp_path / "involvements.csv"
    path.write_text(_file_with_row_7(**changes), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_involvements", str(path), "--as", manager.username)
    assert message in capsys.readouterr().err
    assert not Involvement.objects.exists()


def test_the_longest_values_the_model_allows_are_imported(manager: Any, now: dt.datetime) -> None:
    longest = {
        "local_person_id": "P" * 40,
        "given_name": "M" * 100,
        "family_name": "H" * 100,
        "allocated_worker": "W" * 200,
        "worker_email": "s" * 64 + "@" + "e" * 63 + ".org",
        "team": "T" * 200,
        "external_ref": "R" * 60,
    }
    assert _run(_file_with_row_7(**longest), manager, now).rows == 6
    person = Person.objects.get(local_id="P" * 40)
    assert (len(person.given_name), len(person.family_name)) == (100, 100)
    assert Involvement.objects.get(person=person).worker_email == longest["worker_email"]
    # Its retrieval keys were cut to fit (a hundred-letter first name), and a search still finds it.
    assert all(len(key) <= 80 for key in BlockingKey.objects.filter(person=person).values_list("key", flat=True))
    details = PersonDetails(given_name="M" * 100, family_name="H" * 100, date_of_birth=dt.date(2016, 5, 17))
    assert person in [candidate.person for candidate in search(details, within=Person.objects.all())]


def test_a_column_named_with_spaces_around_it_is_still_read(manager: Any, now: dt.datetime) -> None:
    spaced = GOOD.replace("family_name,", " family_name ,", 1)
    assert _run(spaced, manager, now).rows == 2
    assert Person.objects.get(local_id="LCS1").family_name == "Harlow"


def test_people_stored_by_someone_else_during_the_import_leave_nothing_half_imported(
    manager: Any, now: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows were checked against the people known then; another import stores one of the new
    people before this one does: the whole file is refused, with a message, and nothing is kept."""
    store = importers.record_people

    def someone_else_first(people: Any, **kwargs: Any) -> Any:
        Person.objects.create(local_id="LCS1", kind="child", family_name="Harlow", date_of_birth=dt.date(2016, 5, 17))
        return store(people, **kwargs)

    monkeypatch.setattr(importers, "record_people", someone_else_first)
    with pytest.raises(ImportRefused) as refused:
        _run(GOOD, manager, now)
    assert "at the same moment: nothing was imported" in refused.value.errors[0]
    assert not Person.objects.exists()
    assert not Involvement.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.INVOLVEMENTS_IMPORTED).exists()
