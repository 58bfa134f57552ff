"""The hub's side of MASH checks: starting them, withdrawing a request that is no longer needed, and
submitting the checks for a decision. Every action is one transaction with its audit events; every
request sent is a recorded disclosure. A partner agency's answer is in `checks.answers`, and the
forwarding of answers that come after the checks went for decision in `checks.late_answers`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.timezone import localtime

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks import gp_requests, permissions
from safehub.checks.alerts import settle_alerts
from safehub.checks.models import AgencyRequest, ChecksAsked, ChecksState, MashChecks, RequestState
from safehub.checks.workflow import ChecksEvent, RequestEvent
from safehub.consent import services as consent_services
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import everyone_consented, positions, sharing_line
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.services import clock_rating, threshold_due, transition
from safehub.contacts.workflow import ContactState, Event
from safehub.core import lifecycle
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.races import claim
from safehub.people.models import PersonKind
from safehub.protocols.models import Brag, Clock, LocalProtocol
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.sharing.exits import Exit, release
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Basis, Category, Purpose, basis_problems

# What a manager starting MASH checks is offered (003 Appendix 3; 000 §4.1); they may choose others.
DEFAULT_BASES: tuple[Basis, ...] = SAFEGUARDING_BASES
PURPOSE = Purpose.MASH_CHECKS
# What a request holds (`_person`, `_send_request`): who the people are, the concern, the risk, consent.
REQUEST_CATEGORIES = (Category.IDENTITY, Category.CONCERN, Category.RISK, Category.CONSENT)
# A GP practice's request also names the earlier contacts about the children, and why they came.
GP_REQUEST_CATEGORIES = (Category.INVOLVEMENT,)


def preselected_agencies() -> list[Agency]:
    """The active protocol's always-checked agencies (Bexley: health, education, police)."""
    kinds = active_protocol().always_checked_agencies
    return list(Agency.objects.filter(kind__in=kinds, is_host=False).order_by("name"))


def _person(subject: ContactSubject) -> dict[str, Any]:
    """What an agency needs to find one person in its systems, and no more: the name, date of
    birth, address and NHS number "if known" (000, partner offers; 000 "Proportionate": only what
    is necessary). What the referrer did not give is taken from the person index's record the
    subject was linked to at screening, so a request carries every identifier the hub holds."""
    known = subject.person
    born = subject.date_of_birth or (known.date_of_birth if known is not None else None)
    expected = subject.expected_date_of_delivery or (known.expected_date_of_delivery if known is not None else None)
    address, postcode = subject.address, subject.postcode
    if not (address or postcode) and known is not None and known.address is not None:
        held = known.address
        address = ", ".join(part for part in (held.line_1, held.line_2, held.town) if part)
        postcode = held.postcode
    return {
        "name": subject.display_name,
        "role": subject.get_role_display(),
        "date_of_birth": born.isoformat() if born else "",
        "expected_date_of_delivery": expected.isoformat() if expected else "",
        "address": address,
        "postcode": postcode,
        "nhs_number": subject.nhs_number or (known.nhs_number if known is not None else ""),
    }


def request_subjects(contact: Contact) -> list[dict[str, Any]]:
    """What an agency needs to search its systems, and no more: no narrative, no referrer."""
    subjects = list(contact.subjects.select_related("person__address").order_by("order"))
    mother = next((s for s in subjects if s.is_mother), None)
    people = []
    for subject in subjects:
        person = _person(subject)
        if subject.kind == PersonKind.UNBORN and mother is not None:
            person["mother"] = _person(mother)
        people.append(person)
    return people


@dataclass(frozen=True)
class StartChecks:
    reason: str
    rating: Brag
    coordinator: User
    agencies: Sequence[Agency]
    questions: str
    bases: Sequence[Basis]
    respond_by: datetime | None = None  # sooner than the protocol asks, for a strategy meeting say
    left_out_reason: str = ""  # why any of the protocol's always-checked agencies is not asked


def _names(agencies: Sequence[Agency]) -> str:
    """Agencies' names as a reader would list them: "A", "A and B", "A, B and C"."""
    names = [agency.name for agency in agencies]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def left_out(agencies: Sequence[Agency]) -> list[Agency]:
    """The active protocol's always-checked agencies that are not among `agencies`."""
    chosen = {agency.pk for agency in agencies}
    return [agency for agency in preselected_agencies() if agency.pk not in chosen]


