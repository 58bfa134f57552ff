"""The census from live data: Safehub's referrals and strategy discussions with the case system's
imports, checked by the DfE's own rules, exported once clean; a broken record's rule names the child."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.casework.importer import import_casework
from safehub.casework.tests.test_follow_front_door import link_children
from safehub.casework.upn import check_letter
from safehub.contacts.models import Contact, ReferralSource
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.protocols.models import LocalProtocol
from safehub.returns import exporting
from safehub.returns.models import ReturnCheck, ReturnKind
from safehub.returns.services import ReturnRefused, export_return
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
YEAR = "2026"  # 1 April 2025 to 31 March 2026


@pytest.fixture
def lead(db: None) -> User:
    return user_with_role(Role.PERFORMANCE_LEAD, username="performance.lead")


def _referred(team: Team, social_worker: User, manager: User, *, day: dt.date, given_name: str) -> str:
    received = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    contact: Contact = ContactAwaitingThresholdFactory(team=team, received_at=received, source=ReferralSource.SCHOOLS)
    contact.subjects.update(given_name=given_name)
    link_children(contact)
    recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=manager,
        at=received + dt.timedelta(hours=3),
    )
    person = contact.subjects.get().person
    assert person is not None
    return person.local_id


def _import(lead: User, text: str) -> None:
    import_casework(io.BytesIO(text.encode()), by=lead, at=AT)


def _whole_year(team: Team, social_worker: User, manager: User, lead: User) -> tuple[str, str]:
    """Ava: referred, assessed, a child in need plan; Ben: referred, closed with no further action."""
    ava = _referred(team, social_worker, manager, day=dt.date(2025, 11, 3), given_name="Ava")
    ben = _referred(team, social_worker, manager, day=dt.date(2026, 1, 12), given_name="Ben")
    upn = "820200101001"
    _import(
        lead,
        "record,local_person_id,referral_date,start_date,end_date,primary_need,factors,nfa,closure_reason,upn,disabilities\n"
        f"referral,{ava},2025-11-03,,,N1,,,,,\n"
        f"assessment,{ava},2025-11-03,2025-11-04,2025-12-15,,3B 16A,,,,\n"
        f"cin_plan,{ava},2025-11-03,2025-12-16,,,,,,,\n"
        f"child,{ava},,,,,,,,{check_letter(upn)}{upn},LD\n"
        f"referral,{ben},2026-01-12,,2026-01-14,,,yes,RC7,,\n"
        f"child,{ben},,,,,,,,,NONE\n",
    )
    return ava, ben


def test_the_census_holds_the_years_episodes_and_passes_the_dfes_rules(
    mash_team: Team, social_worker: User, manager: User, lead: User
) -> None:
    ava, ben = _whole_year(mash_team, social_worker, manager, lead)

    check, built = export_return(ReturnKind.CIN_CENSUS, YEAR, by=lead, at=AT)

    assert check.passes, check.errors
    root = ET.fromstring(built.data)  # noqa: S314 (our own output)
    assert root.findtext("Header/Source/LEA") == LocalProtocol.objects.get(is_active=True).la_code
    children = {child.findtext("ChildIdentifiers/LAchildID"): child for child in root.iter("Child")}
    assert set(children) == {ava, ben}
    assert children[ava].findtext("CINdetails/CINreferralDate") == "2025-11-03"
    assert children[ava].findtext("CINdetails/ReferralSource") == "2A"
    assert children[ava].findtext("CINdetails/Assessments/AssessmentAuthorisationDate") == "2025-12-15"
    assert children[ben].findtext("CINdetails/ReferralNFA") == "true"
    disclosure = Disclosure.objects.get(route="statutory_return")
    assert disclosure.recipient == "Department for Education"
    assert {person.local_id for person in disclosure.people.all()} == {ava, ben}
    assert AuditEvent.objects.filter(verb=Verb.RETURN_EXPORTED).count() == 1


def test_a_record_the_dfe_would_refuse_stops_the_export_and_names_the_child(
    mash_team: Team, social_worker: User, manager: User, lead: User
) -> None:
    ava, _ = _whole_year(mash_team, social_worker, manager, lead)
    # A child protection plan with no initial conference before it: the import takes it (the case
    # system may hold the conference elsewhere), the census's rule 2885 does not.
    _import(
        lead,
        "record,local_person_id,referral_date,start_date,initial_category,latest_category\n"
        f"cp_plan,{ava},2025-11-03,2025-12-20,NEG,NEG\n",
    )

    with pytest.raises(ReturnRefused) as refused:
        export_return(ReturnKind.CIN_CENSUS, YEAR, by=lead, at=AT)

    named = {issue.rule: issue.children for issue in refused.value.issues}
    assert named["2885"] == (ava,), named
    assert not ReturnCheck.objects.get().passes
    assert not Disclosure.objects.filter(route="statutory_return").exists()


def test_the_command_writes_the_census_or_nothing(
    mash_team: Team, social_worker: User, manager: User, lead: User, tmp_path: Path
) -> None:
    _whole_year(mash_team, social_worker, manager, lead)
    out = tmp_path / "census.xml"
    with pytest.raises(CommandError, match="There is no census year 2031"):
        call_command("export_cin_census", "--year", "2031", "--out", str(out), "--as", lead.username)
    with pytest.raises(CommandError, match="is not a year"):
        call_command("export_cin_census", "--year", "twenty", "--out", str(out), "--as", lead.username)
    LocalProtocol.objects.filter(is_active=True).update(la_code="")
    with pytest.raises(CommandError, match="DfE local authority number is not set"):
        call_command("export_cin_census", "--year", YEAR, "--out", str(out), "--as", lead.username)
    assert not out.exists()
    LocalProtocol.objects.filter(is_active=True).update(la_code="303")

    said = io.StringIO()
    call_command("export_cin_census", "--year", YEAR, "--out", str(out), "--as", lead.username, stdout=said)

    assert "2 children" in said.getvalue()
    assert ET.parse(out).getroot().findtext("Header/CollectionDetails/Year") == "2026"  # noqa: S314


def _serial_no(out: Path) -> str | None:
    return ET.parse(out).getroot().findtext("Header/Source/SerialNo")  # noqa: S314 (our own output)


def _full_disk_for(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file's last step, renaming it into place, fails as on a full disk (other renames go ahead)."""
    replace = os.replace

    def failing(source: str | Path, target: str | Path) -> None:
        if Path(target) == out:
            raise OSError(errno.ENOSPC, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(exporting.os, "replace", failing)


def test_a_census_that_was_not_written_is_not_recorded_and_uses_no_serial_number(
    mash_team: Team, social_worker: User, manager: User, lead: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _whole_year(mash_team, social_worker, manager, lead)
    out = tmp_path / "census.xml"
    with monkeypatch.context() as patched:
        _full_disk_for(out, patched)
        with pytest.raises(
            CommandError,
            match=re.escape(f"Nothing was written to {out}, and the export was not recorded: no space left on device"),
        ):
            call_command("export_cin_census", "--year", YEAR, "--out", str(out), "--as", lead.username)
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary copy
    assert not Disclosure.objects.filter(route="statutory_return").exists()
    assert not AuditEvent.objects.filter(verb=Verb.RETURN_EXPORTED).exists()
    LocalProtocol.objects.filter(is_active=True).update(la_code="")
    with pytest.raises(CommandError, match="DfE local authority number is not set"):
        call_command("export_cin_census", "--year", YEAR, "--out", str(out), "--as", lead.username)
    LocalProtocol.objects.filter(is_active=True).update(la_code="303")

    call_command("export_cin_census", "--year", YEAR, "--out", str(out), "--as", lead.username, stdout=io.StringIO())
    first = _serial_no(out)
    call_command("export_cin_census", "--year", YEAR, "--out", str(out), "--as", lead.username, stdout=io.StringIO())

    assert (first, _serial_no(out)) == ("001", "002")
    assert ReturnCheck.objects.filter(exported=True).count() == 2


def test_a_folder_given_for_the_census_asks_for_a_file_name(lead: User, tmp_path: Path) -> None:
    with pytest.raises(
        CommandError,
        match=re.escape(
            f"{tmp_path} is a folder: give the name of the file to write, such as {tmp_path / 'census.xml'}"
        ),
    ):
        call_command("export_cin_census", "--year", YEAR, "--out", str(tmp_path), "--as", lead.username)
    assert not ReturnCheck.objects.exists()
