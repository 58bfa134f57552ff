from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.contacts.models import Contact
from safehub.demo.loader import CONTACTS_PER_WEEK, YEAR_CONTACTS, DemoDataExists, load_demo


class Command(BaseCommand):
    help = "Load the synthetic demo hub (made-up people only): users, households and weeks of contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database already has contacts.")
        parser.add_argument("--people", type=int, default=2000)
        parser.add_argument("--weeks", type=int, default=3)
        parser.add_argument(
            "--per-week",
            type=int,
            default=CONTACTS_PER_WEEK,
            help=f"Contacts a week in the weeks walked through the services (default {CONTACTS_PER_WEEK}, Walsall's).",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=YEAR_CONTACTS,
            help="Contacts in the year of closed work before the weeks (0: none).",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 10 or options["weeks"] < 1 or options["per_week"] < 1 or options["year"] < 0:
            raise CommandError(
                "Give at least 10 people, 1 week and 1 contact a week, and a year of 0 or more contacts."
            )
        if options["if_empty"] and Contact.objects.exists():
            self.stdout.write("demo data already loaded")
            return
        started = time.monotonic()
        try:
            summary = load_demo(
                people=options["people"],
                weeks=options["weeks"],
                per_week=options["per_week"],
                year=options["year"],
                seed=options["seed"],
                at=timezone.now(),
                progress=lambda line: self.stdout.write(line),
            )
        except DemoDataExists as error:
            raise CommandError(f"{error}: the demo loads into an empty database only.") from None
        self.stdout.write(
            f"Demo hub loaded in {time.monotonic() - started:.1f} s: {summary.contacts} contacts, {summary.people} people"
        )