def _validate(contact: Contact, start: StartChecks, by: User, at: datetime) -> None:
    if not permissions.can_start_checks(by):
        raise PermissionDenied
    if not permissions.can_start_checks(by, contact):
        raise DomainError("MASH checks start while a contact is waiting for its threshold decision")
    if not start.reason.strip():
        raise DomainError("Enter why MASH checks are needed", field="reason")
    if not permissions.can_be_coordinator(start.coordinator):
        raise DomainError("Choose a social worker to coordinate the checks", field="coordinator")
    if not start.agencies:
        raise DomainError("Choose at least one agency to ask", field="agencies")
    if any(agency.is_host for agency in start.agencies):
        raise DomainError("Children's social care holds the person index: choose partner agencies", field="agencies")
    missing = left_out(start.agencies)
    if missing and not start.left_out_reason.strip():
        raise DomainError(
            f"Say why {_names(missing)} {'is' if len(missing) == 1 else 'are'} not being asked:"
            " the local protocol always checks them",
            field="left_out_reason",
        )
    if not start.questions.strip():
        raise DomainError("Enter what the agencies are asked", field="questions")
    for problem in bases_problems(contact, start.bases, at=at):
        raise DomainError(problem, field="bases")
    if start.respond_by is not None and start.respond_by <= at:
        raise DomainError("The time to respond by must be in the future", field="respond_by")


def bases_problems(contact: Contact, bases: Sequence[Basis], *, at: datetime) -> list[str]:
    """What is wrong with the lawful bases chosen for sending requests about `contact`."""
    consented = everyone_consented(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date())
    return basis_problems(bases, everyone_consented=consented)


def _due(deadlines: Deadlines, start: StartChecks, agency: Agency, at: datetime) -> datetime:
    """The protocol's due time for this agency, or the manager's sooner one; never later than the protocol."""
    due = deadlines.request_due(start=at, rating=start.rating, agency=agency.kind)
    if due is None:
        raise DomainError("The local protocol sets no time for MASH checks: an administrator must add one")
    if start.respond_by is None:
        return due
    if start.respond_by > due:
        raise DomainError(
            f"The local protocol asks {agency} to answer by {localtime(due):%H:%M on %d %B}:"
            " you can ask for answers sooner, not later",
            field="respond_by",
        )
    return start.respond_by


def contact_due(deadlines: Deadlines, contact: Contact, *, rating: str, answers_due: datetime) -> datetime:
    """When a contact whose checks run is due: when the last answer is (`answers_due`), but never later
    than the protocol's overall decision clock from receipt at the contact's rating, where it has one.
    004 §6: "The agreed standard for the Walsall MASH to progress a child protection concern is within a
    maximum of 2 hours": a concern still in checks after them is overdue, whatever the agencies' times."""
    overall = deadlines.due(Clock.DECISION, start=contact.received_at, rating=clock_rating(contact, rating))
    return answers_due if overall is None else min(answers_due, overall)


def _send_request(
    checks: MashChecks,
    agency: Agency,
    *,
    questions: str,
    bases: Sequence[Basis],
    subjects: list[dict[str, Any]],
    consent: str,
    due: datetime,
    by: User,
    at: datetime,
) -> AgencyRequest:
    """One request to one agency, and what it was sent recorded as a disclosure (with its audit
    event). Call only from inside the calling service's transaction."""
    request = AgencyRequest.objects.create(
        checks=checks, agency=agency, questions=questions, subjects=subjects, due_at=due, sent_at=at
    )
    content: dict[str, Any] = {
        "subjects": subjects,
        "reason": checks.reason,
        "risk": Brag(checks.rating).label,
        "consent": consent,
        "questions": request.questions,
        "respond_by": due.isoformat(),
    }
    categories: tuple[Category, ...] = REQUEST_CATEGORIES
    if gp_requests.is_gp_practice(agency):
        # The practice's form (003 App. 5) asks for more: it is sent, and so recorded, with the rest.
        content["gp_form"] = gp_requests.form_content(checks, agency, due=due, by=by, at=at)
        categories = (*REQUEST_CATEGORIES, *GP_REQUEST_CATEGORIES)
    record_disclosure(
        checks.contact,
        to=agency,
        # A request holds the hub's own words only: no other agency's answer goes with it.
        released=release((), route=Exit.CHECK_REQUEST, to=agency.pk),
        content=content,
        purpose=PURPOSE,
        bases=bases,
        categories=categories,
        consent_position=consent,
        origin=request,
        by=by,
        at=at,
    )
    gp_requests.queue_email(request, at=at)
    return request


