"""Races for the race tests: for each action that creates a row (or moves a record on), two people
sending the same form about the same record at the same moment, and how to count what it wrote.

A race is two requests whose views both read the record before either service writes. Each
`Race` says which service function the view calls (`target`), so that a test can hold the first
request there (tests/test_races.py: the second request runs whole in the gap, on one connection;
tests/test_races_threads.py: two threads meet at a barrier, each on its own connection)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import answers
from safehub.checks import services as checks_services
from safehub.checks.models import AgencyRequest, AgencyResponse, MashChecks
from safehub.checks.tests.helpers import start_checks
from safehub.consultations import services as consultations_services
from safehub.consultations.models import Consultation
from safehub.contacts import amendments, restrictions
from safehub.contacts import services as contacts_services
from safehub.contacts.models import Amendment, Contact, StateChange
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions import services as decisions_services
from safehub.decisions.models import Decision, Outcome, OutcomeAction, Recommendation
from safehub.decisions.tests.helpers import criteria_for
from safehub.handoffs import services as handoffs_services
from safehub.handoffs.models import Handoff
from safehub.matching import duplicates
from safehub.matching.models import DuplicatePair, Merge
from safehub.people.models import Person, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.protocols.models import Brag, LocalProtocol
from safehub.screening import services as screening_services
from safehub.screening import views as screening_views
from safehub.screening.models import Screening, ScreeningRoute


def _contact(factory: Any, team: Team) -> Contact:
    """A contact referenced apart from those the races' services number (C2026-000001 upwards)."""
    contact: Contact = factory(team=team, reference=f"T-{uuid.uuid4().hex[:12]}")
    return contact


def _person() -> Person:
    """A person record numbered apart from those the races' services number (P0000001 upwards)."""
    person: Person = PersonFactory(local_id=f"T{uuid.uuid4().hex[:12]}")
    return person


@dataclass
class Hub:
    team: Team
    manager: User
    second_manager: User
    social_worker: User
    senior_practitioner: User
    contact_officer: User
    police: Agency
    at: dt.datetime

    def front_door(self) -> User:
        return user_with_role(Role.CONTACT_OFFICER, team=self.team, username=f"officer.{uuid.uuid4().hex[:8]}")

    def checks(self) -> MashChecks:
        contact = _contact(ContactAwaitingThresholdFactory, self.team)
        return start_checks(
            contact, by=self.manager, coordinator=self.social_worker, agencies=[self.police], at=self.at
        )


@dataclass(frozen=True)
class Race:
    """Two people (`first`, `second`) post to `url`: `first`'s request reaches `target` (a
    module's function, as the view looks it up) first. `written()` counts what the action
    writes: the race must add exactly one."""

    url: str
    first: tuple[User, dict[str, Any]]
    second: tuple[User, dict[str, Any]]
    target: tuple[ModuleType, str]
    written: Callable[[], int]
    same_form: bool = False  # the same submission twice (one-time key): the loser lands on the record
    told: str = ""  # where the loser is sent back to the record with this notice, not answered 409


def _same(user: User, data: dict[str, Any]) -> tuple[tuple[User, dict[str, Any]], tuple[User, dict[str, Any]]]:
    return (user, data), (user, dict(data))


def _version(contact: Contact) -> int:
    contact.refresh_from_db()
    return contact.version


def _record_contact(hub: Hub) -> Race:
    from safehub.contacts.tests.test_views import contact_post

    first, second = _same(hub.contact_officer, contact_post(submission_key=str(uuid.uuid4())))
    return Race(
        reverse("contacts:record-contact"),
        first,
        second,
        (contacts_services, "record_contact"),
        Contact.objects.count,
        same_form=True,
    )


def _start_screening(hub: Hub) -> Race:
    contact = _contact(ContactFactory, hub.team)
    data = {"action": "start", "version": contact.version}
    return Race(
        reverse("screening:screen-contact", args=[contact.pk]),
        (hub.contact_officer, data),
        (hub.front_door(), data),
        (screening_views, "start_screening"),
        lambda: StateChange.objects.filter(contact=contact, to_state=ContactState.SCREENING).count(),
    )


