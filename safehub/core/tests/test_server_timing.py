"""The Server-Timing header the load benchmark reads: only when the setting puts the middleware in."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

TIMING = "safehub.core.middleware.ServerTimingMiddleware"


def test_pages_carry_no_server_timing_by_default(manager_client: Client, settings: Any) -> None:
    assert TIMING not in settings.MIDDLEWARE
    response = manager_client.get("/queues/approval/")
    assert response.status_code == 200
    assert "Server-Timing" not in response.headers


def test_with_the_middleware_each_page_reports_its_cpu_time_and_queries(manager_client: Client, settings: Any) -> None:
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]
    response = manager_client.get("/queues/approval/")
    assert response.status_code == 200
    timing = re.fullmatch(r'cpu;dur=([0-9.]+), db;dur=([0-9.]+);desc="([0-9]+) queries"', response["Server-Timing"])
    assert timing is not None, response["Server-Timing"]
    assert float(timing[1]) >= 0
    assert int(timing[3]) >= 1
