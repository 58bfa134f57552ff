"""Strategy discussions (004 §9: "Strategy Discussions ... Avg Per Week"; 001 table d counts "strat
discussions"). A strategy discussion is one `strategy.StrategyDiscussion`, counted on the London day it was
started (`started_at`) in the period: started, of which cancelled, and held (its record kept: held, or
its record sent). The team filter is the discussion's team; the source and rating filters are its
contact's, so a discussion started from a child's record with no contact is counted only when neither
is chosen. Whether each was held in time is the strategy timeliness tile's."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from safehub.core.presenters import how_many
from safehub.reports.measures import Measure
from safehub.reports.measures.contacts_received import per_week
from safehub.reports.measures.scope import Filters, Scope, bucket, by_bucket, of_contacts, within
from safehub.reports.measures.tiles import Figure, Row, Table, Tile, count_bars
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.workflow import DiscussionState

HELD = (DiscussionState.HELD.value, DiscussionState.RECORD_SENT.value)


def discussions_started(scope: Scope) -> QuerySet[StrategyDiscussion]:
    found = StrategyDiscussion.objects.order_by().filter(within("started_at", scope))
    filters = scope.filters
    if filters.team:
        found = found.filter(team_id=filters.team)
    # The discussion's own team above; its contact's source and rating here.
    return of_contacts(found, Filters(source=filters.source, rating=filters.rating))


def strategy_discussions(scope: Scope) -> Tile:
    period = scope.period
    rows = (
        discussions_started(scope)
        .values(bucket=bucket("started_at", period))
        .annotate(
            started=Count("pk"),
            cancelled=Count("pk", filter=Q(state=DiscussionState.CANCELLED.value)),
            held=Count("pk", filter=Q(state__in=HELD)),
        )
    )
    days = by_bucket(rows, period, ["started", "cancelled", "held"])
    total = {name: sum(c[name] for c in days.values()) for name in ("started", "cancelled", "held")}
    over_time = [(period.bucket_label(day), c["started"]) for day, c in days.items()]
    return Tile(
        slug=MEASURE.slug,
        heading="Strategy discussions",
        summary=(
            f"{how_many(total['started'], 'strategy discussion was', 'strategy discussions were')} started"
            f"{per_week(total['started'], scope)}; {how_many(total['held'], 'has', 'have')} been held and"
            f" {how_many(total['cancelled'], 'was', 'were')} cancelled."
            if total["started"]
            else "No strategy discussions were started in the period."
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Strategy discussions, by the {period.grain_noun.lower()} they were started",
                    (period.grain_noun, "Started", "Held", "Cancelled"),
                    tuple(
                        Row(period.bucket_label(day), (c["started"], c["held"], c["cancelled"]))
                        for day, c in days.items()
                    ),
                ),
                count_bars(
                    "Strategy discussions started",
                    f"Strategy discussions started each {period.grain_noun.lower()}: {total['started']:,} in all.",
                    over_time,
                ),
            ),
        ),
    )


MEASURE = Measure(slug="strategy-discussions", title="Strategy discussions", order=50, compute=strategy_discussions)
