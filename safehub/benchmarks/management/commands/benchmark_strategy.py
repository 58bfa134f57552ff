from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safehub.benchmarks import checks_data, loadtest, machine, strategy_data

TARGET_P95_MS = 150.0


class Command(BaseCommand):
    help = (
        "Load benchmark for strategy discussions (issue 13): store a year of contacts (checks_data, once) and"
        " 10,000 strategy discussions with 60,000 actions, then time the coordinators' worktray and the"
        " partners' invitations under gunicorn with 50 signed-in users. Target: p95 ≤ 150 ms, no errors."
        " Run it against an empty PostgreSQL database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=60_000, help="Contacts in the year (60,000).")
        parser.add_argument("--discussions", type=int, default=10_000)
        parser.add_argument("--actions", type=int, default=60_000)
        parser.add_argument("--users", type=int, default=50, help="Signed-in users at once (50).")
        parser.add_argument("--seconds", type=float, default=60.0)
        parser.add_argument("--warm-up", type=float, default=5.0)
        parser.add_argument("--think", type=float, default=1.0, help="Average seconds between pages (1).")
        parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (5: 2 × cores + 1).")
        parser.add_argument("--port", type=int, default=8766)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stderr.write("Warning: the targets are for PostgreSQL; this database is " + connection.vendor)
        now = timezone.now()
        data = checks_data.existing(now=now)
        if data is None:
            checks = max(1, options["contacts"] // 5)
            try:
                scale = checks_data.Scale(options["contacts"], checks, len(checks_data.ALWAYS) * checks)
                data = checks_data.populate(scale, now=now, progress=lambda text: self.stdout.write(f"Storing {text}"))
            except ValueError as error:
                raise CommandError(str(error)) from error
        stored = strategy_data.existing(data.cast, at=now)
        if stored is None:
            began = time.perf_counter()
            try:
                stored = strategy_data.populate(
                    data.cast,
                    discussions=options["discussions"],
                    actions=options["actions"],
                    now=now,
                    progress=lambda text: self.stdout.write(f"Storing {text}"),
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Stored in {time.perf_counter() - began:.0f} s")
        self.stdout.write(
            f"Data: {data.contacts:,} contacts, {stored.discussions:,} strategy discussions"
            f" ({len(stored.open_discussions)} not finished), {stored.actions:,} actions"
        )
        self._load(stored, options)

    def _load(self, stored: strategy_data.Stored, options: dict[str, Any]) -> None:
        worktray, invitations = reverse("strategy:worktray"), reverse("strategy:invitations")
        users = []
        for n in range(options["users"]):
            if n % 2 == 0:
                cookie = loadtest.sign_in(stored.coordinators[n // 2 % len(stored.coordinators)])
                users.append(loadtest.SimulatedUser(cookie, lambda rng: ("coordinator's worktray", worktray)))
            else:
                cookie = loadtest.sign_in(stored.partners[n // 2 % len(stored.partners)])
                users.append(loadtest.SimulatedUser(cookie, lambda rng: ("partner's invitations", invitations)))
        log = Path(tempfile.gettempdir()) / "safehub-benchmark-strategy-gunicorn.log"
        speed = machine.speed()
        mark = f"[machine {speed:.1f} M steps/s, {machine.cores()} cores]"
        self.stdout.write(
            f"{len(users)} users for {options['seconds']:.0f} s, thinking {options['think']} s on average;"
            f" gunicorn {options['workers']} sync workers (log: {log})"
        )
        with loadtest.serve(
            port=options["port"], workers=options["workers"], threads=1, log=log, worker_class="sync"
        ) as server:
            result = loadtest.run_users(
                server.url,
                users,
                seconds=options["seconds"],
                think=options["think"],
                warm_up=options["warm_up"],
                measure=lambda: loadtest.snapshot(server.pid),
            )
        lines, met = loadtest.page_table(result, after=options["warm_up"], mark=mark, target_ms=TARGET_P95_MS)
        for line in lines:
            self.stdout.write(line)
        for line in loadtest.totals_lines(result, after=options["warm_up"], mark=mark):
            self.stdout.write(line)
        errors = result.failures(after=0)
        for error in result.errors[:10]:
            self.stdout.write(f"  {error}")
        self.stdout.write("Target met" if met and not errors else "Target NOT met")
