"""The rows a year of MASH checks leaves behind, made for bulk inserts (the benchmarks' `checks_data`,
`synthetic.year`): when each agency answered, the disclosure each request made, the responses and the
alerts."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from safehub.accounts.models import Agency, User
from safehub.checks.models import (
    AgencyRequest,
    AgencyResponse,
    Alert,
    AlertKind,
    ChecksState,
    MashChecks,
    RequestState,
    ResponseStatus,
)
from safehub.checks.services import PURPOSE, REQUEST_CATEGORIES
from safehub.contacts.models import ConsentPosition, SubjectRole
from safehub.protocols.models import Brag
from safehub.sharing.exits import Exit
from safehub.sharing.models import Disclosure, origin_label
from safehub.sharing.vocabulary import statement

QUESTIONS = "Is the family known to you? Any concerns about the children or the adults?"


def agency_request(
    checks: MashChecks, agency: Agency, subjects: list[dict[str, Any]], *, due: datetime, answered: datetime | None
) -> AgencyRequest:
    """A request sent when the checks started, answered at `answered` (None: still waiting)."""
    return AgencyRequest(
        checks_id=checks.pk,
        agency=agency,
        questions=QUESTIONS,
        subjects=subjects,
        due_at=due,
        sent_at=checks.started_at,
        state=RequestState.ANSWERED if answered else RequestState.SENT,
        answered_at=answered,
        version=1 if answered else 0,
    )


def request_subject(subject: dict[str, Any]) -> dict[str, Any]:
    """A subject as an agency request names them."""
    return {
        "name": f"{subject['given_name']} {subject['family_name']}",
        "role": SubjectRole(subject["role"]).label,
        "date_of_birth": subject["date_of_birth"].isoformat(),
        "expected_date_of_delivery": "",
        "address": subject["address"],
        "postcode": subject["postcode"],
        "nhs_number": "",
    }


def spread(total: int, buckets: int, most: int, rng: random.Random) -> list[int]:
    """`total` extra agencies over `buckets` sets of checks, at most `most` each."""
    counts = [total // buckets] * buckets
    for index in rng.sample(range(buckets), total % buckets):
        counts[index] += 1
    if max(counts) > most:
        raise ValueError("Too many requests for the number of checks")
    return counts


def answered_at(rng: random.Random, checks: MashChecks, due: datetime, *, now: datetime) -> datetime | None:
    """Most answers come before the due time, one in ten late, one in 200 never (for old checks)."""
    start = checks.started_at
    if checks.state == ChecksState.OPEN and rng.random() < 0.5:
        return None
    if checks.state == ChecksState.SUBMITTED and rng.random() < 0.005:
        return None
    span = max((due - start).total_seconds(), 600.0)
    late = rng.random() < 0.1
    answered = start + timedelta(seconds=rng.uniform(0.1, 1.0 if not late else 2.5) * span)
    return min(answered, now - timedelta(minutes=1))


def disclosures_for(
    requests: Sequence[AgencyRequest], checks: dict[int, MashChecks], *, contacts_by_checks: dict[int, int]
) -> Iterator[Disclosure]:
    contact_of = {pk: contact for contact, pk in contacts_by_checks.items()}
    for request in requests:
        row = checks[request.checks_id]
        yield Disclosure(
            origin=origin_label(request),
            origin_id=request.pk,
            contact_id=contact_of[request.checks_id],
            agency=request.agency,
            disclosed_by_id=row.started_by_id,
            disclosed_at=request.sent_at,
            purpose=PURPOSE,
            route=Exit.CHECK_REQUEST,
            bases=row.bases,
            lawful_basis=statement(row.bases),
            categories=sorted(category.value for category in REQUEST_CATEGORIES),
            consent_position=ConsentPosition.GIVEN.label,
            content={
                "subjects": request.subjects,
                "reason": row.reason,
                "risk": Brag(row.rating).label,
                "consent": ConsentPosition.GIVEN.label,
                "questions": request.questions,
                "respond_by": request.due_at.isoformat(),
            },
        )


def responses_to(
    requests: Sequence[AgencyRequest], partners: Mapping[str, Sequence[User]], rng: random.Random
) -> Iterator[AgencyResponse]:
    for request in requests:
        if request.answered_at is None:
            continue
        nothing = rng.random() < 0.6
        yield AgencyResponse(
            request_id=request.pk,
            status=ResponseStatus.SUBMITTED,
            nothing_known=nothing,
            information="" if nothing else "Known to the agency: two incidents at the address this year.",
            analysis="" if nothing else "Suggests a pattern of escalating risk to the child.",
            sources_searched="The agency's case records",
            author=rng.choice(partners[request.agency.kind]),
            created_at=request.answered_at,
            submitted_at=request.answered_at,
        )


def alerts_for(
    requests: Sequence[AgencyRequest],
    checks: dict[int, MashChecks],
    partners: Mapping[str, Sequence[User]],
    *,
    now: datetime,
) -> Iterator[Alert]:
    """The reminders and escalations a year of work leaves behind, all sent, as the worker makes them."""
    for request in requests:
        answered = request.answered_at
        reminded = request.due_at - timedelta(hours=1)
        if reminded > now or (answered is not None and answered <= reminded):
            continue
        agency_partners = partners[request.agency.kind]
        for user in agency_partners:
            yield Alert(
                request_id=request.pk, kind=AlertKind.REMINDER, recipient=user, created_at=reminded, sent_at=reminded
            )
        if request.due_at <= now and (answered is None or answered > request.due_at):
            for user_id in {checks[request.checks_id].coordinator_id, *(p.pk for p in agency_partners)}:
                yield Alert(
                    request_id=request.pk,
                    kind=AlertKind.BREACH,
                    recipient_id=user_id,
                    created_at=request.due_at,
                    sent_at=request.due_at,
                    read_at=answered,
                )
