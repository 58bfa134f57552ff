"""The import's page and command: a file's problems listed by line, a good file imported once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.casework.models import Episode
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

GOOD = b"record,local_person_id,referral_date,source\nreferral,CW-7,2026-03-02,2A\n"


def _upload(data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = "casework.csv"
    return upload


def test_the_page_imports_a_good_file_and_lists_a_bad_ones_problems(manager_client: Client) -> None:
    PersonFactory(local_id="CW-7")
    address = reverse("casework:import")

    refused = manager_client.post(address, {"file": _upload(GOOD.replace(b"2A", b"ZZ"))})
    assert refused.status_code == 200
    assert "Nothing was imported" in refused.content.decode()
    assert "Line 2: source &#x27;ZZ&#x27; is not one of" in refused.content.decode()
    assert not Episode.objects.exists()

    done = manager_client.post(address, {"file": _upload(GOOD)}, follow=True)
    assert "Imported 1 row: 1 record created, 0 updated" in done.content.decode()
    assert Episode.objects.count() == 1


def test_the_command_says_what_it_did_or_every_problem(manager: User, tmp_path: Path) -> None:
    PersonFactory(local_id="CW-7")
    path = tmp_path / "casework.csv"
    path.write_bytes(GOOD.replace(b"CW-7", b"CW-8"))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_casework", str(path), "--as", manager.username, stderr=errors)
    assert "Line 2: no child with local person ID 'CW-8'" in errors.getvalue()

    path.write_bytes(GOOD)
    out = io.StringIO()
    call_command("import_casework", str(path), "--as", manager.username, stdout=out)
    assert "1 record created" in out.getvalue()
    with pytest.raises(CommandError, match="not a manager or the performance lead"):
        call_command("import_casework", str(path), "--as", "nobody")


def test_a_file_of_many_bad_rows_lists_the_first_hundred_and_counts_the_rest(manager_client: Client) -> None:
    bad = b"record,local_person_id,referral_date,source\n" + b"referral,NOBODY,2026-03-02,2A\n" * 250
    refused = manager_client.post(reverse("casework:import"), {"file": _upload(bad)})
    page = refused.content.decode()
    assert "the file has 250 problems, the first 100 listed below" in page
    assert page.count("no child with local person ID") == 100
    assert "And 150 more." in page
    assert not Episode.objects.exists()


def test_the_page_shows_the_columns_each_kind_of_row_uses(manager_client: Client) -> None:
    page = manager_client.get(reverse("casework:import")).content.decode()
    assert "What the file must look like" in page
    row = page.split("<code>cp_plan</code>", 1)[1].split("</tr>", 1)[0]
    assert "referral_date, start_date, initial_category, latest_category" in row  # must fill in
    assert "contact_reference, end_date, previous_plans, external_ref" in row  # may
    assert "primary_need" in page.split("<code>referral</code>", 1)[1].split("</tr>", 1)[0]
