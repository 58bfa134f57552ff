"""Who read which child's record, and who was refused one.

Every `get_<noun>_for(user, pk, *, purpose)` notes the read here. Inside a web request the read
is held until the response is known, so that what is recorded is what the user was shown:

- a page (2xx, or 409 for a stale form shown again) records one read per record it showed,
  however many times the view fetched it;
- a refusal (403 or 404) records who tried which record, so that probing shows in the trail;
- a redirect records nothing: a POST that redirects wrote its own audit event, and the page it
  redirects to records the read. A POST and its redirect are one read, not two.

Outside a request (a management command, a test calling a query directly) a read is recorded at
once. See docs/adr/0008-access-predicates-and-audited-fetch.md.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from safehub.audit.models import Verb
from safehub.audit.services import record

if TYPE_CHECKING:
    from safehub.accounts.models import User

# Pages shown again with a message that the record moved on still show the record.
SHOWN = frozenset({HTTPStatus.CONFLICT})
REFUSED = frozenset({HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND})


@dataclass(frozen=True)
class Read:
    """One record of a child's that a page shows (or would have shown)."""

    verb: Verb
    record: str  # what was read: "contact", "person", "mash-checks", "agency-request", "consultation"…
    record_id: int
    purpose: str  # the page or export that shows it
    contact_id: int | None = None
    person_id: int | None = None
    restricted: bool = False  # a restricted contact: its reads are marked for the DPO (STYLE §4.9)

    def data(self) -> dict[str, object]:
        return {"page": self.purpose, "record": self.record, "id": self.record_id}

    def read_data(self) -> dict[str, object]:
        return {"page": self.purpose, "restricted": True} if self.restricted else {"page": self.purpose}


@dataclass
class _Ledger:
    user: User | None = None
    reads: list[Read] = field(default_factory=list)
    refusals: list[Read] = field(default_factory=list)


_ledger: ContextVar[_Ledger | None] = ContextVar("safehub_read_ledger", default=None)


def note_read(user: User, read: Read) -> None:
    """`user` is shown `read` (called by the audited fetches, never by views)."""
    ledger = _ledger.get()
    if ledger is None:
        _write_reads(user, [read])
        return
    ledger.user = user
    if read not in ledger.reads:
        ledger.reads.append(read)


def note_refusal(user: User, read: Read) -> None:
    """`user` asked for `read` and may not see it (called just before the 404 is raised)."""
    ledger = _ledger.get()
    if ledger is None:
        _write_refusals(user, [read], status=HTTPStatus.NOT_FOUND)
        return
    ledger.user = user
    if read not in ledger.refusals:
        ledger.refusals.append(read)


def _write_reads(user: User, reads: list[Read]) -> None:
    with transaction.atomic():
        for read in reads:
            record(read.verb, by=user, contact_id=read.contact_id, person_id=read.person_id, data=read.read_data())


def _write_refusals(user: User, reads: list[Read], *, status: int) -> None:
    with transaction.atomic():
        for read in reads:
            record(
                Verb.READ_REFUSED,
                by=user,
                contact_id=read.contact_id,
                person_id=read.person_id,
                data={**read.data(), "status": status},
            )


def settle(ledger: _Ledger, *, status: int) -> None:
    """Record what the response showed or refused (see the module docstring)."""
    if ledger.user is None:
        return
    if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES or status in SHOWN:
        if ledger.reads:
            _write_reads(ledger.user, ledger.reads)
    elif status in REFUSED:
        refused = ledger.refusals + [read for read in ledger.reads if read not in ledger.refusals]
        if refused:
            _write_refusals(ledger.user, refused, status=status)


class ReadAuditMiddleware:
    """Holds the reads a request notes and records them once its response is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ledger = _Ledger()
        token = _ledger.set(ledger)
        try:
            response = self.get_response(request)
        finally:
            _ledger.reset(token)
        settle(ledger, status=response.status_code)
        return response
