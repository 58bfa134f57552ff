"""The steps every hub's scenario takes, through the real services and as the right users: a hub
with its profile active, a contact recorded and screened, MASH checks asked and answered, a
recommendation approved and its outcome actioned, and what a closed contact's history says.

Each step moves the pinned clock to its own time first (`Hub.at`), so that what a service reads
from the clock itself (today's date, the age of a child) agrees with the `at` it is given."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import verify_chain
from safehub.checks import services as checks
from safehub.checks.models import AgencyRequest, AgencyResponse, MashChecks
from safehub.checks.tests.helpers import submit_answer
from safehub.consent import services as consent
from safehub.consent.models import ConsentAnswer, ConsentMethod, ConsentRecord
from safehub.contacts.models import (
    Channel,
    ConsentPosition,
    Contact,
    ContactSubject,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.services import ContactDetails, record_contact, start_screening
from safehub.contacts.workflow import ContactState, Event
from safehub.core.working_time import LONDON
from safehub.decisions import services as decisions
from safehub.decisions.models import Decision, Outcome, OutcomeAction, Recommendation
from safehub.people.models import Person, PersonKind, Sex
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.models import Brag, LocalProtocol, ThresholdLevel
from safehub.protocols.services import activate_protocol
from safehub.screening.models import Screening, ScreeningRoute
from safehub.screening.services import identify_subject, record_screening

# The partner agencies a scenario's hub may have, by kind (fictional names).
PARTNER_NAMES = {
    AgencyKind.POLICE: "Example Police",
    AgencyKind.HEALTH: "Example Health Trust",
    AgencyKind.EDUCATION: "Example Education Service",
    AgencyKind.PROBATION: "Example Probation Service",
    AgencyKind.HOUSING: "Example Housing",
    AgencyKind.DOMESTIC_ABUSE: "Example Women's Aid",
    AgencyKind.EARLY_HELP: "Example Early Help Hub",
    AgencyKind.GP_PRACTICE: "Elm Road Surgery",
}


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment on the hub's wall clock (Europe/London)."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


RATIONALE = "The account is consistent, the agencies' information agrees, and the child's needs are clear."


@dataclass
class Hub:
    """One hub's people, with its protocol active and the clock in the scenario's hands."""

    protocol: LocalProtocol
    team: Team
    clock: Any  # the time_machine fixture
    contact_officer: User
    social_worker: User
    senior_practitioner: User
    manager: User
    coordinator: User
    agencies: dict[str, Agency] = field(default_factory=dict)
    partners: dict[str, User] = field(default_factory=dict)

    def at(self, when: datetime) -> datetime:
        """Move the clock to `when` (and keep it there) for the step about to be taken."""
        self.clock.move_to(when, tick=False)
        return when

    def level(self, code: str) -> ThresholdLevel:
        return self.protocol.levels.get(code=code)

    def asked(self, *kinds: str) -> list[Agency]:
        return [self.agencies[kind] for kind in kinds]


def open_hub(
    slug: str,
    *,
    partners: Iterable[AgencyKind],
    administrator: User,
    team: Team,
    staff: Mapping[str, User],
    clock: Any,
) -> Hub:
    """The hub's shipped profile activated by an administrator, and a partner agency of each kind
    with its designated professional."""
    protocol = LocalProtocol.objects.get(slug=slug)
    activate_protocol(protocol, by=administrator)
    protocol.refresh_from_db()
    hub = Hub(protocol=protocol, team=team, clock=clock, **staff)
    for kind in partners:
        agency = PartnerAgencyFactory(name=PARTNER_NAMES[kind], kind=kind)
        desk = TeamFactory(name=f"{agency.name} MASH desk", agency=agency)
        hub.agencies[kind] = agency
        hub.partners[kind] = user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username=f"{kind}.partner")
    return hub


# Intake ---------------------------------------------------------------------------------------


def child(
    given: str, family: str, born: date, *, sex: str = Sex.FEMALE, role: str = SubjectRole.CHILD
) -> dict[str, Any]:
    return {
        "role": role,
        "kind": PersonKind.CHILD,
        "given_name": given,
        "family_name": family,
        "sex": sex,
        "date_of_birth": born,
        "postcode": "ZZ1 1ZZ",
    }


def adult(
    given: str, family: str, born: date, *, sex: str = Sex.FEMALE, role: str = SubjectRole.PARENT
) -> dict[str, Any]:
    return {
        "role": role,
        "kind": PersonKind.ADULT,
        "given_name": given,
        "family_name": family,
        "sex": sex,
        "date_of_birth": born,
        "postcode": "ZZ1 1ZZ",
        "has_parental_responsibility": role == SubjectRole.PARENT,
    }


def professional(**overrides: Any) -> dict[str, Any]:
    """A request for support from a school's designated safeguarding lead, the family told and agreeing."""
    fields: dict[str, Any] = {
        "channel": Channel.FORM,
        "source": ReferralSource.SCHOOLS,
        "referrer_kind": ReferrerKind.PROFESSIONAL,
        "referrer_name": "Nadia Brookfield",
        "referrer_role": "Designated safeguarding lead",
        "referrer_agency": "Example Primary School",
        "referrer_phone": "01632 960123",
        "concern_categories": ["neglect"],
        "narrative": "The children arrive at school hungry and unwashed most days this term.",
        "immediate_protection": YesNoUnknown.NO,
        "parents_aware": YesNoUnknown.YES,
        "parents_agree": YesNoUnknown.YES,
        "consent": ConsentPosition.GIVEN,
    }
    fields.update(overrides)
    return fields


