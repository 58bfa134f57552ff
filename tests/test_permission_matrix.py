"""Each role against each page: allowed (200/302), forbidden (403), or not found (404).

Rows are pages, columns are roles. A contact page answers 404 to anyone who may not see the
contact, so that its existence does not leak; an action the role can never take answers 403, except
to a partner professional, to whom a hub page answers 404 as another agency's record does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import PartnerAgencyFactory, user_with_role
from safehub.checks.models import AgencyRequest, MashChecks
from safehub.consent.services import ask_override
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.contacts.models import Channel, ConsentPosition, Contact, ReferralSource
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.domestic_abuse.services import record_notification
from safehub.domestic_abuse.tests.test_notifications import details as notification_details
from safehub.domestic_abuse.tests.test_notifications import notification_contact
from safehub.information_requests import services as information_requests
from safehub.information_requests.rules import Details
from safehub.letters import services as letters
from safehub.letters.models import LetterKind, School
from safehub.letters.models import Template as LetterTemplate
from safehub.letters.tests.helpers import actioned_contact
from safehub.matching.models import DuplicatePair
from safehub.meetings.services import open_meeting
from safehub.mfa.testing import sign_in_both_steps
from safehub.onward import services as onward
from safehub.onward.models import ReceivingTeam
from safehub.people.models import PersonKind, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.protocols.models import LocalProtocol
from safehub.returns.models import ReturnCheck
from safehub.sharing.vocabulary import Basis
from safehub.signin.models import AccountLockout
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for

pytestmark = pytest.mark.django_db

CO, SW, SP, TM = Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER
PARTNER, STRAT, PERF, DPO, ADMIN = (
    Role.PARTNER_PROFESSIONAL,
    Role.STRATEGY_COORDINATOR,
    Role.PERFORMANCE_LEAD,
    Role.DATA_PROTECTION_OFFICER,
    Role.ADMINISTRATOR,
)
ALL = [CO, SW, SP, TM, PARTNER, STRAT, PERF, DPO, ADMIN]
OUTSIDERS = {PARTNER: 404, PERF: 404, DPO: 404, ADMIN: 404}


def _contact(state: ContactState) -> Callable[[Any], str]:
    def make(team: Any) -> str:
        contact: Contact = ContactFactory(team=team, state=state)
        return contact.get_absolute_url()

    return make


def _contact_step(url_name: str, state: ContactState) -> Callable[[Any], str]:
    def make(team: Any) -> str:
        contact: Contact = ContactFactory(team=team, state=state)
        return reverse(url_name, args=[contact.pk])

    return make


def _under_walsall(make_url: Callable[[Any], str]) -> Callable[[Any], str]:
    """The page with Walsall's protocol active, whose approver is a manager (004 §5, §7)."""

    def make(team: Any) -> str:
        LocalProtocol.objects.filter(is_active=True).update(is_active=False)
        LocalProtocol.objects.filter(slug="walsall").update(is_active=True)
        return make_url(team)

    return make


def _override(team: Any) -> str:
    contact = ContactFactory(team=team, state=ContactState.AWAITING_THRESHOLD, consent=ConsentPosition.REFUSED)
    asker = user_with_role(Role.SOCIAL_WORKER, team=team)
    asked = ask_override(
        contact,
        "mash_checks",
        "The family refused; partners' information is needed today.",
        by=asker,
        at=timezone.now(),
    )
    return reverse("consent:override", args=[asked.pk])


def _actioned(team: Any, **fields: Any) -> Contact:
    """A contact whose outcome was approved and actioned, the referrer to be told from Safehub."""
    return actioned_contact(
        team,
        social_worker=user_with_role(Role.SOCIAL_WORKER, team=team),
        manager=user_with_role(Role.TEAM_MANAGER, team=team),
        at=timezone.now(),
        **fields,
    )


def _letters_step(url_name: str, *args: str, **fields: Any) -> Callable[[Any], str]:
    def make(team: Any) -> str:
        return reverse(url_name, args=[_actioned(team, **fields).pk, *args])

    return make


