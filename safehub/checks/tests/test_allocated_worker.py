"""Answers that arrive after the decision reach the social worker the child was allocated to (000)."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services
from safehub.checks.models import Alert, AlertKind, LateAnswerRecipients, MashChecks
from safehub.checks.presenters import request_rows
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.errors import DomainError
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome, OutcomeAction
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.mfa.testing import sign_in_both_steps

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def police() -> Agency:
    return PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)


@pytest.fixture
def police_desk(police: Agency) -> User:
    desk = TeamFactory(name="Police desk", agency=police)
    return user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username="pc.late")


@pytest.fixture
def assessment_team() -> Team:
    return TeamFactory(name="Assessment team north")


@pytest.fixture
def allocated(assessment_team: Team) -> User:
    """A social worker outside the MASH team: the one the child is allocated to for the assessment."""
    return user_with_role(Role.SOCIAL_WORKER, team=assessment_team, username="assessment.sw")


@pytest.fixture
def decided(
    mash_team: Team, manager: User, second_manager: User, social_worker: User, police: Agency, now: dt.datetime
) -> MashChecks:
    """Checks sent to the police, submitted for decision without their answer; a s17 assessment approved."""
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    checks = services.submit_for_decision(
        checks,
        analysis="Health and school answers show neglect",
        outstanding_reason="Enough is known to decide",
        by=social_worker,
        at=now + HOUR,
        version=checks.version,
    )
    contact = recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=second_manager,
        at=now + 2 * HOUR,
    )
    return checks


def _action(checks: MashChecks, by: User, worker: User | None, at: dt.datetime) -> OutcomeAction:
    contact = Contact.objects.get(pk=checks.contact_id)
    return decisions.action_outcome(
        contact,
        sent_to="Assessment team north",
        referrer_informed_at=at,
        referrer_informed_by="phone",
        notes="",
        by=by,
        at=at,
        version=contact.version,
        allocated_worker=worker,
    )


def _police_answer(checks: MashChecks, desk: User, at: dt.datetime) -> None:
    submit_answer(checks.requests.get(), by=desk, at=at, information="Firearms licence at the address")


def _late_alert_recipients() -> set[User]:
    return {alert.recipient for alert in Alert.objects.filter(kind=AlertKind.LATE_ANSWER)}


def test_an_answer_after_allocation_goes_to_the_allocated_worker_too(
    decided: MashChecks,
    manager: User,
    second_manager: User,
    social_worker: User,
    allocated: User,
    police_desk: User,
    now: dt.datetime,
) -> None:
    _action(decided, manager, allocated, now + 3 * HOUR)
    _police_answer(decided, police_desk, now + 4 * HOUR)
    assert _late_alert_recipients() == {social_worker, second_manager, allocated}
    event = AuditEvent.objects.filter(verb=Verb.LATE_ANSWER_FORWARDED, contact=decided.contact).get()
    assert allocated.pk in event.data["to"]


def test_answers_that_came_before_allocation_are_sent_when_the_worker_is_named(
    decided: MashChecks, manager: User, social_worker: User, allocated: User, police_desk: User, now: dt.datetime
) -> None:
    _police_answer(decided, police_desk, now + 3 * HOUR)
    assert allocated not in _late_alert_recipients()
    _action(decided, manager, allocated, now + 4 * HOUR)
    assert allocated in _late_alert_recipients()
    events = AuditEvent.objects.filter(verb=Verb.LATE_ANSWER_FORWARDED, contact=decided.contact)
    assert [e.data["to"] for e in events.order_by("id")][-1] == [allocated.pk]


def test_no_late_answer_means_nothing_is_forwarded(
    decided: MashChecks, manager: User, allocated: User, now: dt.datetime
) -> None:
    _action(decided, manager, allocated, now + 3 * HOUR)
    assert not Alert.objects.filter(kind=AlertKind.LATE_ANSWER).exists()


def test_the_allocated_worker_opens_the_contact_and_its_checks_others_outside_the_team_do_not(
    decided: MashChecks, manager: User, allocated: User, police_desk: User, assessment_team: Team, now: dt.datetime
) -> None:
    colleague = user_with_role(Role.SOCIAL_WORKER, team=assessment_team, username="assessment.other")
    pages = [decided.contact.get_absolute_url(), reverse("checks:checks", args=[decided.pk])]
    worker_client, colleague_client = Client(), Client()
    sign_in_both_steps(worker_client, allocated)
    sign_in_both_steps(colleague_client, colleague)
    assert [worker_client.get(url).status_code for url in pages] == [404, 404]  # not allocated yet

    _action(decided, manager, allocated, now + 3 * HOUR)
    _police_answer(decided, police_desk, now + 4 * HOUR)
    assert [worker_client.get(url).status_code for url in pages] == [200, 200]
    assert [colleague_client.get(url).status_code for url in pages] == [404, 404]
    contact_page = worker_client.get(pages[0]).content.decode()
    assert "It was sent to the allocated social worker" in contact_page
    assert "Firearms licence at the address" in worker_client.get(pages[1]).content.decode()


def test_only_qualified_staff_can_be_allocated(
    decided: MashChecks, manager: User, police_desk: User, now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="Choose a social worker"):
        _action(decided, manager, police_desk, now + 3 * HOUR)
    assert not OutcomeAction.objects.exists()


def test_the_outcome_page_records_the_allocated_worker(
    decided: MashChecks, manager_client: Client, allocated: User, police_desk: User, now: dt.datetime
) -> None:
    contact = Contact.objects.get(pk=decided.contact_id)
    url = reverse("decisions:action-outcome", args=[contact.pk])
    form = {
        "version": contact.version,
        "sent_to": "Assessment team north",
        "informed_on_0": "24",
        "informed_on_1": "11",
        "informed_on_2": "2026",
        "informed_time": "09:45",
        "informed_by": "phone",
    }
    page = manager_client.get(url).content.decode()
    assert "Social worker allocated (if known)" in page
    refused = manager_client.post(url, {**form, "allocated_worker": police_desk.pk})
    assert "Choose a social worker from the list" in refused.content.decode()
    assert not OutcomeAction.objects.exists()
    assert manager_client.post(url, {**form, "allocated_worker": allocated.pk}).status_code == 302
    assert OutcomeAction.objects.get().allocated_worker == allocated
    assert "Social worker allocated" in manager_client.get(contact.get_absolute_url()).content.decode()


def test_the_choice_of_worker_names_their_job(decided: MashChecks, manager_client: Client, allocated: User) -> None:
    User.objects.filter(pk=allocated.pk).update(job_title="Assessment social worker")
    allocated.refresh_from_db()
    page = manager_client.get(reverse("decisions:action-outcome", args=[decided.contact_id])).content.decode()
    assert f"{allocated}, Assessment social worker" in page


def test_contacts_decided_before_the_checks_kept_their_own_list_still_send_late_answers_on(
    decided: MashChecks, manager: User, second_manager: User, allocated: User, now: dt.datetime
) -> None:
    _action(decided, manager, allocated, now + 3 * HOUR)
    LateAnswerRecipients.objects.all().delete()
    migration = importlib.import_module("safehub.checks.migrations.0007_late_answer_recipients")
    migration.from_decisions(apps, SimpleNamespace(connection=connection))  # a schema editor's connection
    row = LateAnswerRecipients.objects.get(contact_id=decided.contact_id)
    assert (row.decided_by, row.allocated_worker) == (second_manager, allocated)


def test_an_answer_after_the_submission_but_in_time_is_not_called_late(
    decided: MashChecks, police_desk: User, now: dt.datetime
) -> None:
    """Re-walk: the contact tagged "Late" an answer the timeliness report counted on time (it came
    after the checks went for decision, before it was due). Each tag now says which it is."""
    _police_answer(decided, police_desk, now + 3 * HOUR)
    decided.refresh_from_db()
    (row,) = request_rows(MashChecks.objects.get(pk=decided.pk), at=now + 3 * HOUR)
    assert row.request.answered_at <= row.request.due_at
    assert (row.late, row.after_submission) == (False, True)
