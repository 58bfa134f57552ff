from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safehub.checks.models import AgencyRequest, AgencyResponse, MashChecks, RequestState, ResponseStatus
from safehub.core.presenters import Due, due


@dataclass(frozen=True)
class RequestRow:
    request: AgencyRequest
    due: Due | None
    current: AgencyResponse | None  # the latest submitted response, corrections included
    history: list[AgencyResponse]  # earlier, superseded responses
    late: bool  # answered after its due time, or after the checks were submitted

    @property
    def withdrawn(self) -> bool:
        return self.request.state == RequestState.WITHDRAWN

    @property
    def status(self) -> str:
        if self.withdrawn:
            return "Withdrawn"
        if self.current is None:
            return "Outstanding"
        return "Nothing known" if self.current.nothing_known else "Information held"


def request_rows(checks: MashChecks, *, at: datetime) -> list[RequestRow]:
    rows = []
    for request in checks.requests.all():
        submitted = [r for r in request.responses.all() if r.status == ResponseStatus.SUBMITTED]
        current = submitted[-1] if submitted else None
        answered = request.answered_at
        late = answered is not None and (
            answered > request.due_at or (checks.submitted_at is not None and answered > checks.submitted_at)
        )
        rows.append(
            RequestRow(
                request,
                due(request.due_at, at=at) if request.state == RequestState.SENT else None,
                current,
                submitted[:-1],
                late,
            )
        )
    return rows
