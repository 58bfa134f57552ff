"""The Statutory returns page: who sees it, asking for a return once, the worker building it, the
download recorded as a disclosure, and the rules that stop a return naming the children."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.management.commands import run_worker
from safehub.mfa.testing import sign_in_both_steps
from safehub.returns import services
from safehub.returns.models import ReturnCheck, ReturnKind
from safehub.returns.services import build_requested, check_return, rebuild_nightly
from safehub.returns.tests.test_census_export import _import, _whole_year
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def lead(db: None) -> User:
    return user_with_role(Role.PERFORMANCE_LEAD, username="performance.lead")


@pytest.fixture
def lead_client(client: Client, lead: User) -> Client:
    sign_in_both_steps(client, lead)
    return client


def test_the_page_is_the_performance_leads_and_managers_not_others(
    lead_client: Client, manager_client: Client, social_worker_client: Client, police_partner_client: Client
) -> None:
    address = reverse("returns:home")
    page = lead_client.get(address).content.decode()
    assert "Build the census" in page
    assert "Not checked yet" in page
    seen = manager_client.get(address)
    assert seen.status_code == 200
    assert "Build the census" not in seen.content.decode()  # a manager sees the checks, exports nothing
    assert manager_client.post(reverse("returns:request-census"), {"year": "2026"}).status_code == 403
    assert social_worker_client.get(address).status_code == 403
    assert police_partner_client.get(address).status_code == 404


def test_a_return_is_asked_for_once_however_often_the_form_is_sent(lead_client: Client, lead: User) -> None:
    key = str(uuid.uuid4())
    bad = lead_client.post(reverse("returns:request-census"), {"submission_key": key, "year": "twenty"})
    assert "Enter the collection year as four digits" in bad.content.decode()
    refused = lead_client.post(reverse("returns:request-census"), {"submission_key": key, "year": "2031"})
    assert "There is no census year 2031" in refused.content.decode()
    assert not ReturnCheck.objects.exists()

    for _ in range(2):  # sent, then Back and sent again
        done = lead_client.post(reverse("returns:request-census"), {"submission_key": key, "year": "2026"})
        assert done.status_code == 302
    lead_client.post(reverse("returns:request-census"), {"submission_key": str(uuid.uuid4()), "year": "2026"})

    check = ReturnCheck.objects.get()  # a new key while the first is still being built: the same request
    assert (check.kind, check.period, check.made_by, check.requested) == (ReturnKind.CIN_CENSUS, "2026", lead, True)
    assert "Being built" in lead_client.get(reverse("returns:home")).content.decode()
    assert AuditEvent.objects.filter(verb=Verb.RETURN_REQUESTED).count() == 1


def test_the_worker_builds_it_and_only_who_asked_downloads_it_each_time_a_disclosure(
    lead_client: Client, lead: User, mash_team: Team, social_worker: User, manager: User, client: Client
) -> None:
    _whole_year(mash_team, social_worker, manager, lead)
    lead_client.post(reverse("returns:request-census"), {"submission_key": str(uuid.uuid4()), "year": "2026"})

    assert build_requested(at=AT) == 1
    assert build_requested(at=AT) == 0  # claimed once

    check = ReturnCheck.objects.get()
    assert check.passes
    page = lead_client.get(reverse("returns:home")).content.decode()
    assert "Download cin-census-2026.xml" in page
    download = lead_client.get(reverse("returns:download", args=[check.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="cin-census-2026.xml"'
    assert download.content.startswith(b"<?xml")
    assert Disclosure.objects.filter(route="statutory_return").count() == 1
    # Taken again (the file lost): the same file, the same disclosure, and the audit trail says so.
    again = lead_client.get(reverse("returns:download", args=[check.pk]))
    assert again.status_code == 200
    assert again.content == download.content
    assert Disclosure.objects.filter(route="statutory_return").count() == 1
    taken = AuditEvent.objects.filter(verb=Verb.RETURN_EXPORTED).order_by("pk")
    assert [event.data["again"] for event in taken] == [False, True]
    other = user_with_role(Role.PERFORMANCE_LEAD, username="another.lead")
    client.logout()
    sign_in_both_steps(client, other)
    assert client.get(reverse("returns:download", args=[check.pk])).status_code == 404
    assert Disclosure.objects.filter(route="statutory_return").count() == 1


def test_the_rules_that_stop_a_return_name_its_children_linked_for_those_who_may_open_them(
    lead_client: Client, manager_client: Client, lead: User, mash_team: Team, social_worker: User, manager: User
) -> None:
    ava, _ = _whole_year(mash_team, social_worker, manager, lead)
    _import(
        lead,
        "record,local_person_id,referral_date,start_date,initial_category,latest_category\n"
        f"cp_plan,{ava},2025-11-03,2025-12-20,NEG,NEG\n",
    )
    check, _ = check_return(ReturnKind.CIN_CENSUS, "2026", by=None, at=AT)
    address = reverse("returns:check", args=[check.pk])

    as_manager = manager_client.get(address).content.decode()
    assert "2885" in as_manager
    assert f">{ava}</a>" in as_manager  # a manager opens the child's record from here
    as_lead = lead_client.get(address).content.decode()
    assert "2885" in as_lead
    assert ava in as_lead
    assert f">{ava}</a>" not in as_lead  # the performance lead sees the ID, not the record


def test_a_return_that_cannot_be_built_says_why_and_the_worker_goes_on(
    lead_client: Client, lead: User, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fault while building (here, of ours) once left the request "being built" for ever and stopped the
    worker, and with it every reminder and alert, until someone restarted it."""
    for period in ("2026", "2025"):
        lead_client.post(reverse("returns:request-census"), {"submission_key": str(uuid.uuid4()), "year": period})

    def broken(period: str) -> object:
        raise RuntimeError("a fault of ours")

    census = services.RETURNS[ReturnKind.CIN_CENSUS]
    monkeypatch.setitem(services.RETURNS, ReturnKind.CIN_CENSUS, dataclasses.replace(census, build=broken))
    assert build_requested(at=AT) == 0

    checks = ReturnCheck.objects.filter(requested=True)
    assert checks.count() == 2
    assert all(check.finished_at == AT and check.failure == services.UNEXPECTED for check in checks)
    assert "Not built" in lead_client.get(reverse("returns:home")).content.decode()
    assert "a fault in Safehub" in lead_client.get(reverse("returns:check", args=[checks[0].pk])).content.decode()

    def worse(*, at: object) -> int:
        raise RuntimeError("a worse fault")

    monkeypatch.setattr(run_worker, "build_requested", worse)
    with pytest.raises(CommandError, match="Not done this round: statutory returns"):
        call_command("run_worker", "--once")
    out, err = capsys.readouterr()
    assert "statutory returns: not done this round" in err
    assert "RuntimeError: a worse fault" in err
    assert "alerts queued" not in out  # nothing else to do, and the other tasks ran without a word


