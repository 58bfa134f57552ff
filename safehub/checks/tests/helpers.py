"""Steps the MASH checks tests take again and again, through the real services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from safehub.accounts.models import Agency, User
from safehub.checks import answers, services
from safehub.checks.models import AgencyRequest, AgencyResponse, MashChecks
from safehub.contacts.models import Contact
from safehub.protocols.models import Brag
from safehub.sharing.vocabulary import Condition

LEFT_OUT_REASON = "The others hold nothing on this family: checked by phone"


def start_checks(
    contact: Contact,
    *,
    by: User,
    coordinator: User,
    agencies: Sequence[Agency],
    at: datetime,
    rating: Brag = Brag.AMBER,
) -> MashChecks:
    """A manager starts checks on `contact`, asking `agencies` whether the family is known (and
    saying why, if they leave out one of the protocol's always-checked agencies)."""
    return services.start_checks(
        contact,
        services.StartChecks(
            reason="Unclear risk",
            rating=rating,
            coordinator=coordinator,
            agencies=list(agencies),
            questions="Is the family known to you?",
            bases=services.DEFAULT_BASES,
            left_out_reason=LEFT_OUT_REASON,
        ),
        by=by,
        at=at,
        version=contact.version,
    )


def submit_answer(request: AgencyRequest, *, by: User, at: datetime, **answer: Any) -> AgencyResponse:
    """The agency submits its answer: "nothing known, searched Niche" unless `answer` says more."""
    fields = {"nothing_known": True, "sources_searched": "Niche", **answer}
    if fields.get("handling_restriction") and "conditions" not in fields:
        fields["conditions"] = (Condition.NO_ONWARD,)  # a restriction in words alone is kept as this
    if fields.get("information"):
        fields["nothing_known"] = False
    return answers.save_response(request, answers.Answer(**fields), by=by, at=at, submit=True, version=request.version)
