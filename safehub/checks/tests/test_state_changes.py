"""Every change of state of MASH checks, requests and responses is a row, and a stale copy of a
record changes nothing (core.lifecycle)."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from safehub.accounts.models import Agency, User
from safehub.checks import answers, services
from safehub.checks.models import (
    AgencyRequest,
    AgencyResponse,
    ChecksStateChange,
    MashChecks,
    RequestState,
    RequestStateChange,
    ResponseStateChange,
    ResponseStatus,
)
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.models import StateChange
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.errors import ConcurrentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(police_partner: User) -> Agency:
    agency = police_partner.memberships.get().team.agency
    assert agency is not None
    return agency


@pytest.fixture
def checks(mash_team: Any, manager: User, social_worker: User, police: Agency, now: dt.datetime) -> MashChecks:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    return start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)


def _rows(model: type[Any]) -> list[tuple[Any, ...]]:
    return list(model.objects.values_list("at", "by", "event", "from_state", "to_state", "note"))


def test_submitting_checks_records_who_when_and_why(checks: MashChecks, social_worker: User, now: dt.datetime) -> None:
    later = now + dt.timedelta(hours=2)
    services.submit_for_decision(
        checks, analysis="Enough to decide", outstanding_reason="Risk is clear", by=social_worker, at=later, version=0
    )
    assert checks.version == 1
    assert _rows(ChecksStateChange) == [
        (later, social_worker.pk, "submit_for_decision", "open", "submitted", "Risk is clear")
    ]
    assert list(checks.state_changes.all()) == list(ChecksStateChange.objects.all())


def test_a_stale_copy_of_the_checks_submits_nothing(checks: MashChecks, social_worker: User, now: dt.datetime) -> None:
    stale = MashChecks.objects.get(pk=checks.pk)
    services.submit_for_decision(checks, analysis="First", outstanding_reason="x", by=social_worker, at=now, version=0)
    with pytest.raises(ConcurrentChange, match="This set of checks was changed by someone else"):
        services.submit_for_decision(
            stale, analysis="Second", outstanding_reason="y", by=social_worker, at=now, version=0
        )
    checks.refresh_from_db()
    assert (checks.analysis, checks.version) == ("First", 1)
    assert ChecksStateChange.objects.count() == 1
    assert StateChange.objects.filter(contact=checks.contact, event="submit_checks_for_decision").count() == 1


def test_an_answer_records_the_requests_and_the_responses_change(
    checks: MashChecks, police_partner: User, now: dt.datetime
) -> None:
    request = checks.requests.get()
    answers.save_response(
        request, answers.Answer(information="Draft"), by=police_partner, at=now, submit=False, version=0
    )
    assert request.version == 1
    assert not RequestStateChange.objects.exists()
    assert not ResponseStateChange.objects.exists()
    later = now + dt.timedelta(minutes=20)
    response = submit_answer(request, by=police_partner, at=later, information="One incident")
    assert (request.state, request.version, request.answered_at) == (RequestState.ANSWERED, 2, later)
    assert (response.status, response.version, response.information) == (ResponseStatus.SUBMITTED, 1, "One incident")
    stored = AgencyResponse.objects.get()
    assert (stored.status, stored.information, stored.submitted_at) == (ResponseStatus.SUBMITTED, "One incident", later)
    assert _rows(RequestStateChange) == [(later, police_partner.pk, "answer", "sent", "answered", "")]
    assert _rows(ResponseStateChange) == [(later, police_partner.pk, "submit", "draft", "submitted", "")]


def test_a_stale_copy_of_the_request_answers_nothing(
    checks: MashChecks, police_partner: User, now: dt.datetime
) -> None:
    request = checks.requests.get()
    stale = AgencyRequest.objects.get(pk=request.pk)
    submit_answer(request, by=police_partner, at=now)
    with pytest.raises(ConcurrentChange, match="This request was changed by someone else"):
        submit_answer(stale, by=police_partner, at=now, information="A second answer")
    assert AgencyResponse.objects.count() == 1
    assert RequestStateChange.objects.count() == ResponseStateChange.objects.count() == 1


def test_withdrawing_records_the_reason_and_a_stale_copy_withdraws_nothing(
    checks: MashChecks, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    request = checks.requests.get()
    stale = AgencyRequest.objects.get(pk=request.pk)
    services.withdraw_request(request, reason="Asked in error", by=social_worker, at=now, version=0)
    assert (request.state, request.withdrawn_by, request.version) == (RequestState.WITHDRAWN, social_worker, 1)
    assert _rows(RequestStateChange) == [(now, social_worker.pk, "withdraw", "sent", "withdrawn", "Asked in error")]
    with pytest.raises(ConcurrentChange, match="This request was changed by someone else"):
        services.withdraw_request(stale, reason="Again", by=social_worker, at=now, version=0)
    with pytest.raises(ConcurrentChange):
        submit_answer(stale, by=police_partner, at=now)
    assert RequestStateChange.objects.count() == 1


def test_the_migration_writes_the_rows_the_services_would_have_written(
    checks: MashChecks, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    request = checks.requests.get()
    submit_answer(request, by=police_partner, at=now)
    services.submit_for_decision(checks, analysis="Done", by=social_worker, at=now, version=0)
    written = {model: _rows(model) for model in (ChecksStateChange, RequestStateChange, ResponseStateChange)}
    for model in written:
        model.objects.all().delete()
    migration = importlib.import_module("safehub.checks.migrations.0008_state_changes")
    migration.record_earlier_changes(apps, SimpleNamespace(connection=connection))  # a schema editor's connection
    assert {model: _rows(model) for model in written} == written