def start_checks(contact: Contact, start: StartChecks, *, by: User, at: datetime, version: int) -> MashChecks:
    """A manager decides checks are needed: one request, with its due time and disclosure, per agency.
    Not while anyone on the contact has no consent for MASH checks and no agreed override covers them
    (003 §2.5; ADR 0034): the refusal is recorded, and nothing is sent."""
    if not permissions.can_start_checks(by):
        raise PermissionDenied
    if not active_protocol().checks_without_consent:
        consent_services.require_sharing(contact, ConsentPurpose.MASH_CHECKS, by=by, at=at)
    return _start_checks(contact, start, by=by, at=at, version=version)


# What a request's consent says after each person's position when the local protocol let it go without
# everyone's consent (000: "Information is shared initially within CASS with or without consent in order to
# assess risk and harm").
WITHOUT_CONSENT = (
    "Shared without everyone's consent, as the local protocol allows for MASH checks: to assess risk and harm"
)


def _check_consent(contact: Contact, protocol: LocalProtocol, *, at: datetime) -> None:
    """Inside the sending transaction: the consent gate, asked again (it may have changed since the form
    was drawn), unless the protocol lets checks start without consent (000, Data and Information Sharing)."""
    if not protocol.checks_without_consent:
        consent_services.check_sharing(contact, ConsentPurpose.MASH_CHECKS, at=at)


def request_consent(contact: Contact, *, on: date, protocol: LocalProtocol | None = None) -> str:
    """Each person's consent for MASH checks as a request records it (the sharing ledger's consent), and,
    where the protocol let the checks go without someone's consent, that it did so (000: "shared initially
    within CASS with or without consent")."""
    protocol = protocol or active_protocol()
    found = positions(contact, ConsentPurpose.MASH_CHECKS, on=on)
    position = "; ".join(sharing_line(item) for item in found)
    if protocol.checks_without_consent and not all(item.may_share for item in found):
        return f"{position}; {WITHOUT_CONSENT}"
    return position


@transaction.atomic(durable=True)
def _start_checks(contact: Contact, start: StartChecks, *, by: User, at: datetime, version: int) -> MashChecks:
    _validate(contact, start, by, at)
    protocol = active_protocol()
    _check_consent(contact, protocol, at=at)
    claim(contact, version)
    deadlines = Deadlines(protocol)
    missing = left_out(start.agencies)
    checks = MashChecks.objects.create(
        contact=contact,
        reason=start.reason.strip(),
        left_out_reason=start.left_out_reason.strip() if missing else "",
        rating=start.rating,
        bases=[Basis(value).value for value in dict.fromkeys(start.bases)],
        coordinator=start.coordinator,
        started_by=by,
        started_at=at,
    )
    subjects = request_subjects(contact)
    consent = request_consent(contact, on=localtime(at).date(), protocol=protocol)  # each person's
    latest = at
    for agency in sorted(set(start.agencies), key=lambda a: a.name):
        due = _due(deadlines, start, agency, at)
        latest = max(latest, due)
        _send_request(
            checks,
            agency,
            questions=start.questions.strip(),
            bases=start.bases,
            subjects=subjects,
            consent=consent,
            due=due,
            by=by,
            at=at,
        )
    due = contact_due(deadlines, contact, rating=start.rating, answers_due=latest)
    transition(contact, Event.START_MASH_CHECKS, by=by, due_at=due, at=at, note=checks.reason)
    data: dict[str, Any] = {"checks": checks.pk, "agencies": len(set(start.agencies)), "rating": start.rating.value}
    if missing:
        data["left_out"] = [agency.pk for agency in missing]  # the reason is on the checks, not in the log
    record(Verb.MASH_CHECKS_STARTED, by=by, contact=contact, at=at, data=data)
    ChecksAsked.objects.filter(contact=contact, settled_at__isnull=True).update(settled_at=at)
    return checks


