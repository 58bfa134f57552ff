from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safehub.benchmarks.matching import synthetic
from safehub.matching import batch
from safehub.matching.csvio import REQUIRED, BadValues, CsvRefused, read_people, read_people_file
from safehub.matching.model import MatchModel
from safehub.matching.population import AgencyRecord, Population
from safehub.matching.services import DEFAULT_MODEL

# Splink and files only: the same on any database (see conftest.py).
pytestmark = pytest.mark.database_independent

HEADER = ",".join(REQUIRED)


def _write(path: Path, records: list[AgencyRecord]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(REQUIRED)
        for r in records:
            dob = r.dob.isoformat() if r.dob and not r.dob_is_expected else ""
            writer.writerow([r.id, r.given_name, r.family_name, dob, r.sex, r.address, r.postcode, r.nhs_number])
    return path


@pytest.fixture(scope="module")
def agency_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """Police and health extracts of one generated population; the truth maps record id to person."""
    population = Population(seed=5)
    people = list(population.people(150))
    police = [population.record(p, "police", n) for n, p in enumerate(people)]
    health = [population.record(p, "health", n) for n, p in enumerate(people) if n % 3]
    folder = tmp_path_factory.mktemp("extracts")
    owner = {r.id: r.person_key for r in police + health}
    return _write(folder / "police.csv", police), _write(folder / "health.csv", health), owner


def _pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_link_writes_probable_pairs_that_are_mostly_true(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    police, health, owner = agency_files
    out = tmp_path / "pairs.csv"
    call_command("link", str(police), str(health), out=out)
    rows = _pairs(out)
    assert rows
    assert set(rows[0]) == {"left_id", "right_id", "match_probability", "found_by"}
    assert {r["found_by"] for r in rows} <= {"score", "group"}
    assert all(float(r["match_probability"]) >= 0.9 for r in rows if r["found_by"] == "score")
    correct = sum(owner[r["left_id"]] == owner[r["right_id"]] for r in rows)
    expected = sum(1 for record_id in owner if record_id.startswith("HEA"))
    assert correct / len(rows) >= 0.97
    assert correct / expected >= 0.9


def test_dedupe_within_one_file(agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    police, health, owner = agency_files
    both = tmp_path / "both.csv"
    both.write_text(police.read_text() + "".join(health.read_text().splitlines(keepends=True)[1:]))
    out = tmp_path / "pairs.csv"
    call_command("dedupe", str(both), out=out, threshold=0.95)
    rows = _pairs(out)
    assert rows
    assert all(float(r["match_probability"]) >= 0.95 for r in rows if r["found_by"] == "score")
    assert sum(owner[r["left_id"]] == owner[r["right_id"]] for r in rows) / len(rows) >= 0.97


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("given_name,family_name\nAmy,Smith\n", "Line 1: the header must name"),
        (f"{HEADER}\n1,Amy,Smith,2015-02-30,F,,DA6 7AT,\n", "Line 2: dob '2015-02-30' is not a date"),
        (f"{HEADER}\n1,Amy,Smith,,X,,,\n", "Line 2: sex 'X'"),
        (f"{HEADER}\n1,Amy,Smith,,,,,1234567890\n", "Line 2: nhs_number"),
        (f"{HEADER}\n1,Amy,Smith,,,,,\n1,Ben,Smith,,,,,\n", "Line 3: id '1' appears more than once"),
        (f"{HEADER}\n,Amy,Smith,,,,,\n", "Line 2: id is blank"),
        (f"{HEADER}\n1,Amy,Smith,,,,,,extra\n", "Line 2: more values than columns"),
        (f"{HEADER}\n", "no rows"),
    ],
)
def test_malformed_files_are_reported_by_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CsvRefused) as refused:
        read_people(path)
    assert any(message in error for error in refused.value.errors), refused.value.errors


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(f"{HEADER}\n1,Zoë,Smith,,,,,\n".encode("latin-1"))
    with pytest.raises(CsvRefused) as refused:
        read_people(path)
    assert refused.value.errors == ["Line 2: the file is not UTF-8 text; save it as CSV UTF-8 and try again"]


def test_uk_dates_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"\ufeff{HEADER}\n1,Amy,Smith,17/05/2016,F,,,943 476 5919\n", encoding="utf-8")
    [row] = read_people(path)
    assert row.details.date_of_birth is not None
    assert row.details.date_of_birth.isoformat() == "2016-05-17"
    assert row.details.nhs_number == "9434765919"


