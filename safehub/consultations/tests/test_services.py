from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.consultations import services
from safehub.consultations.models import Consultation, ConsultationStateChange
from safehub.consultations.workflow import ConsultationState
from safehub.core.errors import ConcurrentChange, DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(mash_team: Team, social_worker: User, now: dt.datetime) -> Consultation:
    fields: dict[str, Any] = {
        "kind": "anonymous",
        "received_at": now - dt.timedelta(hours=1),
        "consultee_name": "Priya Shah",
        "question": "Should I refer?",
        "advice": "Yes: make a contact today.",
    }
    return services.record_consultation(fields, team=mash_team, by=social_worker, at=now)


def _rows() -> list[tuple[Any, ...]]:
    return list(ConsultationStateChange.objects.values_list("at", "by", "event", "from_state", "to_state"))


def test_a_consultation_waits_for_its_summary(consultation: Consultation) -> None:
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.AWAITING_SUMMARY
    assert consultation.get_state_display() == "Summary to send"


def test_sending_the_summary_records_the_change(
    consultation: Consultation, social_worker: User, now: dt.datetime
) -> None:
    services.send_summary(consultation, by=social_worker, at=now, version=0)
    stored = Consultation.objects.get()
    assert (stored.state, stored.summary_sent_at, stored.summary_sent_by, stored.version) == (
        ConsultationState.SUMMARY_SENT,
        now,
        social_worker,
        1,
    )
    assert (consultation.state, consultation.version) == (ConsultationState.SUMMARY_SENT, 1)
    assert _rows() == [(now, social_worker.pk, "send_summary", "awaiting_summary", "summary_sent")]
    assert AuditEvent.objects.filter(verb=Verb.CONSULTATION_SUMMARY_SENT).count() == 1
    with pytest.raises(DomainError, match="already been sent"):
        services.send_summary(consultation, by=social_worker, at=now, version=1)


def test_a_stale_form_or_copy_sends_nothing(consultation: Consultation, social_worker: User, now: dt.datetime) -> None:
    stale = Consultation.objects.get(pk=consultation.pk)
    with pytest.raises(ConcurrentChange, match="This consultation was changed by someone else"):
        services.send_summary(consultation, by=social_worker, at=now, version=7)
    services.send_summary(consultation, by=social_worker, at=now, version=0)
    with pytest.raises(ConcurrentChange, match="This consultation was changed by someone else"):
        services.send_summary(stale, by=social_worker, at=now, version=0)
    assert ConsultationStateChange.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CONSULTATION_SUMMARY_SENT).count() == 1


def test_the_migration_writes_the_row_the_service_would_have_written(
    consultation: Consultation, social_worker: User, now: dt.datetime
) -> None:
    services.send_summary(consultation, by=social_worker, at=now, version=0)
    written = _rows()
    ConsultationStateChange.objects.all().delete()
    migration = importlib.import_module("safehub.consultations.migrations.0002_state_and_state_changes")
    migration.record_sent_summaries(apps, None)
    assert _rows() == written
