"""An overdue consultation summary emails whoever recorded it, once (issue 15; 002 §5–6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from safehub.consultations import services
from safehub.consultations.models import ConsultationKind
from safehub.consultations.reminders import deliver_summary_reminders, queue_summary_reminders

pytestmark = pytest.mark.django_db


def test_an_overdue_summary_is_reminded_once_and_a_sent_one_never(
    mash_team: Any, social_worker: Any, now: dt.datetime
) -> None:
    fields = {
        "kind": ConsultationKind.ANONYMOUS,
        "received_at": now - dt.timedelta(days=5),
        "consultee_name": "Ann Teacher",
        "question": "Should I refer a pupil who comes in hungry?",
        "advice": "Offer early help first.",
    }
    late = services.record_consultation(fields, team=mash_team, by=social_worker, at=now)
    answered = services.record_consultation(
        {**fields, "consultee_name": "Ben Nurse"}, team=mash_team, by=social_worker, at=now
    )
    services.send_summary(answered, by=social_worker, at=now, version=answered.version)
    services.record_consultation(
        {**fields, "consultee_name": "Cal Officer", "received_at": now - dt.timedelta(hours=1)},
        team=mash_team,
        by=social_worker,
        at=now,
    )
    assert queue_summary_reminders(now) == 1
    assert queue_summary_reminders(now) == 0
    assert deliver_summary_reminders(now) == 1
    assert deliver_summary_reminders(now) == 0
    [email] = mail.outbox
    assert email.to == [social_worker.email]
    assert "summary is overdue" in email.subject
    assert "Ann Teacher" not in email.body  # no personal details
    assert late.reminder.sent_at == now