def _letter(url_name: str) -> Callable[[Any], str]:
    """A letter to the family, printed in the office, on an actioned contact of the team."""

    def make(team: Any) -> str:
        contact = _actioned(team)
        writer = user_with_role(Role.SOCIAL_WORKER, team=team)
        made = letters.draft(contact, kind=LetterKind.FAMILY, by=writer, at=timezone.now())
        message = letters.send(
            contact,
            kind=LetterKind.FAMILY,
            template_version=made.template_version,
            channel=made.channel,
            recipient_name=made.recipient_name,
            email="",
            postal_address=made.postal_address,
            subject=made.subject,
            body=made.body,
            by=writer,
            at=timezone.now(),
        )
        return reverse(url_name, args=[message.pk])

    return make


def _pack(url_name: str) -> Callable[[Any], str]:
    """A referral pack sent to an assessment team outside Safehub, from an actioned contact of the team."""

    def make(team: Any) -> str:
        contact = _actioned(team)
        receiving = ReceivingTeam.objects.create(
            name="Assessment Team 2", outcomes=["section_17_assessment"], email="assessment@example.gov.uk"
        )
        pack = onward.send_pack(
            contact,
            outcome=Outcome.SECTION_17_ASSESSMENT,
            team=receiving,
            by=user_with_role(Role.SOCIAL_WORKER, team=team),
            at=timezone.now(),
            submission_key=None,
        )
        return reverse(url_name, args=[pack.pk])

    return make


def _tell_school(team: Any) -> str:
    """A police notification of domestic abuse whose child's school is not in the register."""
    contact = notification_contact(team, timezone.now() - dt.timedelta(hours=1))
    officer = user_with_role(Role.CONTACT_OFFICER, team=team)
    record_notification(contact, notification_details(contact), by=officer, at=timezone.now(), version=None)
    return reverse("letters:tell-school", args=[contact.pk, contact.subjects.get(given_name="Mia").pk])


def _correct_person(team: Any) -> str:
    contact: Contact = ContactFactory(team=team, state=ContactState.AWAITING_THRESHOLD)
    return reverse("contacts:amend-person", args=[contact.pk, contact.subjects.get().pk])


FRONT_DOOR_ON_A_CONTACT = {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS}
AMEND_PAGES = [
    "amend",
    "amend-add-person",
    "amend-remove-person",
    "amend-details",
    "amend-information",
]


def _person(team: Any) -> str:
    return reverse("people:person", args=[PersonFactory().pk])


def _merged_person(team: Any) -> str:
    """A record merged into another: its address sends on whoever may see the survivor."""
    kept = PersonFactory()
    return reverse("people:person", args=[PersonFactory(merged_into=kept).pk])


def _end_involvement(team: Any) -> str:
    involvement = InvolvementFactory()
    return reverse("people:end-involvement", args=[involvement.person_id, involvement.pk])


def _checks(team: Any) -> str:
    contact = ContactFactory(team=team, state=ContactState.MASH_CHECKS)
    coordinator = user_with_role(Role.SOCIAL_WORKER, team=team, username="matrix.coordinator")
    checks = MashChecks.objects.create(
        contact=contact,
        reason="Unclear risk",
        rating="amber",
        bases=[Basis.GDPR_6_1_E],
        coordinator=coordinator,
        started_by=coordinator,
        started_at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC),
    )
    return reverse("checks:checks", args=[checks.pk])


def _withdraw(team: Any) -> str:
    """The coordinator (a social worker) and managers may withdraw; the matrix signs in as others."""
    checks = MashChecks.objects.get(pk=resolve(_checks(team)).kwargs["pk"])
    request = AgencyRequest.objects.create(
        checks=checks,
        agency=PartnerAgencyFactory(),
        questions="Known?",
        subjects=[{"name": "Test Child"}],
        due_at=dt.datetime(2026, 11, 24, 13, tzinfo=dt.UTC),
        sent_at=checks.started_at,
    )
    return reverse("checks:withdraw", args=[checks.pk, request.pk])


def _ask_another_agency(team: Any) -> str:
    """The coordinator (a social worker) and managers may ask; the matrix signs in as others."""
    checks = MashChecks.objects.get(pk=resolve(_checks(team)).kwargs["pk"])
    return reverse("checks:ask-another-agency", args=[checks.pk])


