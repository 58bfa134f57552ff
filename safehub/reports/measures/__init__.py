"""The dashboard's measures, one module each (STYLE.md §4.13): each defines its figures once, says in its
docstring exactly what it counts and which seed asks for it, and ends with

    MEASURE = Measure(slug="referrals", title="Referrals", order=20, compute=referrals)

where `compute(scope)` returns the measure's Tile. The dashboard finds every module here that has a
MEASURE and shows them in `order`: a new measure (the assessments and section 47 enquiries the casework
app will hold) is a new module, and nothing else changes. The modules without one (scope, tiles, clocks)
are what the measures share."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from safehub.reports.measures.scope import Scope
from safehub.reports.measures.tiles import Tile


@dataclass(frozen=True)
class Measure:
    slug: str  # its downloads' addresses: /reports/<slug>/<table>.csv
    title: str
    order: int  # where its tile comes on the dashboard, smallest first
    compute: Callable[[Scope], Tile]


@cache
def measures() -> tuple[Measure, ...]:
    """Every measure in this package, in dashboard order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        measure = getattr(module, "MEASURE", None)
        if isinstance(measure, Measure):
            found.append(measure)
    slugs = [m.slug for m in found]
    duplicated = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicated:
        raise ValueError(f"Two measures have the same slug: {sorted(duplicated)}")
    return tuple(sorted(found, key=lambda m: (m.order, m.slug)))


def measure(slug: str) -> Measure | None:
    return next((m for m in measures() if m.slug == slug), None)
