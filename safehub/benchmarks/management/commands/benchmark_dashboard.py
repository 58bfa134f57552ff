from __future__ import annotations

import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safehub.benchmarks import loadtest, machine, year_data
from safehub.core.stats import percentile
from safehub.core.working_time import london_date
from safehub.reports.models import KeptDashboard

TARGET_P95_MS = 1000.0


def _range(first: date, last: date) -> dict[str, str]:
    return {
        "period": "range",
        **{f"start_{n}": str(part) for n, part in enumerate((first.day, first.month, first.year))},
        **{f"end_{n}": str(part) for n, part in enumerate((last.day, last.month, last.year))},
    }


def dashboard_pages(today: date, *, team: int) -> list[tuple[str, str]]:
    """The dashboards the performance lead opens, each as (name, path): every period, the whole year
    day by day is not one of them (a year is shown month by month), and a filter of each kind."""
    home = reverse("reports:dashboard")
    year_ago = today - timedelta(days=364)
    chosen = [
        ("this week", {"period": "week"}),
        ("this month", {"period": "month"}),
        ("financial year to date", {"period": "year"}),
        ("the last 12 months", _range(year_ago, today)),
        ("the last 12 months, one team", {**_range(year_ago, today), "team": str(team)}),
        ("financial year, schools' contacts", {"period": "year", "source": "3A"}),
        ("financial year, rated red", {"period": "year", "rating": "red"}),
    ]
    return [(name, f"{home}?{urlencode(query)}") for name, query in chosen]


class Command(BaseCommand):
    help = (
        "Benchmark of the performance lead's dashboard (issue 16): store a year of a hub's work at Birmingham's"
        " scale (100,000 contacts, once), then open the dashboard for each period and filter under gunicorn,"
        " one page at a time. Target: p95 ≤ 1 s for every one. Run it against an empty PostgreSQL database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=year_data.CONTACTS, help="Contacts in the year (100,000).")
        parser.add_argument("--rounds", type=int, default=20, help="Times each dashboard is opened (20).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2).")
        parser.add_argument("--port", type=int, default=8767)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stderr.write("Warning: the target is for PostgreSQL; this database is " + connection.vendor)
        if options["rounds"] < 1 or options["contacts"] < 1:
            raise CommandError("--rounds and --contacts must be at least 1")
        now = timezone.now()
        began = time.perf_counter()
        try:
            stored = year_data.populate(
                options["contacts"], now=now, progress=lambda text: self.stdout.write(f"Storing {text}")
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if stored.seconds is not None:
            self.stdout.write(f"Stored in {time.perf_counter() - began:.0f} s")
        self.stdout.write(f"Data: {stored.contacts:,} contacts in the year to {london_date(now)}")
        pages = dashboard_pages(london_date(now), team=stored.cast.team.pk)
        cookie = loadtest.sign_in(stored.performance_lead)
        # The first round counts each dashboard while the lead waits (nothing kept: the worker is not running
        # here); the later rounds, within the ten minutes a count is kept (ADR 0043), show the kept counts.
        KeptDashboard.objects.all().delete()
        opened = [0]

        def next_page(_rng: Any) -> tuple[str, str]:
            opened[0] += 1
            name, path = pages[(opened[0] - 1) % len(pages)]
            return (f"{name} (counted)" if opened[0] <= len(pages) else f"{name} (kept)", path)

        log = Path(tempfile.gettempdir()) / "safehub-benchmark-dashboard-gunicorn.log"
        mark = f"[machine {machine.speed():.1f} M steps/s, {machine.cores()} cores]"
        with loadtest.serve(
            port=options["port"],
            workers=options["workers"],
            threads=1,
            log=log,
            worker_class="sync",
            worker_timeout=120,
        ) as server:
            result = loadtest.run_users(
                server.url,
                [loadtest.SimulatedUser(cookie, next_page)],
                seconds=float("inf"),
                think=0.0,
                requests=len(pages) * (options["rounds"] + 1),
                measure=lambda: loadtest.snapshot(server.pid),
            )
        lines, _ = loadtest.page_table(result, after=0.0, mark=mark, target_ms=TARGET_P95_MS)
        for line in lines:
            self.stdout.write(line)
        kept_times = sorted(hit.milliseconds for hit in result.hits if hit.page.endswith("(kept)"))
        counted_times = sorted(hit.milliseconds for hit in result.hits if hit.page.endswith("(counted)"))
        p95 = percentile(kept_times, 0.95)
        self.stdout.write(
            f"Every kept dashboard: p95 {p95:.0f} ms over {len(kept_times)} views; counted while waiting:"
            f" median {percentile(counted_times, 0.5):.0f} ms, slowest {counted_times[-1]:.0f} ms {mark}"
        )
        for problem in result.errors[:10]:
            self.stdout.write(f"  {problem}")
        met = p95 <= TARGET_P95_MS and not result.errors
        self.stdout.write("Target met (kept dashboards)" if met else "Target NOT met")
