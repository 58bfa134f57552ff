from __future__ import annotations

import signal
import time
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
            try:
                result = run_once(timezone.now())
                practices = deliver_practice_emails(timezone.now())
                invitations = deliver_invitation_emails(timezone.now())
                strategy = deliver_record_emails(timezone.now()) + run_action_alerts(timezone.now())
                acknowledged = queue_acknowledgements(timezone.now()) + queue_encompass(timezone.now())
                acknowledged += queue_gp_outcomes(timezone.now())
                letters = deliver_messages(timezone.now()) + ask_notify(timezone.now())
                queue_summary_reminders(timezone.now())
                letters += deliver_summary_reminders(timezone.now())
                packs = deliver_pack_emails(timezone.now())
                queue_encompass_alerts(timezone.now())
                letters += deliver_encompass_alerts(timezone.now())
                follow_front_door()  # referrals and enquiries into children's episodes, for the returns
                returns = build_requested(at=timezone.now())
                if settings.REBUILD_RETURNS_NIGHTLY:
                    returns += len(rebuild_nightly(at=timezone.now()))
                if settings.KEEP_DASHBOARDS:
                    keep_standard_dashboards(at=timezone.now())  # counted before the performance lead looks
            except (DatabaseError, OSError) as error:
                # The database or the mail server is away: what was not sent stays queued for the next round.
                if options["once"]:
                    raise CommandError(f"Alerts not sent: {error}") from error
                self.stderr.write(f"{timezone.now():%H:%M:%S} alerts not sent this round: {error}")
                db.close_old_connections()
            else:
                if (
                    result.queued
                    or result.sent
                    or practices
                    or invitations
                    or strategy
                    or letters
                    or packs
                    or returns
                    or options["verbosity"] > 1
                ):
                    emailed = f"; requests emailed to GP practices {practices}" if practices else ""
                    emailed += f"; strategy invitations emailed {invitations}" if invitations else ""
                    emailed += f"; strategy records and action alerts emailed {strategy}" if strategy else ""
                    emailed += (
                        f"; acknowledgements, Operation Encompass notices and outcomes to GP practices {acknowledged}, letters and messages handed over {letters}"
                        if (letters or acknowledged)
                        else ""
                    )
                    emailed += f"; referral packs emailed {packs}" if packs else ""
                    emailed += f"; statutory returns built and checked {returns}" if returns else ""
                    self.stdout.write(
                        f"{timezone.now():%H:%M:%S} alerts queued {result.queued}, sent {result.sent}{emailed}"
                    )
            self._checkpoint_audit()
            if options["once"]:
                return
            deadline = time.monotonic() + options["interval"]
            while time.monotonic() < deadline and not stopping:
                time.sleep(0.5)
            if stopping:
                return

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
