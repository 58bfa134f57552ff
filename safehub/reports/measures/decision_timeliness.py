"""Threshold decisions in time (000: "a clear decision within 24 hours"; 002 §9–10: "Within 24 hours"; 004
§6: a child protection concern progressed "within a maximum of 2 hours"; 004 §5, §7: a manager approves
every recommendation). Of the contacts received in the period that pass the filters (by the London day
each was received): those whose manager's approval (`decisions.Decision`, approved) came by the time the
approval queue showed it due (protocols.policy.Deadlines.approval_due: the approval's own clock from the
recommendation approved, or the overall decision clock from receipt when that is sooner, at the
recommendation's rating); those approved later; and those still waiting for a recommendation or an
approval (not paused for consent) and already past the due time the queue shows
(`Contact.current_due_at`). A contact closed at screening has no threshold decision and is not counted.
The rate in time is of those whose timeliness is known."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Count

from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Decision, Verdict
from safehub.protocols.models import Clock
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.reports.measures import Measure
from safehub.reports.measures.clocks import EpochMs, InTime, clock_key, timeliness_tile
from safehub.reports.measures.scope import Scope, as_day, bucket, by_bucket, received
from safehub.reports.measures.screening_timeliness import NAMES
from safehub.reports.measures.tiles import Tile

WAITING = [ContactState.AWAITING_THRESHOLD.value, ContactState.MASH_CHECKS.value, ContactState.AWAITING_APPROVAL.value]


def decisions_counted(scope: Scope, deadlines: Deadlines | None = None) -> dict[date, dict[str, int]]:
    deadlines = deadlines or Deadlines(active_protocol())
    period = scope.period
    contacts = received(scope)
    waiting = (
        contacts.filter(state__in=WAITING, current_due_at__lt=scope.at)
        .values(bucket=bucket("received_at", period))
        .annotate(overdue=Count("pk"))
    )
    found = by_bucket(waiting, period, NAMES)
    clocks: dict[str, InTime] = {}

    def clock(rating: str) -> InTime:
        if rating not in clocks:

            def due(received_at: datetime, recommended_at: datetime) -> datetime | None:
                return deadlines.approval_due(received_at=received_at, recommended_at=recommended_at, rating=rating)

            clocks[rating] = InTime(due, key=clock_key(deadlines, [(Clock.APPROVAL, rating), (Clock.DECISION, rating)]))
        return clocks[rating]

    approved = (
        Decision.objects.filter(verdict=Verdict.APPROVED, contact__in=contacts.values("pk"))
        .order_by()
        .values_list(
            bucket("contact__received_at", period),
            EpochMs("contact__received_at"),
            EpochMs("recommendation__recommended_at"),
            "recommendation__rating",
            EpochMs("decided_at"),
        )
    )
    tally: dict[tuple[int, bool], int] = defaultdict(int)
    for day, received_at, recommended_at, rating, decided_at in approved.iterator(chunk_size=10000):
        in_time = clock(rating).done_in_time_ms(decided_at, received_at, recommended_at)
        if in_time is not None:
            tally[(day, in_time)] += 1
    for (day, in_time), n in tally.items():
        found.setdefault(as_day(day, period), dict.fromkeys(NAMES, 0))["in_time" if in_time else "late"] += n
    return found


def decision_timeliness(scope: Scope) -> Tile:
    return timeliness_tile(
        scope.period,
        decisions_counted(scope),
        slug=MEASURE.slug,
        heading="Threshold decisions in time",
        counted=("threshold decision", "threshold decisions"),
        done="approved within the local protocol's time",
        nothing="No contact received in the period has had its threshold decision or is overdue.",
        caption="Approved decisions against the protocol's time, by the {grain} contacts were received",
        columns=("Approved in time", "Approved late", "Not decided, overdue"),
        chart="Threshold decisions in time",
        described="The share of each {grain}'s decisions approved in time: {rate.text} in all.",
        note="A contact still within its time is not counted until it is decided or its time passes.",
    )


MEASURE = Measure(
    slug="decision-timeliness", title="Threshold decisions in time", order=130, compute=decision_timeliness
)
