"""Small statistics shared by reports and benchmarks."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        raise ValueError("No values to take a percentile of")
    if not 0 <= share <= 1:
        raise ValueError("The share must be between 0 and 1")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