def _consultation(team: Any) -> str:
    recorder = user_with_role(Role.SOCIAL_WORKER, team=team, username="matrix.consultant")
    consultation = Consultation.objects.create(
        kind=ConsultationKind.ANONYMOUS,
        team=team,
        received_at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC),
        consultee_name="A teacher",
        question="Should I refer?",
        advice="Yes",
        recorded_by=recorder,
    )
    return reverse("consultations:consultation", args=[consultation.pk])


def _write_summary(team: Any) -> str:
    consultation = Consultation.objects.get(pk=resolve(_consultation(team)).kwargs["pk"])
    return reverse("letters:write-summary", args=[consultation.pk])


def _strategy_discussion(team: Any) -> StrategyDiscussion:
    worker = user_with_role(Role.SOCIAL_WORKER, team=team, username="matrix.strategy.worker")
    manager = user_with_role(Role.TEAM_MANAGER, team=team, username="matrix.strategy.manager")
    return approved_for_strategy(
        team, social_worker=worker, manager=manager, at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    )


def _record_strategy(team: Any) -> str:
    discussion = _strategy_discussion(team)
    coordinator = user_with_role(Role.STRATEGY_COORDINATOR, team=team, username="matrix.strategy.coordinator")
    chair = discussion.started_by
    arrange_for(discussion, by=coordinator, chair=chair, at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC))
    return reverse("strategy:record", args=[discussion.pk])


def _daily_meeting(team: Any) -> str:
    manager = user_with_role(Role.TEAM_MANAGER, team=team, username="matrix.meeting.manager")
    ContactFactory(team=team, initial_rating="red")
    meeting = open_meeting(team, by=manager, at=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    return reverse("meetings:meeting", args=[meeting.pk])


def _domestic_abuse_notification(team: Any) -> str:
    contact: Contact = ContactFactory(
        team=team, channel=Channel.POLICE_NOTIFICATION, concern_categories=["domestic_abuse"]
    )
    return reverse("domestic_abuse:record", args=[contact.pk])


def _triage(team: Any) -> str:
    """A domestic-abuse triage, in a hub whose protocol holds one (Birmingham's: weekdays, 000)."""
    LocalProtocol.objects.filter(is_active=True).update(
        triage_days=[0, 1, 2, 3, 4], triage_time=dt.time(10, 0), triage_members=["police"]
    )
    manager = user_with_role(Role.TEAM_MANAGER, team=team, username="matrix.triage.manager")
    ContactFactory(team=team, channel=Channel.POLICE_NOTIFICATION, concern_categories=["domestic_abuse"])
    triage = open_meeting(team, by=manager, at=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), kind="triage")
    return reverse("meetings:meeting", args=[triage.pk])


def _open_child_start(team: Any) -> str:
    child = PersonFactory(kind=PersonKind.CHILD)
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED)
    return reverse("strategy:start-for-person", args=[child.pk])


def _pair(team: Any) -> str:
    left, right = sorted([PersonFactory(), PersonFactory()], key=lambda p: p.pk)
    pair = DuplicatePair.objects.create(left=left, right=right, probability=0.8, found_at=dt.datetime.now(dt.UTC))
    return reverse("matching:pair", args=[pair.pk])


ADMINISTRATORS_ONLY = {**dict.fromkeys(ALL, 403), PARTNER: 404, ADMIN: 200}


def _user_page(team: Any) -> str:
    return reverse("users:user", args=[user_with_role(Role.SOCIAL_WORKER, team=team, username="matrix.user").pk])


def _locked_account(team: Any) -> str:
    user = user_with_role(SW, team=team, username="locked.out")
    AccountLockout.objects.create(user=user, failures=10, locked_at=dt.datetime.now(dt.UTC))
    return reverse("users:user", args=[user.pk])


