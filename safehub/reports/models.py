"""Dashboards kept once counted (ADR 0043): a year's figures at a large hub take seconds to count, and
the performance lead opens the same few dashboards all day."""

from __future__ import annotations

from django.db import models


class KeptDashboard(models.Model):
    """Every tile of one dashboard (a period and filters) as counted at `counted_at`."""

    key = models.CharField(max_length=200, unique=True)  # the period and filters (reports.kept.dashboard_key)
    counted_at = models.DateTimeField()
    tiles = models.JSONField()  # reports.kept.tiles_as_json

    def __str__(self) -> str:
        return f"{self.key} at {self.counted_at:%Y-%m-%d %H:%M}"
