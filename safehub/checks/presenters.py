from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.timezone import localtime

from safehub.accounts.models import AgencyKind, User
from safehub.checks.forms import AskForChecksForm
from safehub.checks.models import (
    AgencyRequest,
    AgencyResponse,
    AlertKind,
    ChecksAsked,
    ChecksState,
    MashChecks,
    PracticeEmail,
    RequestState,
    ResponseStatus,
)
from safehub.checks.permissions import can_ask_for_checks, can_read_mash_only, can_start_checks
from safehub.checks.queries import checks_with_answers
from safehub.contacts.models import Amendment, AmendmentKind, Contact, ContactSubject
from safehub.contacts.presenters import TimelineEntry, TimelineSource
from safehub.core.presenters import (
    Action,
    Due,
    Panel,
    brag_tag_class,
    due,
    record_links,
    shown_date,
    shown_day,
    shown_london_time,
)
from safehub.protocols.models import Brag
from safehub.protocols.policy import Deadlines, telephone_prompts
from safehub.sharing.vocabulary import Condition


@dataclass(frozen=True)
class RequestRow:
    request: AgencyRequest
    due: Due | None
    current: AgencyResponse | None  # the latest submitted response, corrections included
    history: list[AgencyResponse]  # earlier, superseded responses
    late: bool  # answered after its due time (as the timeliness report counts it)
    phone: str = ""  # the protocol's prompt to telephone the agency too (003 §2.6), while it is outstanding
    after_submission: bool = False  # answered after the checks went for decision (whether late or not)

    @property
    def withdrawn(self) -> bool:
        return self.request.state == RequestState.WITHDRAWN

    @property
    def status(self) -> str:
        if self.withdrawn:
            return "Withdrawn"
        if self.current is None:
            return "Outstanding"
        return "Nothing known" if self.current.nothing_known else "Information held"


def phone_prompt(request: AgencyRequest, prompts: Deadlines | None, *, rating: str) -> str:
    """'Telephone Elm Road Surgery as well: …' while an outstanding request's answer is needed
    sooner than the protocol's telephone prompt says (Sefton 003 §2.6); else ''."""
    if prompts is None or request.state != RequestState.SENT:
        return ""
    prompt = prompts.phone_prompt(
        sent_at=request.sent_at, due_at=request.due_at, agency=request.agency.kind, rating=rating
    )
    if prompt is None:
        return ""
    return (
        f"Telephone {request.agency} as well: the answer is needed within less than"
        f" {prompt.amount.normalize():f} {prompt.get_unit_display()} of the request (local protocol)"
    )


def request_phone_prompt(request: AgencyRequest) -> str:
    """The telephone prompt for one request (its page), under the active protocol."""
    return phone_prompt(request, telephone_prompts(), rating=request.checks.rating)


def practice_email_note(request: AgencyRequest) -> str:
    """Whether a GP practice's request was emailed to the practice's agreed secure address (003 §2.6),
    for its page; '' for any other agency's request."""
    if request.agency.kind != AgencyKind.GP_PRACTICE:
        return ""
    email = PracticeEmail.objects.filter(request=request).first()
    if email is None:
        later = "" if request.agency.secure_email else " An administrator can add its address on the agency's page."
        return (
            f"Not emailed: {request.agency} had no agreed secure email address in Safehub when this request was"
            f" sent. Send the form to the practice another secure way, or telephone it.{later}"
        )
    if email.emailed_at is not None:
        return f"Emailed with its form to {request.agency}'s agreed secure address, {email.address}, on {shown_london_time(email.emailed_at)}."
    if request.state != RequestState.SENT:
        return f"Not emailed: the request was {request.get_state_display().lower()} before the email went."
    return f"Waiting to be emailed with its form to {request.agency}'s agreed secure address, {email.address}."