USER_MANAGEMENT_PAGES: list[tuple[str, Callable[[Any], str]]] = [
    ("administration", lambda team: reverse("users:home")),
    ("users", lambda team: reverse("users:users")),
    ("users found", lambda team: reverse("users:users") + f"?team={team.pk}&role=social_worker"),
    ("add a user", lambda team: reverse("users:create-user")),
    ("a user's page", _user_page),
    ("agencies and teams", lambda team: reverse("users:agencies")),
    ("add an agency", lambda team: reverse("users:create-agency")),
    ("an agency's teams", lambda team: reverse("users:agency", args=[team.agency_id])),
    ("rename a team", lambda team: reverse("users:rename-team", args=[team.pk])),
    ("locked accounts", lambda team: reverse("users:locked-accounts")),
    ("a locked account's page", lambda team: _locked_account(team)),
]


def _information_request(team: Any) -> str:
    """A school's phone request about a child, as the front door took it."""
    taken = information_requests.take_request(
        Details(
            level=1,
            requester_name="Ann Teacher",
            requester_role="Designated safeguarding lead",
            requester_organisation="Example Primary School",
            requester_email="ann.teacher@example-primary.sch.uk",
            child_name="Mia Harlow",
            reason="Mia told her teacher she is scared to go home",
            identity_checked="She emailed me from her school address during the call",
        ),
        agency=None,
        person=None,
        by=user_with_role(Role.CONTACT_OFFICER, team=team, username="front.door"),
        at=timezone.now(),
    )
    return reverse("information_requests:request", args=[taken.pk])


def _police_referral(team: Any) -> str:
    """A contact the police referred (the conftest police partner's agency), its outcome approved."""
    contact: Contact = ContactFactory(
        team=team, state=ContactState.AWAITING_THRESHOLD, source=ReferralSource.POLICE, referrer_agency="Example Police"
    )
    recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=user_with_role(Role.SOCIAL_WORKER, team=team, username="matrix.referral.worker"),
        approved_by=user_with_role(Role.TEAM_MANAGER, team=team, username="matrix.referral.manager"),
        at=timezone.now(),
    )
    return reverse("partner_outcomes:referral", args=[contact.pk])


