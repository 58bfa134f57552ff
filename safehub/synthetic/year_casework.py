"""What the council's case system did with each episode of a year's referrals (`synthetic.year`), as
the rows of the casework import (docs/casework-csv.md): the child's census details, the episode's
primary need and closure, its assessment and factors, child in need and child protection plans and
their review conferences. The section 47 enquiries and initial conferences are Safehub's own, from
the strategy discussions (`casework.services.follow_front_door`); the plans follow from them.

One function makes an episode's rows (`casework`); they go in through the real importer
(`import_rows`), or, where a benchmark's year makes that too slow, straight into the tables the
importer writes (`insert_rows`), from the same rows. Dates after `today` have not happened yet and
are left out. Each episode's choices come from a generator seeded by the year's seed, the child and
the referral date, so they do not depend on the order episodes are met in."""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from safehub.accounts.models import User
from safehub.casework.codes import AssessmentFactor, CategoryOfAbuse, Disability, PrimaryNeed, ReasonForClosure
from safehub.casework.importer import COLUMNS, ImportResult, import_casework
from safehub.casework.models import Episode, EpisodeReferral, Section47
from safehub.casework.upn import check_letter
from safehub.core.working_time import add_working_days
from safehub.decisions.models import Outcome

Row = dict[str, str]

NFA_SHARE = 0.08  # referrals closed with no further action, before any assessment
LATE_ASSESSMENT_SHARE = 0.14  # assessments authorised after 45 working days
PLAN_AFTER_CONFERENCE = 0.72
FACTORS = (
    (AssessmentFactor.DOMESTIC_ABUSE_PARENT, 20),
    (AssessmentFactor.MENTAL_HEALTH_PARENT, 14),
    (AssessmentFactor.NEGLECT, 12),
    (AssessmentFactor.EMOTIONAL_ABUSE, 10),
    (AssessmentFactor.DRUGS_PARENT, 7),
    (AssessmentFactor.ALCOHOL_PARENT, 6),
    (AssessmentFactor.MENTAL_HEALTH_CHILD, 6),
    (AssessmentFactor.PHYSICAL_ABUSE_BY_ADULT, 5),
    (AssessmentFactor.MISSING, 3),
    (AssessmentFactor.CRIMINAL_EXPLOITATION, 3),
    (AssessmentFactor.SELF_HARM, 3),
    (AssessmentFactor.LEARNING_DISABILITY_PARENT, 2),
    (AssessmentFactor.SOCIALLY_UNACCEPTABLE_BEHAVIOUR, 2),
    (AssessmentFactor.OTHER, 3),
)
DISABILITY_FACTORS = (AssessmentFactor.LEARNING_DISABILITY_CHILD, AssessmentFactor.PHYSICAL_DISABILITY_CHILD)
NEEDS = (
    (PrimaryNeed.FAMILY_IN_ACUTE_STRESS, 25),
    (PrimaryNeed.FAMILY_DYSFUNCTION, 25),
    (PrimaryNeed.ABUSE_OR_NEGLECT, 30),
    (PrimaryNeed.PARENTAL_DISABILITY, 6),
    (PrimaryNeed.SOCIALLY_UNACCEPTABLE_BEHAVIOUR, 6),
    (PrimaryNeed.LOW_INCOME, 3),
    (PrimaryNeed.ABSENT_PARENTING, 5),
)
CATEGORIES = (
    (CategoryOfAbuse.NEGLECT, 48),
    (CategoryOfAbuse.EMOTIONAL, 37),
    (CategoryOfAbuse.PHYSICAL, 7),
    (CategoryOfAbuse.SEXUAL, 4),
    (CategoryOfAbuse.MULTIPLE, 4),
)
DISABILITIES = (
    Disability.LEARNING,
    Disability.AUTISM,
    Disability.COMMUNICATION,
    Disability.BEHAVIOUR,
    Disability.MOBILITY,
)


@dataclass(frozen=True)
class Enquiry:
    started: date
    conference: date | None
    not_required: bool


@dataclass(frozen=True)
class EpisodeFacts:
    """What Safehub holds of an episode that the case system's work follows from."""

    episode_id: int
    local_id: str
    born: date | None
    referral_date: date
    outcome: str  # the approved outcome of the referral that started it
    team: str
    worker: str
    enquiries: tuple[Enquiry, ...]


