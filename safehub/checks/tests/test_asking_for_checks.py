"""A social worker asks a manager to start MASH checks from the threshold page (only a manager
starts them, 002 §15): the ask shows on the threshold queue and is settled when checks start."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.models import ChecksAsked
from safehub.checks.permissions import can_ask_for_checks
from safehub.checks.services import ask_for_checks, submit_for_decision
from safehub.checks.tests.helpers import start_checks
from safehub.contacts import amendments
from safehub.contacts.tests.factories import SIBLING, ContactAwaitingThresholdFactory, ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError

pytestmark = pytest.mark.django_db
REASON = "Police may hold domestic abuse call-outs to the address; school attendance is falling."


def test_a_social_worker_asks_once_and_the_manager_sees_it(
    mash_team: Team, social_worker: User, social_worker_client: Client, manager_client: Client, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    page = reverse("decisions:recommend", args=[contact.pk])
    assert "Ask a manager to start MASH checks" in social_worker_client.get(page).content.decode()
    too_short = social_worker_client.post(page, {"action": "ask-for-checks", "reason": "please", "version": 0})
    assert "Say what the partner agencies need to be asked, and why" in too_short.content.decode()
    done = social_worker_client.post(page, {"action": "ask-for-checks", "reason": REASON, "version": 0}, follow=True)
    assert "A manager has been asked to start MASH checks" in done.content.decode()
    assert REASON in done.content.decode()  # the ask, shown instead of the form
    asked = ChecksAsked.objects.get()
    assert (asked.asked_by, asked.settled_at) == (social_worker, None)
    assert AuditEvent.objects.filter(verb=Verb.MASH_CHECKS_ASKED_FOR, contact=contact).count() == 1

    queue = manager_client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    assert "MASH checks asked for" in queue
    start = manager_client.get(reverse("checks:start", args=[contact.pk])).content.decode()
    assert REASON in start  # the reason the manager starts from


def test_asking_twice_or_from_a_stale_page_is_refused(mash_team: Team, social_worker: User, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(ConcurrentChange):
        ask_for_checks(contact, reason=REASON, by=social_worker, at=now, version=contact.version + 1)
    ask_for_checks(contact, reason=REASON, by=social_worker, at=now, version=contact.version)
    with pytest.raises(DomainError, match="already been asked"):
        ask_for_checks(contact, reason=REASON, by=social_worker, at=now, version=contact.version)


def test_managers_start_checks_rather_than_ask_and_only_before_the_decision(
    mash_team: Team, manager: User, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        ask_for_checks(ContactAwaitingThresholdFactory(team=mash_team), reason=REASON, by=manager, at=now, version=0)
    decided = ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL)
    with pytest.raises(PermissionDenied):
        ask_for_checks(decided, reason=REASON, by=social_worker, at=now, version=0)


def test_starting_the_checks_settles_the_ask(
    mash_team: Team, manager: User, social_worker: User, manager_client: Client, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    ask_for_checks(contact, reason=REASON, by=social_worker, at=now, version=contact.version)
    contact.refresh_from_db()
    police: Any = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    assert ChecksAsked.objects.get().settled_at == now
    assert "MASH checks asked for" not in manager_client.get(reverse("queues:queue", args=["checks"])).content.decode()
    # Walk-through: the contact's timeline kept no trace of the ask once the checks had started.
    page = manager_client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()
    timeline = page[page.index("Timeline") :]
    assert "MASH checks asked for" in timeline
    assert REASON in timeline
    assert "Contact received" in timeline


def test_a_second_manager_is_told_the_checks_have_already_started(
    mash_team: Team, manager: User, social_worker: User, manager_client: Client, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    police: Any = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    page = manager_client.get(reverse("checks:start", args=[contact.pk]), follow=True).content.decode()
    assert "MASH checks have already been started on this contact" in page


def test_a_manager_is_told_on_whatever_queue_they_open(
    mash_team: Team, social_worker: User, manager_client: Client, social_worker_client: Client, now: dt.datetime
) -> None:
    """The walk-through asked, and no manager saw it: they land on the approval queue, and the
    flag was only on the threshold queue's row."""
    asked = ContactAwaitingThresholdFactory(team=mash_team)
    other = ContactAwaitingThresholdFactory(team=mash_team)
    ask_for_checks(asked, reason=REASON, by=social_worker, at=now, version=asked.version)

    landing = manager_client.get(reverse("queues:home"), follow=True).content.decode()
    assert "A social worker has asked a manager to start MASH checks on a contact." in landing
    listed = manager_client.get(reverse("queues:queue", args=["threshold"]) + "?checks=asked").content.decode()
    assert asked.reference in listed
    assert other.reference not in listed
    # Social workers cannot start checks, so the banner is not theirs.
    mine = social_worker_client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    assert "has asked a manager to start MASH checks on a contact" not in mine


def test_a_person_added_while_checks_are_out_is_flagged_as_not_asked_about(
    mash_team: Team,
    manager: User,
    social_worker: User,
    social_worker_client: Client,
    now: dt.datetime,
) -> None:
    """Walk-through: a sibling added during MASH checks was never put to the agencies, and nothing
    said so: the requests carry the people named when they were sent."""
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    police: Any = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    contact.refresh_from_db()
    amendments.add_person(
        contact,
        SIBLING,
        reason="School told us",
        by=social_worker,
        at=now + dt.timedelta(minutes=5),
        version=contact.version,
        submission_key=uuid.uuid4(),
    )
    warning = "Leo Harlow was added to the contact after these MASH checks were sent"
    assert warning in social_worker_client.get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert warning in social_worker_client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()


def test_checks_are_not_asked_for_again_once_started_or_submitted(
    mash_team: Team, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    """Walk-through: the threshold page still offered "Ask a manager to start MASH checks" after the
    checks on the contact had gone for decision."""
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    page = reverse("decisions:recommend", args=[contact.pk])
    stale_version = contact.version
    police: Any = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    submit_for_decision(
        checks, analysis="Police know the family", outstanding_reason="Decide now", by=social_worker, at=now, version=0
    )
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert not can_ask_for_checks(social_worker, contact)
    shown = social_worker_client.get(page).content.decode()
    assert "Ask a manager to start MASH checks" not in shown
    assert "Police know the family" in shown  # the answers are beside the decision instead
    # A page drawn before the checks started: told, and nothing asked.
    late = social_worker_client.post(
        page, {"action": "ask-for-checks", "reason": REASON, "version": stale_version}, follow=True
    )
    assert "MASH checks have already been started on this contact" in late.content.decode()
    assert not ChecksAsked.objects.exists()
    with pytest.raises(DomainError, match="already been made"):
        ask_for_checks(contact, reason=REASON, by=social_worker, at=now, version=contact.version)