def test_a_worker_task_that_fails_leaves_the_tasks_after_it_to_run(
    lead_client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The GP practices' emails fail (a fault of ours): the statutory return asked for, a later task of the
    same round, is still built."""
    lead_client.post(reverse("returns:request-census"), {"submission_key": str(uuid.uuid4()), "year": "2026"})

    def broken(at: object) -> int:
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr(run_worker, "deliver_practice_emails", broken)
    with pytest.raises(CommandError, match="Not done this round: GP practice emails \\("):
        call_command("run_worker", "--once")

    assert ReturnCheck.objects.get(requested=True).finished_at is not None
    assert "GP practice emails: not done this round" in capsys.readouterr().err


def test_each_return_is_rebuilt_once_a_night(lead: User) -> None:
    first = rebuild_nightly(at=AT)
    assert {check.kind for check in first} == {ReturnKind.CIN_CENSUS, ReturnKind.ANNEX_A}
    assert rebuild_nightly(at=AT + dt.timedelta(hours=2)) == []
    assert {check.period for check in first} == {"2027", "2026-05-04"}  # 4 May 2026 is in the year to March 2027
    assert len(rebuild_nightly(at=AT + dt.timedelta(days=1))) == 2


def test_a_year_before_2000_and_an_as_at_date_in_the_future_are_refused(lead_client: Client, now: dt.datetime) -> None:
    key = str(uuid.uuid4())
    early = lead_client.post(reverse("returns:request-census"), {"submission_key": key, "year": "1999"})
    assert "Enter a collection year of 2000 or later" in early.content.decode()
    future = lead_client.post(
        reverse("returns:request-annex-a"),
        {"submission_key": key, "as_at_0": "1", "as_at_1": "1", "as_at_2": "2030"},
    )
    assert "1 January 2030 is in the future" in future.content.decode()
    assert not ReturnCheck.objects.exists()


def test_a_rule_that_finds_many_children_shows_how_many_and_lists_them_on_request(lead_client: Client) -> None:
    """8670Q before the year's reference date finds every assessment in progress: hundreds of children
    would fill the page, so the count comes first and the list opens from it."""
    many = [f"CS-{n:04d}" for n in range(12)]
    check = ReturnCheck.objects.create(
        kind=ReturnKind.CIN_CENSUS,
        period="2027",
        started_at=AT,
        finished_at=AT,
        queries=[
            {"rule": "8670Q", "message": "An assessment started over 45 working days ago", "children": many},
            {"rule": "2991Q", "message": "A few", "children": many[:2]},
        ],
    )
    page = lead_client.get(reverse("returns:check", args=[check.pk])).content.decode()
    assert '<span class="govuk-details__summary-text">12 children</span>' in page
    assert "CS-0011" in page.split("12 children", 1)[1]  # the list is there, inside the details
    assert page.count("govuk-details__summary-text") == 1  # two children are listed as they are


def test_a_return_of_one_child_says_so_in_the_singular(lead_client: Client) -> None:
    check = ReturnCheck.objects.create(
        kind=ReturnKind.ANNEX_A,
        period="2026-05-01",
        started_at=AT,
        finished_at=AT,
        nightly_on=AT.date(),
        children=1,
        rows=1,
    )

    assert "1 child in 1 row." in lead_client.get(reverse("returns:check", args=[check.pk])).content.decode()
    assert "1 child." in lead_client.get(reverse("returns:home")).content.decode()


def test_the_children_a_rule_names_are_listed_each_followed_by_its_comma() -> None:
    html = render_to_string("returns/issue_children.html", {"children": [("P0000443", None), ("P0000447", None)]})
    assert html.strip() == "P0000443, P0000447"