PAGES: list[tuple[str, Callable[[Any], str], dict[Role, int]]] = [
    (
        "record contact",
        lambda team: reverse("contacts:record-contact"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "find a contact",
        lambda team: reverse("contacts:find-contact"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    ("contact page", _contact(ContactState.RECEIVED), {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS}),
    (
        "contact PDF pack",
        _contact_step("contacts:contact-pack", ContactState.AWAITING_THRESHOLD),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "screening",
        _contact_step("screening:screen-contact", ContactState.SCREENING),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "recommend",
        _contact_step("decisions:recommend", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # Bexley, active after migrating: its senior practitioners decide too (002 roles table).
        "approve",
        _contact_step("decisions:approve", ContactState.AWAITING_APPROVAL),
        {CO: 403, SW: 403, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "approve where only managers may",
        _under_walsall(_contact_step("decisions:approve", ContactState.AWAITING_APPROVAL)),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "action outcome",
        _contact_step("decisions:action-outcome", ContactState.APPROVED),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "allocate a contact",
        _contact_step("contacts:allocate", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    *(
        (
            f"contacts:{name}",
            _contact_step(f"contacts:{name}", ContactState.AWAITING_THRESHOLD),
            FRONT_DOOR_ON_A_CONTACT,
        )
        for name in AMEND_PAGES
    ),
    ("correct a person's details", _correct_person, FRONT_DOOR_ON_A_CONTACT),
    (
        "identify the people added",
        _contact_step("screening:identify-people", ContactState.AWAITING_THRESHOLD),
        FRONT_DOOR_ON_A_CONTACT,
    ),
    (
        "my work",
        lambda team: reverse("queues:queue", args=["mine"]),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "unallocated contacts",
        lambda team: reverse("queues:queue", args=["unallocated"]),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "restrict a contact",
        _contact_step("contacts:restrict", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    ("consultation", _consultation, {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS}),
    # 002 §5–6: the summary is written by the qualified staff who give consultations.
    (
        "write a consultation's summary",
        _write_summary,
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    ("person page", _person, {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS}),
    (
        "record a person's warnings",
        lambda team: reverse("people:record-warnings", args=[PersonFactory().pk]),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    ("merged person's old address", _merged_person, {CO: 302, SW: 302, SP: 302, TM: 302, STRAT: 302, **OUTSIDERS}),
    (
        "person search",
        lambda team: reverse("people:search"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        # A search's results are at an id kept in the session (core.searches); one not kept says so.
        "person search results no longer kept",
        lambda team: reverse("people:search") + "?search=not-kept",
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "screening queue",
        lambda team: reverse("queues:queue", args=["screening"]),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "overdue queue",
        lambda team: reverse("queues:queue", args=["overdue"]),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "add involvement",
        lambda team: reverse("people:add-involvement", args=[PersonFactory().pk]),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "end an involvement",
        _end_involvement,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "import involvements",
        lambda team: reverse("people:import-involvements"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "import casework",
        lambda team: reverse("casework:import"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        "possible duplicates",
        lambda team: reverse("matching:duplicates"),
        {CO: 403, SW: 403, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    ("duplicate pair", _pair, {CO: 403, SW: 403, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS}),
    (
        "start MASH checks",
        _contact_step("checks:start", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    ("MASH checks", _checks, {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS}),
    ("withdraw a request", _withdraw, {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS}),
    ("ask another agency", _ask_another_agency, {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS}),
    (
        "partner workspace",
        lambda team: reverse("checks:workspace"),
        # Hub staff who coordinate checks are sent to their own worktray.
        {CO: 404, SW: 302, SP: 302, TM: 302, STRAT: 404, PARTNER: 200, PERF: 404, DPO: 404, ADMIN: 404},
    ),
    (
        # The police see the outcomes of the contacts they referred (000); the hub's staff see the contacts.
        "your referrals' outcomes",
        lambda team: reverse("partner_outcomes:referrals"),
        {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 200, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    # A referral's outcome is read by the agency that made it: to anyone else it does not exist.
    ("a referral's outcome", _police_referral, {**dict.fromkeys(ALL, 404), PARTNER: 200}),
    (
        "checks I coordinate",
        lambda team: reverse("checks:worktray"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "MASH checks under way",
        lambda team: reverse("checks:worktray") + "?tray=all",
        {CO: 403, SW: 404, SP: 404, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "my caseload",
        lambda team: reverse("queues:caseload"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "checks timeliness",
        lambda team: reverse("reports:checks-timeliness"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        # Coordinators monitor the discussions they arrange (000); managers and the performance lead (001).
        "strategy timeliness",
        lambda team: reverse("reports:strategy-timeliness"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 200, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        "strategy timeliness as CSV",
        lambda team: reverse("reports:strategy-timeliness-csv"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 200, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        "strategy attendance as CSV",
        lambda team: reverse("reports:strategy-attendance-csv"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 200, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        # The hub's figures (001): acknowledgements, outcomes told, family letters, summaries (issue 15).
        "telling people figures",
        lambda team: reverse("reports:telling-people"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        # The statutory returns' nightly checks (issue 16): the performance lead, and managers who put records right.
        "statutory returns",
        lambda team: reverse("returns:home"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        "a statutory return's check",
        lambda team: reverse(
            "returns:check",
            args=[ReturnCheck.objects.create(kind="annex_a", period="2026-12-01", started_at=timezone.now()).pk],
        ),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        # The hub's figures (001) and the DPO, who answers for sharing without consent (issue 14).
        "consent figures",
        lambda team: reverse("reports:consent"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 200, ADMIN: 403},
    ),
    (
        "consent figures as CSV",
        lambda team: reverse("reports:consent-csv"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 200, ADMIN: 403},
    ),
    (
        "checks timeliness as CSV",
        lambda team: reverse("reports:checks-timeliness-csv"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        # The performance lead's dashboard (issue 16): the lead and managers (001).
        "dashboard",
        lambda team: reverse("reports:dashboard"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        "a dashboard table as CSV",
        lambda team: reverse("reports:dashboard-csv", args=["referrals", "by-period"]),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 200, DPO: 403, ADMIN: 403},
    ),
    (
        "consultations",
        lambda team: reverse("consultations:list"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "record consultation",
        lambda team: reverse("consultations:record"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "strategy discussions",
        lambda team: reverse("strategy:worktray"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "strategy discussion",
        lambda team: reverse("strategy:discussion", args=[_strategy_discussion(team).pk]),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "daily meetings",
        lambda team: reverse("meetings:meetings"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        # Its agenda names children: the hub's staff of its team only.
        "daily meeting",
        _daily_meeting,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "domestic-abuse triage",
        lambda team: reverse("meetings:triage"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        # Its list names children, like the daily meeting's agenda.
        "a domestic-abuse triage",
        _triage,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    ("the DASH checklist", lambda team: reverse("domestic_abuse:checklist"), ADMINISTRATORS_ONLY),
    ("a DASH question", lambda team: reverse("domestic_abuse:question", args=[1]), ADMINISTRATORS_ONLY),
    ("add a DASH question", lambda team: reverse("domestic_abuse:add-question"), ADMINISTRATORS_ONLY),
    (
        # Whoever hears the family's answer records it (a contact officer on the phone too).
        "record consent",
        _contact_step("consent:answer", ContactState.SCREENING),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # A qualified worker of the hub assesses a young person's competence; never a partner (issue 14).
        "assess a young person's competence",
        _contact_step("consent:competence", ContactState.SCREENING),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "ask to share without consent",
        _contact_step("consent:ask", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # The social worker deciding the threshold asks a professional referrer to seek consent (002 §19).
        "ask the referrer to seek consent",
        _contact_step("consent:pause", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "resume after waiting for consent",
        _contact_step("consent:resume", ContactState.AWAITING_CONSENT),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # 003 App. 4 §10–11: the social worker or manager tells the referrer and writes to the family.
        "write the outcome to the referrer",
        _letters_step("letters:write", "outcome"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "write to the family",
        _letters_step("letters:write", "family"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "record that the family is not written to",
        _letters_step("letters:not-to-write"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # Lifting a safety reason not to tell the family is a manager's decision.
        "lift the reason not to write to the family",
        _letters_step(
            "letters:lift",
            consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING,
            parents_aware="no",
            parents_agree="no",
            not_told={"increased_risk": "Father reads the family's post"},
        ),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # Read through its contact's door.
        "a letter or message",
        _letter("letters:message"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "a letter's PDF",
        _letter("letters:message-pdf"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "letters and messages",
        lambda team: reverse("letters:waiting"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        # An administrator edits the templates; the hub's qualified staff read them.
        "letter templates",
        lambda team: reverse("letters:templates"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        "a letter template",
        lambda team: reverse("letters:template", args=[LetterTemplate.objects.order_by("pk").first().pk]),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        # Operation Encompass: the front door tells a school the worker could not find in the register.
        "tell a child's school (Operation Encompass)",
        _tell_school,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "schools",
        lambda team: reverse("letters:schools"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        "add a school",
        lambda team: reverse("letters:add-school"),
        {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        "a school",
        lambda team: reverse(
            "letters:school",
            args=[School.objects.create(name="Example Primary", dsl_name="A Lead", dsl_email="dsl@example.sch.uk").pk],
        ),
        {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        # Onward referrals (003 App. 4 §11–12): the hub's staff see the list; qualified staff send the pack.
        "referrals",
        lambda team: reverse("onward:packs"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "send a referral pack",
        _letters_step("onward:send", "section_17_assessment"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # Read through its contact's door (or, for the team it went to, through the team).
        "a referral pack",
        _pack("onward:pack"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        "a referral pack's PDF",
        _pack("onward:pdf"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    *(
        (
            name,
            make_url,
            {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
        )
        for name, make_url in (
            ("receiving teams", lambda team: reverse("onward:teams")),
            ("add a receiving team", lambda team: reverse("onward:add-team")),
            (
                "a receiving team",
                lambda team: reverse(
                    "onward:team",
                    args=[
                        ReceivingTeam.objects.create(
                            name="Family Wellbeing", outcomes=["early_help"], email="f@example.gov.uk"
                        ).pk
                    ],
                ),
            ),
        )
    ),
    (
        "requests to share without consent",
        lambda team: reverse("consent:overrides"),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        # Read through its contact's door: whoever may see the contact sees the request and its decision.
        "a request to share without consent",
        _override,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        # The front door records what police sent; the coordinator sees the contact but does not record it.
        "record a police domestic-abuse notification",
        _domestic_abuse_notification,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # The chair (a manager) or the coordinator minuting for them records it once held (000).
        "record a strategy discussion",
        _record_strategy,
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 200, **OUTSIDERS},
    ),
    (
        # A manager alone starts one straight from a contact (000; 002 §11).
        "start a strategy discussion now",
        lambda team: reverse("strategy:start-now", args=[ContactFactory(team=team).pk]),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        # A partner's list of the discussions their agency is invited to.
        "strategy invitations",
        lambda team: reverse("strategy:invitations"),
        {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 200, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "start a strategy discussion for an open case",
        _open_child_start,
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "protocols",
        lambda team: reverse("protocols:list"),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        # Administrators edit the whole profile on it; managers read it.
        "protocol settings",
        lambda team: reverse("protocols:protocol", args=[LocalProtocol.objects.get(slug="bexley").pk]),
        {CO: 403, SW: 403, SP: 403, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 200},
    ),
    (
        "audit trail",
        lambda team: reverse("audit:events"),
        {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 200, ADMIN: 403},
    ),
    *(
        (
            name,
            make_url,
            {CO: 403, SW: 403, SP: 403, TM: 403, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 200, ADMIN: 403},
        )
        for name, make_url in (
            ("sharing ledger", lambda team: reverse("sharing:ledger")),
            ("sharing ledger as CSV", lambda team: reverse("sharing:ledger-csv")),
            ("who has seen a record", lambda team: reverse("sharing:seen")),
        )
    ),
    (
        # The front door takes and answers other professionals' requests; the DPO keeps the register (000).
        "information requests",
        lambda team: reverse("information_requests:list"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 200, ADMIN: 403},
    ),
    (
        "take an information request",
        lambda team: reverse("information_requests:take"),
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 403, PARTNER: 404, PERF: 403, DPO: 403, ADMIN: 403},
    ),
    (
        "an information request",
        _information_request,
        {CO: 200, SW: 200, SP: 200, TM: 200, STRAT: 404, PARTNER: 404, PERF: 404, DPO: 200, ADMIN: 404},
    ),
    (
        # A qualified worker or manager records that the hub declined to share (issue 14).
        "record a decision not to share",
        _contact_step("sharing:decline", ContactState.AWAITING_THRESHOLD),
        {CO: 403, SW: 200, SP: 200, TM: 200, STRAT: 403, **OUTSIDERS},
    ),
    (
        "home",
        lambda team: reverse("queues:home"),
        {CO: 302, SW: 302, SP: 302, TM: 302, STRAT: 302, PARTNER: 302, PERF: 302, DPO: 302, ADMIN: 302},
    ),
    ("outbox outside demo mode", lambda team: reverse("outbox:outbox"), dict.fromkeys(ALL, 404)),
    # User management (safehub.users): administrators only, refused as every hub page is (403; a partner 404).
    *((name, make_url, ADMINISTRATORS_ONLY) for name, make_url in USER_MANAGEMENT_PAGES),
    # The Django admin is off outside development and the demo (SAFEHUB_ADMIN_ENABLED).
    ("Django admin", lambda team: "/admin/", dict.fromkeys(ALL, 404)),
    ("Django admin's users", lambda team: reverse("admin:accounts_user_changelist"), dict.fromkeys(ALL, 404)),
    # Two-step sign-in: everyone's own account page (administrators reset someone's codes on the user's page).
    ("your account", lambda team: reverse("mfa:account"), dict.fromkeys(ALL, 200)),
    ("change your password", lambda team: reverse("signin:change-password"), dict.fromkeys(ALL, 200)),
    # Past the second step already: it and the set-up page send on.
    ("second step", lambda team: reverse("mfa:second-step"), dict.fromkeys(ALL, 302)),
    ("set up an authenticator app", lambda team: reverse("mfa:set-up"), dict.fromkeys(ALL, 302)),
]

# Pages that exist only in demo mode (SAFEHUB_DEMO=true, as `./run start` sets).
DEMO_PAGES: list[tuple[str, Callable[[Any], str], dict[Role, int]]] = [
    ("outbox", lambda team: reverse("outbox:outbox"), dict.fromkeys(ALL, 200)),  # each sees their own emails
]

# The Django admin turned on (SAFEHUB_ADMIN_ENABLED=true): it lets in staff accounts only, which no
# role is; everyone is sent to its sign-in page, which refuses them. Its start page refuses them at
# once, and sends an administrator to Safehub's own Administration pages (302).
ADMIN_ON_PAGES: list[tuple[str, Callable[[Any], str], dict[Role, int]]] = [
    ("Django admin turned on", lambda team: "/admin/", {**dict.fromkeys(ALL, 403), PARTNER: 404, ADMIN: 302}),
    ("Django admin's users turned on", lambda team: reverse("admin:accounts_user_changelist"), dict.fromkeys(ALL, 302)),
    # …whose sign-in page refuses someone signed in already, who is no staff account (ADR 0023).
    ("Django admin's sign-in turned on", lambda team: "/admin/login/", {**dict.fromkeys(ALL, 403), PARTNER: 404}),
]


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
@pytest.mark.parametrize(("page", "make_url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(
    role: Role,
    page: str,
    make_url: Callable[[Any], str],
    expected: dict[Role, int],
    client_for_role: Callable[[Role], Client],
    mash_team: Any,
    now: dt.datetime,
) -> None:
    client = client_for_role(role)
    url = make_url(mash_team)
    assert client.get(url).status_code == expected[role], f"{role} on {page}"


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
@pytest.mark.parametrize(("page", "make_url", "expected"), DEMO_PAGES, ids=[p[0] for p in DEMO_PAGES])
def test_permission_matrix_in_demo_mode(
    role: Role,
    page: str,
    make_url: Callable[[Any], str],
    expected: dict[Role, int],
    client_for_role: Callable[[Role], Client],
    mash_team: Any,
    settings: Any,
) -> None:
    settings.DEMO_MODE = True
    client = client_for_role(role)
    assert client.get(make_url(mash_team)).status_code == expected[role], f"{role} on {page}"


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
@pytest.mark.parametrize(("page", "make_url", "expected"), ADMIN_ON_PAGES, ids=[p[0] for p in ADMIN_ON_PAGES])
def test_permission_matrix_with_the_admin_on(
    role: Role,
    page: str,
    make_url: Callable[[Any], str],
    expected: dict[Role, int],
    client_for_role: Callable[[Role], Client],
    mash_team: Any,
    settings: Any,
) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True
    client = client_for_role(role)
    assert client.get(make_url(mash_team)).status_code == expected[role], f"{role} on {page}"


@pytest.mark.parametrize(("page", "make_url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_a_partner_is_never_told_that_a_hub_page_exists(
    page: str,
    make_url: Callable[[Any], str],
    expected: dict[Role, int],
    client_for_role: Callable[[Role], Client],
    mash_team: Any,
    now: dt.datetime,
) -> None:
    """Whatever a partner professional asks a page they may not use, by address or by a form's post,
    the answer is 404, never the 403 that says they may not (a page that takes no post says 405, as
    it does to everyone, before anyone's permissions are asked)."""
    client = client_for_role(PARTNER)
    url = make_url(mash_team)
    if expected[PARTNER] != 404:
        return
    assert client.get(url).status_code == 404, page
    assert client.post(url, {"reason": "x", "version": "0"}).status_code in {404, 405}, page


def test_another_teams_contact_is_not_found(other_team_social_worker: Any, mash_team: Any) -> None:
    contact: Contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    client = Client()
    sign_in_both_steps(client, other_team_social_worker)
    for url in (contact.get_absolute_url(), reverse("decisions:recommend", args=[contact.pk])):
        assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client: Client, mash_team: Any) -> None:
    contact: Contact = ContactFactory(team=mash_team)
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