def _screening_started(hub: Hub) -> Contact:
    contact = _contact(ContactFactory, hub.team)
    contacts_services.start_screening(contact, by=hub.contact_officer, at=hub.at)
    return contact


def _identify(hub: Hub) -> Race:
    contact = _screening_started(hub)
    subject = contact.subjects.get()
    prefix = f"subject-{subject.pk}"
    data = {
        "action": "identify",
        "subject_pk": subject.pk,
        f"{prefix}-person": "new",
        f"{prefix}-version": _version(contact),
    }
    return Race(
        reverse("screening:screen-contact", args=[contact.pk]),
        (hub.contact_officer, data),
        (hub.contact_officer, data),
        (screening_services, "identify_subject"),
        Person.objects.count,
    )


def _record_screening(hub: Hub) -> Race:
    contact = _screening_started(hub)
    contact.subjects.update(person=_person())
    data = {"action": "route", "route": "refer_for_threshold", "version": _version(contact)}
    return Race(
        reverse("screening:screen-contact", args=[contact.pk]),
        (hub.contact_officer, data),
        (hub.contact_officer, data),
        (screening_services, "record_screening"),
        lambda: Screening.objects.filter(contact=contact).count(),
    )


def _start_checks(hub: Hub) -> Race:
    contact = _contact(ContactAwaitingThresholdFactory, hub.team)
    data = {
        "version": contact.version,
        "reason": "Unclear risk",
        "rating": "amber",
        "coordinator": hub.social_worker.pk,
        "agencies": [hub.police.pk],
        "questions": "Known?",
        "bases": ["gdpr_6_1_e"],
        "left_out_reason": "The others were phoned",
    }
    return Race(
        reverse("checks:start", args=[contact.pk]),
        (hub.manager, data),
        (hub.second_manager, data),
        (checks_services, "start_checks"),
        lambda: MashChecks.objects.filter(contact=contact).count(),
    )


def _ask_another_agency(hub: Hub) -> Race:
    checks = hub.checks()
    health = PartnerAgencyFactory(name=f"Example Health Trust {uuid.uuid4().hex[:8]}", kind=AgencyKind.HEALTH)
    data = {"version": checks.version, "agencies": [health.pk], "questions": "Known?", "bases": ["gdpr_6_1_e"]}
    return Race(
        reverse("checks:ask-another-agency", args=[checks.pk]),
        (hub.social_worker, data),
        (hub.manager, data),
        (checks_services, "ask_another_agency"),
        lambda: AgencyRequest.objects.filter(checks=checks, agency=health).count(),
    )


def _partner(hub: Hub, name: str) -> User:
    desk = Team.objects.filter(agency=hub.police, name="Desk").first() or TeamFactory(name="Desk", agency=hub.police)
    return user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username=name)


def _answer(hub: Hub) -> Race:
    request = hub.checks().requests.get()
    data = {
        "version": request.version,
        "information": "Known",
        "analysis": "Risk",
        "sources_searched": "Niche",
        "action": "submit",
    }
    return Race(
        reverse("checks:request", args=[request.pk]),
        (_partner(hub, f"first.partner.{uuid.uuid4().hex[:8]}"), data),
        (_partner(hub, f"second.partner.{uuid.uuid4().hex[:8]}"), data),
        (answers, "save_response"),
        lambda: AgencyResponse.objects.filter(request=request, status="submitted").count(),
    )


def _submit_checks(hub: Hub) -> Race:
    checks = hub.checks()
    data = {"version": checks.version, "analysis": "Police know the family", "outstanding_reason": "Urgent"}
    return Race(
        reverse("checks:checks", args=[checks.pk]),
        (hub.social_worker, data),
        (hub.manager, data),
        (checks_services, "submit_for_decision"),
        lambda: AuditEvent.objects.filter(verb=Verb.MASH_CHECKS_SUBMITTED).count(),
    )


