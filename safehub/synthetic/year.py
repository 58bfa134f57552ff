"""A year of a hub's closed work, for the demo hub and the benchmarks: every contact of the year
received, screened, decided, actioned and closed, with its MASH checks, requests to share without
consent, strategy discussions, consultations, and what the council's case system did after each
referral, so that every figure of the performance lead's dashboard and both statutory returns have
real content.

Deterministic for a seed, at any `scale` (contacts in the year: the demo's couple of thousand,
Birmingham's hundred thousand). The front door's rows are written in bulk (`year_rows`), shaped as
its services make them, a week at a time; after each week `casework.services.follow_front_door`
starts the referrals' episodes as the worker does each round, and the episodes that closed that week
come back from the case system through the casework import (`year_casework`), as a council's nightly
file would bring them. What is still open at the end comes in one last import."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet

from safehub.accounts.models import User
from safehub.casework.importer import ImportResult
from safehub.casework.models import ChildDetails, Episode
from safehub.casework.services import follow_front_door
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.consultations.workflow import ConsultationState
from safehub.contacts.models import Contact
from safehub.contacts.search_terms import index_contacts
from safehub.core.working_time import LONDON
from safehub.protocols.models import LocalProtocol
from safehub.protocols.policy import Deadlines
from safehub.synthetic import year_casework
from safehub.synthetic.bulk import batches
from safehub.synthetic.year_people import People
from safehub.synthetic.year_plan import Planner, received_times
from safehub.synthetic.year_rows import REFERENCE_PREFIX, Hub, Writer

__all__ = ["Hub", "Made", "YearExists", "bring_casework_up_to_date", "existing", "make_year", "walked"]

WEEK = timedelta(days=7)
CONSULTATIONS_PER_CONTACT = 0.04


class YearExists(Exception):  # noqa: N818 (a statement of fact)
    pass


@dataclass
class Made:
    """What a year holds: rows written by kind, and the casework imported."""

    first: datetime
    last: datetime
    counts: dict[str, int] = field(default_factory=dict)
    imports: int = 0
    imported_rows: int = 0
    import_seconds: float = 0.0

    def summary(self) -> str:
        shown = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in self.counts.items())
        return f"{shown}; {self.imported_rows:,} casework rows in {self.imports} imports"


def existing() -> int:
    """How many of a year's contacts this database holds (0: none)."""
    return Contact.objects.filter(reference__startswith=REFERENCE_PREFIX).count()


