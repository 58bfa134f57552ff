from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import record
from safehub.audit.triggers import statements
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("audit:events")


def test_dpo_reads_and_filters_the_trail(data_protection_officer_client: Client) -> None:
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": "x"})
    record(Verb.REPORT_EXPORTED, system_process="reports")
    page = data_protection_officer_client.get(URL, {"verb": "report_exported"}).content.decode()
    assert "Exported report" in page
    assert '<td class="govuk-table__cell">Failed sign-in</td>' not in page
    assert '<td class="govuk-table__cell">Exported report</td>' in page


def test_dpo_checks_the_chain(data_protection_officer_client: Client) -> None:
    record(Verb.LOGIN_FAILED, system_process="sign-in")
    assert "Intact: 1 entries checked" in data_protection_officer_client.get(URL, {"verify": "1"}).content.decode()


def test_a_broken_chain_is_shown(data_protection_officer_client: Client) -> None:
    event = record(Verb.LOGIN_FAILED, system_process="sign-in")
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, install=False):
            cursor.execute(sql)
        cursor.execute("UPDATE audit_auditevent SET system_process = %s WHERE id = %s", ["forged", event.pk])
    page = data_protection_officer_client.get(URL, {"verify": "1"}).content.decode()
    assert "The audit chain is broken" in page
    assert f"Entry #{event.seq}" in page


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("social_worker_client", 403),
        ("manager_client", 403),
        ("administrator_client", 403),
        ("police_partner_client", 404),  # to a partner, the hub's own pages do not exist
    ],
)
def test_nobody_else_reads_the_trail(request: pytest.FixtureRequest, fixture: str, status: int) -> None:
    assert request.getfixturevalue(fixture).get(URL).status_code == status
    assert AuditEvent.objects.visible_to(request.getfixturevalue(fixture.removesuffix("_client"))).count() == 0


def test_dpo_finds_everything_about_one_person_and_is_told_of_a_date_range_backwards(
    data_protection_officer_client: Client, social_worker: Any, mash_team: Any
) -> None:
    """A subject access request starts from the person: their record's reads and every contact they
    are on. An end date before the start date is an error, not an empty trail (walk-through)."""
    child = PersonFactory(local_id="P0000040")
    about = ContactFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=about, person=child)
    other = ContactFactory(team=mash_team)
    record(Verb.CONTACT_VIEWED, by=social_worker, contact=about, data={"purpose": "contact"})
    record(Verb.PERSON_VIEWED, by=social_worker, person=child, data={"purpose": "person"})
    record(Verb.CONTACT_VIEWED, by=social_worker, contact=other, data={"purpose": "contact"})
    page = data_protection_officer_client.get(URL, {"person": "p0000040"}).content.decode()
    assert about.reference in page
    assert other.reference not in page
    assert '<td class="govuk-table__cell">Viewed person record</td>' in page
    backwards = data_protection_officer_client.get(
        URL, {"start_0": "5", "start_1": "12", "start_2": "2026", "end_0": "1", "end_1": "12", "end_2": "2026"}
    ).content.decode()
    assert "The end date must be the same as or after the start date" in backwards
    assert about.reference not in backwards


def test_dropped_triggers_are_shown(data_protection_officer_client: Client) -> None:
    record(Verb.LOGIN_FAILED, system_process="sign-in")
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, install=False):
            cursor.execute(sql)
    page = data_protection_officer_client.get(URL, {"verify": "1"}).content.decode()
    assert "The audit chain is broken" in page
    assert "<li>triggers missing: " in page


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (
            {"username": "social.worker", "user_id": 7, "failures": 10},
            "account social.worker, 10 wrong passwords in a row",
        ),
        ({"client": "192.0.2.10", "failures": 30}, "30 failed sign-ins from 192.0.2.10"),
        (
            {"username": "asha.patel", "old": {"is_active": True}, "new": {"is_active": False}, "reason": "Left"},
            "account asha.patel, is active: True → False, reason: “Left”",
        ),
        (
            {"username": "asha.patel", "role": "social_worker", "team": "MASH", "old": [], "new": ["x"]},
            "account asha.patel, role social worker in MASH",
        ),
        ({"team_id": 3, "old": {"name": "MASH"}, "new": {"name": "Front door"}}, "name: MASH → Front door"),
        (
            {"username": "lost.phone", "reset": 4, "reason": "Phone stolen"},
            "account lost.phone, reason: “Phone stolen”",
        ),
        ({"wrong_in_a_row": 10}, "10 wrong codes in a row"),
        ({"wrong_in_a_row": 1}, "1 wrong code in a row"),
        (
            {"username": "asha.patel", "failures": 10, "when": "changing"},
            "account asha.patel, 10 wrong passwords in a row, while changing their password",
        ),
    ],
)
def test_an_entry_says_whose_account_it_was_about_what_changed_and_why(data: dict[str, Any], shown: str) -> None:
    assert record(Verb.ACCOUNT_LOCKED, system_process="sign-in", data=data).details == shown


def test_the_username_filter_finds_what_was_done_to_an_account_too(
    data_protection_officer_client: Client, administrator: Any
) -> None:
    """Failed sign-ins and locks are the sign-in's doing, about the account: a search for the
    account finds them beside what its user did."""
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": "social.worker", "user_id": 1})
    record(Verb.ACCOUNT_UNLOCKED, by=administrator, data={"username": "social.worker", "reason": "Rang them"})
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": "someone.else"})

    page = data_protection_officer_client.get(URL, {"username": "Social.Worker"}).content.decode()

    assert page.count('<td class="govuk-table__cell">Failed sign-in</td>') == 1
    assert "account social.worker, reason: “Rang them”" in page
    assert "someone.else" not in page
