"""A manager allocates a contact waiting for screening or a threshold decision to a named worker:
it is on their "My work" list, the others see who has it, and every move is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.services import allocate
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError, Refused

pytestmark = pytest.mark.django_db


def test_a_manager_allocates_and_reallocates_with_each_move_audited(
    mash_team: Team, manager: User, contact_officer: User, social_worker: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    allocate(contact, worker=contact_officer, by=manager, at=now, version=0)
    allocate(contact, worker=social_worker, by=manager, at=now, version=1)
    contact.refresh_from_db()
    assert (contact.allocated_to, contact.allocated_at, contact.version) == (social_worker, now, 2)
    moves = [e.data for e in AuditEvent.objects.filter(verb=Verb.CONTACT_ALLOCATED).order_by("seq")]
    assert moves == [{"from": None, "to": contact_officer.pk}, {"from": contact_officer.pk, "to": social_worker.pk}]
    with pytest.raises(ConcurrentChange):  # another manager's stale page
        allocate(contact, worker=contact_officer, by=manager, at=now, version=1)
    with pytest.raises(DomainError, match="already allocated"):
        allocate(contact, worker=social_worker, by=manager, at=now, version=2)


def test_a_threshold_decision_goes_to_a_social_worker(
    mash_team: Team, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    with pytest.raises(Refused, match="A threshold decision needs a social worker"):
        allocate(contact, worker=contact_officer, by=manager, at=now, version=0)


def test_only_the_contacts_team_and_only_managers(
    mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.RECEIVED)
    stranger = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name="Another team"), username="stranger")
    with pytest.raises(Refused, match="Choose someone in the contact's team"):
        allocate(contact, worker=stranger, by=manager, at=now, version=0)
    with pytest.raises(PermissionDenied):
        allocate(contact, worker=social_worker, by=social_worker, at=now, version=0)
    decided = ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL)
    with pytest.raises(PermissionDenied):
        allocate(decided, worker=social_worker, by=manager, at=now, version=0)


def test_my_work_and_unallocated(
    mash_team: Team,
    manager: User,
    social_worker: User,
    social_worker_client: Client,
    manager_client: Client,
    contact_officer_client: Client,
    now: dt.datetime,
) -> None:
    mine = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    nobodys = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    allocate(mine, worker=social_worker, by=manager, at=now, version=0)

    my_work = social_worker_client.get(reverse("queues:queue", args=["mine"]))
    page = my_work.content.decode()
    assert mine.reference in page
    assert nobodys.reference not in page
    assert social_worker.get_full_name() in page  # the "Allocated to" column
    assert my_work.context["counts"]["mine"] == 1

    unallocated = manager_client.get(reverse("queues:queue", args=["unallocated"]))
    assert nobodys.reference in unallocated.content.decode()
    assert mine.reference not in unallocated.content.decode()
    assert unallocated.context["counts"]["unallocated"] == 1
    assert "Unallocated (1)" in unallocated.content.decode()
    assert "Unallocated" not in contact_officer_client.get(reverse("queues:queue", args=["mine"])).content.decode()


def test_the_allocation_page(mash_team: Team, manager_client: Client, social_worker: User, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    url = reverse("contacts:allocate", args=[contact.pk])
    contact_page = manager_client.get(contact.get_absolute_url()).content.decode()
    assert "Not allocated to a worker" in contact_page
    assert url in contact_page
    empty = manager_client.post(url, {"version": 0, "worker": ""})
    assert "Choose who to allocate the contact to" in empty.content.decode()
    forged = manager_client.post(url, {"version": 0, "worker": 999_999})
    assert "Choose someone listed" in forged.content.decode()
    done = manager_client.post(url, {"version": 0, "worker": social_worker.pk}, follow=True)
    assert f"Contact allocated to {social_worker.get_full_name()}" in done.content.decode()
    assert f"Allocated to {social_worker.get_full_name()} since" in done.content.decode()
    colleague = user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="colleague")
    stale = manager_client.post(url, {"version": 0, "worker": colleague.pk})  # a second manager's old page
    assert stale.status_code == 409