def walked(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Of these contacts, those not of a year made here: the ones the demo walks through the services."""
    return contacts.exclude(reference__startswith=REFERENCE_PREFIX)


def _la_code() -> str:
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    return (protocol.la_code if protocol is not None else "") or "330"


def _consultations(hub: Hub, rng: random.Random, count: int, *, first: datetime, last: datetime) -> int:
    """Consultations (002 §5–6) over the year, their summaries sent, most within 48 hours."""
    rows = []
    for received in received_times(rng, count, first=first, last=last):
        named = rng.random() < 0.7
        sent = received + timedelta(hours=rng.uniform(1, 40) * (3 if rng.random() < 0.1 else 1))
        rows.append(
            Consultation(
                kind=ConsultationKind.NAMED if named else ConsultationKind.ANONYMOUS,
                team=hub.team,
                received_at=received,
                consultee_name="Named professional",
                consultee_role="Designated safeguarding lead",
                consultee_agency="A local school",
                child_given_name="Child" if named else "",
                child_family_name="Named" if named else "",
                question="Does this meet the threshold for a referral?",
                advice="Advice given against the threshold document; a contact is not needed yet.",
                state=ConsultationState.SUMMARY_SENT,
                summary_due_at=received + timedelta(hours=48),
                summary_sent_at=min(sent, last),
                summary_sent_by=rng.choice(hub.social_workers),
                recorded_by=rng.choice(hub.social_workers),
            )
        )
    return batches(rows, Consultation)


def make_year(
    hub: Hub,
    *,
    scale: int,
    end: datetime,
    now: datetime,
    importer: User,
    seed: int = 2026,
    progress: Callable[[str], None] = lambda _: None,
) -> Made:
    """Store a year of contacts received in the 365 days before `end`, all closed by then; what
    followed them (strategy discussions, conferences, casework) up to `now`. `importer` is who
    imports the casework (a performance lead). YearExists if this database holds a year already."""
    if existing():
        raise YearExists("This database already holds a year of contacts")
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    if protocol is None:
        raise ValueError("No local protocol is active: choose one before making a year")
    rng = random.Random(seed)  # noqa: S311 - generated data, not security
    first = end - timedelta(days=365)
    today = now.astimezone(LONDON).date()
    people = People(rng, first=first.astimezone(LONDON).date(), last=end.astimezone(LONDON).date())
    planner = Planner(rng, people, end=end)
    writer = Writer(
        hub, deadlines=Deadlines(protocol), levels=list(protocol.levels.order_by("order")), now=now, seed=seed + 1
    )
    made = Made(first=first, last=end)
    times = received_times(rng, scale, first=first, last=end)
    weeks = [first + WEEK * n for n in range((end - first) // WEEK + 1)]
    pending: dict[int, list[int]] = defaultdict(list)  # week → episodes closing in it, to import then
    children_sent: set[str] = set()
    la_code = _la_code()
    last_episode = Episode.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    number = 0
    progress(f"{scale:,} contacts over the year to {end:%d %B %Y}, a week at a time, with their casework")
    for week, start in enumerate(weeks):
        stop = min(start + WEEK, end)
        plans = []
        while number < len(times) and times[number] < stop:
            plans.append(planner.contact(number + 1, times[number]))
            number += 1
        writer.write(plans)
        follow_front_door()
        new = list(Episode.objects.filter(pk__gt=last_episode).order_by("pk").values_list("pk", flat=True))
        last_episode = new[-1] if new else last_episode
        for facts in year_casework.episode_facts(new):
            closed = year_casework.casework(facts, today=today, seed=seed).closed_on
            pending[_week_of(closed, weeks, end) if closed is not None else len(weeks)].append(facts.episode_id)
        due = pending.pop(week, [])
        if due:
            _import(due, week=week, weeks=weeks, end=end, pending=pending, made=made, at=min(stop, now), importer=importer,
                    today=today, seed=seed, la_code=la_code, sent=children_sent)  # fmt: skip
        if week % 8 == 7:
            progress(f"  week {week + 1} of {len(weeks)}: {number:,} contacts, {made.imports} casework imports")
    remaining = [pk for weeks_pending in pending.values() for pk in weeks_pending]
    _import(remaining, week=len(weeks), weeks=weeks, end=end, pending=pending, made=made, at=now, importer=importer,
            today=today, seed=seed, la_code=la_code, sent=children_sent)  # fmt: skip
    made.counts = {**writer.counts}
    made.counts["consultations"] = _consultations(
        hub, rng, round(scale * CONSULTATIONS_PER_CONTACT), first=first, last=end
    )
    made.counts["episodes"] = Episode.objects.count()
    index_contacts(Contact.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made


def _serial(local_id: str) -> int:
    """A number for the child's UPN, different for every local ID of a letter and up to seven digits."""
    digits = "".join(char for char in local_id if char.isdigit())
    return ord(local_id[0]) * 10_000_000 + int(digits or 0) if local_id else 0


def bring_casework_up_to_date(*, importer: User, now: datetime, seed: int = 2026) -> int:
    """Start the episodes of the referrals made since the year (`follow_front_door`), and import what the
    case system has done in them by `now`, with their children's details: the council's latest nightly
    file. Returns how many episodes it brought in."""
    follow_front_door()
    waiting = list(
        Episode.objects.filter(primary_need="", no_further_action=False, closed_on__isnull=True, imported=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    known = set(ChildDetails.objects.values_list("person__local_id", flat=True))
    made = Made(first=now, last=now)
    _import(waiting, week=0, weeks=[], end=now, pending=defaultdict(list), made=made, at=now, importer=importer,
            today=now.astimezone(LONDON).date(), seed=seed, la_code=_la_code(), sent=known)  # fmt: skip
    return len(waiting)


def _week_of(day: date, weeks: list[datetime], end: datetime) -> int:
    """The index of the week a London day falls in; len(weeks) for a day after the year (the last import)."""
    if day >= end.astimezone(LONDON).date():
        return len(weeks)
    for index, start in enumerate(weeks):
        if start.astimezone(LONDON).date() > day:
            return max(index - 1, 0)
    return len(weeks) - 1


def _import(
    episodes: list[int],
    *,
    week: int,
    weeks: list[datetime],
    end: datetime,
    pending: dict[int, list[int]],
    made: Made,
    at: datetime,
    importer: User,
    today: date,
    seed: int,
    la_code: str,
    sent: set[str],
) -> None:
    """Import these episodes' casework, and their children's details the first time. An episode whose
    strategy discussions since have moved its closure later waits for its new week."""
    rows: list[year_casework.Row] = []
    for facts in year_casework.episode_facts(episodes):
        work = year_casework.casework(facts, today=today, seed=seed)
        later = _week_of(work.closed_on, weeks, end) if work.closed_on is not None else len(weeks)
        if later > week:
            pending[later].append(facts.episode_id)
            continue
        if facts.local_id not in sent:
            sent.add(facts.local_id)
            rows.append(year_casework.child_row(facts.local_id, born=facts.born, serial=_serial(facts.local_id),
                                                la_code=la_code, today=today, seed=seed))  # fmt: skip
        rows += work.rows
    if not rows:
        return
    began = time.perf_counter()
    result: ImportResult = year_casework.import_rows(rows, by=importer, at=at)
    made.import_seconds += time.perf_counter() - began
    made.imports += 1
    made.imported_rows += result.rows
