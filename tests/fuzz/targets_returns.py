"""Fuzz targets for the statutory returns: asking for the census or Annex A to be built."""

from __future__ import annotations

from safehub.accounts.models import Role
from tests.fuzz.harness import Target, Variant, World, url

PERF = Role.PERFORMANCE_LEAD


def _census(world: World) -> list[Variant]:
    address = url("returns:request-census")
    return [Variant.from_page(world.client(PERF), address, page=url("returns:home"), fill={"year": "2026"})]


def _annex_a(world: World) -> list[Variant]:
    address = url("returns:request-annex-a")
    fill = {"as_at_0": "1", "as_at_1": "11", "as_at_2": "2026"}  # on or before the suite's pinned day
    return [Variant.from_page(world.client(PERF), address, page=url("returns:home"), fill=fill)]


TARGETS = [
    Target("returns:request-census", _census),
    Target("returns:request-annex-a", _annex_a),
]
