from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.consultations import permissions
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.consultations.workflow import ConsultationEvent
from safehub.core import lifecycle
from safehub.core.errors import DomainError
from safehub.core.races import claim
from safehub.core.submissions import content_key, create_once, earlier_submission
from safehub.protocols.models import Clock
from safehub.protocols.policy import due_time

CHILD_FIELDS = ("child_given_name", "child_family_name", "child_date_of_birth", "child_postcode")


def already_recorded(
    fields: dict[str, Any], *, by: User, submission_key: uuid.UUID | None = None
) -> Consultation | None:
    """The consultation this submission already made: the same one-time key, or the same details
    recorded by the same person (core.submissions)."""
    return earlier_submission(Consultation, by=by, submission_key=submission_key, content=content_key(fields))


@transaction.atomic(durable=True)
def record_consultation(
    fields: dict[str, Any], *, team: Team, by: User, at: datetime, submission_key: uuid.UUID | None = None
) -> Consultation:
    if not permissions.can_record_consultation(by):
        raise PermissionDenied
    existing = already_recorded(fields, by=by, submission_key=submission_key)
    if existing is not None:
        return existing
    if fields["kind"] == ConsultationKind.ANONYMOUS and any(fields.get(name) for name in CHILD_FIELDS):
        raise DomainError("An anonymous consultation records no details of the child: remove them or choose named")
    if fields["kind"] == ConsultationKind.NAMED and not (
        fields.get("child_given_name") or fields.get("child_family_name")
    ):
        raise DomainError("Enter the child's name for a named consultation", field="child_family_name")
    if fields["received_at"] > at:
        raise DomainError("The consultation cannot be in the future", field="received_on")
    content = content_key(fields)
    consultation, created = create_once(
        Consultation,
        lambda: Consultation.objects.create(
            team=team,
            recorded_by=by,
            submission_key=submission_key,
            content_key=content,
            summary_due_at=due_time(Clock.CONSULTATION_SUMMARY, start=fields["received_at"]),
            **fields,
        ),
        by=by,
        submission_key=submission_key,
        content=content,
    )
    if not created:
        return consultation
    record(Verb.CONSULTATION_RECORDED, by=by, at=at, data={"consultation": consultation.pk, "kind": consultation.kind})
    return consultation


@transaction.atomic(durable=True)
def send_summary(consultation: Consultation, *, by: User, at: datetime, version: int) -> None:
    """Record that the summary was sent outside Safehub (by hand, another system)."""
    mark_summary_sent(consultation, by=by, at=at, version=version)


def mark_summary_sent(consultation: Consultation, *, by: User, at: datetime, version: int) -> None:
    """The consultation's summary sent, inside the caller's transaction (letters sends it written)."""
    if not permissions.can_send_summary(by):
        raise PermissionDenied
    if consultation.summary_sent_at is not None:
        raise DomainError("The summary has already been sent")
    claim(consultation, version, noun="consultation")
    lifecycle.transition(
        consultation,
        ConsultationEvent.SEND_SUMMARY,
        by=by,
        at=at,
        fields={"summary_sent_at": at, "summary_sent_by": by},
    )
    record(Verb.CONSULTATION_SUMMARY_SENT, by=by, at=at, data={"consultation": consultation.pk})