MIN_ASK_REASON = 15  # characters: what the manager needs to know, not "please"
ALREADY_ASKED = "A manager has already been asked to start MASH checks on this contact"


@transaction.atomic(durable=True)
def ask_for_checks(contact: Contact, *, reason: str, by: User, at: datetime, version: int) -> ChecksAsked:
    """A social worker asks a manager to start MASH checks, saying what they need to know. The ask
    shows on the threshold queue and the contact page until checks start."""
    if not permissions.can_ask_for_checks(by):
        raise PermissionDenied
    if permissions.has_checks(contact):
        raise DomainError("MASH checks have already been made on this contact: read the agencies' answers")
    if not permissions.can_ask_for_checks(by, contact):
        raise PermissionDenied
    claim(contact, version)
    text = reason.strip()
    if len(text) < MIN_ASK_REASON:
        raise DomainError(
            f"Say what the partner agencies need to be asked, and why, in at least {MIN_ASK_REASON} characters",
            field="reason",
        )
    if ChecksAsked.objects.filter(contact=contact, settled_at__isnull=True).exists():
        raise DomainError(ALREADY_ASKED, field="reason")
    try:
        with transaction.atomic():
            asked = ChecksAsked.objects.create(contact=contact, reason=text, asked_by=by, asked_at=at)
    except IntegrityError:  # another social worker asked at the same moment
        raise DomainError(ALREADY_ASKED, field="reason") from None
    record(Verb.MASH_CHECKS_ASKED_FOR, by=by, contact=contact, at=at, data={"asked": asked.pk})
    return asked


# Asking another agency -------------------------------------------------------------------------


@dataclass(frozen=True)
class AskAgencies:
    agencies: Sequence[Agency]
    questions: str
    bases: Sequence[Basis]


def agencies_not_asked(checks: MashChecks) -> models.QuerySet[Agency]:
    """The partner agencies these checks have not asked. An agency whose request was withdrawn
    has been asked: a set of checks asks each agency once (`one_request_per_agency`)."""
    return Agency.objects.filter(is_host=False).exclude(mash_requests__checks=checks).order_by("name")


def usual_questions(checks: MashChecks) -> str:
    """What the agencies were asked when the checks started: the default for another agency."""
    first = checks.requests.order_by("sent_at", "pk").first()
    return first.questions if first is not None else ""


@transaction.atomic(durable=True)
def ask_another_agency(
    checks: MashChecks, ask: AskAgencies, *, by: User, at: datetime, version: int
) -> list[AgencyRequest]:
    """The coordinator or a manager asks agencies the checks did not ask at the start (one was left
    out in error, or what an agency said points to another). Each request is sent, timed and
    recorded as a disclosure as those sent at the start were; the contact's due time stretches to
    the latest answer due, within the overall decision clock (`contact_due`)."""
    if not permissions.can_coordinate(by, checks):
        raise PermissionDenied
    if not permissions.can_ask_another_agency(by, checks):
        raise DomainError("These checks have been submitted for decision: no more agencies can be asked")
    claim(checks, version, noun="set of checks")
    chosen = sorted(set(ask.agencies), key=lambda a: a.name)
    if not chosen:
        raise DomainError("Choose at least one agency to ask", field="agencies")
    if any(agency.is_host for agency in chosen):
        raise DomainError("Children's social care holds the person index: choose partner agencies", field="agencies")
    asked = [agency for agency in chosen if checks.requests.filter(agency=agency).exists()]
    if asked:
        raise DomainError(
            f"{_names(asked)} {'has' if len(asked) == 1 else 'have'} already been asked in these checks",
            field="agencies",
        )
    problems = []
    if not ask.questions.strip():
        problems.append(Problem("Enter what the agencies are asked", field="questions"))
    problems += [Problem(problem, field="bases") for problem in bases_problems(checks.contact, ask.bases, at=at)]
    if problems:
        raise Refused(problems)
    # Moving the checks' version on first makes a second, simultaneous ask fail here, not at the
    # unique constraint: the same form sent twice asks once.
    lifecycle.compare_and_set(checks, noun="set of checks", where={"state": ChecksState.OPEN})
    protocol = active_protocol()
    deadlines = Deadlines(protocol)
    contact = checks.contact
    _check_consent(contact, protocol, at=at)  # someone added since may not have consented
    subjects = request_subjects(contact)
    consent = request_consent(contact, on=localtime(at).date(), protocol=protocol)
    requests = []
    for agency in chosen:
        due = deadlines.request_due(start=at, rating=checks.rating, agency=agency.kind)
        if due is None:
            raise DomainError("The local protocol sets no time for MASH checks: an administrator must add one")
        requests.append(
            _send_request(
                checks,
                agency,
                questions=ask.questions.strip(),
                bases=ask.bases,
                subjects=subjects,
                consent=consent,
                due=due,
                by=by,
                at=at,
            )
        )
    latest = contact_due(
        deadlines, contact, rating=checks.rating, answers_due=max(request.due_at for request in requests)
    )
    if contact.current_due_at is None or contact.current_due_at < latest:
        Contact.objects.filter(pk=contact.pk, state=ContactState.MASH_CHECKS).update(current_due_at=latest)
    record(
        Verb.AGENCY_REQUEST_ADDED,
        by=by,
        contact=contact,
        at=at,
        data={"checks": checks.pk, "requests": [request.pk for request in requests]},
    )
    return requests


