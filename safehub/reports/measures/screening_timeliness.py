"""Basic screening in time (002 §2–3; DESIGN.md "Clocks": every step has a due time set by the rating and
the local protocol). Of the contacts received in the period that pass the filters (by the London day
each was received), those screened (`screening.Screening.screened_at`) by the time the active protocol's
screening clock set (Clock.SCREENING from receipt, at the rating the contact's clocks follow:
contacts.services.clock_rating, Red for a child who needs immediate protection, else the initial
rating), those screened later, and those not screened yet and already past the due time the queue shows
(`Contact.current_due_at`), which are late whatever happens next. A contact still within its time is not
counted yet. The rate in time is of those whose timeliness is known."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q

from safehub.contacts.models import Contact
from safehub.contacts.services import clock_rating
from safehub.contacts.workflow import ContactState
from safehub.protocols.models import Clock
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.reports.measures import Measure
from safehub.reports.measures.clocks import TIMELINESS, EpochMs, InTime, clock_key, timeliness_tile
from safehub.reports.measures.scope import Scope, as_day, bucket, by_bucket, received
from safehub.reports.measures.tiles import Tile

NAMES = TIMELINESS
WAITING = [ContactState.RECEIVED.value, ContactState.SCREENING.value]


def screening_counted(scope: Scope, deadlines: Deadlines | None = None) -> dict[date, dict[str, int]]:
    deadlines = deadlines or Deadlines(active_protocol())
    period = scope.period
    contacts = received(scope)
    waiting = (
        contacts.filter(state__in=WAITING, current_due_at__lt=scope.at)
        .values(bucket=bucket("received_at", period))
        .annotate(overdue=Count("pk"))
    )
    found = by_bucket(waiting, period, NAMES)
    by_rating: dict[str, InTime] = {}
    clocks: dict[tuple[str, str], InTime] = {}

    def clock(immediate: str, initial: str) -> InTime:
        if (immediate, initial) not in clocks:
            rating = clock_rating(Contact(immediate_protection=immediate, initial_rating=initial))
            if rating not in by_rating:
                key = clock_key(deadlines, [(Clock.SCREENING, rating)])
                by_rating[rating] = InTime(
                    lambda start: deadlines.due(Clock.SCREENING, start=start, rating=rating), key=key
                )
            clocks[(immediate, initial)] = by_rating[rating]
        return clocks[(immediate, initial)]

    # Plain numbers, not times: reading back a year's times with their zones took seconds.
    screened = contacts.filter(Q(screening__isnull=False)).values_list(
        bucket("received_at", period),
        EpochMs("received_at"),
        "immediate_protection",
        "initial_rating",
        EpochMs("screening__screened_at"),
    )
    tally: dict[tuple[int, bool], int] = defaultdict(int)
    for day, received_at, immediate, initial, screened_at in screened.iterator(chunk_size=10000):
        in_time = clock(immediate, initial).done_in_time_ms(screened_at, received_at)
        if in_time is not None:
            tally[(day, in_time)] += 1
    for (day, in_time), n in tally.items():
        found.setdefault(as_day(day, period), dict.fromkeys(NAMES, 0))["in_time" if in_time else "late"] += n
    return found


def screening_timeliness(scope: Scope) -> Tile:
    return timeliness_tile(
        scope.period,
        screening_counted(scope),
        slug=MEASURE.slug,
        heading="Screening in time",
        counted=("contact", "contacts"),
        done="screened within the local protocol's time",
        nothing="No contact received in the period has been screened or is overdue.",
        caption="Basic screening against the protocol's time, by the {grain} contacts were received",
        columns=("Screened in time", "Screened late", "Not screened, overdue"),
        chart="Screened in time",
        described="The share of each {grain}'s contacts screened in time: {rate.text} in all.",
        note="A contact still within its time is not counted until it is screened or its time passes.",
    )


MEASURE = Measure(slug="screening-timeliness", title="Screening in time", order=120, compute=screening_timeliness)
