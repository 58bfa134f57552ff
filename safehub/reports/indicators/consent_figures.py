"""Consent and sharing without it, by month (issue 14: an override is "counted in the figures"; 002
§18–19 and §27): the answers recorded, given and refused; young people's competence assessed; the
requests to share without consent and what became of them; contacts paused for the referrer to seek
consent; and the hub's decisions not to share. Each is counted by the London month it happened in,
from the records themselves, never from a copy."""

from __future__ import annotations

from datetime import datetime

from safehub.consent.models import (
    CompetenceAssessment,
    ConsentAnswer,
    ConsentOverride,
    ConsentRecord,
    OverrideStateChange,
)
from safehub.consent.workflow import OverrideEvent
from safehub.contacts.models import StateChange
from safehub.contacts.workflow import Event
from safehub.reports.indicators import months
from safehub.sharing.models import Disclosure

HEADER = (
    "month",
    "consent_given",
    "consent_refused",
    "competent",
    "not_competent",
    "overrides_asked",
    "overrides_agreed",
    "overrides_declined",
    "overrides_withdrawn",
    "paused_for_consent",
    "resumed_after_consent",
    "decisions_not_to_share",
)


class MonthRow(months.MonthRow):
    @property
    def agreed_percent(self) -> str:
        """Of the requests to share without consent decided that month, the share agreed."""
        decided = self.counts["overrides_agreed"] + self.counts["overrides_declined"]
        return f"{self.counts['overrides_agreed'] / decided:.0%}" if decided else "–"


def figures(*, since: datetime | None = None) -> list[MonthRow]:
    """Each month with anything to count, the latest first."""
    found = months.Months(HEADER[1:])
    count = found.count

    def after(name: str) -> dict[str, datetime]:
        return {f"{name}__gte": since} if since is not None else {}

    answers = ConsentRecord.objects.filter(**after("recorded_at")).values_list("recorded_at", "answer")
    count((at, "consent_given" if answer == ConsentAnswer.GIVEN else "consent_refused") for at, answer in answers)
    assessed = CompetenceAssessment.objects.filter(**after("recorded_at")).values_list("recorded_at", "competent")
    count((at, "competent" if competent else "not_competent") for at, competent in assessed)
    asked = ConsentOverride.objects.filter(**after("asked_at")).values_list("asked_at", flat=True)
    count((at, "overrides_asked") for at in asked)
    moves = {OverrideEvent.AGREE: "overrides_agreed", OverrideEvent.DECLINE: "overrides_declined"}
    moves[OverrideEvent.WITHDRAW] = "overrides_withdrawn"
    decided = OverrideStateChange.objects.filter(**after("at")).values_list("at", "event")
    count((at, moves[OverrideEvent(event)]) for at, event in decided)
    paused = {Event.PAUSE_FOR_CONSENT: "paused_for_consent", Event.RESUME_AFTER_CONSENT: "resumed_after_consent"}
    waits = StateChange.objects.filter(event__in=list(paused), **after("at")).values_list("at", "event")
    count((at, paused[Event(event)]) for at, event in waits)
    declined = Disclosure.objects.filter(shared=False, **after("disclosed_at")).values_list("disclosed_at", flat=True)
    count((at, "decisions_not_to_share") for at in declined)
    return [MonthRow(row.month, row.counts) for row in found.latest_first()]


def as_csv(rows: list[MonthRow]) -> str:
    return months.as_csv(HEADER[1:], rows)
