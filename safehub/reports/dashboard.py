"""The performance lead's dashboard (issue 16): every measure's tile for a period and filters.

`dashboard_figures(period, filters)` computes everything the page shows, and nothing else, so that it
can be timed on its own (a benchmark over a year of contacts)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from safehub.reports.measures import measures
from safehub.reports.measures.scope import Filters, Scope
from safehub.reports.measures.tiles import Tile
from safehub.reports.periods import Period


def dashboard_figures(period: Period, filters: Filters, *, at: datetime | None = None) -> list[Tile]:
    """Every measure's tile, in the dashboard's order."""
    scope = Scope(period, filters, at or timezone.now())
    return [measure.compute(scope) for measure in measures()]
