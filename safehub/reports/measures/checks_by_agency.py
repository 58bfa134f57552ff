"""MASH checks answered in time, by agency (002 §13: "other MASH checks must be completed within 1
working day"; 000: "Same day responses are required from partners"). The figures are the MASH checks
timeliness report's (reports.indicators.checks_timeliness), for the requests sent in the period, added up
over its months: per agency, the requests, those answered by their due time, those answered late, and
those not answered and already overdue. The rate on time is of the requests whose timeliness is known.
That report counts every team's requests, so the filters do not narrow this tile."""

from __future__ import annotations

from collections import defaultdict

from safehub.core.presenters import how_many
from safehub.reports.indicators import checks_timeliness
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope
from safehub.reports.measures.tiles import Figure, Rate, Row, Table, Tile, rate_bars, rate_of

NAMES = ("requests", "answered_on_time", "answered_late", "outstanding_overdue")


def not_filtered(scope: Scope, report: str) -> tuple[str, ...]:
    """The note a tile of an existing report carries when filters are chosen: it counts everything."""
    return (
        (f"Not narrowed by team, source or rating: the {report} counts the whole hub.",) if scope.filters.in_use else ()
    )


def per_agency(scope: Scope) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(NAMES, 0))
    for row in checks_timeliness.timeliness(since=scope.start, until=scope.end, now=scope.at):
        for name in NAMES:
            found[row.agency][name] += getattr(row, name)
    return dict(sorted(found.items()))


def on_time(counts: dict[str, int]) -> Rate:
    known = counts["answered_on_time"] + counts["answered_late"] + counts["outstanding_overdue"]
    return rate_of(counts["answered_on_time"], known)


def _still_in_time(waiting: int) -> str:
    """The requests sent in the period that are neither answered nor yet due, not counted in the rate."""
    if not waiting:
        return ""
    verb = "is" if waiting == 1 else "are"
    return f" {how_many(waiting, 'more request', 'more requests')} sent in the period {verb} not answered and still within time."


def checks_by_agency(scope: Scope) -> Tile:
    agencies = per_agency(scope)
    total = {name: sum(c[name] for c in agencies.values()) for name in NAMES}
    overall = on_time(total)
    return Tile(
        slug=MEASURE.slug,
        heading="MASH checks answered in time",
        summary=(
            (
                f"Partner agencies answered {overall.part:,} of {how_many(overall.whole, 'MASH check request', 'MASH check requests')}"
                f" ({overall.percent}) by their due time."
                if overall.whole
                else "No MASH check requests were due in the period."
            )
            + _still_in_time(total["requests"] - overall.whole)
        ),
        figures=(
            Figure(
                Table(
                    "by-agency",
                    "MASH check requests sent in the period, by agency",
                    ("Agency", "Requests", "Answered on time", "Answered late", "Not answered, overdue", "On time"),
                    tuple(Row(agency, (*(c[name] for name in NAMES), on_time(c))) for agency, c in agencies.items()),
                ),
                rate_bars(
                    "MASH checks answered on time, by agency",
                    f"The share of each agency's requests answered by their due time: {overall.text} in all.",
                    [(agency, on_time(c)) for agency, c in agencies.items()],
                ),
            ),
        ),
        notes=not_filtered(scope, "MASH checks timeliness report"),
    )


MEASURE = Measure(slug="checks-by-agency", title="MASH checks answered in time", order=140, compute=checks_by_agency)
