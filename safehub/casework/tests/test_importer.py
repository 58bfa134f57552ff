"""The casework import (docs/casework-csv.md): all or nothing, every problem by line, safe to repeat."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.casework.importer import COLUMNS, import_casework
from safehub.casework.models import Assessment, ChildDetails, CinPlan, Episode, ProtectionPlan, Section47
from safehub.casework.upn import check_letter, is_valid_upn
from safehub.core.csv_import import ImportRefused
from safehub.people.models import Person
from safehub.people.tests.factories import AdultFactory, PersonFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _upn(rest: str) -> str:
    return check_letter(rest) + rest


@pytest.fixture
def lead(db: None) -> User:
    return user_with_role(Role.PERFORMANCE_LEAD, username="performance.lead")


@pytest.fixture
def ava(db: None) -> Person:
    return PersonFactory(local_id="CS-1001", given_name="Ava", family_name="Marsh", date_of_birth=dt.date(2015, 4, 2))


def _csv(*rows: dict[str, str], columns: list[str] = COLUMNS) -> io.BytesIO:
    lines = [",".join(columns)]
    lines += [",".join(row.get(name, "") for name in columns) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def _episode_rows(person: str = "CS-1001") -> list[dict[str, str]]:
    return [
        {"record": "referral", "local_person_id": person, "referral_date": "2026-03-02", "source": "2A", "primary_need": "N1"},
        {"record": "assessment", "local_person_id": person, "referral_date": "2026-03-02", "start_date": "2026-03-03",
         "end_date": "20/04/2026", "factors": "3B 16A"},
        {"record": "section_47", "local_person_id": person, "referral_date": "2026-03-02", "start_date": "2026-03-05",
         "conference_due": "2026-03-26", "conference_date": "2026-03-24"},
        {"record": "cp_plan", "local_person_id": person, "referral_date": "2026-03-02", "start_date": "2026-03-24",
         "initial_category": "neg", "latest_category": "MUL", "previous_plans": "1"},
        {"record": "cp_review", "local_person_id": person, "referral_date": "2026-03-02", "start_date": "2026-03-24",
         "review_date": "2026-06-15"},
        {"record": "cin_plan", "local_person_id": person, "referral_date": "2026-03-02", "start_date": "2026-09-01"},
        {"record": "child", "local_person_id": person, "upn": _upn("820200101001"), "disabilities": "LD;COMM"},
    ]  # fmt: skip


def test_a_whole_episode_imports_linked_to_the_child_and_is_audited(lead: User, ava: Person) -> None:
    result = import_casework(_csv(*_episode_rows()), by=lead, at=AT)

    episode = Episode.objects.get(child=ava)
    assert (episode.referral_date, episode.source, episode.primary_need, episode.imported) == (
        dt.date(2026, 3, 2),
        "2A",
        "N1",
        True,
    )
    assessment = Assessment.objects.get(episode=episode)
    assert (assessment.authorised_on, assessment.factors) == (dt.date(2026, 4, 20), ["3B", "16A"])
    enquiry = Section47.objects.get(episode=episode)
    assert enquiry.conference_on == dt.date(2026, 3, 24)
    plan = ProtectionPlan.objects.get(episode=episode)
    assert (plan.initial_category, plan.latest_category, plan.previous_plans, plan.reviews) == (
        "NEG",
        "MUL",
        1,
        ["2026-06-15"],
    )
    assert CinPlan.objects.get(episode=episode).ended_on is None
    details = ChildDetails.objects.get(person=ava)
    assert details.disabilities == ["LD", "COMM"]
    assert is_valid_upn(details.upn)
    assert result.rows == 7
    assert sum(result.created.values()) == 7
    event = AuditEvent.objects.get(verb=Verb.CASEWORK_IMPORTED)
    assert event.data["rows"] == 7


def test_importing_again_updates_instead_of_duplicating(lead: User, ava: Person) -> None:
    import_casework(_csv(*_episode_rows()), by=lead, at=AT)
    rows = _episode_rows()
    rows[0] |= {"end_date": "2026-10-30", "closure_reason": "RC7"}
    rows[5] |= {"end_date": "2026-10-30"}

    result = import_casework(_csv(*rows), by=lead, at=AT)

    assert (Episode.objects.count(), Assessment.objects.count(), CinPlan.objects.count()) == (1, 1, 1)
    episode = Episode.objects.get()
    assert (episode.closed_on, episode.closure_reason) == (dt.date(2026, 10, 30), "RC7")
    assert ProtectionPlan.objects.get().reviews == ["2026-06-15"]  # the same review once
    assert sum(result.updated.values()) == 6


def test_a_start_date_corrected_in_the_case_system_moves_the_record_it_names(lead: User, ava: Person) -> None:
    """The case system's reference finds the record: a corrected start date moves it, and does not leave
    the child with two assessments open side by side (census rule 8896)."""
    rows = _episode_rows()
    rows[1] |= {"external_ref": "CS-ASS-1", "end_date": "", "factors": ""}
    import_casework(_csv(*rows[:2]), by=lead, at=AT)
    rows[1] |= {"start_date": "2026-03-04"}

    result = import_casework(_csv(*rows[:2]), by=lead, at=AT)

    assessment = Assessment.objects.get()
    assert (assessment.started_on, assessment.external_ref) == (dt.date(2026, 3, 4), "CS-ASS-1")
    assert result.updated == {"referral": 1, "assessment": 1}


def test_a_record_moved_onto_a_day_another_already_starts_is_refused_at_its_line(lead: User, ava: Person) -> None:
    """Once answered "someone else changed these records at the same moment": the database refused two
    assessments starting the same day, and the import took it for a race."""
    rows = _episode_rows()
    first = rows[1] | {"external_ref": "CS-ASS-1"}
    second = rows[1] | {"external_ref": "CS-ASS-2", "start_date": "2026-04-21", "end_date": "", "factors": ""}
    import_casework(_csv(rows[0], first, second), by=lead, at=AT)

    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(rows[0], second | {"start_date": "2026-03-03"}), by=lead, at=AT)

    assert refused.value.errors == [
        "Line 3: assessment 'CS-ASS-2' would start on 03/03/2026, as another of this child's already does in that"
        " episode ('CS-ASS-1'): correct one of the two"
    ]
    assert sorted(Assessment.objects.values_list("external_ref", "started_on")) == [
        ("CS-ASS-1", dt.date(2026, 3, 3)),
        ("CS-ASS-2", dt.date(2026, 4, 21)),
    ]


def test_a_second_assessment_open_beside_another_is_refused(lead: User, ava: Person) -> None:
    """The census refuses an episode with two assessments open at once (rule 8896): the import says so,
    at the line, rather than "Success" and a census that cannot be sent."""
    rows = _episode_rows()
    rows[1] |= {"end_date": "", "factors": ""}
    import_casework(_csv(*rows[:2]), by=lead, at=AT)
    rows[1] |= {"start_date": "2026-03-04"}  # corrected in the case system, with no reference to find it by

    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(*rows[:2]), by=lead, at=AT)

    assert refused.value.errors == [
        "Line 3: 'CS-1001' would have 2 assessments open at once in the episode of 02/03/2026 (started 03/03/2026,"
        " 04/03/2026): give the earlier one its end_date, or, if this row corrects it, the external_ref it was"
        " imported with (the census refuses two open at once)"
    ]
    assert Assessment.objects.count() == 1
    rows[1] |= {"end_date": "2026-04-20", "factors": "3B", "start_date": "2026-03-03"}
    rows.append(rows[1] | {"start_date": "2026-04-21", "end_date": "", "factors": ""})
    import_casework(_csv(*rows[:2], rows[-1]), by=lead, at=AT)  # one after the other is how it should be
    assert Assessment.objects.count() == 2


@pytest.mark.parametrize(
    ("again", "first"),
    [
        ({}, 3),  # the same row twice
        ({"end_date": "2026-05-01"}, 3),  # the same assessment, two ways
        ({"external_ref": "CS-ASS-1", "start_date": "2026-03-09"}, 4),  # the same reference, two dates
    ],
)
def test_a_record_given_twice_in_one_file_is_refused_naming_the_first(
    lead: User, ava: Person, again: dict[str, str], first: int
) -> None:
    rows = _episode_rows()[:2]
    if "external_ref" in again:
        rows.append(rows[1] | {"external_ref": "CS-ASS-1", "start_date": "2026-03-06"})
    rows.append(rows[1] | again)

    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(*rows), by=lead, at=AT)

    assert refused.value.errors == [
        f"Line {len(rows) + 1}: the same assessment as line {first}: give each record once in a file"
    ]
    assert not Episode.objects.exists()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"record": "plan"}, "record 'plan' is not one of child, referral"),
        ({"record": "assessment", "start_date": "2026-03-03"}, "referral_date is required for an assessment row"),
        ({"record": "referral", "referral_date": "2026-02-30", "source": "2A"}, "referral_date '2026-02-30' is not a real date"),
        ({"record": "referral", "referral_date": "2027-01-01", "source": "2A"}, "referral_date 01/01/2027 is in the future"),
        ({"record": "referral", "referral_date": "2026-03-02", "source": "2Z"}, "source '2Z' is not one of 1A"),
        ({"record": "referral", "referral_date": "2026-03-02", "source": "2A", "end_date": "2026-04-01"},
         "a closed referral needs both end_date and closure_reason"),
        ({"record": "referral", "referral_date": "2026-03-02", "source": "2A", "end_date": "2026-04-01",
          "closure_reason": "RC99"}, "closure_reason 'RC99' is not one of RC1"),
        ({"record": "assessment", "referral_date": "2026-03-02", "start_date": "2026-03-01"},
         "start_date 01/03/2026 is before referral_date 02/03/2026"),
        ({"record": "assessment", "referral_date": "2026-03-02", "start_date": "2026-03-03", "factors": "18A"},
         "factors: 18A are no longer used"),
        ({"record": "assessment", "referral_date": "2026-03-02", "start_date": "2026-03-03", "end_date": "2026-04-01",
          "factors": "21 3B"}, "21 (no factors identified) cannot be given with another factor"),
        ({"record": "section_47", "referral_date": "2026-03-02", "start_date": "2026-03-03", "conference_date": "2026-03-20",
          "conference_not_required": "yes"}, "conference_not_required is yes but a conference_date is given"),
        ({"record": "cp_plan", "referral_date": "2026-03-02", "start_date": "2026-03-03", "initial_category": "XYZ",
          "latest_category": "NEG"}, "initial_category 'XYZ' is not one of NEG"),
        ({"record": "child", "upn": "A12345678901Z"}, "upn 'A12345678901Z' is not a unique pupil number"),
        ({"record": "child"}, "a child row gives at least one of upn"),
        ({"record": "child", "disabilities": "NONE LD"}, "NONE cannot be given with a disability"),
        # A value on a row that does not read it is refused, not lost.
        ({"record": "assessment", "referral_date": "2026-03-02", "start_date": "2026-03-03", "primary_need": "N1"},
         "primary_need is not read from an assessment row, so it would be lost: it belongs on the referral row"),
        ({"record": "referral", "referral_date": "2026-03-02", "source": "2A", "factors": "3B"},
         "factors is not read from a referral row, so it would be lost: it belongs on the assessment row"),
        ({"record": "child", "upn_unknown": "UN1", "team": "Assessment team 1"},
         "team is not read from a child row, so it would be lost: it belongs on the referral row"),
        ({"record": "section_47", "referral_date": "2026-03-02", "start_date": "2026-03-03", "end_date": "2026-03-10"},
         "end_date is not read from a section_47 row, so it would be lost; leave it blank here"),
    ],
)  # fmt: skip
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(
    lead: User, ava: Person, row: dict[str, str], problem: str
) -> None:
    good = _episode_rows()[0]
    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(good, {"local_person_id": "CS-1001", **row}), by=lead, at=AT)

    assert any(error.startswith("Line 3: ") and problem in error for error in refused.value.errors), (
        refused.value.errors
    )
    assert not Episode.objects.exists()


def test_an_unknown_closure_code_is_said_once_not_also_as_missing(lead: User, ava: Person) -> None:
    closed = _episode_rows()[0] | {"end_date": "2026-04-01", "closure_reason": "RC99"}
    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(closed), by=lead, at=AT)
    [error] = refused.value.errors
    assert error.startswith("Line 2: closure_reason 'RC99' is not one of RC1")


def test_a_child_safehub_does_not_know_or_an_adult_or_an_episode_not_there_is_refused(lead: User, ava: Person) -> None:
    AdultFactory(local_id="AD-1")
    rows = [
        {"record": "referral", "local_person_id": "NOBODY", "referral_date": "2026-03-02", "source": "2A"},
        {"record": "referral", "local_person_id": "AD-1", "referral_date": "2026-03-02", "source": "2A"},
        {
            "record": "assessment",
            "local_person_id": "CS-1001",
            "referral_date": "2026-05-05",
            "start_date": "2026-05-06",
        },
        {"record": "referral", "local_person_id": "CS-1001", "referral_date": "2026-05-01"},
    ]

    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(*rows), by=lead, at=AT)

    errors = refused.value.errors
    assert any("Line 2: no child with local person ID 'NOBODY' in Safehub" in e for e in errors)
    assert any("Line 3: 'AD-1' is an adult in Safehub" in e for e in errors)
    assert any("Line 4: 'CS-1001' has no referral on 05/05/2026" in e for e in errors)
    assert any("Line 5: source is required for a referral Safehub does not hold" in e for e in errors)
    assert not Episode.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CASEWORK_IMPORTED).exists()


def test_a_contact_reference_on_a_referral_row_is_checked_like_any_other(lead: User, ava: Person) -> None:
    """A referral Safehub does not hold cannot be the contact named: the row is refused, not its reference dropped."""
    row = {"record": "referral", "local_person_id": "CS-1001", "referral_date": "2026-03-02", "source": "2A",
           "contact_reference": "C-2026-000123"}  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        import_casework(_csv(row), by=lead, at=AT)

    assert any(
        "Line 2: contact 'C-2026-000123' is not the referral that started this child's episode of 02/03/2026" in e
        for e in refused.value.errors
    )
    assert not Episode.objects.exists()


def test_optional_columns_may_be_left_out_but_not_the_record_or_the_person(lead: User, ava: Person) -> None:
    few = ["record", "local_person_id", "referral_date", "source"]
    import_casework(_csv({"record": "referral", "local_person_id": "CS-1001", "referral_date": "2026-03-02",
                          "source": "6"}, columns=few), by=lead, at=AT)  # fmt: skip
    assert Episode.objects.get().source == "6"

    with pytest.raises(ImportRefused, match="the header is missing the column"):
        import_casework(_csv({"record": "child"}, columns=["record", "upn"]), by=lead, at=AT)


def test_the_check_letter_of_a_upn() -> None:
    rest = "820200101001"
    assert is_valid_upn(check_letter(rest) + rest)
    assert not is_valid_upn(("B" if check_letter(rest) == "A" else "A") + rest)
    assert is_valid_upn(check_letter("82020010100A") + "82020010100A")  # a temporary UPN ends in a letter
    assert not is_valid_upn("I" + rest)  # I, O and S are never check letters