def record(hub: Hub, *, received: datetime, at: datetime, subjects: list[dict[str, Any]], **fields: Any) -> Contact:
    """The contact officer records the contact at `at`, received at `received`."""
    hub.at(at)
    return record_contact(
        ContactDetails({**professional(**fields), "received_at": received}, subjects),
        team=hub.team,
        by=hub.contact_officer,
        at=at,
    )


def known_child(given: str, family: str, born: date) -> Person:
    """A child the person index already holds (from the hub's case system: numbered apart from the
    records screening creates, P0000001 upwards)."""
    person: Person = PersonFactory(
        given_name=given, family_name=family, date_of_birth=born, local_id=f"LCS-{given}-{family}"
    )
    return person


def subject(contact: Contact, given_name: str) -> ContactSubject:
    return contact.subjects.get(given_name=given_name)


def identify(hub: Hub, contact: Contact, *, at: datetime, known: Mapping[str, Person] | None = None) -> None:
    """The contact officer starts basic screening and links each person to the person index (`known`,
    by first name) or records them as new (002 §3: screening confirms who the child is)."""
    hub.at(at)
    contact.refresh_from_db()
    start_screening(contact, by=hub.contact_officer, at=at)
    for person in contact.subjects.all():
        linked = (known or {}).get(person.given_name)
        identify_subject(
            person,
            person=linked,
            by=hub.contact_officer,
            at=at,
            version=contact.version,
            match_probability=0.97 if linked is not None else None,
            candidates_shown=1 if linked is not None else 0,
        )


def route(
    hub: Hub,
    contact: Contact,
    *,
    at: datetime,
    to: ScreeningRoute = ScreeningRoute.REFER_FOR_THRESHOLD,
    signposted_to: str = "",
) -> Screening:
    """The contact officer routes the screened contact."""
    hub.at(at)
    contact.refresh_from_db()
    return record_screening(
        contact, route=to, signposted_to=signposted_to, by=hub.contact_officer, at=at, version=contact.version
    )


def screen(
    hub: Hub,
    contact: Contact,
    *,
    at: datetime,
    to: ScreeningRoute = ScreeningRoute.REFER_FOR_THRESHOLD,
    known: Mapping[str, Person] | None = None,
    signposted_to: str = "",
) -> Screening:
    """Basic screening start to finish: identify everyone, then route the contact."""
    identify(hub, contact, at=at, known=known)
    return route(hub, contact, at=at, to=to, signposted_to=signposted_to)


# Consent --------------------------------------------------------------------------------------


def consent_of(
    hub: Hub,
    contact: Contact,
    name: str,
    *,
    purpose: str,
    given_by: str,
    at: datetime,
    answer: str = ConsentAnswer.GIVEN,
    giver_name: str = "",
) -> ConsentRecord:
    """What one person on the contact (or their parent, `giver_name`) said, recorded by the social worker."""
    hub.at(at)
    return consent.record_consent(
        contact,
        consent.Answer(
            subject_id=subject(contact, name).pk,
            purpose=purpose,
            answer=answer,
            given_by=given_by,
            giver_name=giver_name,
            given_on=at.astimezone(LONDON).date(),
            method=ConsentMethod.VERBAL,
        ),
        by=hub.social_worker,
        at=at,
    )


# MASH checks ----------------------------------------------------------------------------------


def requests_by_kind(checks_made: MashChecks) -> dict[str, AgencyRequest]:
    return {request.agency.kind: request for request in checks_made.requests.select_related("agency")}


