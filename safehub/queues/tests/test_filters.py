"""Filtering and ordering a work queue (issue: filters and sorting on every queue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.contacts.models import ContactSubject
from safehub.contacts.services import allocate
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.protocols.models import Brag
from safehub.queues.filters import years_before

pytestmark = pytest.mark.django_db
SCREENING = reverse("queues:queue", args=["screening"])


def _contact(team: Team, *, born: dt.date | None, **fields: Any) -> Any:
    contact = ContactFactory(team=team, state=ContactState.SCREENING, **fields)
    ContactSubject.objects.filter(contact=contact).update(date_of_birth=born)
    return contact


def _rows(client: Client, **query: str) -> str:
    page = client.get(SCREENING, query).content.decode()
    return page.split("<tbody", 1)[1] if "<tbody" in page else ""


@pytest.fixture
def three(mash_team: Team, now: dt.datetime) -> dict[str, Any]:
    return {
        "baby": _contact(
            mash_team,
            born=dt.date(2024, 6, 1),
            concern_categories=["neglect"],
            channel="email",
            current_due_at=now + dt.timedelta(hours=3),
        ),
        "teen": _contact(
            mash_team,
            born=dt.date(2012, 1, 1),
            concern_categories=["physical_abuse", "emotional_abuse"],
            source="1A",
            initial_rating=Brag.RED,
            current_due_at=now + dt.timedelta(hours=1),
        ),
        "child": _contact(
            mash_team,
            born=dt.date(2018, 3, 3),
            concern_categories=["emotional_abuse"],
            initial_rating=Brag.GREEN,
            current_due_at=now + dt.timedelta(hours=2),
        ),
    }


def test_each_filter_narrows_the_queue(contact_officer_client: Client, three: dict[str, Any], now: dt.datetime) -> None:
    cases = {
        ("rating", "red"): {"teen"},
        ("rating", "none"): {"baby"},
        ("concern", "emotional_abuse"): {"teen", "child"},
        ("concern", "neglect"): {"baby"},
        ("age", "0-4"): {"baby"},
        ("age", "5-9"): {"child"},
        ("age", "10-15"): {"teen"},
        ("source", "1A"): {"teen"},
        ("channel", "email"): {"baby"},
    }
    for (name, value), expected in cases.items():
        rows = _rows(contact_officer_client, **{name: value})
        shown = {key for key, contact in three.items() if contact.reference in rows}
        assert shown == expected, (name, value)
    assert "3 contacts matching" not in contact_officer_client.get(SCREENING).content.decode()
    assert (
        "2 contacts matching, soonest due first"
        in contact_officer_client.get(SCREENING, {"concern": "emotional_abuse"}).content.decode()
    )


def test_orders(contact_officer_client: Client, three: dict[str, Any]) -> None:
    def order(sort: str) -> list[str]:
        rows = _rows(contact_officer_client, sort=sort)
        return sorted(three, key=lambda key: rows.index(three[key].reference))

    assert order("due") == ["teen", "child", "baby"]
    assert order("rating") == ["teen", "child", "baby"]  # red, green, not rated
    assert order("received-newest")[0] == max(three, key=lambda key: (three[key].received_at, three[key].pk))


def test_filter_by_worker(
    mash_team: Team,
    manager: User,
    manager_client: Client,
    contact_officer: User,
    three: dict[str, Any],
    now: dt.datetime,
) -> None:
    allocate(three["baby"], worker=contact_officer, by=manager, at=now, version=three["baby"].version)
    rows = _rows(manager_client, worker=str(contact_officer.pk))
    assert three["baby"].reference in rows
    assert three["teen"].reference not in rows
    nobody = _rows(manager_client, worker="none")
    assert three["baby"].reference not in nobody
    assert three["teen"].reference in nobody


def test_bad_filter_values_are_ignored_with_a_message_not_an_error(contact_officer_client: Client, three: Any) -> None:
    response = contact_officer_client.get(SCREENING, {"rating": "purple", "age": "'; DROP TABLE", "page": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_paging_keeps_the_filters(contact_officer_client: Client, mash_team: Team, now: dt.datetime) -> None:
    for n in range(55):
        _contact(
            mash_team,
            born=dt.date(2020, 1, 1),
            concern_categories=["neglect"],
            current_due_at=now + dt.timedelta(hours=n),
        )
    page = contact_officer_client.get(SCREENING, {"concern": "neglect"}).content.decode()
    assert "concern=neglect&amp;page=2" in page


def test_years_before_counts_a_leap_day_birthday_as_the_law_does() -> None:
    assert years_before(dt.date(2028, 2, 29), 15) == dt.date(2013, 2, 28)
    assert years_before(dt.date(2026, 11, 24), 5) == dt.date(2021, 11, 24)


def test_one_filter_not_understood_leaves_the_others_applied(contact_officer_client: Client, three: Any) -> None:
    """Walk-through: `?concern=physical_abuse&sort=received` listed the whole queue: one unknown order
    dropped every filter without a word."""
    response = contact_officer_client.get(SCREENING, {"concern": "neglect", "sort": "received"})
    page = response.content.decode()
    assert "Select a valid choice" in page  # beside the order
    rows = _rows(contact_officer_client, concern="neglect", sort="received")
    assert three["baby"].reference in rows
    assert three["teen"].reference not in rows
