"""Importing what the council's case system did after the front door, as CSV (docs/casework-csv.md):
children's census details, referrals and their closure, assessments, section 47 enquiries and
conferences, child in need and child protection plans and their reviews.

All or nothing, as the involvements import: every row is checked, every problem reported with its line
number, and then nothing is written. Safe to repeat: a row for the same child and date updates what it
imported before. Each row names the child by the case system's person ID and the episode by its
referral date (a referral Safehub made, or one the file itself gives)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import IntegrityError, transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.casework.codes import (
    RETIRED_FACTORS,
    AssessmentFactor,
    CategoryOfAbuse,
    Disability,
    PrimaryNeed,
    ReasonForClosure,
    UpnUnknown,
)
from safehub.casework.models import Assessment, ChildDetails, CinPlan, Episode, ProtectionPlan, Section47
from safehub.casework.services import follow_front_door, surviving_person
from safehub.casework.upn import is_valid_upn, normalise_upn
from safehub.contacts.models import ReferralSource
from safehub.core.csv_import import MAX_BYTES, MAX_ERRORS, ImportRefused, Row, parse_date, quoted, read_rows
from safehub.core.working_time import london_date
from safehub.decisions.models import Referral
from safehub.people.models import Person, PersonKind

RECORDS = ("child", "referral", "assessment", "section_47", "cin_plan", "cp_plan", "cp_review")
PARTS = ("assessment", "section_47", "cin_plan", "cp_plan")  # the parts of an episode, each with its own row
# What makes two rows the same record, besides the child (and, for a part of an episode that gives one,
# the case system's reference).
SAME_WHEN = {
    "referral": ("referral_date",),
    **dict.fromkeys(PARTS, ("referral_date", "start_date")),
    "cp_review": ("referral_date", "start_date", "review_date"),
}
COLUMNS = [
    "record",
    "local_person_id",
    "referral_date",
    "contact_reference",
    "start_date",
    "end_date",
    "source",
    "primary_need",
    "closure_reason",
    "nfa",
    "factors",
    "conference_due",
    "conference_date",
    "conference_not_required",
    "initial_category",
    "latest_category",
    "previous_plans",
    "review_date",
    "upn",
    "former_upn",
    "upn_unknown",
    "disabilities",
    "death_date",
    "team",
    "worker",
    "external_ref",
]
HEADER_REQUIRED = ("record", "local_person_id")
DATES = ("referral_date", "start_date", "end_date", "conference_due", "conference_date", "review_date", "death_date")
# Which columns each kind of row must fill in.
REQUIRED = {
    "child": (),
    "referral": ("referral_date",),
    "assessment": ("referral_date", "start_date"),
    "section_47": ("referral_date", "start_date"),
    "cin_plan": ("referral_date", "start_date"),
    "cp_plan": ("referral_date", "start_date", "initial_category", "latest_category"),
    "cp_review": ("referral_date", "start_date", "review_date"),
}
# Which columns each kind of row is read for (besides record and local_person_id). A value in any other
# column is refused, not dropped: a primary need typed on an assessment row would otherwise be lost while
# the import said it had worked.
READ_FROM = {
    "child": ("upn", "former_upn", "upn_unknown", "disabilities", "death_date"),
    "referral": (
        "referral_date", "contact_reference", "source", "primary_need", "end_date", "closure_reason", "nfa", "team",
        "worker", "external_ref",
    ),
    "assessment": ("referral_date", "contact_reference", "start_date", "end_date", "factors", "external_ref"),
    "section_47": (
        "referral_date", "contact_reference", "start_date", "conference_due", "conference_date",
        "conference_not_required", "external_ref",
    ),
    "cin_plan": ("referral_date", "contact_reference", "start_date", "end_date", "external_ref"),
    "cp_plan": (
        "referral_date", "contact_reference", "start_date", "end_date", "initial_category", "latest_category",
        "previous_plans", "external_ref",
    ),
    "cp_review": ("referral_date", "contact_reference", "start_date", "review_date"),
}  # fmt: skip


def row_guide() -> list[tuple[str, list[str], list[str]]]:
    """Each kind of row with the columns it must fill in and those it may: the import page shows them."""
    return [
        (kind, list(REQUIRED[kind]), [name for name in READ_FROM[kind] if name not in REQUIRED[kind]])
        for kind in RECORDS
    ]


# Where a value given on the wrong kind of row belongs, for the message.
BELONGS = {
    "primary_need": "the referral row",
    "closure_reason": "the referral row",
    "nfa": "the referral row",
    "source": "the referral row",
    "team": "the referral row",
    "worker": "the referral row",
    "factors": "the assessment row",
    "conference_due": "the section_47 row",
    "conference_date": "the section_47 row",
    "conference_not_required": "the section_47 row",
    "initial_category": "the cp_plan row",
    "latest_category": "the cp_plan row",
    "previous_plans": "the cp_plan row",
    "review_date": "a cp_review row",
    "upn": "the child row",
    "former_upn": "the child row",
    "upn_unknown": "the child row",
    "disabilities": "the child row",
    "death_date": "the child row",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
CODES = re.compile(r"[\s,;]+")
MAX_REF = 60
MAX_NAME = 200
CHILD_KINDS = frozenset({PersonKind.CHILD, PersonKind.UNBORN})


@dataclass
class ImportResult:
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, *, new: bool) -> None:
        tally = self.created if new else self.updated
        tally[kind] = tally.get(kind, 0) + 1

    @property
    def summary(self) -> str:
        made = sum(self.created.values())
        changed = sum(self.updated.values())
        rows = "1 row" if self.rows == 1 else f"{self.rows:,} rows"
        records = "1 record" if made == 1 else f"{made:,} records"
        return f"Imported {rows}: {records} created, {changed:,} updated"


def _yes_no(clean: dict[str, Any], name: str, problems: list[str]) -> None:
    text = clean[name].lower()
    if text in YES:
        clean[name] = True
    elif text in NO:
        clean[name] = False
    else:
        problems.append(f"{name} {quoted(clean[name])} must be yes or no")
        clean[name] = False


def _code(clean: dict[str, Any], name: str, choices: type[Any], problems: list[str]) -> None:
    value = clean[name].upper()
    if value and value not in choices.values:
        problems.append(f"{name} {quoted(clean[name])} is not one of {', '.join(choices.values)}")
    clean[name] = value if value in choices.values else ""


def _codes(clean: dict[str, Any], name: str, choices: type[Any], problems: list[str]) -> list[str]:
    codes = [code.upper() for code in CODES.split(clean[name]) if code]
    unknown = [code for code in codes if code not in choices.values]
    if unknown:
        problems.append(f"{name}: {', '.join(quoted(c) for c in unknown)} not among the census's codes")
    return list(dict.fromkeys(code for code in codes if code in choices.values))


def _dates(clean: dict[str, Any], problems: list[str], *, today: date) -> None:
    for name in DATES:
        if not clean[name]:
            clean[name] = None
            continue
        try:
            clean[name] = parse_date(clean[name])
        except ValueError:
            problems.append(f"{name} {quoted(clean[name])} is not a real date")
            clean[name] = None
            continue
        if clean[name] > today and name != "conference_due":
            problems.append(f"{name} {clean[name]:%d/%m/%Y} is in the future")


def _in_order(clean: dict[str, Any], problems: list[str]) -> None:
    pairs = [("referral_date", "start_date"), ("start_date", "end_date"), ("start_date", "conference_date")]
    pairs += [("start_date", "review_date")]
    if clean["record"] == "referral":
        pairs.append(("referral_date", "end_date"))
    for first, then in pairs:
        if clean[first] and clean[then] and clean[then] < clean[first]:
            problems.append(f"{then} {clean[then]:%d/%m/%Y} is before {first} {clean[first]:%d/%m/%Y}")


def _child_problems(clean: dict[str, Any], problems: list[str]) -> None:
    for name in ("upn", "former_upn"):
        clean[name] = normalise_upn(clean[name])
        if clean[name] and not is_valid_upn(clean[name]):
            problems.append(
                f"{name} {quoted(clean[name])} is not a unique pupil number (13 characters, its check letter right)"
            )
    _code(clean, "upn_unknown", UpnUnknown, problems)
    if clean["upn"] and clean["upn_unknown"]:
        problems.append("upn_unknown is given with a upn: give one or the other")
    clean["disabilities"] = _codes(clean, "disabilities", Disability, problems)
    if Disability.NONE in clean["disabilities"] and len(clean["disabilities"]) > 1:
        problems.append("disabilities: NONE cannot be given with a disability")


def _referral_problems(clean: dict[str, Any], problems: list[str]) -> None:
    reason_given = bool(clean["closure_reason"])  # an unknown code is its own problem, not a missing one
    _code(clean, "source", ReferralSource, problems)
    _code(clean, "primary_need", PrimaryNeed, problems)
    _code(clean, "closure_reason", ReasonForClosure, problems)
    _yes_no(clean, "nfa", problems)
    if bool(clean["end_date"]) != reason_given:
        problems.append("a closed referral needs both end_date and closure_reason")


def _assessment_problems(clean: dict[str, Any], problems: list[str]) -> None:
    clean["factors"] = _codes(clean, "factors", AssessmentFactor, problems)
    retired = [code for code in clean["factors"] if code in RETIRED_FACTORS]
    if retired:
        problems.append(f"factors: {', '.join(retired)} are no longer used by the census (18B/18C, 19B/19C)")
    if clean["factors"] and not clean["end_date"]:
        problems.append("factors are recorded when the assessment is authorised: give end_date, or leave factors blank")
    if AssessmentFactor.NO_FACTORS in clean["factors"] and len(clean["factors"]) > 1:
        problems.append("factors: 21 (no factors identified) cannot be given with another factor")


def _plan_problems(clean: dict[str, Any], problems: list[str]) -> None:
    _code(clean, "initial_category", CategoryOfAbuse, problems)
    _code(clean, "latest_category", CategoryOfAbuse, problems)
    text = clean["previous_plans"]
    if text and not (text.isdigit() and int(text) < 100):
        problems.append(f"previous_plans {quoted(text)} must be a whole number from 0 to 99")
        text = ""
    clean["previous_plans"] = int(text) if text else None


def _row_problems(clean: dict[str, Any], *, today: date) -> list[str]:
    problems: list[str] = []
    kind = clean["record"] = clean["record"].lower()
    if kind not in RECORDS:
        problems.append(f"record {quoted(clean['record'])} is not one of {', '.join(RECORDS)}")
        return problems
    if not clean["local_person_id"]:
        problems.append("local_person_id is required")
    row = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} row"
    problems += [f"{name} is required for {row}" for name in REQUIRED[kind] if not clean[name]]
    for name in COLUMNS[2:]:
        if clean[name] and name not in READ_FROM[kind]:
            where = f": it belongs on {BELONGS[name]}" if name in BELONGS else ""
            problems.append(f"{name} is not read from {row}, so it would be lost{where}; leave it blank here")
    for name, limit in (("external_ref", MAX_REF), ("contact_reference", MAX_REF), ("local_person_id", MAX_REF),
                        ("team", MAX_NAME), ("worker", MAX_NAME)):  # fmt: skip
        if len(clean[name]) > limit:
            problems.append(f"{name} is {len(clean[name])} characters long: it can be at most {limit}")
    _dates(clean, problems, today=today)
    _in_order(clean, problems)
    _yes_no(clean, "conference_not_required", problems)
    if clean["conference_not_required"] and clean["conference_date"]:
        problems.append("conference_not_required is yes but a conference_date is given")
    checks = {
        "child": _child_problems,
        "referral": _referral_problems,
        "assessment": _assessment_problems,
        "cp_plan": _plan_problems,
    }
    if kind in checks:
        checks[kind](clean, problems)
    if kind == "child" and not any(
        clean[n] for n in ("upn", "former_upn", "upn_unknown", "disabilities", "death_date")
    ):
        problems.append("a child row gives at least one of upn, former_upn, upn_unknown, disabilities, death_date")
    return problems


class _Importer:
    """The second pass, once every row reads well: find each row's child and episode, then write."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.errors: list[str] = []
        self.result = ImportResult(rows=len(rows))
        ids = {row.values["local_person_id"] for row in rows}
        found = Person.objects.filter(local_id__in=ids).values_list("local_id", "pk", "kind")
        self.people = {local_id: (surviving_person(pk), kind) for local_id, pk, kind in found}
        self.episodes: dict[tuple[int, date], Episode] = {}
        self.seen: dict[tuple[Any, ...], int] = {}  # each record's first line in the file
        self.assessed: dict[int, tuple[Row, Episode]] = {}  # episodes given an assessment, by its last row

    def child(self, row: Row) -> int | None:
        local_id = row.values["local_person_id"]
        if local_id not in self.people:
            self.errors.append(
                f"Line {row.line}: no child with local person ID {quoted(local_id)} in Safehub: import their involvements first, or check the ID"
            )
            return None
        pk, kind = self.people[local_id]
        if kind not in CHILD_KINDS:
            self.errors.append(f"Line {row.line}: {quoted(local_id)} is an adult in Safehub, not a child")
            return None
        return pk

    def episode(self, row: Row, child: int) -> Episode | None:
        on: date = row.values["referral_date"]
        key = (child, on)
        if key not in self.episodes:
            found = Episode.objects.filter(child_id=child, referral_date=on).first()
            if found is None:
                self.errors.append(
                    f"Line {row.line}: {quoted(row.values['local_person_id'])} has no referral on {on:%d/%m/%Y} in Safehub or this file: add a referral row for it"
                )
                return None
            self.episodes[key] = found
        episode = self.episodes[key]
        self.check_reference(row, episode)
        return episode

    def check_reference(self, row: Row, episode: Episode | None) -> None:
        """The row's contact reference, if it gives one, is of a referral in the child's episode."""
        reference, on = row.values["contact_reference"], row.values["referral_date"]
        if reference and (
            episode is None
            or not Referral.objects.filter(contact__reference=reference, episode_link__episode=episode).exists()
        ):
            self.errors.append(
                f"Line {row.line}: contact {quoted(reference)} is not the referral that started this child's episode of {on:%d/%m/%Y}"
            )

    def referral(self, row: Row, child: int) -> None:
        v = row.values
        episode = Episode.objects.filter(child_id=child, referral_date=v["referral_date"]).first()
        self.check_reference(row, episode)
        new = episode is None
        if episode is None:
            if not v["source"]:
                self.errors.append(f"Line {row.line}: source is required for a referral Safehub does not hold")
                return
            episode = Episode(child_id=child, referral_date=v["referral_date"], imported=True)
        if v["source"]:
            episode.source = v["source"]
        episode.primary_need = v["primary_need"] or episode.primary_need
        episode.closed_on = v["end_date"]
        episode.closure_reason = v["closure_reason"]
        episode.no_further_action = v["nfa"]
        episode.external_ref = v["external_ref"] or episode.external_ref
        if v["team"] or v["worker"]:
            episode.team, episode.worker = v["team"], v["worker"]
        episode.save()
        self.episodes[(child, v["referral_date"])] = episode
        self.result.count("referral", new=new)

    def details(self, row: Row, child: int) -> None:
        v = row.values
        details, new = ChildDetails.objects.get_or_create(person_id=child)
        details.upn, details.former_upn, details.upn_unknown = v["upn"], v["former_upn"], v["upn_unknown"]
        details.disabilities, details.died_on = v["disabilities"], v["death_date"]
        details.save()
        self.result.count("child", new=new)

    def part(self, row: Row, episode: Episode) -> None:
        v, kind = row.values, row.values["record"]
        if kind == "cp_review":
            plan = ProtectionPlan.objects.filter(episode=episode, started_on=v["start_date"]).first()
            if plan is None:
                self.errors.append(
                    f"Line {row.line}: no child protection plan starting {v['start_date']:%d/%m/%Y} in this episode: add its cp_plan row first"
                )
                return
            reviews = sorted({*plan.reviews, v["review_date"].isoformat()})
            ProtectionPlan.objects.filter(pk=plan.pk).update(reviews=reviews)
            self.result.count(kind, new=True)
            return
        model, values = {
            "assessment": (Assessment, {"authorised_on": v["end_date"], "factors": v["factors"]}),
            "section_47": (
                Section47,
                {
                    "conference_due_on": v["conference_due"],
                    "conference_on": v["conference_date"],
                    "conference_not_required": v["conference_not_required"],
                },
            ),
            "cin_plan": (CinPlan, {"ended_on": v["end_date"]}),
            "cp_plan": (
                ProtectionPlan,
                {
                    "ended_on": v["end_date"],
                    "initial_category": v["initial_category"],
                    "latest_category": v["latest_category"],
                    "previous_plans": v["previous_plans"],
                },
            ),
        }[kind]
        values["external_ref"] = v["external_ref"]
        same = _same_record(model, episode, v["external_ref"], v["start_date"])
        if same is not None and (same.episode_id, same.started_on) != (episode.pk, v["start_date"]):
            taken = _starting(model, episode, v["start_date"]).exclude(pk=same.pk).first()
            if taken is not None:  # moved onto a day another record of its kind already starts
                self.errors.append(
                    f"Line {row.line}: {kind.replace('_', ' ')} {quoted(v['external_ref'])} would start on"
                    f" {v['start_date']:%d/%m/%Y}, as another of this child's already does in that episode"
                    f"{f' ({quoted(taken.external_ref)})' if taken.external_ref else ''}: correct one of the two"
                )
                return
        if same is None:
            model.objects.create(episode=episode, started_on=v["start_date"], **values)  # type: ignore[attr-defined]
        else:  # the case system's reference finds it even when its start date was corrected
            for name, value in {"episode": episode, "started_on": v["start_date"], **values}.items():
                setattr(same, name, value)
            same.save()
        self.result.count(kind, new=same is None)
        if kind == "assessment":
            self.assessed[episode.pk] = (row, episode)

    def once(self, row: Row, child: int) -> bool:
        """Each record once a file: a second row for the same one (the same reference, or the same child and
        dates) is refused, naming the first (which of the two is right, only the file's maker knows)."""
        v, kind = row.values, row.values["record"]
        key = (
            (kind, child, v["external_ref"])
            if v["external_ref"] and kind in PARTS
            else (
                kind,
                child,
                *(v[name] for name in SAME_WHEN.get(kind, ())),
            )
        )
        first = self.seen.setdefault(key, row.line)
        if first != row.line:
            self.errors.append(
                f"Line {row.line}: the same {kind.replace('_', ' ')} as line {first}: give each record once in a file"
            )
        return first == row.line

    def run(self) -> ImportResult:
        # Referrals first, so that the rows after them in the file can find the episodes they start.
        ordered = sorted(self.rows, key=lambda row: (row.values["record"] != "referral", row.line))
        for row in ordered:
            child = self.child(row)
            if child is None or not self.once(row, child):
                continue
            kind = row.values["record"]
            if kind == "child":
                self.details(row, child)
            elif kind == "referral":
                self.referral(row, child)
            else:
                episode = self.episode(row, child)
                if episode is not None:
                    self.part(row, episode)
            if len(self.errors) >= MAX_ERRORS:
                break
        self.one_assessment_open_at_a_time()
        if self.errors:
            raise ImportRefused(self.errors)
        return self.result

    def one_assessment_open_at_a_time(self) -> None:
        """An episode left with two assessments open at once would stop the census (DfE rule 8896): most
        often the same assessment given again with a corrected start date and no reference to find it by."""
        for episode_pk, (row, episode) in self.assessed.items():
            open_ones = Assessment.objects.filter(episode_id=episode_pk, authorised_on__isnull=True)
            started = sorted(open_ones.values_list("started_on", flat=True))
            if len(started) > 1:
                self.errors.append(
                    f"Line {row.line}: {quoted(row.values['local_person_id'])} would have {len(started)} assessments open at once"
                    f" in the episode of {episode.referral_date:%d/%m/%Y} (started {', '.join(f'{day:%d/%m/%Y}' for day in started)}):"
                    " give the earlier one its end_date, or, if this row corrects it, the external_ref it was imported with"
                    " (the census refuses two open at once)"
                )


