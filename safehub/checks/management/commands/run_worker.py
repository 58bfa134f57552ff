from __future__ import annotations

import signal
import time
import traceback
from collections.abc import Callable
from typing import Any

from django import db
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from safehub.audit.services import checkpoint_chain
from safehub.casework.services import follow_front_door
from safehub.checks.alerts import run_once
from safehub.checks.gp_emails import deliver_practice_emails
from safehub.consultations.reminders import deliver_summary_reminders, queue_summary_reminders
from safehub.letters.delivery import ask_notify, deliver_messages
from safehub.letters.encompass import queue_encompass
from safehub.letters.encompass_alerts import deliver_encompass_alerts, queue_encompass_alerts
from safehub.letters.gp_outcomes import queue_gp_outcomes
from safehub.letters.services import queue_acknowledgements
from safehub.onward.services import deliver_pack_emails
from safehub.reports.kept import keep_standard_dashboards
from safehub.returns.services import build_requested, rebuild_nightly
from safehub.strategy.alerts import run_once as run_action_alerts
from safehub.strategy.emails import deliver_invitation_emails, deliver_record_emails


class Command(BaseCommand):
    help = (
        "The background worker: every --interval seconds, queue due reminders and overdue escalations for"
        " MASH check requests and strategy discussions' actions and send them, and email contacts handed to a"
        " worker, requests for information to GP practices, strategy invitations and records, each exactly once;"
        " acknowledge professionals' contacts, tell GP practices asked for checks the outcome, alert managers to"
        " late Operation Encompass notices, and hand letters and messages to GOV.UK Notify or the mail server;"
        " email referral packs to teams outside Safehub; put new referrals and section 47 enquiries in children's"
        " episodes for the returns; build the statutory returns asked for, and rebuild each once a night;"
        " keep the performance lead's usual dashboards counted;"
        " then checkpoint the audit chain outside the database (SAFEHUB_AUDIT_CHECKPOINT_DIR). Safe to run"
        " several at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds (30).")
        parser.add_argument("--once", action="store_true", help="Run one round and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping: list[bool] = []  # set by SIGTERM or Ctrl+C: finish the round, then stop

        def stop(signum: int, frame: object) -> None:
            stopping.append(True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            done, failed = self._round()
            if any(done.values()) or options["verbosity"] > 1:
                said = [f"alerts queued {done.pop('queued')}, sent {done.pop('sent')}"]
                said += [f"{name} {count}" for name, count in done.items() if count]
                self.stdout.write(f"{timezone.now():%H:%M:%S} {'; '.join(said)}")
            if failed and options["once"]:
                raise CommandError(f"Not done this round: {', '.join(failed)} (the reasons are above)")
            self._checkpoint_audit()
            if options["once"]:
                return
            deadline = time.monotonic() + options["interval"]
            while time.monotonic() < deadline and not stopping:
                time.sleep(0.5)
            if stopping:
                return

    def _round(self) -> tuple[dict[str, int], list[str]]:
        """One round of the worker's tasks, each on its own: one that fails (the database or the mail
        server away, or a fault of ours) is said on stderr and tried again next round, and the others still
        run. How many things each did, by name; and the names of those that failed."""
        failed: list[str] = []
        done: dict[str, int] = {"queued": 0, "sent": 0}

        def task(name: str, work: Callable[[], int]) -> int:
            try:
                return work()
            except DatabaseError as error:
                # The database is away: a broken connection is dropped, and a new one made next round.
                self.stderr.write(f"{timezone.now():%H:%M:%S} {name}: not done this round: {error}")
                db.close_old_connections()
            except OSError as error:
                # The mail server or Notify is away: what was not sent stays queued for the next round.
                self.stderr.write(f"{timezone.now():%H:%M:%S} {name}: not done this round: {error}")
            except Exception:
                self.stderr.write(f"{timezone.now():%H:%M:%S} {name}: not done this round:\n{traceback.format_exc()}")
            failed.append(name)
            return 0

        def alerts() -> int:
            result = run_once(timezone.now())
            done["queued"], done["sent"] = result.queued, result.sent
            return 0

        def acknowledgements() -> int:
            at = timezone.now()
            return queue_acknowledgements(at) + queue_encompass(at) + queue_gp_outcomes(at)

        def letters() -> int:
            at = timezone.now()
            queue_summary_reminders(at)
            queue_encompass_alerts(at)
            return deliver_messages(at) + ask_notify(at) + deliver_summary_reminders(at) + deliver_encompass_alerts(at)

        def episodes() -> int:
            follow_front_door()  # referrals and enquiries into children's episodes, for the returns
            return 0

        def returns() -> int:
            built = build_requested(at=timezone.now())
            if settings.REBUILD_RETURNS_NIGHTLY:
                built += len(rebuild_nightly(at=timezone.now()))
            return built

        def dashboards() -> int:
            if settings.KEEP_DASHBOARDS:
                keep_standard_dashboards(at=timezone.now())  # counted before the performance lead looks
            return 0

        task("MASH check alerts", alerts)
        done |= {
            "requests emailed to GP practices": task(
                "GP practice emails", lambda: deliver_practice_emails(timezone.now())
            ),
            "strategy invitations emailed": task(
                "strategy invitations", lambda: deliver_invitation_emails(timezone.now())
            ),
            "strategy records and action alerts emailed": task(
                "strategy records and alerts",
                lambda: deliver_record_emails(timezone.now()) + run_action_alerts(timezone.now()),
            ),
            "acknowledgements, Operation Encompass notices and outcomes to GP practices queued": task(
                "acknowledgements", acknowledgements
            ),
            "letters and messages handed over": task("letters and messages", letters),
            "referral packs emailed": task("referral packs", lambda: deliver_pack_emails(timezone.now())),
        }
        task("children's episodes", episodes)
        done["statutory returns built and checked"] = task("statutory returns", returns)
        task("kept dashboards", dashboards)
        return done, failed

    def _checkpoint_audit(self) -> None:
        """Anchor the audit chain outside the database (ADR 0025); a round that cannot is retried next round."""
        if settings.AUDIT_CHECKPOINT_DIR is None:
            return
        try:
            result = checkpoint_chain()
        except (DatabaseError, OSError) as error:
            self.stderr.write(f"{timezone.now():%H:%M:%S} audit checkpoint not written this round: {error}")
            db.close_old_connections()
            return
        if result.warning:
            self.stderr.write(f"{timezone.now():%H:%M:%S} audit {result.note}")
