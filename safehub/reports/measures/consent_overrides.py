"""Sharing without consent (002 §18–19 and §27; issue 14: an override is "counted in the figures"). The
requests to share without consent (`consent.ConsentOverride`) asked in the period (by the London day of
`asked_at`), on contacts that pass the filters, by what became of each: agreed, declined, withdrawn or
still waiting for a decision. The rate agreed is of those decided (agreed or declined). The consent
figures report counts the same decisions by the month each was made; this counts the requests."""

from __future__ import annotations

from django.db.models import Count, Q

from safehub.consent.models import ConsentOverride
from safehub.consent.workflow import OverrideState
from safehub.core.presenters import how_many
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, bucket, by_bucket, of_contacts, within
from safehub.reports.measures.tiles import Figure, Row, Table, Tile, count_bars, rate_of, share

STATES = [OverrideState.AGREED, OverrideState.DECLINED, OverrideState.WITHDRAWN, OverrideState.ASKED]
LABELS = {
    OverrideState.AGREED: "Agreed",
    OverrideState.DECLINED: "Declined",
    OverrideState.WITHDRAWN: "Withdrawn",
    OverrideState.ASKED: "Waiting for a decision",
}


def consent_overrides(scope: Scope) -> Tile:
    period = scope.period
    names = [state.value for state in STATES]
    rows = (
        of_contacts(ConsentOverride.objects.filter(within("asked_at", scope)), scope.filters)
        .values(bucket=bucket("asked_at", period))
        .annotate(requests=Count("pk"), **{state.value: Count("pk", filter=Q(state=state.value)) for state in STATES})
    )
    days = by_bucket(rows, period, ["requests", *names])
    total = {name: sum(c[name] for c in days.values()) for name in ["requests", *names]}
    agreed = rate_of(total[OverrideState.AGREED], total[OverrideState.AGREED] + total[OverrideState.DECLINED])
    return Tile(
        slug=MEASURE.slug,
        heading="Sharing without consent",
        summary=(
            f"{how_many(total['requests'], 'request', 'requests')} to share without consent"
            f" {'was' if total['requests'] == 1 else 'were'} made; "
            + (
                f"of those decided, {share(agreed, 'request', 'requests')} agreed."
                if agreed.whole
                else "none has been decided yet."
            )
            if total["requests"]
            else "No requests to share without consent were made in the period."
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Requests to share without consent, by the {period.grain_noun.lower()} they were asked",
                    (period.grain_noun, "Asked", *(LABELS[state] for state in STATES), "Agreed, of those decided"),
                    tuple(
                        Row(
                            period.bucket_label(day),
                            (
                                c["requests"],
                                *(c[name] for name in names),
                                rate_of(c[OverrideState.AGREED], c[OverrideState.AGREED] + c[OverrideState.DECLINED]),
                            ),
                        )
                        for day, c in days.items()
                    ),
                ),
                count_bars(
                    "What became of the requests",
                    f"The {total['requests']:,} requests to share without consent, by what became of them.",
                    [(LABELS[state], total[state.value]) for state in STATES],
                ),
            ),
        ),
    )


MEASURE = Measure(slug="consent-overrides", title="Sharing without consent", order=90, compute=consent_overrides)
