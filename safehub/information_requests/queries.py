"""Reading information requests: one through its audited door, the work lists, and the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.core.queries import by_pk
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.workflow import RequestState


def _read(pk: int, purpose: str, person_id: int | None) -> Read:
    return Read(Verb.INFORMATION_REQUEST_VIEWED, "information-request", pk, purpose, person_id=person_id)


def get_information_request_for(user: User, pk: int, *, purpose: str) -> InformationRequest:
    """The request, if `user` may see requests, its read recorded; otherwise 404, the refusal recorded."""
    found = by_pk(
        InformationRequest.objects.visible_to(user).select_related(
            "person", "agency", "recorded_by", "answered_by", "approved_by"
        ),
        pk,
    )
    if found is None:
        note_refusal(user, _read(pk, purpose, None))
        raise Http404("No information request found")
    note_read(user, _read(found.pk, purpose, found.person_id))
    return found


def waiting(user: User, *, states: tuple[RequestState, ...]) -> QuerySet[InformationRequest]:
    """The requests in `states` that `user` may see, soonest due first."""
    return (
        InformationRequest.objects.visible_to(user)
        .filter(state__in=[state.value for state in states])
        .select_related("person", "answered_by")
        .order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class RegisterSearch:
    level: int | None = None
    state: str = ""
    start: date | None = None
    end: date | None = None
    nothing: bool = False  # a search with errors finds nothing until it is corrected


def register(user: User, search: RegisterSearch) -> QuerySet[InformationRequest]:
    """Every request `search` asks for, newest first: the DPO's register (issue 14)."""
    rows = InformationRequest.objects.visible_to(user).select_related("person", "agency", "answered_by")
    if search.nothing:
        return rows.none()
    if search.level is not None:
        rows = rows.filter(level=search.level)
    if search.state:
        rows = rows.filter(state=search.state)
    if search.start is not None:
        rows = rows.filter(received_at__date__gte=search.start)
    if search.end is not None:
        rows = rows.filter(received_at__date__lte=search.end)
    return rows.order_by("-received_at", "-pk")
