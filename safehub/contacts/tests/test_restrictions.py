"""A manager restricts a contact to named people; nobody else sees it anywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, ContactRestriction
from safehub.contacts.restrictions import lift_restriction, restrict_contact
from safehub.contacts.services import start_screening
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.mfa.testing import sign_in_both_steps
from safehub.queues.queries import QUEUES, queue_contacts

pytestmark = pytest.mark.django_db


def _restrict(contact: Contact, manager: User, *people: User) -> list[User]:
    return restrict_contact(
        contact, people=people, reason="Child of a member of staff", by=manager, at=dt.datetime.now(dt.UTC), version=0
    )


def test_a_restricted_contact_is_seen_only_by_the_people_named_and_the_manager(
    mash_team: Team, manager: User, social_worker: User, contact_officer: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    allowed = _restrict(contact, manager, social_worker)
    assert allowed == sorted([manager, social_worker], key=str)
    assert Contact.objects.visible_to(social_worker).filter(pk=contact.pk).exists()
    assert Contact.objects.visible_to(manager).filter(pk=contact.pk).exists()
    assert not Contact.objects.visible_to(contact_officer).filter(pk=contact.pk).exists()
    contact.refresh_from_db()
    assert contact.is_restricted
    assert contact.restriction_reason == "Child of a member of staff"
    assert contact.restricted_by == manager
    event = AuditEvent.objects.get(verb=Verb.CONTACT_RESTRICTED)
    assert event.contact_id == contact.pk
    assert event.data == {"people": sorted([manager.pk, social_worker.pk])}
    assert "reason" not in event.data  # free text stays on the contact, out of the trail


def test_a_restricted_contact_appears_in_no_queue_of_an_unnamed_colleague(
    mash_team: Team, manager: User, contact_officer: User, social_worker: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.RECEIVED)
    seen_before = {q.slug for q in QUEUES if queue_contacts(contact_officer, q, at=now).filter(pk=contact.pk).exists()}
    assert seen_before  # the contact is in some queue of the team
    _restrict(contact, manager, social_worker)
    for queue in QUEUES:
        assert not queue_contacts(contact_officer, queue, at=now).filter(pk=contact.pk).exists(), queue.slug


def test_changing_who_may_see_it_replaces_the_list(
    mash_team: Team, manager: User, social_worker: User, contact_officer: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    _restrict(contact, manager, social_worker)
    restrict_contact(contact, people=[contact_officer], reason="Still restricted", by=manager, at=now, version=1)
    assert set(ContactRestriction.objects.filter(contact=contact).values_list("user", flat=True)) == {
        manager.pk,
        contact_officer.pk,
    }
    assert not Contact.objects.visible_to(social_worker).filter(pk=contact.pk).exists()


def test_lifting_the_restriction_gives_the_team_the_contact_back(
    mash_team: Team, manager: User, social_worker: User, contact_officer: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    _restrict(contact, manager, social_worker)
    lift_restriction(contact, by=manager, at=now, version=1)
    assert Contact.objects.visible_to(contact_officer).filter(pk=contact.pk).exists()
    assert not ContactRestriction.objects.filter(contact=contact).exists()
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_RESTRICTION_LIFTED, contact=contact).count() == 1
    with pytest.raises(DomainError, match="not restricted"):
        lift_restriction(contact, by=manager, at=now, version=2)


def test_only_a_manager_restricts(mash_team: Team, social_worker: User, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team)
    with pytest.raises(PermissionDenied):
        restrict_contact(contact, people=[], reason="Because", by=social_worker, at=now, version=0)
    assert not Contact.objects.get(pk=contact.pk).is_restricted


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_restriction_needs_a_reason(mash_team: Team, manager: User, reason: str, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team)
    with pytest.raises(DomainError, match="Enter why the contact is restricted") as refused:
        restrict_contact(contact, people=[], reason=reason, by=manager, at=now, version=0)
    assert refused.value.field == "reason"
    assert not Contact.objects.get(pk=contact.pk).is_restricted


def test_a_partner_cannot_be_named(mash_team: Team, manager: User, police_partner: User, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team)
    with pytest.raises(DomainError, match="cannot see children's records"):
        restrict_contact(contact, people=[police_partner], reason="Because", by=manager, at=now, version=0)
    assert not ContactRestriction.objects.exists()


def test_a_stale_form_changes_nothing(mash_team: Team, manager: User, social_worker: User, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team)
    _restrict(contact, manager, social_worker)
    with pytest.raises(ConcurrentChange):
        restrict_contact(contact, people=[], reason="Other", by=manager, at=now, version=0)
    contact.refresh_from_db()
    assert contact.restriction_reason == "Child of a member of staff"


def test_manager_restricts_from_the_page_and_the_contact_says_so(
    mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    client = Client()
    sign_in_both_steps(client, manager)
    url = reverse("contacts:restrict", args=[contact.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"version": 0, "people": [social_worker.pk], "reason": "Child of a member of staff", "action": "restrict"}
    )
    assert response.status_code == 302
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "Restricted" in page
    assert "Only the people named can see this contact" in page
    assert "Child of a member of staff" in page
    assert "Change who can see this contact" in page
    read = AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED, contact=contact).latest("seq")
    assert read.data == {"page": "contact", "restricted": True}  # reads of a restricted contact stand out


def test_the_restriction_page_shows_errors_and_changes_nothing(
    mash_team: Team, manager: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    client = Client()
    sign_in_both_steps(client, manager)
    response = client.post(reverse("contacts:restrict", args=[contact.pk]), {"version": 0, "reason": ""})
    assert response.status_code == 200
    assert "Enter why the contact is restricted" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Contact.objects.get(pk=contact.pk).is_restricted


def test_a_stale_restriction_form_answers_409(
    mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    _restrict(contact, manager, social_worker)
    client = Client()
    sign_in_both_steps(client, manager)
    response = client.post(reverse("contacts:restrict", args=[contact.pk]), {"version": 0, "reason": "New"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()


def test_an_unnamed_colleague_gets_404_and_the_refusal_is_audited(
    mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    _restrict(contact, manager, social_worker)
    colleague = user_with_role(Role.SENIOR_PRACTITIONER, team=mash_team, username="colleague")
    client = Client()
    sign_in_both_steps(client, colleague)
    assert client.get(contact.get_absolute_url()).status_code == 404
    refusal = AuditEvent.objects.get(verb=Verb.READ_REFUSED, by=colleague)
    assert refusal.contact_id == contact.pk
    assert refusal.data["status"] == 404


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.CONTACT_OFFICER, Role.SENIOR_PRACTITIONER])
def test_only_managers_open_the_restriction_page(mash_team: Team, role: Role, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team)
    client = Client()
    sign_in_both_steps(client, user_with_role(role, team=mash_team, username="someone"))
    assert client.get(reverse("contacts:restrict", args=[contact.pk])).status_code == 403


def test_the_manager_is_warned_who_would_lose_a_contact_they_work_on(
    mash_team: Team, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.RECEIVED)
    start_screening(contact, by=contact_officer, at=now)
    client = Client()
    sign_in_both_steps(client, manager)
    page = client.get(reverse("contacts:restrict", args=[contact.pk])).content.decode()
    assert f"Already working on this contact: {contact_officer}" in page
