"""The census benchmark stores its year once and times the census built from it."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

from safehub.benchmarks import year_data
from safehub.contacts.models import Contact


def test_the_census_benchmark_is_the_benchmarks_apps_with_its_options() -> None:
    assert get_commands()["benchmark_census"] == "safehub.benchmarks"
    parser = load_command_class("safehub.benchmarks", "benchmark_census").create_parser("safehub", "benchmark_census")
    options = {option for action in parser._actions for option in action.option_strings}
    assert {"--contacts", "--year", "--seed", "--validate", "--out"} <= options


@pytest.mark.django_db
def test_the_year_is_stored_once_and_the_census_of_it_timed(tmp_path: Path, now: dt.datetime) -> None:
    assert year_data.existing(now=now) is None
    out = StringIO()

    call_command("benchmark_census", contacts=150, out=tmp_path / "census.xml", stdout=out, stderr=StringIO())

    stored = year_data.existing(now=now)
    assert stored is not None
    assert stored.contacts == Contact.objects.count() == 150
    assert "Stored in" in out.getvalue()
    assert "Target (≤ 60 s, ≤ 2 GB): met" in out.getvalue()
    written = (tmp_path / "census.xml").read_bytes()
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>')
    assert b"<CINdetails>" in written
    assert stored.performance_lead.roles() == {"performance_lead"}

    again = StringIO()
    call_command("benchmark_census", contacts=150, year="2026", stdout=again, stderr=StringIO())

    assert "the year stored before, 150 contacts" in again.getvalue()
    assert "Census 2026:" in again.getvalue()
    assert Contact.objects.count() == 150
