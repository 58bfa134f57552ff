"""Strategy discussions held in time, their records, and initial child protection conferences (000:
"Timeliness and partner participation of strategy meetings is monitored as part of the ongoing
performance data"; Working Together: a conference within 15 working days of the strategy discussion).
The figures are the strategy timeliness report's (reports.indicators.strategy_timeliness), for the
discussions started in the period, added up over its months: held in time (of those held, or not held
and overdue), records sent to those who took part in time, and conferences within 15 working days of
the enquiry's start. That report counts every team's discussions, so the filters do not narrow this tile."""

from __future__ import annotations

from safehub.core.presenters import how_many
from safehub.reports.indicators import strategy_timeliness
from safehub.reports.measures import Measure
from safehub.reports.measures.checks_by_agency import not_filtered
from safehub.reports.measures.scope import Scope
from safehub.reports.measures.tiles import Figure, Rate, Row, Table, Tile, rate_bars, rate_of, share


def counted(scope: Scope) -> dict[str, int]:
    found: dict[str, int] = dict.fromkeys(strategy_timeliness.MONTH_HEADER[1:], 0)
    for row in strategy_timeliness.report(since=scope.start, until=scope.end, now=scope.at, attendance=False).months:
        for name, n in row.counts.items():
            found[name] += n
    return found


def strategy_and_conferences(scope: Scope) -> Tile:
    c = counted(scope)
    lines: list[tuple[str, Rate, int]] = [
        (
            "Held in time",
            rate_of(c["held_in_time"], c["held_in_time"] + c["held_late"] + c["not_held_overdue"]),
            c["held_late"] + c["not_held_overdue"],
        ),
        (
            "Record sent in time",
            rate_of(c["records_sent_in_time"], c["records_sent_in_time"] + c["records_late"]),
            c["records_late"],
        ),
        (
            "Conference within 15 working days",
            rate_of(c["conferences_in_time"], c["conferences_in_time"] + c["conferences_late"]),
            c["conferences_late"],
        ),
    ]
    held = lines[0][1]
    return Tile(
        slug=MEASURE.slug,
        heading="Strategy discussions and conferences in time",
        summary=(
            (
                f"{share(held, 'strategy discussion', 'strategy discussions')} held within the protocol's time"
                if held.whole
                else "No strategy discussion was held or overdue in the period"
            )
            + f"; {how_many(c['enquiries_started'], 'section 47 enquiry was', 'section 47 enquiries were')} started."
        ),
        figures=(
            Figure(
                Table(
                    "timeliness",
                    "Strategy discussions started in the period: each step against its time",
                    ("Step", "In time", "Late or overdue", "Rate in time"),
                    tuple(Row(label, (rate.part, late, rate)) for label, rate, late in lines),
                ),
                rate_bars(
                    "Strategy discussions and conferences in time",
                    "The share of strategy discussions held in time, records sent in time and conferences within 15"
                    " working days.",
                    [(label, rate) for label, rate, _ in lines],
                ),
            ),
        ),
        notes=not_filtered(scope, "strategy timeliness report"),
    )


MEASURE = Measure(
    slug="strategy-timeliness",
    title="Strategy discussions and conferences in time",
    order=150,
    compute=strategy_and_conferences,
)
