"""The hub's own outcomes make children known; an involvement is ended by hand or by import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.people.models import Involvement, Service
from safehub.people.services import end_involvement
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.screening.models import KnownStatus
from safehub.screening.services import finding_for

pytestmark = pytest.mark.django_db


def test_an_open_early_help_key_worker_is_an_open_case_to_forward_to(mash_team: Any, now: dt.datetime) -> None:
    """002 §3: 'forwarded to the allocated social worker, or key worker'."""
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.EARLY_HELP, allocated_worker="Kim Lowe", team="Family wellbeing")
    contact = ContactFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=contact, person=child)
    finding = finding_for(contact, at=now)
    assert (finding.status, finding.worker, finding.team) == (KnownStatus.OPEN_CASE, "Kim Lowe", "Family wellbeing")


def test_a_closed_early_help_involvement_is_known_not_recently_closed(mash_team: Any, now: dt.datetime) -> None:
    """The three-month rule is children's social care's (000, 002 §3): early help does not start it."""
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.EARLY_HELP, ended_on=dt.date(2026, 11, 1))
    contact = ContactFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=contact, person=child)
    assert finding_for(contact, at=now).status == KnownStatus.KNOWN_CLOSED


def test_ending_an_involvement_records_it_once(contact_officer: User, now: dt.datetime) -> None:
    involvement = InvolvementFactory(started_on=dt.date(2026, 9, 1))
    end_involvement(involvement, ended_on=dt.date(2026, 11, 20), by=contact_officer, at=now)
    involvement.refresh_from_db()
    assert involvement.ended_on == dt.date(2026, 11, 20)
    event = AuditEvent.objects.get(verb=Verb.INVOLVEMENT_ENDED)
    assert (event.person_id, event.by_id) == (involvement.person_id, contact_officer.pk)
    with pytest.raises(ConcurrentChange):  # a second, stale form
        end_involvement(involvement, ended_on=dt.date(2026, 11, 21), by=contact_officer, at=now)


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        (dt.date(2026, 11, 25), "The end date must be today or in the past"),
        (dt.date(2026, 8, 31), "The end date must be the same as or after the start date"),
    ],
)
def test_an_impossible_end_date_is_refused(
    contact_officer: User, now: dt.datetime, ended_on: dt.date, message: str
) -> None:
    involvement = InvolvementFactory(started_on=dt.date(2026, 9, 1))
    with pytest.raises(DomainError, match=message):
        end_involvement(involvement, ended_on=ended_on, by=contact_officer, at=now)
    assert Involvement.objects.get().ended_on is None


def test_only_front_door_staff_end_an_involvement(strategy_coordinator: User, now: dt.datetime) -> None:
    with pytest.raises(PermissionDenied):
        end_involvement(InvolvementFactory(), ended_on=dt.date(2026, 11, 20), by=strategy_coordinator, at=now)


def test_the_person_page_ends_an_involvement(contact_officer_client: Client, now: dt.datetime) -> None:
    involvement = InvolvementFactory(started_on=dt.date(2026, 9, 1))
    person_page = reverse("people:person", args=[involvement.person_id])
    url = reverse("people:end-involvement", args=[involvement.person_id, involvement.pk])
    assert url in contact_officer_client.get(person_page).content.decode()
    bad = contact_officer_client.post(url, {"ended_on_0": "31", "ended_on_1": "2", "ended_on_2": "2026"})
    assert bad.status_code == 200
    assert "The end date must be a real date" in bad.content.decode()
    done = contact_officer_client.post(url, {"ended_on_0": "20", "ended_on_1": "11", "ended_on_2": "2026"}, follow=True)
    assert done.redirect_chain[-1][0] == person_page
    assert "end recorded" in done.content.decode()
    again = contact_officer_client.post(
        url, {"ended_on_0": "21", "ended_on_1": "11", "ended_on_2": "2026"}, follow=True
    )
    assert "had already ended" in again.content.decode()
    assert Involvement.objects.get().ended_on == dt.date(2026, 11, 20)


def test_another_persons_involvement_is_not_found(contact_officer_client: Client, now: dt.datetime) -> None:
    involvement = InvolvementFactory()
    url = reverse("people:end-involvement", args=[PersonFactory().pk, involvement.pk])
    assert contact_officer_client.get(url).status_code == 404


# 002 §11: 'has been open to a Social Worker in CSC within the last three months' ----------------------


@pytest.mark.parametrize(
    ("ended_on", "within"),
    [
        (dt.date(2026, 11, 24), True),  # closed this morning: it was open today
        (dt.date(2026, 8, 24), True),  # three calendar months ago to the day (91 days would miss it)
        (dt.date(2026, 8, 23), False),
        (dt.date(2026, 11, 25), False),  # not closed yet
    ],
)
def test_the_three_months_are_calendar_months_up_to_and_including_today(ended_on: dt.date, within: bool) -> None:
    involvement = InvolvementFactory(started_on=dt.date(2026, 1, 5), ended_on=ended_on)
    at = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)

    found = Involvement.objects.closed_within_three_months(at=at)

    assert found.filter(pk=involvement.pk).exists() is within


def test_the_three_months_count_from_englands_date_not_utcs() -> None:
    # 00:30 on 1 July in London is still 30 June in UTC: a case closed on 1 July closed "today".
    involvement = InvolvementFactory(started_on=dt.date(2026, 1, 5), ended_on=dt.date(2026, 7, 1))
    at = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)

    assert Involvement.objects.closed_within_three_months(at=at).filter(pk=involvement.pk).exists()
    three_months_before = InvolvementFactory(started_on=dt.date(2026, 1, 5), ended_on=dt.date(2026, 4, 1))
    assert Involvement.objects.closed_within_three_months(at=at).filter(pk=three_months_before.pk).exists()
