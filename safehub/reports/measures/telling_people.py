"""Telling people in time (002 §12: the outcome shared "with the person making contact with the MASH,
within 48 hours"; 002 §5–6: a consultation's summary "within 48 hours"; 003 App. 4 §10: one working day).
The figures are the telling people report's (reports.indicators.telling_people), for the clocks started
in the period (the outcome actioned, the consultation given), added up over its months: referrers told
the outcome in time, late, or not told and past the time; consultation summaries sent in time, late, or
not sent and past the time. Something still in time is not counted. That report counts the whole hub, so
the filters do not narrow this tile."""

from __future__ import annotations

from safehub.reports.indicators import telling_people as telling
from safehub.reports.measures import Measure
from safehub.reports.measures.checks_by_agency import not_filtered
from safehub.reports.measures.scope import Scope
from safehub.reports.measures.tiles import Figure, Rate, Row, Table, Tile, rate_bars, rate_of, share

STEPS = [
    ("Referrer told the outcome", "told_on_time", "told_late", "not_told"),
    ("Consultation summary sent", "summaries_on_time", "summaries_late", "summaries_not_sent"),
]


def counted(scope: Scope) -> dict[str, int]:
    found: dict[str, int] = dict.fromkeys(telling.MEASURES, 0)
    parts = frozenset({telling.Part.OUTCOMES, telling.Part.SUMMARIES})
    for row in telling.figures(at=scope.at, since=scope.start, until=scope.end, parts=parts):
        for name, n in row.counts.items():
            found[name] += n
    return found


def telling_people(scope: Scope) -> Tile:
    c = counted(scope)
    lines: list[tuple[str, int, int, int, Rate]] = [
        (label, c[good], c[late], c[missed], rate_of(c[good], c[good] + c[late] + c[missed]))
        for label, good, late, missed in STEPS
    ]
    told = lines[0][4]
    return Tile(
        slug=MEASURE.slug,
        heading="Telling people in time",
        summary=(
            (
                f"{share(told, 'referrer', 'referrers')} told the outcome within the protocol's time"
                if told.whole
                else "No referrer was due to be told an outcome in the period"
            )
            + (
                f"; {share(lines[1][4], 'consultation summary', 'consultation summaries')} sent in time."
                if lines[1][4].whole
                else "; no consultation summary was due."
            )
        ),
        figures=(
            Figure(
                Table(
                    "in-time",
                    "Referrers told the outcome, and consultation summaries, against the protocol's time",
                    ("Who was told", "In time", "Late", "Not yet, overdue", "Rate in time"),
                    tuple(Row(label, (good, late, missed, rate)) for label, good, late, missed, rate in lines),
                ),
                rate_bars(
                    "Telling people in time",
                    "The share of referrers told the outcome and of consultation summaries sent in time.",
                    [(label, rate) for label, *_, rate in lines],
                ),
            ),
        ),
        notes=not_filtered(scope, "telling people report"),
    )


MEASURE = Measure(slug="telling-people", title="Telling people in time", order=160, compute=telling_people)