def test_a_bad_file_writes_nothing(agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    police, _, _ = agency_files
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n1,Amy,Smith,yesterday,,,,\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("link", str(police), str(bad), out=out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_threshold_out_of_range_is_refused(agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    police, health, _ = agency_files
    with pytest.raises(CommandError, match="--threshold"):
        call_command("link", str(police), str(health), out=tmp_path / "pairs.csv", threshold=1.5)


def test_small_end_to_end_accuracy_on_the_synthetic_population() -> None:
    """The large runs are in the benchmark; this keeps a floor under every change."""
    result = synthetic(400, seed=3)
    assert result.pairs.precision >= 0.97
    assert result.pairs.f1 >= 0.93
    assert result.relatives.relative_rate <= 0.05


def test_spark_engine_gives_the_same_pairs(agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    """Spark in local mode (pyspark and Java 17 are installed for the test suite)."""
    police, health, _ = agency_files
    call_command("link", str(police), str(health), out=tmp_path / "duckdb.csv")
    call_command("link", str(police), str(health), out=tmp_path / "spark.csv", engine="spark")
    on_duckdb = {(r["left_id"], r["right_id"]) for r in _pairs(tmp_path / "duckdb.csv")}
    on_spark = {(r["left_id"], r["right_id"]) for r in _pairs(tmp_path / "spark.csv")}
    assert on_spark == on_duckdb
    assert on_spark


@pytest.mark.parametrize(("given", "expected"), [(None, True), ("on", True), ("off", False)])
def test_the_relatives_rule_option_reaches_the_linkage(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, given: str | None, expected: bool
) -> None:
    seen: dict[str, object] = {}

    def fake_run(paths: list[Path], out: Path, **options: object) -> batch.BatchResult:
        seen.update(options)
        return batch.BatchResult((1,), 0, model)

    model = MatchModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")))

    monkeypatch.setattr(batch, "run", fake_run)
    options = {"relatives_rule": given} if given else {}
    call_command("dedupe", str(tmp_path / "any.csv"), out=tmp_path / "pairs.csv", **options)
    assert seen["relatives_rule"] is expected


def _with_unreadable_values(source: Path, target: Path) -> dict[str, tuple[str, str]]:
    """A copy of `source` with an impossible value in every tenth row; returns id → (column, value)."""
    with source.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    spoilt: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(rows):
        if number % 10 == 0:
            column, value = [("dob", "1966-00-91"), ("sex", "X"), ("nhs_number", "1234567890")][number % 3]
            row[column] = value
            spoilt[row["id"]] = (column, value)
    with target.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=REQUIRED)
        writer.writeheader()
        writer.writerows(rows)
    return spoilt


def test_an_impossible_date_refuses_the_file_by_default(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    police, health, _ = agency_files
    spoilt = _with_unreadable_values(health, tmp_path / "health.csv")
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError, match=f"Nothing was written: .*health.csv has {len(spoilt)} problem"):
        call_command("link", str(police), str(tmp_path / "health.csv"), out=out)
    assert not out.exists()
    assert not (tmp_path / "pairs-unreadable.csv").exists()


def test_unreadable_values_can_be_read_as_not_known_and_are_listed_beside_the_output(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    police, health, owner = agency_files
    spoilt = _with_unreadable_values(health, tmp_path / "health.csv")
    out = tmp_path / "pairs.csv"
    call_command("link", str(police), str(tmp_path / "health.csv"), out=out, unreadable_values="blank")
    report = _pairs(tmp_path / "pairs-unreadable.csv")
    assert {r["id"]: (r["column"], r["value"]) for r in report} == spoilt
    assert {r["file"] for r in report} == {"health.csv"}
    first = report[0]
    assert (first["line"], first["column"], first["value"]) == ("2", "dob", "1966-00-91")
    assert first["problem"] == "dob '1966-00-91' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
    # The records with an unreadable value are still linked, on what else they hold.
    linked = {r["right_id"] for r in _pairs(out) if owner[r["left_id"]] == owner[r["right_id"]]}
    assert len(linked & set(spoilt)) >= 0.8 * len(spoilt)


def test_a_value_read_as_not_known_is_blank_in_the_record(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"{HEADER}\n7,Amy,Smith,1966-00-91,X,,,1234567890\n8,Ben,Smith,2016-05-17,M,,,\n", encoding="utf-8")
    read = read_people_file(path, bad_values=BadValues.BLANK)
    amy, ben = read.rows
    assert (amy.details.date_of_birth, amy.details.sex, amy.details.nhs_number) == (None, "", "")
    assert ben.details.date_of_birth is not None
    assert [(v.line, v.id, v.column, v.value) for v in read.unreadable] == [
        (2, "7", "dob", "1966-00-91"),
        (2, "7", "sex", "X"),
        (2, "7", "nhs_number", "1234567890"),
    ]


def test_a_date_readable_only_with_day_and_month_swapped_is_read_so_and_listed(tmp_path: Path) -> None:
    """There is no 24th month: `1980-24-06` and `06/24/1980` can only be 24 June 1980. A date readable
    either way is read as written, and one readable in neither is not known."""
    path = tmp_path / "people.csv"
    path.write_text(
        f"{HEADER}\n1,Gavin,Robinson,1980-24-06,M,,,\n2,Tristan,Richards,06/24/1980,M,,,\n"
        "3,Amy,Smith,1980-05-06,F,,,\n4,Ben,Smith,1966-00-91,M,,,\n",
        encoding="utf-8",
    )
    read = read_people_file(path, bad_values=BadValues.BLANK)
    assert [row.details.date_of_birth for row in read.rows] == [
        dt.date(1980, 6, 24),
        dt.date(1980, 6, 24),
        dt.date(1980, 5, 6),
        None,
    ]
    assert [(v.id, v.value, v.problem.split("; ")[-1]) for v in read.unreadable] == [
        ("1", "1980-24-06", "read as 24 June 1980, with its day and month the other way round"),
        ("2", "06/24/1980", "read as 24 June 1980, with its day and month the other way round"),
        ("4", "1966-00-91", "dob '1966-00-91' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
    ]
    # Strict reading still refuses the file: nothing is guessed unless the caller asks for tolerance.
    with pytest.raises(CsvRefused):
        read_people_file(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f"{HEADER}\n1,Amy,Smith,1966-00-91,,,,\n1,Ben,Smith,,,,,\n", "Line 3: id '1' appears more than once"),
        (f"{HEADER}\n,Amy,Smith,1966-00-91,,,,\n", "Line 2: id is blank"),
        ("given_name,family_name\nAmy,Smith\n", "Line 1: the header must name"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_even_when_values_may_be_blank(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CsvRefused) as refused:
        read_people_file(path, bad_values=BadValues.BLANK)
    assert any(message in error for error in refused.value.errors), refused.value.errors


def test_a_report_is_written_even_when_every_value_can_be_read(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """So that the report of an earlier run on other files is never left beside new pairs."""
    police, health, _ = agency_files
    report = tmp_path / "pairs-unreadable.csv"
    report.write_text("file,line,id,column,value,problem\nold.csv,2,1,dob,1966-00-91,old\n", encoding="utf-8")
    call_command("link", str(police), str(health), out=tmp_path / "pairs.csv", unreadable_values="blank")
    assert report.read_text(encoding="utf-8").splitlines() == ["file,line,id,column,value,problem"]


@pytest.mark.parametrize(
    ("given", "expected"), [(None, BadValues.REFUSE), ("refuse", BadValues.REFUSE), ("blank", BadValues.BLANK)]
)
@pytest.mark.parametrize("command", ["link", "dedupe"])
def test_the_unreadable_values_option_reaches_the_linkage(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, given: str | None, expected: BadValues
) -> None:
    seen: dict[str, object] = {}
    model = MatchModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")))

    def fake_run(paths: list[Path], out: Path, **options: object) -> batch.BatchResult:
        seen.update(options)
        return batch.BatchResult((1,), 0, model)

    monkeypatch.setattr(batch, "run", fake_run)
    files = [str(tmp_path / "a.csv")] + ([str(tmp_path / "b.csv")] if command == "link" else [])
    options = {"unreadable_values": given} if given else {}
    call_command(command, *files, out=tmp_path / "pairs.csv", **options)
    assert seen["bad_values"] is expected


def test_the_command_says_how_many_values_were_taken_as_not_known_and_how_many_dates_were_read_swapped(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    police, health, _ = agency_files
    with health.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    swapped = [row for row in rows if row["dob"] and int(row["dob"][8:]) > 12][:3]
    for row in swapped:
        year, month, day = row["dob"].split("-")
        row["dob"] = f"{year}-{day}-{month}"
    rows[0]["sex"] = "X"
    with (tmp_path / "health.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=REQUIRED)
        writer.writeheader()
        writer.writerows(rows)
    out = io.StringIO()
    call_command(
        "link",
        str(police),
        str(tmp_path / "health.csv"),
        out=tmp_path / "pairs.csv",
        unreadable_values="blank",
        stdout=out,
    )
    assert (
        "4 value(s) could not be read as written: 1 taken as not known, 3 date(s) read with the day and month the"
        " other way round;" in out.getvalue()
    )
    report = {(r["id"], r["column"]): r["problem"] for r in _pairs(tmp_path / "pairs-unreadable.csv")}
    assert "read as" not in report[rows[0]["id"], "sex"]
    assert all("with its day and month the other way round" in report[row["id"], "dob"] for row in swapped)