@dataclass(frozen=True)
class Casework:
    closed_on: date | None  # when the episode closed, if it has by `today`
    rows: list[Row]


def episode_facts(episode_ids: Iterable[int]) -> list[EpisodeFacts]:
    """The facts of these episodes, from three queries."""
    ids = list(episode_ids)
    enquiries: dict[int, list[Enquiry]] = defaultdict(list)
    for episode_id, started, held, not_required in (
        Section47.objects.filter(episode_id__in=ids)
        .order_by("started_on")
        .values_list("episode_id", "started_on", "conference_on", "conference_not_required")
    ):
        enquiries[episode_id].append(Enquiry(started, held, not_required))
    outcomes = dict(
        EpisodeReferral.objects.filter(episode_id__in=ids, starts_episode=True).values_list(
            "episode_id", "referral__outcome"
        )
    )
    return [
        EpisodeFacts(
            episode_id=pk,
            local_id=local_id,
            born=born,
            referral_date=referred,
            outcome=outcomes.get(pk, Outcome.SECTION_17_ASSESSMENT),
            team=team,
            worker=worker,
            enquiries=tuple(enquiries[pk]),
        )
        for pk, local_id, born, referred, team, worker in Episode.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "child__local_id", "child__date_of_birth", "referral_date", "team", "worker")
    ]


