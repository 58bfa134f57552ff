"""Assessments completed in timescale (001 table b, "% of family assessments completed within
timescale", per month): the child and family assessments authorised in the period (the casework
import's `Assessment.authorised_on`, a London day), and of them those authorised within 45 working days
of their start (Working Together to Safeguard Children: a decision within 45 working days; the DfE's
Children in Need statistics count the working days from the assessment's start to its authorisation),
England's bank holidays not counted. By the month (or week, or day) each was authorised.

With a filter chosen, only the assessments in episodes a Safehub referral started from a contact that
passes it: an episode imported from the case system has no contact to filter by."""

from __future__ import annotations

import bisect
from datetime import date, timedelta

from safehub.casework.models import Assessment
from safehub.core.working_time import is_working_day
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, filtered_contacts
from safehub.reports.measures.tiles import Figure, Row, Table, Tile, rate_bars, rate_of

TIMESCALE_WORKING_DAYS = 45


def working_days_between(first: date, last: date, *, index: dict[date, int]) -> int:
    """Working days after `first` up to and including `last` (0 when authorised the day it started)."""
    return index[last] - index[first]


def _working_day_index(first: date, last: date) -> dict[date, int]:
    """Each day from `first` to `last` and how many working days came on or before it."""
    index, count, day = {}, 0, first
    while day <= last:
        if is_working_day(day):
            count += 1
        index[day] = count
        day += timedelta(days=1)
    return index


def completed(scope: Scope) -> list[tuple[date, date]]:
    """(started, authorised) of each assessment authorised in the period that passes the filters."""
    period = scope.period
    found = Assessment.objects.filter(authorised_on__range=(period.first, period.last))
    if scope.filters.in_use:
        contacts = filtered_contacts(scope.filters).values("pk")
        found = found.filter(
            episode__referral_links__starts_episode=True, episode__referral_links__referral__contact__in=contacts
        )
    return list(found.order_by().values_list("started_on", "authorised_on"))  # type: ignore[arg-type]


def in_timescale(scope: Scope) -> dict[date, tuple[int, int]]:
    """{bucket: (authorised, of them within 45 working days)}."""
    rows = completed(scope)
    buckets = scope.period.buckets()
    found = dict.fromkeys(buckets, (0, 0))
    if not rows:
        return found
    index = _working_day_index(min(started for started, _ in rows), scope.period.last)
    for started, authorised in rows:
        bucket = buckets[max(bisect.bisect_right(buckets, authorised) - 1, 0)]
        done, on_time = found[bucket]
        quick = working_days_between(started, authorised, index=index) <= TIMESCALE_WORKING_DAYS
        found[bucket] = (done + 1, on_time + int(quick))
    return found


def assessments(scope: Scope) -> Tile:
    found = in_timescale(scope)
    period = scope.period
    done = sum(n for n, _ in found.values())
    on_time = sum(k for _, k in found.values())
    overall = rate_of(on_time, done)
    rates = [(period.bucket_label(day), rate_of(k, n)) for day, (n, k) in found.items()]
    return Tile(
        slug=MEASURE.slug,
        heading="Assessments completed in timescale",
        summary=(
            f"{done:,} {'assessment was' if done == 1 else 'assessments were'} completed; {overall.text} within"
            f" {TIMESCALE_WORKING_DAYS} working days."
            if done
            else "No assessment was completed in the period."
        ),
        figures=(
            Figure(
                Table(
                    "in-timescale",
                    f"Assessments completed, by {period.grain_noun.lower()}, and within 45 working days",
                    (period.grain_noun, "Completed", "Within 45 working days", "Rate"),
                    tuple(Row(period.bucket_label(day), (n, k, rate_of(k, n))) for day, (n, k) in found.items()),
                ),
                rate_bars(
                    "Assessments within 45 working days",
                    f"The share of each {period.grain_noun.lower()}'s completed assessments authorised within"
                    f" 45 working days of their start: {overall.text} in all.",
                    rates,
                ),
            ),
        ),
        notes=(
            "From the assessments imported from the case system (the page ‘Import assessments, enquiries and"
            " plans’): each is counted in the period it was authorised, from its start to its authorisation in"
            " working days.",
        ),
    )


MEASURE = Measure(slug="assessments", title="Assessments completed in timescale", order=45, compute=assessments)
