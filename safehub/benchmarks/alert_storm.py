"""The deadline worker's worst morning: thousands of requests overdue at once (after an outage, say).

`make_storm` adds sets of checks whose requests are all overdue and unalerted; `deliver_with_workers`
runs the worker's round in several processes at once, each with its own mail connection writing to
files, and `count_emails` reads those files back, so a benchmark can check that every alert was
emailed exactly once.
"""

from __future__ import annotations

import multiprocessing
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

from safehub.accounts.models import Agency
from safehub.benchmarks.checks_data import ALWAYS, SOMETIMES, STORM_PREFIX, Cast
from safehub.checks import alerts
from safehub.checks.models import AgencyRequest, Alert, ChecksState, MashChecks, RequestState
from safehub.checks.services import DEFAULT_BASES
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.protocols.models import Brag
from safehub.synthetic.bulk import batches

MESSAGE_ID = re.compile(r"^Message-ID: (<safehub-alert-\d+@[^>]+>)$", re.MULTILINE)


@dataclass(frozen=True)
class Storm:
    requests: int
    checks: int


def recipients_per_request(cast: Cast) -> int:
    """Coordinator, the agency's partners and its lead: who hears of one overdue request."""
    return 1 + len(next(iter(cast.partners.values()))) + 1


def make_storm(cast: Cast, *, alerts_wanted: int, now: datetime) -> Storm:
    """Sets of checks, each asking five agencies, all due an hour ago and unanswered: enough
    requests that the worker has at least `alerts_wanted` escalations to send."""
    per_checks = (len(ALWAYS) + 2) * recipients_per_request(cast)
    sets = -(-alerts_wanted // per_checks)
    agencies = {a.kind: a for a in Agency.objects.filter(teams__name=cast.team.name, is_host=False)}
    kinds = [*ALWAYS, *SOMETIMES[:2]]
    template = Contact.objects.filter(team=cast.team).exclude(reference__startswith=STORM_PREFIX).first()
    if template is None:
        raise ValueError("Populate the benchmark data before the alert storm")
    started = now - timedelta(hours=6)
    first = Contact.objects.filter(reference__startswith=STORM_PREFIX).count()
    with transaction.atomic():
        contacts = []
        for n in range(first, first + sets):
            contact = Contact.objects.get(pk=template.pk)
            contact.pk = None
            contact.reference = f"{STORM_PREFIX}{n:06d}"
            contact.state = ContactState.MASH_CHECKS
            contact.submission_key = None
            contacts.append(contact)
        Contact.objects.bulk_create(contacts)
        stored = Contact.objects.filter(reference__in=[c.reference for c in contacts]).order_by("reference")
        checks = MashChecks.objects.bulk_create(
            [
                MashChecks(
                    contact=contact,
                    reason="Alert storm",
                    rating=Brag.AMBER,
                    bases=DEFAULT_BASES,
                    coordinator=cast.social_workers[n % len(cast.social_workers)],
                    started_by=cast.managers[0],
                    started_at=started,
                    state=ChecksState.OPEN,
                )
                for n, contact in enumerate(stored)
            ]
        )
        checks = list(MashChecks.objects.filter(contact__in=stored))
        batches(
            (
                AgencyRequest(
                    checks=row,
                    agency=agencies[kind],
                    questions="Known?",
                    subjects=[],
                    due_at=now - timedelta(hours=1),
                    sent_at=started,
                )
                for row in checks
                for kind in kinds
            ),
            AgencyRequest,
        )
    return Storm(requests=len(checks) * len(kinds), checks=len(checks))


def settle_storms(*, at: datetime) -> int:
    """Answer the requests of earlier storms (their contacts stay: audit events point at them), so a
    second run starts with no storm outstanding. Returns how many requests it settled."""
    earlier = AgencyRequest.objects.filter(checks__contact__reference__startswith=STORM_PREFIX, state=RequestState.SENT)
    with transaction.atomic():
        Alert.objects.filter(request__in=earlier, read_at__isnull=True).update(read_at=at)
        return earlier.update(state=RequestState.ANSWERED, answered_at=at)


def _worker(number: int, at: datetime, mail_dir: str, results: multiprocessing.Queue[tuple[int, int, int]]) -> None:
    connections.close_all()  # never share the parent's database connection
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    queued = alerts.queue_alerts(at)
    sent = alerts.deliver_alerts(at)
    connections.close_all()
    results.put((number, queued, sent))


@dataclass(frozen=True)
class StormResult:
    seconds: float
    queued: int
    sent: int


def deliver_with_workers(workers: int, *, at: datetime, mail_dir: Path) -> StormResult:
    """Run the worker's round (queue, then send) in `workers` processes started together; the time
    is from their start to the last one finishing."""
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[tuple[int, int, int]] = context.Queue()
    connections.close_all()
    processes = [context.Process(target=_worker, args=(n, at, str(mail_dir), results)) for n in range(workers)]
    began = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - began
    if any(process.exitcode != 0 for process in processes):
        raise RuntimeError("A worker failed; see its output above")
    rows = [results.get() for _ in processes]
    # Each worker counts what it found missing; when both look at once both count the same rows.
    queued = Alert.objects.filter(created_at=at).count()
    return StormResult(seconds, queued, sum(r[2] for r in rows))


def count_emails(mail_dir: Path) -> tuple[int, int]:
    """How many emails the workers wrote, and how many different alerts they were for."""
    ids = [m for path in mail_dir.glob("*.log") for m in MESSAGE_ID.findall(path.read_text(encoding="utf-8"))]
    return len(ids), len(set(ids))