def _same_record(model: Any, episode: Episode, reference: str, started_on: date) -> Any:
    """The record a row is about: the child's one with the case system's reference, if it gives one and
    Safehub has it; else the episode's one starting that day; None for a new one."""
    if reference:
        found = model.objects.filter(episode__child_id=episode.child_id, external_ref=reference).first()
        if found is not None:
            return found
    return _starting(model, episode, started_on).first()


def _starting(model: Any, episode: Episode, day: date) -> Any:
    """The episode's records of `model` (an assessment, an enquiry or a plan) that start on `day`."""
    return model.objects.filter(episode=episode, started_on=day)


def import_casework(file: IO[bytes], *, by: User, at: datetime) -> ImportResult:
    """Import the file, all of it or, if any row is wrong, none of it (ImportRefused says why)."""
    rows = read_rows(
        file.read(MAX_BYTES + 1),
        columns=COLUMNS,
        optional=[name for name in COLUMNS if name not in HEADER_REQUIRED],
        problems=lambda clean: _row_problems(clean, today=london_date(at)),
    )
    follow_front_door()  # Safehub's own referrals have their episodes before the file names them
    try:
        with transaction.atomic(durable=True):
            result = _Importer(rows).run()
            record(
                Verb.CASEWORK_IMPORTED,
                by=by,
                at=at,
                data={"rows": result.rows, "created": result.created, "updated": result.updated},
            )
    except IntegrityError:
        raise ImportRefused(
            [
                "Someone else changed some of these records at the same moment: nothing was imported. Import the file again."
            ]
        ) from None
    return result


def casework_said(file: IO[bytes], by: User, at: datetime) -> str:
    """Import the file (as `import_casework`) and say what was imported."""
    return import_casework(file, by=by, at=at).summary