# Withdrawing a request --------------------------------------------------------------------------


@transaction.atomic(durable=True)
def withdraw_request(request: AgencyRequest, *, reason: str, by: User, at: datetime, version: int) -> AgencyRequest:
    """The hub no longer needs an agency's answer (asked in error, or no longer proportionate). The
    agency sees the request as withdrawn, with the reason, and is reminded of it no more."""
    checks = request.checks
    if not permissions.can_withdraw_request(by, checks):
        raise PermissionDenied
    if request.state != RequestState.SENT:
        raise DomainError(
            f"Only an outstanding request can be withdrawn: this one is {request.get_state_display().lower()}"
        )
    claim(request, version, noun="request")
    if not reason.strip():
        raise DomainError("Enter why the request is withdrawn", field="reason")
    lifecycle.transition(
        request,
        RequestEvent.WITHDRAW,
        by=by,
        at=at,
        note=reason.strip(),
        fields={"withdrawn_at": at, "withdrawn_by": by, "withdrawn_reason": reason.strip()},
    )
    settle_alerts(request, at=at)
    record(
        Verb.AGENCY_REQUEST_WITHDRAWN,
        by=by,
        contact=checks.contact,
        at=at,
        data={"request": request.pk, "agency": request.agency_id},
    )
    return request


# Submitting for decision -----------------------------------------------------------------------


@transaction.atomic(durable=True)
def submit_for_decision(
    checks: MashChecks, *, analysis: str, outstanding_reason: str = "", by: User, at: datetime, version: int
) -> MashChecks:
    """The coordinator's analysis goes with the responses to the threshold decision. Submitting with a
    request still outstanding needs a recorded reason (a late answer is flagged on the contact)."""
    if not permissions.can_coordinate(by, checks):
        raise PermissionDenied
    if checks.state != ChecksState.OPEN:
        raise DomainError("These checks have already been submitted for decision")
    claim(checks, version, noun="set of checks")
    problems = []
    if not analysis.strip():
        problems.append(Problem("Enter your analysis of what the agencies hold", field="analysis"))
    outstanding = checks.requests.outstanding().count()
    if outstanding and not outstanding_reason.strip():
        problems.append(
            Problem(
                f"{outstanding} agency request{'s are' if outstanding > 1 else ' is'} still outstanding:"
                " give the reason for not waiting",
                field="outstanding_reason",
            )
        )
    if problems:
        raise Refused(problems)
    lifecycle.transition(
        checks,
        ChecksEvent.SUBMIT_FOR_DECISION,
        by=by,
        at=at,
        note=outstanding_reason.strip(),
        fields={
            "analysis": analysis.strip(),
            "outstanding_reason": outstanding_reason.strip(),
            "submitted_by": by,
            "submitted_at": at,
        },
    )
    contact = checks.contact
    # The level of risk the checks were started at carries into the decision clock.
    due = threshold_due(contact, rating=checks.rating)
    transition(contact, Event.SUBMIT_CHECKS_FOR_DECISION, by=by, due_at=due, at=at)
    record(
        Verb.MASH_CHECKS_SUBMITTED,
        by=by,
        contact=contact,
        at=at,
        data={"checks": checks.pk, "outstanding": outstanding},
    )
    return checks