def _level() -> Any:
    return LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")


def _for_the_child(contact: Contact, **values: Any) -> dict[str, Any]:
    child = contact.subjects.get().pk
    return {f"child-{child}-{name}": value for name, value in values.items()}


def _recommend(hub: Hub) -> Race:
    contact = _contact(ContactAwaitingThresholdFactory, hub.team)
    contact.subjects.update(person=_person())
    data = {
        **_for_the_child(contact, rating="amber", level=_level().pk, outcome="early_help"),
        "early_help_criteria": criteria_for([Outcome.EARLY_HELP]),  # 002 §9(c): early help meets one
        "rationale": "Needs help",
        "version": _version(contact),
    }
    return Race(
        reverse("decisions:recommend", args=[contact.pk]),
        (hub.social_worker, data),
        (hub.senior_practitioner, data),
        (decisions_services, "recommend"),
        lambda: Recommendation.objects.filter(contact=contact).count(),
    )


def _recommended(hub: Hub, outcome: Outcome = Outcome.SECTION_17_ASSESSMENT) -> Contact:
    contact = _contact(ContactAwaitingThresholdFactory, hub.team)
    contact.subjects.update(person=_person())
    contact.refresh_from_db()
    decisions_services.recommend(
        contact,
        children=decisions_services.same_for_all(
            contact, decisions_services.ChildChoice(Brag.AMBER, _level(), outcome)
        ),
        rationale="Neglect",
        by=hub.social_worker,
        at=hub.at,
        version=contact.version,
    )
    return contact


def _approve(hub: Hub) -> Race:
    contact = _recommended(hub)
    data = {
        "verdict": "approve",
        **_for_the_child(contact, outcome="section_17_assessment"),
        "rationale": "Agreed.",
        "version": _version(contact),
    }
    return Race(
        reverse("decisions:approve", args=[contact.pk]),
        (hub.manager, data),
        (hub.second_manager, data),
        (decisions_services, "approve"),
        lambda: Decision.objects.filter(recommendation__contact=contact).count(),
    )


def _outcome(hub: Hub) -> Race:
    contact = _recommended(hub)
    contact.refresh_from_db()
    outcomes = {subject.pk: Outcome.SECTION_17_ASSESSMENT for subject in decisions_services.children_on(contact)}
    decisions_services.approve(
        contact, outcomes=outcomes, rationale="Agreed", by=hub.manager, at=hub.at, version=contact.version
    )
    data = {
        "sent_to": "Assessment team 2",
        "informed_on_0": "24",
        "informed_on_1": "11",
        "informed_on_2": "2026",
        "informed_time": "09:45",
        "informed_by": "email",
        "version": _version(contact),
    }
    return Race(
        reverse("decisions:action-outcome", args=[contact.pk]),
        (hub.contact_officer, data),
        (hub.front_door(), data),
        (decisions_services, "action_outcome"),
        lambda: OutcomeAction.objects.filter(contact=contact).count(),
    )


def _allocate(hub: Hub) -> Race:
    contact = _contact(ContactAwaitingThresholdFactory, hub.team)
    return Race(
        reverse("contacts:allocate", args=[contact.pk]),
        (hub.manager, {"version": contact.version, "worker": hub.social_worker.pk}),
        (hub.second_manager, {"version": contact.version, "worker": hub.senior_practitioner.pk}),
        (contacts_services, "allocate"),
        lambda: AuditEvent.objects.filter(verb=Verb.CONTACT_ALLOCATED, contact=contact).count(),
    )


def _restrict(hub: Hub) -> Race:
    contact = _contact(ContactAwaitingThresholdFactory, hub.team)
    data = {"version": contact.version, "reason": "Staff child", "people": [hub.social_worker.pk]}
    return Race(
        reverse("contacts:restrict", args=[contact.pk]),
        (hub.manager, data),
        (hub.second_manager, data),
        (restrictions, "restrict_contact"),
        lambda: AuditEvent.objects.filter(verb=Verb.CONTACT_RESTRICTED, contact=contact).count(),
    )


