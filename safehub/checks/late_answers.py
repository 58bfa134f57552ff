"""Answers that come after the checks went for decision, and who they go to. The decision services
say who decided and whom the child is allocated to; the answer services forward each late answer
as it comes, inside their own transaction."""

from __future__ import annotations

from datetime import datetime

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.models import AgencyRequest, Alert, AlertKind, ChecksState, LateAnswerRecipients, MashChecks
from safehub.contacts.models import Contact


def forward_if_late(request: AgencyRequest, *, by: User, at: datetime) -> None:
    """An answer after the checks went for decision goes to the coordinator, whoever decided and,
    once the outcome names one, the allocated social worker (000): as an alert (in the app, and by
    email through the worker) and flagged on the contact page. Called by the answer services,
    inside their transaction, for every answer submitted or corrected."""
    checks = MashChecks.objects.get(pk=request.checks_id)
    if checks.state != ChecksState.SUBMITTED:
        return
    people = {checks.coordinator}
    also = LateAnswerRecipients.objects.filter(contact_id=checks.contact_id).first()
    if also is not None:
        people |= {user for user in (also.decided_by, also.allocated_worker) if user is not None}
    _alert_late_answer(request, people, by=by, at=at)


def _alert_late_answer(request: AgencyRequest, people: set[User], *, by: User, at: datetime) -> None:
    Alert.objects.bulk_create(
        [Alert(request=request, kind=AlertKind.LATE_ANSWER, recipient=user, created_at=at) for user in people],
        ignore_conflicts=True,
    )
    record(
        Verb.LATE_ANSWER_FORWARDED,
        by=by,
        contact=request.checks.contact,
        at=at,
        data={"request": request.pk, "to": sorted(user.pk for user in people)},
    )


def note_decision(contact: Contact, *, decided_by: User) -> None:
    """Later answers go to whoever decided last. Called by the decision services, inside their
    transaction, for every decision (approved or returned)."""
    LateAnswerRecipients.objects.update_or_create(contact=contact, defaults={"decided_by": decided_by})


def forward_late_answers(contact: Contact, worker: User, *, by: User, at: datetime) -> int:
    """When an outcome names the allocated social worker, the answers that came after the checks
    went for decision go to them too (000: "forwarded to the allocated social worker"), and so do
    later ones. Called by the service that records the outcome, inside its transaction. Returns how
    many were forwarded."""
    LateAnswerRecipients.objects.update_or_create(contact=contact, defaults={"allocated_worker": worker})
    late = [
        request
        for checks in contact.mash_checks.filter(state=ChecksState.SUBMITTED).prefetch_related("requests")
        for request in checks.late_requests()
    ]
    for request in late:
        _alert_late_answer(request, {worker}, by=by, at=at)
    return len(late)
