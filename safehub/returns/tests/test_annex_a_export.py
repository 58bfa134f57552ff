"""Annex A from live data: the contacts, referrals, assessments and enquiries Safehub holds, checked by
the real cleaner, exported once clean as a disclosure to Ofsted; refused, naming the children, when not."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook  # type: ignore[import-untyped]

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.casework.importer import import_casework
from safehub.casework.tests.test_follow_front_door import link_children
from safehub.contacts.models import Contact, ReferralSource
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.returns import annex_a_rows, exporting
from safehub.returns.models import ReturnCheck, ReturnKind
from safehub.returns.services import ReturnRefused, export_return
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
AS_AT = "2026-12-01"  # the six months: 1 June to 30 November 2026


@pytest.fixture
def lead(db: None) -> User:
    return user_with_role(Role.PERFORMANCE_LEAD, username="performance.lead")


def _referred_in_september(team: Team, social_worker: User, manager: User) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(
        team=team, received_at=dt.datetime(2026, 9, 7, 9, 0, tzinfo=dt.UTC), source=ReferralSource.POLICE
    )
    link_children(contact)
    return recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=manager,
        at=dt.datetime(2026, 9, 7, 14, 0, tzinfo=dt.UTC),
    )


def _assessed(contact: Contact, lead: User) -> str:
    child = contact.subjects.get().person
    assert child is not None
    csv = (
        "record,local_person_id,referral_date,start_date,end_date,factors,team,worker\n"
        f"referral,{child.local_id},2026-09-07,,,,Assessment Team 2,Robin Example\n"
        f"assessment,{child.local_id},2026-09-07,2026-09-08,2026-10-20,3B 16A,,\n"
    )
    import_casework(io.BytesIO(csv.encode()), by=lead, at=AT)
    return child.local_id


def test_the_return_holds_safehubs_contacts_referrals_and_imported_assessments_and_is_recorded(
    mash_team: Team, social_worker: User, manager: User, lead: User
) -> None:
    contact = _referred_in_september(mash_team, social_worker, manager)
    child_id = _assessed(contact, lead)

    check, built = export_return(ReturnKind.ANNEX_A, AS_AT, by=lead, at=AT)

    assert check.passes
    assert check.exported
    book = load_workbook(io.BytesIO(built.data))
    contacts = list(book["List 1"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[5].date(), row[6]) for row in contacts] == [(child_id, dt.date(2026, 9, 7), "q) 6: Police")]
    [referral] = list(book["List 3"].iter_rows(min_row=2, values_only=True))
    assert referral[0] == child_id
    assert referral[-2:] == ("Assessment Team 2", "Robin Example")
    [assessment] = list(book["List 4"].iter_rows(min_row=2, values_only=True))
    assert assessment[0] == child_id
    disclosure = Disclosure.objects.get(route="statutory_return")
    assert disclosure.recipient == "Ofsted"
    assert [person.local_id for person in disclosure.people.all()] == [child_id]
    assert disclosure.content["sha256"] == check.sha256
    assert AuditEvent.objects.filter(verb=Verb.RETURN_EXPORTED).count() == 1


def test_a_child_born_after_the_six_months_was_unborn_in_them(
    mash_team: Team, social_worker: User, manager: User, lead: User
) -> None:
    """An unborn child's contact in the six months, the child born since: the return is as things stood at
    its end, the child unborn and without a date of birth (it had stopped every Annex A before the birth)."""
    contact = _referred_in_september(mash_team, social_worker, manager)
    child = contact.subjects.get().person
    assert child is not None
    child.date_of_birth = dt.date(2026, 12, 1)  # the day after the six months end
    child.save(update_fields=["date_of_birth"])

    check, built = export_return(ReturnKind.ANNEX_A, AS_AT, by=lead, at=AT)

    assert check.passes
    [row] = list(load_workbook(io.BytesIO(built.data))["List 1"].iter_rows(min_row=2, values_only=True))
    assert (row[0], row[3], row[4]) == (child.local_id, None, None)


def test_a_return_the_cleaner_would_refuse_is_not_exported_and_names_the_children(
    mash_team: Team, social_worker: User, manager: User, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    contact = _referred_in_september(mash_team, social_worker, manager)
    child_id = _assessed(contact, lead)
    # A source label Ofsted's template does not have, as a wrong mapping would write.
    monkeypatch.setattr(annex_a_rows.codes, "source", lambda code: "Carrier pigeon")

    with pytest.raises(ReturnRefused) as refused:
        export_return(ReturnKind.ANNEX_A, AS_AT, by=lead, at=AT)

    issues = {issue.rule: issue.children for issue in refused.value.issues}
    assert issues["List 1: Contact Source"] == (child_id,)
    assert issues["List 3: Referral Source"] == (child_id,)
    check = ReturnCheck.objects.get()
    assert not check.passes
    assert not check.exported
    assert not Disclosure.objects.filter(route="statutory_return").exists()
    assert not AuditEvent.objects.filter(verb=Verb.RETURN_EXPORTED).exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [("2026-13-01", "is not a date"), ("2017-06-01", "before ILACS began"), ("yesterday", "is not a date")],
)
def test_an_as_at_date_that_makes_no_sense_is_refused_and_nothing_is_written(
    lead: User, period: str, message: str
) -> None:
    with pytest.raises(ReturnRefused, match=message):
        export_return(ReturnKind.ANNEX_A, period, by=lead, at=AT)
    assert not Disclosure.objects.exists()


def test_the_command_writes_the_workbook_or_nothing(lead: User, manager: User, tmp_path: Path) -> None:
    out = tmp_path / "annex-a.xlsx"
    with pytest.raises(CommandError, match="not the performance lead"):
        call_command("export_annex_a", "--as-at", AS_AT, "--out", str(out), "--as", manager.username)
    with pytest.raises(CommandError, match="is not a date"):
        call_command("export_annex_a", "--as-at", "2026-02-30", "--out", str(out), "--as", lead.username)
    assert not out.exists()

    said = io.StringIO()
    call_command("export_annex_a", "--as-at", AS_AT, "--out", str(out), "--as", lead.username, stdout=said)

    assert "passes its validator" in said.getvalue()
    assert load_workbook(out).sheetnames[:5] == ["List 1", "List 2", "List 3", "List 4", "List 5"]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left beside it


def test_the_command_counts_one_child_in_the_singular(
    mash_team: Team, social_worker: User, manager: User, lead: User, tmp_path: Path
) -> None:
    _assessed(_referred_in_september(mash_team, social_worker, manager), lead)
    out = tmp_path / "annex-a.xlsx"
    said = io.StringIO()

    call_command("export_annex_a", "--as-at", AS_AT, "--out", str(out), "--as", lead.username, stdout=said)

    assert said.getvalue().strip() == f"Wrote {out}: 1 child, 3 rows, passes its validator"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (lambda tmp: tmp, "{tmp} is a folder: give the name of the file to write, such as {tmp}/annex-a.xlsx"),
        (lambda tmp: tmp / "none" / "a.xlsx", "Cannot write {tmp}/none/a.xlsx: the folder {tmp}/none does not exist"),
        (
            lambda tmp: tmp / "notes.txt" / "a.xlsx",
            "Cannot write {tmp}/notes.txt/a.xlsx: {tmp}/notes.txt is a file, not a folder",
        ),
        pytest.param(
            lambda tmp: Path("/proc/a.xlsx"),
            "Cannot write /proc/a.xlsx: files cannot be made in the folder /proc",
            id="a folder that takes no files",
            marks=pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux's /proc takes no files"),
        ),
    ],
    ids=["a folder", "no such folder", "a file as the folder", "a folder that takes no files"],
)
def test_a_file_that_cannot_be_written_is_refused_before_the_workbook_is_built(
    lead: User, tmp_path: Path, where: Callable[[Path], Path], message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")

    with pytest.raises(CommandError) as refused:
        call_command("export_annex_a", "--as-at", AS_AT, "--out", str(where(tmp_path)), "--as", lead.username)

    assert str(refused.value) == message.format(tmp=tmp_path)
    assert not ReturnCheck.objects.exists()  # refused before anything was built
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_a_workbook_that_could_not_be_written_is_not_recorded_as_sent(
    lead: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "annex-a.xlsx"
    replace = os.replace

    def full_disk(source: str | Path, target: str | Path) -> None:
        if Path(target) == out:
            raise OSError(errno.ENOSPC, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(exporting.os, "replace", full_disk)

    with pytest.raises(CommandError) as refused:
        call_command("export_annex_a", "--as-at", AS_AT, "--out", str(out), "--as", lead.username)

    assert (
        str(refused.value) == f"Nothing was written to {out}, and the export was not recorded: no space left on device"
    )
    assert list(tmp_path.iterdir()) == []  # neither the workbook nor its temporary copy
    assert not ReturnCheck.objects.get().exported
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.RETURN_EXPORTED).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-at", "31/02/2026", "--as", "performance.lead"], "'31/02/2026' is not a date"),
        (["--as-at", "2999-01-01", "--as", "performance.lead"], "1 January 2999 is in the future"),
        (["--as-at", AS_AT, "--as", "nobody"], "nobody is not the performance lead in Safehub"),
        (["--as-at", AS_AT], "the following arguments are required: --as"),
    ],
)
def test_arguments_that_make_no_sense_are_said_plainly(
    lead: User, tmp_path: Path, arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_annex_a", "--out", str(tmp_path / "annex-a.xlsx"), *arguments)
    assert list(tmp_path.iterdir()) == []