def _row(record: str, local_id: str, **values: object) -> Row:
    row = dict.fromkeys(COLUMNS, "")
    row["record"], row["local_person_id"] = record, local_id
    for name, value in values.items():
        row[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return row


def _working(rng: random.Random, start: date, low: int, high: int) -> date:
    return add_working_days(start, rng.randint(low, high))


def upn(la_code: str, serial: int) -> str:
    """A unique pupil number with its check letter right: the council's number, then twelve digits."""
    rest = f"{la_code:0>3}{serial % 10**9:09d}"
    return check_letter(rest) + rest


def child_row(local_id: str, *, born: date | None, serial: int, la_code: str, today: date, seed: int) -> Row:
    """A child's census details: a UPN from four (school age at the census's reference date), else why
    not; disabilities, or none."""
    rng = random.Random(f"{seed}:child:{local_id}")  # noqa: S311 - generated data, not security
    age = (today - born).days // 365 if born is not None else 0
    disabled = rng.random() < 0.08
    codes = sorted(rng.sample(DISABILITIES, k=rng.choice([1, 1, 2]))) if disabled else [Disability.NONE]
    if age >= 4 and rng.random() < 0.92:
        return _row("child", local_id, upn=upn(la_code, serial), disabilities=" ".join(codes))
    reason = "UN1" if age < 4 else rng.choice(["UN2", "UN3", "UN4"])
    return _row("child", local_id, upn_unknown=reason, disabilities=" ".join(codes))


def casework(facts: EpisodeFacts, *, today: date, seed: int) -> Casework:
    """The episode's rows, as the case system has them on `today`."""
    rng = random.Random(f"{seed}:{facts.local_id}:{facts.referral_date.isoformat()}")  # noqa: S311
    start, local = facts.referral_date, facts.local_id
    ref = {"referral_date": start}
    rows: list[Row] = []
    dates: list[date] = [start]

    def known(day: date | None) -> date | None:
        return day if day is not None and day <= today else None

    def close(day: date | None, reason: ReasonForClosure, need: str, *, nfa: bool = False) -> Casework:
        closed = known(max(day, *dates)) if day is not None else None
        rows.insert(
            0,
            _row(
                "referral",
                local,
                **ref,
                primary_need=need,
                end_date=closed,
                closure_reason=reason.value if closed else "",
                nfa="yes" if nfa else "no",
                team=facts.team,
                worker=facts.worker,
            ),
        )
        return Casework(closed, rows)

    if not facts.enquiries and facts.outcome == Outcome.SECTION_17_ASSESSMENT and rng.random() < NFA_SHARE:
        return close(start + timedelta(days=rng.randint(0, 6)), ReasonForClosure.SERVICES_CEASED, "", nfa=True)
    disabled = facts.outcome == Outcome.CHILDREN_WITH_DISABILITY
    need = (
        PrimaryNeed.CHILD_DISABILITY
        if disabled
        else PrimaryNeed.ABUSE_OR_NEGLECT
        if facts.enquiries
        else rng.choices([n for n, _ in NEEDS], [w for _, w in NEEDS])[0]
    )
    # The assessment: started within days of the referral, most authorised within 45 working days.
    assessed = _working(rng, start, 0, 3)
    late = rng.random() < LATE_ASSESSMENT_SHARE
    authorised = _working(rng, assessed, 46, 70) if late else _working(rng, assessed, 8, 44)
    factors = (
        list(rng.sample(DISABILITY_FACTORS, k=rng.choice([1, 2])))
        if disabled
        else sorted(set(rng.choices([f for f, _ in FACTORS], [w for _, w in FACTORS], k=rng.choice([1, 2, 2, 3]))))
    )
    done = known(authorised)
    rows.append(
        _row(
            "assessment",
            local,
            **ref,
            start_date=known(assessed),
            end_date=done,
            factors=" ".join(factors) if done else "",
        )
    )
    if known(assessed) is None:  # referred in the last days: nothing more yet
        rows.pop()
        return close(None, ReasonForClosure.SERVICES_CEASED, need)
    dates.append(assessed)
    if done:
        dates.append(done)
    enquiries = [e for e in facts.enquiries if known(e.started)]
    conferences = [day for e in enquiries if (day := known(e.conference)) is not None]
    dates += [e.started for e in enquiries] + conferences
    if conferences and rng.random() < PLAN_AFTER_CONFERENCE:
        # A child protection plan from the initial conference, reviewed within three months and then
        # every six; most end within the year and the episode closes soon after.
        plan_start = conferences[0]
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        latest = (
            category if rng.random() < 0.9 else rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        )
        ends = known(plan_start + timedelta(days=rng.randint(150, 420)))
        reviews = [plan_start + timedelta(days=rng.randint(70, 88))]
        while reviews[-1] + timedelta(days=190) < (ends or today):
            reviews.append(reviews[-1] + timedelta(days=rng.randint(160, 180)))
        reviews = [day for day in reviews if known(day) and (ends is None or day <= ends)]
        plan = {"start_date": plan_start}
        rows.append(
            _row("cp_plan", local, **ref, **plan, end_date=ends, initial_category=category, latest_category=latest)
        )
        rows += [_row("cp_review", local, **ref, **plan, review_date=day) for day in reviews]
        dates += [plan_start, *reviews]
        if ends is None:
            return close(None, ReasonForClosure.SERVICES_CEASED, need)
        dates.append(ends)
        return close(ends + timedelta(days=rng.randint(0, 20)), ReasonForClosure.SERVICES_CEASED, need)
    if done is None:
        return close(None, ReasonForClosure.SERVICES_CEASED, need)
    if not enquiries and rng.random() < 0.5:
        # Closed after the assessment: no further action, or early help.
        reason = (
            ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA
            if rng.random() < 0.6
            else ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP
        )
        return close(done + timedelta(days=rng.randint(0, 10)), reason, need)
    # A child in need plan from the assessment, for three to ten months.
    cin_start = known(max(dates) + timedelta(days=rng.randint(0, 10)))
    if cin_start is None:
        return close(None, ReasonForClosure.SERVICES_CEASED, need)
    ends = known(cin_start + timedelta(days=rng.randint(90, 300)))
    rows.append(_row("cin_plan", local, **ref, start_date=cin_start, end_date=ends))
    dates.append(cin_start)
    if ends is None:
        return close(None, ReasonForClosure.SERVICES_CEASED, need)
    dates.append(ends)
    return close(ends + timedelta(days=rng.randint(0, 14)), ReasonForClosure.SERVICES_CEASED, need)


def as_csv(rows: Sequence[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def import_rows(rows: Sequence[Row], *, by: User, at: datetime) -> ImportResult:
    """The rows through the casework import, as a council's nightly file."""
    return import_casework(io.BytesIO(as_csv(rows)), by=by, at=at)
