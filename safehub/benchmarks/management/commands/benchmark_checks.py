from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.benchmarks import alert_storm, checks_data, loadtest, machine


class Command(BaseCommand):
    help = (
        "Load benchmark for MASH checks: store a year of contacts, checks and agency requests (once), then"
        " time a partner's queue, the coordinator's view, every work queue and the contact page under gunicorn with"
        " many signed-in users (latency, and the server's CPU time and queries per page), and the"
        " deadline worker sending a storm of overdue alerts. Run it against an empty PostgreSQL database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=100_000)
        parser.add_argument("--checks", type=int, default=30_000)
        parser.add_argument("--requests", type=int, default=150_000)
        parser.add_argument("--users", type=int, default=50, help="Signed-in users at once (50).")
        parser.add_argument("--seconds", type=float, default=60.0, help="How long the users work (60).")
        parser.add_argument("--warm-up", type=float, default=5.0, help="Seconds left out of the figures (5).")
        parser.add_argument(
            "--think", type=float, default=1.0, help="Average seconds a user reads a page before the next (1)."
        )
        # Sync workers take a connection only when free, so the load spreads over them; gthread workers
        # keep the connections they accepted, and on two cores one of them ends up with most users.
        parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes (5: 2 × cores + 1).")
        parser.add_argument("--threads", type=int, default=1, help="Threads in each gunicorn worker (1).")
        parser.add_argument(
            "--worker-class",
            choices=["sync", "gthread"],
            default="sync",
            help="gunicorn worker class (sync).",
        )
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--alerts", type=int, default=10_000, help="Overdue alerts in the storm (10,000).")
        parser.add_argument("--alert-workers", type=int, default=2, help="Deadline workers at once (2).")
        parser.add_argument("--skip-load", action="store_true", help="Only the alert storm.")
        parser.add_argument("--skip-alerts", action="store_true", help="Only the page load.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stderr.write("Warning: the targets are for PostgreSQL; this database is " + connection.vendor)
        now = timezone.now()
        try:
            scale = checks_data.Scale(options["contacts"], options["checks"], options["requests"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        data = checks_data.existing(now=now)
        if data is None:
            began = time.perf_counter()
            try:
                data = checks_data.populate(scale, now=now, progress=lambda text: self.stdout.write(f"Storing {text}"))
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Stored in {time.perf_counter() - began:.0f} s")
        else:
            self.stdout.write("Using the benchmark data already in this database")
        self.stdout.write(
            f"Data: {data.contacts:,} contacts, {data.checks:,} sets of checks ({len(data.open_checks)} open),"
            f" {data.requests:,} agency requests"
        )
        if not options["skip_load"]:
            self._load(data, options)
        if not options["skip_alerts"]:
            self._storm(data, options)

    def _load(self, data: checks_data.Populated, options: dict[str, Any]) -> None:
        users = _users(data, options["users"])
        log = Path(tempfile.gettempdir()) / "safehub-benchmark-gunicorn.log"
        speed = machine.speed()
        mark = f"[machine {speed:.1f} M steps/s, {machine.cores()} cores]"
        self.stdout.write(
            f"{len(users)} users for {options['seconds']:.0f} s, thinking {options['think']} s on average;"
            f" gunicorn {options['workers']} {options['worker_class']} workers × {options['threads']} threads (log: {log})"
        )
        self.stdout.write(f"Machine speed: {speed:.1f} million steps a second of a fixed Python loop {mark}")
        with loadtest.serve(
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            log=log,
            worker_class=options["worker_class"],
        ) as server:
            result = loadtest.run_users(
                server.url,
                users,
                seconds=options["seconds"],
                think=options["think"],
                warm_up=options["warm_up"],
                measure=lambda: loadtest.snapshot(server.pid),
            )
        after = options["warm_up"]
        for line in loadtest.page_table(result, after=after, mark=mark)[0]:
            self.stdout.write(line)
        for line in loadtest.totals_lines(result, after=after, mark=mark):
            self.stdout.write(line)
        after_speed = machine.speed()
        self.stdout.write(f"Machine speed after the run: {after_speed:.1f} M steps/s")
        for error in result.errors[:10]:
            self.stdout.write(f"  {error}")

    def _storm(self, data: checks_data.Populated, options: dict[str, Any]) -> None:
        at = timezone.now()
        alert_storm.settle_storms(at=at)
        storm = alert_storm.make_storm(data.cast, alerts_wanted=options["alerts"], now=at)
        self.stdout.write(f"Alert storm: {storm.requests:,} requests overdue on {storm.checks} sets of checks")
        with tempfile.TemporaryDirectory() as folder:
            result = alert_storm.deliver_with_workers(options["alert_workers"], at=at, mail_dir=Path(folder))
            emails, distinct = alert_storm.count_emails(Path(folder))
        self.stdout.write(
            f"{options['alert_workers']} workers queued {result.queued:,} alerts and sent {result.sent:,}"
            f" in {result.seconds:.2f} s; emails written {emails:,} for {distinct:,} different alerts"
            f" ({emails - distinct} sent twice)"
        )
        alert_storm.settle_storms(at=timezone.now())


# Which work queue a hub user opens, by weight: each role mostly its own (queues.views.HOME_QUEUE).
SOCIAL_WORKER_QUEUES = {
    "threshold": 3,
    "screening": 2,
    "checks": 2,
    "overdue": 2,
    "mine": 2,
    "outcomes": 1,
    "approval": 1,
    "consent": 1,
}
MANAGER_QUEUES = {
    "approval": 4,
    "overdue": 2,
    "unallocated": 2,
    "threshold": 1,
    "checks": 1,
    "screening": 1,
    "outcomes": 1,
    "mine": 1,
}


def _users(data: checks_data.Populated, count: int) -> list[loadtest.SimulatedUser]:
    """Three in ten partners at their agency's queue, three in ten coordinators opening checks
    (mostly open ones), three in ten social workers and one in ten managers moving between their
    work queues and contact pages."""
    partners = data.cast.all_partners
    coordinators = data.cast.social_workers
    managers = data.cast.managers
    queue = reverse("checks:workspace")
    people: list[loadtest.SimulatedUser] = []
    seen: dict[str, int] = {}

    def next_of(kind: str, pool: list[User]) -> str:
        seen[kind] = seen.get(kind, 0) + 1
        return loadtest.sign_in(pool[(seen[kind] - 1) % len(pool)])

    for n in range(count):
        slot = n % 10
        if slot < 3:
            people.append(loadtest.SimulatedUser(next_of("partner", partners), lambda rng: ("partner queue", queue)))
        elif slot < 6:
            people.append(
                loadtest.SimulatedUser(
                    next_of("coordinator", coordinators), lambda rng: ("coordinator view", _checks_page(rng, data))
                )
            )
        elif slot < 9:
            cookie = next_of("social worker", coordinators)
            people.append(loadtest.SimulatedUser(cookie, lambda rng: _hub_page(rng, data, SOCIAL_WORKER_QUEUES)))
        else:
            cookie = next_of("manager", managers)
            people.append(loadtest.SimulatedUser(cookie, lambda rng: _hub_page(rng, data, MANAGER_QUEUES)))
    return people


def _checks_page(rng: random.Random, data: checks_data.Populated) -> str:
    pool = data.open_checks if data.open_checks and rng.random() < 0.8 else data.all_checks
    return reverse("checks:checks", kwargs={"pk": rng.choice(pool)})


def _hub_page(rng: random.Random, data: checks_data.Populated, weights: dict[str, int]) -> tuple[str, str]:
    """Half the time a work queue, half a contact from the queues (four in five) or from the year."""
    if rng.random() < 0.5:
        slug = rng.choices(list(weights), weights=list(weights.values()))[0]
        return f"queue: {slug}", reverse("queues:queue", kwargs={"slug": slug})
    pool = data.open_contacts if data.open_contacts and rng.random() < 0.8 else data.all_contacts
    return "contact page", reverse("contacts:contact", kwargs={"pk": rng.choice(pool)})
