from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.audit.models import AuditEvent
from safehub.benchmarks import loadtest, machine, sign_in_flood
from safehub.mfa.services import authenticator_for, enrol_demo_account
from safehub.signin.models import AccountLockout, ClientThrottle

READER = "flood.reader"
TARGET = "flood.target"


class Command(BaseCommand):
    help = (
        "Login flood benchmark: under gunicorn, a signed-in user loads a page once a second, first alone,"
        " then while CLIENTS clients send wrong passwords for one account as fast as they are answered."
        " Prints the page's latency, the server's peak memory, the answers the flood got, the audit"
        " entries it wrote and every error. Use a scratch database: it adds two users and clears the"
        " sign-in limits' counters."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=16, help="Flooding clients at once (16).")
        parser.add_argument("--seconds", type=float, default=30.0, help="How long the flood lasts (30).")
        parser.add_argument("--baseline-seconds", type=float, default=10.0, help="The page alone first (10).")
        parser.add_argument(
            "--same-address", action="store_true", help="Every client from 127.0.0.1 (default: one address each)."
        )
        parser.add_argument(
            "--limits-off",
            action="store_true",
            help="The control: lockout, throttle and concurrent-check limits so high they never act (as before ADR 0023).",
        )
        parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (5: 2 × cores + 1).")
        parser.add_argument("--port", type=int, default=8766)

    def handle(self, *args: Any, **options: Any) -> None:
        reader = _reader()
        _target()
        AccountLockout.objects.filter(user__username=TARGET).delete()
        ClientThrottle.objects.all().delete()
        if options["limits_off"]:
            for name in ("SIGN_IN_LOCKOUT_FAILURES", "SIGN_IN_CLIENT_FAILURES", "SIGN_IN_CONCURRENT_CHECKS"):
                os.environ[name] = "1000000000"
        cookie = loadtest.sign_in(reader)
        path = reverse("contacts:record-contact")
        label = ("limits-off" if options["limits_off"] else "limits-on") + (
            "-one-address" if options["same_address"] else ""
        )
        log = Path(tempfile.gettempdir()) / f"safehub-benchmark-sign-in-flood-{label}.log"
        speed = machine.speed()
        self.stdout.write(
            f"Database {connection.vendor}; gunicorn {options['workers']} sync workers; {options['clients']} clients"
            f" ({'all from 127.0.0.1' if options['same_address'] else 'one address each'});"
            f" limits {'off' if options['limits_off'] else 'on'}; machine {speed:.1f} M steps/s,"
            f" {machine.cores()} cores; server log {log}"
        )
        events_before = AuditEvent.objects.count()
        with loadtest.serve(
            port=options["port"],
            workers=options["workers"],
            threads=1,
            log=log,
            worker_class="sync",
            ready_within=300,
            worker_timeout=120,
        ) as server:
            baseline = sign_in_flood.run(
                server.url,
                server_pid=server.pid,
                reader_cookie=cookie,
                reader_path=path,
                username=TARGET,
                clients=0,
                seconds=options["baseline_seconds"],
            )
            flood = sign_in_flood.run(
                server.url,
                server_pid=server.pid,
                reader_cookie=cookie,
                reader_path=path,
                username=TARGET,
                clients=options["clients"],
                seconds=options["seconds"],
                same_address=options["same_address"],
            )
        audit_entries = AuditEvent.objects.count() - events_before
        self.stdout.write("| run | page requests | p50 ms | p95 ms | max ms | server peak MB | errors |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for name, result in (("page alone", baseline), (f"during a flood of {options['clients']}", flood)):
            f = result.reader_summary()
            self.stdout.write(
                f"| {name} | {f['requests']:.0f} | {f.get('p50', 0):.0f} | {f.get('p95', 0):.0f} | {f.get('max', 0):.0f}"
                f" | {result.peak_rss / 1e6:.0f} | {result.server_errors()} |"
            )
        attempts = sum(flood.flood_statuses.values())
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(flood.flood_statuses.items()))
        self.stdout.write(
            f"Flood: {attempts} sign-in attempts in {flood.seconds:.0f} s ({attempts / max(flood.seconds, 1):.0f}/s);"
            f" answers {statuses}; audit entries written {audit_entries};"
            f" 'database is locked' in the server log {sign_in_flood.locked_errors_in(log)}"
        )
        for error in (flood.reader_errors + flood.flood_errors)[:10]:
            self.stdout.write(f"  {error}")


def _reader() -> User:
    agency, _ = Agency.objects.get_or_create(
        is_host=True, defaults={"name": "Benchmark Children's Services", "kind": AgencyKind.CHILDRENS_SOCIAL_CARE}
    )
    team, _ = Team.objects.get_or_create(agency=agency, name="MASH")
    user, created = User.objects.get_or_create(username=READER, defaults={"first_name": "Flood", "last_name": "Reader"})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, team=team, role=Role.CONTACT_OFFICER)
    if authenticator_for(user) is None:  # the reader is signed in past both steps
        enrol_demo_account(user, at=timezone.now(), process="benchmark")
    return user


def _target() -> User:
    user, created = User.objects.get_or_create(username=TARGET, defaults={"first_name": "Flood", "last_name": "Target"})
    if created:
        user.set_password(secrets.token_urlsafe(24))
        user.save()
    return user