def not_emailed(requests: Iterable[AgencyRequest]) -> str:
    """What the hub is told after sending requests when a GP practice among them has no agreed secure
    email address, so was not emailed its form; '' when none."""
    names = [
        request.agency.name
        for request in requests
        if request.agency.kind == AgencyKind.GP_PRACTICE and not PracticeEmail.objects.filter(request=request).exists()
    ]
    if not names:
        return ""
    return (
        f"Not emailed: {', '.join(names)} {'has' if len(names) == 1 else 'have'} no agreed secure email address in"
        " Safehub. The hub's health partner can download the form from the request and send it another secure way."
    )


def request_rows(checks: MashChecks, *, at: datetime) -> list[RequestRow]:
    rows = []
    prompts = telephone_prompts()
    for request in checks.requests.all():
        submitted = [r for r in request.responses.all() if r.status == ResponseStatus.SUBMITTED]
        current = submitted[-1] if submitted else None
        answered = request.answered_at
        late = answered is not None and answered > request.due_at
        after = answered is not None and checks.submitted_at is not None and answered > checks.submitted_at
        rows.append(
            RequestRow(
                request,
                due(request.due_at, at=at) if request.state == RequestState.SENT else None,
                current,
                submitted[:-1],
                late,
                phone_prompt(request, prompts, rating=checks.rating),
                after,
            )
        )
    return rows


@dataclass(frozen=True)
class ChecksShown:
    """A set of MASH checks as every page that shows its answers draws it (checks/_answers.html):
    the checks page, the contact page, the recommend and approve pages and the contact's PDF pack."""

    checks: MashChecks
    questions: str  # what every agency was asked, when it was the same for all; else "" (each card says)
    rows: list[RequestRow]
    # The answers (pks) the viewer may not read: kept to the MASH's qualified staff by their agency.
    hidden: frozenset[int] = frozenset()

    @property
    def status(self) -> str:
        """'Submitted for decision on 24 November 2026, 10:05 by Sam Okafor'; while open, 'Waiting
        for agencies' or, once none is outstanding, that the checks are ready to submit."""
        checks = self.checks
        if checks.submitted_at is None:
            if self.rows and all(row.withdrawn or row.current is not None for row in self.rows):
                return "Every agency has answered: ready to submit for decision"
            return checks.get_state_display()
        return f"{checks.get_state_display()} on {shown_date(checks.submitted_at)} by {checks.submitted_by}"


def checks_shown(checks: MashChecks, *, at: datetime, viewer: User) -> ChecksShown:
    """The checks with their requests and answers (prefetched: requests, agencies, responses), and
    which of the answers `viewer` may not read (Condition.MASH_ONLY; `can_read_mash_only`)."""
    rows = request_rows(checks, at=at)
    asked = {row.request.questions for row in rows}
    hidden: frozenset[int] = frozenset()
    if not can_read_mash_only(viewer):
        hidden = frozenset(
            response.pk
            for request in checks.requests.all()
            for response in request.responses.all()
            if Condition.MASH_ONLY in response.conditions
        )
    return ChecksShown(checks, asked.pop() if len(asked) == 1 else "", rows, hidden)


def short_time(when: datetime | None) -> str:
    """'24 Nov, 10:05' in London time, as the queues show times."""
    if when is None:
        return ""
    local = localtime(when)
    return f"{local.day} {local:%b, %H:%M}"


@dataclass(frozen=True)
class QueueRow:
    """One request on a partner's queue, worked out once in Python (the queue is the page partners
    load most; a template looking each part up is several times slower)."""

    pk: int
    href: str
    people: str
    risk: str
    agency: str
    sent: str
    answered: str
    due: Due | None


def queue_rows(requests: Iterable[AgencyRequest], *, at: datetime) -> list[QueueRow]:
    """Outstanding requests with their risk, agency and due time (the checks and agency joined in);
    answered ones with when (nothing joined)."""
    rows = []
    for request in requests:
        outstanding = request.state == RequestState.SENT
        rows.append(
            QueueRow(
                pk=request.pk,
                href=reverse("checks:request", args=[request.pk]),
                people=request.people,
                risk=request.checks.get_rating_display() if outstanding else "",
                agency=str(request.agency) if outstanding else "",
                sent=short_time(request.sent_at),
                answered=short_time(request.answered_at),
                due=due(request.due_at, at=at) if outstanding else None,
            )
        )
    return rows