def _amend(hub: Hub) -> Race:
    contact = _contact(ContactAwaitingThresholdFactory, hub.team)

    def data() -> dict[str, Any]:
        return {
            "version": contact.version,
            "submission_key": str(uuid.uuid4()),
            "information": "Dad is back",
            "source": "School",
        }

    return Race(
        reverse("contacts:amend-information", args=[contact.pk]),
        (hub.social_worker, data()),
        (hub.senior_practitioner, data()),
        (amendments, "add_information"),
        lambda: Amendment.objects.filter(contact=contact).count(),
    )


def _consultation(hub: Hub) -> Race:
    from safehub.consultations.tests.test_consultations import _post

    first, second = _same(hub.social_worker, _post(submission_key=str(uuid.uuid4())))
    return Race(
        reverse("consultations:record"),
        first,
        second,
        (consultations_services, "record_consultation"),
        Consultation.objects.count,
        same_form=True,
    )


def _pair(hub: Hub) -> DuplicatePair:
    left, right = sorted([_person(), _person()], key=lambda p: p.pk)
    return DuplicatePair.objects.create(left=left, right=right, probability=0.8, found_at=hub.at)


def _not_same(hub: Hub) -> Race:
    pair = _pair(hub)
    data = {"version": pair.version, "decision": "not_same"}
    return Race(
        reverse("matching:pair", args=[pair.pk]),
        (hub.manager, data),
        (hub.second_manager, data),
        (duplicates, "mark_not_same"),
        lambda: AuditEvent.objects.filter(verb=Verb.NOT_SAME_PERSON).count(),
    )


def _merge(hub: Hub) -> Race:
    pair = _pair(hub)
    return Race(
        reverse("matching:pair", args=[pair.pk]),
        (hub.manager, {"version": pair.version, "decision": str(pair.left_id)}),
        (hub.second_manager, {"version": pair.version, "decision": str(pair.right_id)}),
        (duplicates, "merge"),
        lambda: Merge.objects.filter(pair=pair).count(),
    )


def _mark_received(hub: Hub) -> Race:
    name = f"locality.{uuid.uuid4().hex[:8]}"
    worker = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name=f"Locality {name}"), username=name)
    worker.email = f"{name}@example.org"
    worker.save()
    child = _person()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=worker.email)
    contact = _screening_started(hub)
    contact.subjects.update(person=child)
    contact.refresh_from_db()
    screening_services.record_screening(
        contact,
        route=ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER,
        by=hub.contact_officer,
        at=hub.at,
        version=contact.version,
    )
    handoff = Handoff.objects.get(contact=contact)
    first, second = _same(worker, {})
    return Race(
        reverse("handoffs:mark-received", args=[handoff.pk]),
        first,
        second,
        (handoffs_services, "mark_received"),
        lambda: AuditEvent.objects.filter(verb=Verb.HANDOFF_RECEIVED, contact=contact).count(),
        told="You had already marked this contact as received",
    )


RACES: dict[str, Callable[[Hub], Race]] = {
    "record a contact": _record_contact,
    "start screening": _start_screening,
    "identify a person": _identify,
    "record the screening": _record_screening,
    "start MASH checks": _start_checks,
    "ask another agency": _ask_another_agency,
    "answer a request": _answer,
    "submit MASH checks": _submit_checks,
    "recommend": _recommend,
    "approve": _approve,
    "record the outcome": _outcome,
    "allocate": _allocate,
    "restrict a contact": _restrict,
    "amend a contact": _amend,
    "record a consultation": _consultation,
    "decide a duplicate pair": _not_same,
    "merge a duplicate pair": _merge,
    "mark a hand-off received": _mark_received,
}


def make_hub(
    team: Team,
    *,
    manager: User,
    second_manager: User,
    social_worker: User,
    senior_practitioner: User,
    contact_officer: User,
    at: dt.datetime,
) -> Hub:
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    return Hub(team, manager, second_manager, social_worker, senior_practitioner, contact_officer, police, at)