def answer(
    hub: Hub, request: AgencyRequest, *, at: datetime, information: str = "", by: User | None = None, **extra: Any
) -> AgencyResponse:
    """The agency's designated professional (or `by`) answers: what it holds with its analysis, or
    nothing known."""
    hub.at(at)
    request.refresh_from_db()
    if information:
        extra.update(information=information, analysis="Relevant to the concern: see the history given.")
    return submit_answer(request, by=by or hub.partners[request.agency.kind], at=at, **extra)


def submit(hub: Hub, checks_made: MashChecks, *, at: datetime) -> MashChecks:
    """The coordinating social worker collates the answers and submits them with their analysis."""
    hub.at(at)
    checks_made.refresh_from_db()
    return checks.submit_for_decision(
        checks_made,
        analysis="Taken together the agencies' answers show the risk is as the referrer described.",
        by=hub.social_worker,
        at=at,
        version=checks_made.version,
    )


# The decision ---------------------------------------------------------------------------------

Choice = tuple[Brag, str, Outcome]  # rating, level of need (its code), outcome


def recommend(
    hub: Hub,
    contact: Contact,
    *,
    at: datetime,
    choices: Mapping[str, Choice],
    by: User | None = None,
    criteria: Iterable[str] = (),
) -> Recommendation:
    """The social worker's rating, level of need and outcome for each child (by first name), and the
    protocol's early help `criteria` the situation meets (002 §9(c))."""
    hub.at(at)
    contact.refresh_from_db()
    children = {
        subject(contact, name).pk: decisions.ChildChoice(rating, hub.level(code), outcome)
        for name, (rating, code, outcome) in choices.items()
    }
    return decisions.recommend(
        contact,
        children=children,
        rationale=RATIONALE,
        by=by or hub.social_worker,
        at=at,
        version=contact.version,
        criteria=list(criteria),
    )


def approve(hub: Hub, contact: Contact, *, at: datetime, by: User) -> Decision:
    """`by` approves each child's recommended outcome."""
    hub.at(at)
    contact.refresh_from_db()
    recommended = contact.recommendations.latest("recommended_at", "pk")
    outcomes = {child.subject_id: Outcome(child.outcome) for child in recommended.children.all()}
    return decisions.approve(
        contact, outcomes=outcomes, rationale="Agreed: " + RATIONALE, by=by, at=at, version=contact.version
    )


def action(
    hub: Hub,
    contact: Contact,
    *,
    at: datetime,
    told_at: datetime,
    sent_to: str = "",
    worker: User | None = None,
    allocations: Mapping[Outcome, decisions.Allocation] | None = None,
) -> OutcomeAction:
    """The approved outcome carried out (to the team `sent_to` and social worker `worker`, or by
    `allocations`), the referrer told by phone at `told_at`: the contact closes."""
    hub.at(at)
    contact.refresh_from_db()
    return decisions.action_outcome(
        contact,
        sent_to=sent_to,
        referrer_informed_at=told_at,
        referrer_informed_by="phone",
        notes="",
        by=hub.social_worker,
        at=at,
        version=contact.version,
        allocated_worker=worker,
        allocations=allocations,
    )


# What a closed contact's record says ----------------------------------------------------------


def events(contact: Contact) -> list[Event]:
    return [Event(change.event) for change in contact.state_changes.order_by("at", "pk")]


def verbs(contact: Contact) -> list[str]:
    return list(AuditEvent.objects.filter(contact=contact).order_by("seq").values_list("verb", flat=True))


def assert_closed(contact: Contact, expected: list[Event]) -> None:
    """The contact ended closed with no clock running, through exactly `expected`; each move is a
    state change row with who made it, and an audit event; the audit chain is intact (STYLE §4.10)."""
    contact.refresh_from_db()
    assert contact.state == ContactState.CLOSED
    assert contact.current_due_at is None
    assert events(contact) == expected
    changes = list(contact.state_changes.order_by("at", "pk"))
    assert all(change.by_id is not None for change in changes)
    assert changes[0].from_state == ContactState.RECEIVED
    assert all(a.to_state == b.from_state for a, b in pairwise(changes))
    moves = AuditEvent.objects.filter(contact=contact, verb=Verb.STATE_CHANGED).order_by("seq")
    assert [event.data["event"] for event in moves] == [event.value for event in expected]
    assert verbs(contact)[0] == Verb.CONTACT_RECORDED
    assert verify_chain().intact