@dataclass(frozen=True)
class AlertRow:
    pk: int
    kind: str
    request_id: int
    href: str  # the request, for its agency's partner; the set of checks, for the hub
    agency: str
    due: str


def alert_rows(alerts: Iterable[Mapping[str, Any]], *, for_partner: bool) -> list[AlertRow]:
    """The alerts banner's lines (checks/_alerts.html) from `checks.queries.unread_alerts`: each
    alert's links and times made once here, not by template tags on every page that shows it."""
    request_link = record_links("checks:request")
    checks_link = record_links("checks:checks")
    return [
        AlertRow(
            pk=alert["pk"],
            kind=AlertKind(alert["kind"]).label,
            request_id=alert["request_id"],
            href=request_link(alert["request_id"]) if for_partner else checks_link(alert["request__checks_id"]),
            agency=alert["request__agency__name"],
            due=short_time(alert["request__due_at"]),
        )
        for alert in alerts
    ]


def not_asked_about(
    checks: MashChecks, amendments: Iterable[Amendment], subjects: Iterable[ContactSubject]
) -> list[str]:
    """A warning for each person added to the contact after these checks' requests went out: the
    agencies were sent the people named then (`request_subjects`), so nobody asked about this one."""
    names = {subject.pk: subject.display_name for subject in subjects}  # people removed since are not here
    return [
        f"{names[amendment.subject_id]} was added to the contact after these MASH checks were sent, so the"
        " agencies were not asked about them. Phone each agency, and record what they say as information on"
        " the contact."
        for amendment in amendments
        if amendment.kind == AmendmentKind.PERSON_ADDED
        and amendment.subject_id in names
        and amendment.at > checks.started_at
        and checks.state == ChecksState.OPEN
    ]


class AskedForChecks(TimelineSource):
    """On the contact's timeline: each time a social worker asked a manager to start MASH checks,
    with what they said the agencies need to be asked."""

    lookups = (Prefetch("checks_asked", queryset=ChecksAsked.objects.select_related("asked_by")),)

    def entries(self, contact: Contact) -> list[TimelineEntry]:
        return [
            TimelineEntry("MASH checks asked for", asked.asked_at, str(asked.asked_by), asked.reason)
            for asked in contact.checks_asked.all()
        ]


class ContactPanel(Panel):
    """The contact's MASH checks, with a warning for each answer that came after they went for
    decision and, once the outcome names one, the allocated social worker it was sent to."""

    template_name = "checks/_contact_panel.html"
    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = (Prefetch("mash_checks", queryset=checks_with_answers()),)
    related = ("late_answer_recipients__allocated_worker",)

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        checks = list(contact.mash_checks.all())
        if not checks:
            return None
        recipients = getattr(contact, "late_answer_recipients", None)
        worker = recipients.allocated_worker if recipients is not None else None
        sent_to = f" It was sent to the allocated social worker, {worker}." if worker is not None else ""
        amendments, subjects = list(contact.amendments.all()), list(contact.subjects.all())
        return {
            "checks": checks,
            "not_asked": [text for each in checks for text in not_asked_about(each, amendments, subjects)],
            "shown": [checks_shown(each, at=at, viewer=user) for each in checks],
            "late": [
                f"{request.agency} answered on {shown_date(request.answered_at)}, after the checks went for decision."
                f" Read the answer before acting on the decision.{sent_to}"
                for each in checks
                for request in each.late_requests()
            ],
            "allocated_worker": worker,
        }

    def actions(self, record: Contact, *, user: User) -> list[Action]:
        if not can_start_checks(user, record):
            return []
        return [Action("Start MASH checks", reverse("checks:start", args=[record.pk]))]


def queue_caption(*, waiting: int, overdue: int, page_number: int, pages: int) -> str:
    """'3 waiting for your answer, 1 overdue; soonest due first (page 1 of 2)', above a partner's queue."""
    overdue_part = f", {overdue} overdue" if overdue else ""
    page_part = f" (page {page_number} of {pages})" if pages > 1 else ""
    return f"{waiting} waiting for your answer{overdue_part}; soonest due first{page_part}"


def sent_people(subjects: Iterable[dict[str, Any]], *, mothers_born: bool) -> list[dict[str, Any]]:
    """The people a request was sent about, each with `label`: "Mia Okafor (child); mother: Ada Okafor",
    and the mother's date of birth after it if `mothers_born`."""
    people = []
    for person in subjects:
        label = f"{person.get('name', '')} ({person.get('role', '')})"
        mother = person.get("mother")
        if mother:
            born = (
                f", born {shown_day(mother['date_of_birth'])}" if mothers_born and mother.get("date_of_birth") else ""
            )
            label += f"; mother: {mother.get('name', '')}{born}"
        people.append({**person, "label": label})
    return people


@dataclass(frozen=True)
class SubmittedResponse:
    """A submitted response (or correction) as the agency's request page shows it."""

    heading: str  # "Correction submitted 2 March 2026, 10:05 by Jo Bloggs"
    reason: str  # " (why it was corrected)" after the heading, for a correction
    information: str
    analysis: str
    searched: str  # "Searched: …. Restriction: …"


def submitted_responses(responses: Iterable[AgencyResponse]) -> list[SubmittedResponse]:
    """Every answer the agency submitted, oldest first, each superseded one saying so."""
    submitted = [response for response in responses if response.status == ResponseStatus.SUBMITTED]
    superseded = {response.supersedes_id for response in submitted}
    shown = []
    for response in submitted:
        kind = "Correction" if response.supersedes_id else "Response"
        if response.pk in superseded:
            kind = f"Earlier {kind.lower()} (superseded)"
        conditions = "; ".join(response.condition_labels)
        restriction = f". Your conditions: {conditions}" if conditions else ""
        restriction += f" ({response.handling_restriction})" if response.handling_restriction else ""
        shown.append(
            SubmittedResponse(
                heading=f"{kind} submitted {shown_date(response.submitted_at)} by {response.author}",
                reason=f" ({response.correction_reason})" if response.supersedes_id else "",
                information="Nothing known." if response.nothing_known else response.information,
                analysis=response.analysis,
                searched=f"Searched: {response.sources_searched}{restriction}",
            )
        )
    return shown


@dataclass(frozen=True)
class WorktrayRow:
    reference: str
    href: str
    children: str
    rating: str
    rating_tag: str
    coordinator: str
    answers: str  # "1 of 3 answered"
    overdue: int
    due: Due | None


def worktray_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    children: Mapping[int, list[str]],
    coordinators: Mapping[int, str],
    at: datetime,
) -> list[WorktrayRow]:
    """The rows of the checks worktray (checks.worktray.open_checks), one per set of checks."""
    link = record_links("checks:checks")
    result = []
    for row in rows:
        answered = row["requests_sent"] - row["outstanding"]
        result.append(
            WorktrayRow(
                reference=row["contact__reference"],
                href=link(row["pk"]),
                children=", ".join(children.get(row["contact_id"], ())) or "Not recorded",
                rating=Brag(row["rating"]).label,
                rating_tag=brag_tag_class(row["rating"]),
                coordinator=coordinators.get(row["coordinator_id"], ""),
                answers=f"{answered} of {row['requests_sent']} answered",
                overdue=row["overdue"],
                due=due(row["next_due"], at=at),
            )
        )
    return result


def ask_for_checks(user: User, contact: Contact, *, form: Any = None) -> dict[str, Any] | None:
    """On the threshold page: the social worker's form to ask a manager for MASH checks, or the
    ask already made (for everyone), or nothing."""
    asked = contact.checks_asked.filter(settled_at__isnull=True).select_related("asked_by").first()
    if asked is not None:
        return {"asked": asked}
    if not can_ask_for_checks(user, contact):
        return None
    return {"form": form or AskForChecksForm(initial={"version": contact.version}), "contact": contact}
