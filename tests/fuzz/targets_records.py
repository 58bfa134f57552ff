"""Fuzz targets for the person index, consultations, duplicates, hand-offs, protocols and signing in."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.test import Client

from safehub.accounts.models import Role
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.handoffs.models import HandoffKind
from safehub.handoffs.services import hand_off, worker_from_user
from safehub.matching import duplicates
from safehub.matching.models import DuplicatePair
from safehub.people.tests.factories import OpenInvolvementFactory, PersonFactory
from safehub.protocols.models import LocalProtocol
from tests.fuzz.harness import Target, Variant, World, bare, url

CO, SW, TM, ADMIN = Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.ADMINISTRATOR
AT = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"  # the factories' (safehub.accounts.tests.factories)

INVOLVEMENTS_CSV = (
    b"local_person_id,given_name,family_name,date_of_birth,nhs_number,postcode,service,started_on,ended_on,"
    b"allocated_worker,worker_email,team,external_ref\n"
    b"LP-1,Mia,Harlow,2016-05-17,,DA6 7AT,child_in_need,2026-01-05,,Sam Jones,sam.jones@example.org,CIN 1,C-1\n"
)

CASEWORK_CSV = (
    b"record,local_person_id,referral_date,source,start_date,end_date,factors\n"
    b"referral,CW-1,2026-03-02,2A,,,\n"
    b"assessment,CW-1,2026-03-02,,2026-03-03,2026-04-20,3B 16A\n"
)


def _warnings(world: World) -> list[Variant]:
    person = PersonFactory()
    fill = {"worker_safety_warning": "A dangerous dog at the address"}
    return [Variant.from_page(world.client(CO), url("people:record-warnings", person.pk), fill=fill)]


def _add_involvement(world: World) -> list[Variant]:
    person = PersonFactory()
    fill = {"service": "child_in_need", "started_on_0": "5", "started_on_1": "1", "started_on_2": "2026"}
    return [Variant.from_page(world.client(CO), url("people:add-involvement", person.pk), fill=fill)]


def _end_involvement(world: World) -> list[Variant]:
    involvement = OpenInvolvementFactory()
    address = url("people:end-involvement", involvement.person_id, involvement.pk)
    fill = {"ended_on_0": "20", "ended_on_1": "11", "ended_on_2": "2026"}
    return [Variant.from_page(world.client(CO), address, fill=fill)]


def _import_involvements(world: World) -> list[Variant]:
    address = url("people:import-involvements")
    return [Variant.from_page(world.client(TM), address, fill={"file": [INVOLVEMENTS_CSV]})]


def _import_casework(world: World) -> list[Variant]:
    PersonFactory(local_id="CW-1")
    address = url("casework:import")
    return [Variant.from_page(world.client(TM), address, fill={"file": [CASEWORK_CSV]})]


def _record_consultation(world: World) -> list[Variant]:
    fill = {
        "kind": "anonymous",
        "received_on_0": "24",
        "received_on_1": "11",
        "received_on_2": "2026",
        "received_time": "09:30",
        "consultee_name": "A teacher",
        "question": "Should I refer?",
        "advice": "Yes: call the front door",
    }
    return [Variant.from_page(world.client(SW), url("consultations:record"), fill=fill)]


def _send_summary(world: World) -> list[Variant]:
    consultation = Consultation.objects.create(
        kind=ConsultationKind.ANONYMOUS,
        team=world.team,
        received_at=AT,
        consultee_name="A teacher",
        question="Should I refer?",
        advice="Yes",
        recorded_by=world.user(SW),
    )
    address = url("consultations:send-summary", consultation.pk)
    return [Variant.from_page(world.client(SW), address, page=url("consultations:consultation", consultation.pk))]


def _pair() -> DuplicatePair:
    left, right = sorted([PersonFactory(), PersonFactory()], key=lambda p: p.pk)
    return DuplicatePair.objects.create(left=left, right=right, probability=0.8, found_at=AT)


def _decide_pair(world: World) -> list[Variant]:
    pair = _pair()
    client = world.client(TM)
    address = url("matching:pair", pair.pk)
    return [
        Variant.from_page(client, address, fill={"decision": "not_same"}),
        Variant.from_page(client, address, fill={"decision": str(pair.left_id)}),
    ]


def _undo_merge(world: World) -> list[Variant]:
    pair = _pair()
    merge = duplicates.merge(pair, keep=pair.left, by=world.user(TM), at=AT, version=pair.version)
    return [bare(world.client(TM), url("matching:undo-merge", merge.pk))]


def _mark_received(world: World) -> list[Variant]:
    worker = world.user(SW)
    contact = ContactFactory(team=world.team, state=ContactState.CLOSED)
    handoff = hand_off(contact, worker_from_user(worker), kind=HandoffKind.ALLOCATED, by=world.user(TM), at=AT)
    assert handoff is not None
    return [bare(world.client(SW), url("handoffs:mark-received", handoff.pk))]


def _protocol(world: World) -> list[Variant]:
    protocol = LocalProtocol.objects.get(is_active=True)
    return [Variant.from_page(world.client(ADMIN), url("protocols:protocol", protocol.pk))]


def _activate(world: World) -> list[Variant]:
    other = LocalProtocol.objects.filter(is_active=False).order_by("pk").first()
    assert other is not None
    address = url("protocols:activate", other.pk)
    return [Variant.from_page(world.client(ADMIN), address, page=url("protocols:list"))]


def _flashed_success(response: object) -> bool:
    """activate and the like answer every POST with a redirect: what was saved is the message they flash."""
    if getattr(response, "status_code", 0) != 302:
        return False
    cookies = getattr(response, "cookies", {})
    return "messages" in cookies and "error" not in cookies["messages"].value


def _sign_in(world: World) -> list[Variant]:
    user = world.user(SW)
    # Every client here is the same client to the throttle (one address), which remembers failures
    # beyond the examples' rollback: at its usual 30, the examples after would all be refused.
    world.request.getfixturevalue("settings").SIGN_IN_CLIENT_FAILURES = 100_000
    address = url("accounts:login")
    page = Client()
    return [
        Variant.from_page(page, address, fill={"username": user.username, "password": PASSWORD}, fresh_client=Client)
    ]


def _signed_in(response: HttpResponse) -> bool:
    """The password is right: on to the second step (the code from the user's authenticator app)."""
    return response.status_code == 302 and response["Location"].startswith(url("mfa:second-step"))


def _sign_out(world: World) -> list[Variant]:
    world.user(SW)  # made before the examples' savepoints, which would roll the user back
    return [bare(Client(), url("accounts:logout"), fresh_client=lambda: world.client(SW))]


TARGETS = [
    Target("people:record-warnings", _warnings),
    Target("people:add-involvement", _add_involvement),
    Target("people:end-involvement", _end_involvement),
    Target("people:import-involvements", _import_involvements),
    Target("casework:import", _import_casework),
    Target("consultations:record", _record_consultation),
    Target("consultations:send-summary", _send_summary),
    Target("matching:pair", _decide_pair),
    Target("matching:undo-merge", _undo_merge),
    Target("handoffs:mark-received", _mark_received),
    Target("protocols:protocol", _protocol),
    Target("protocols:activate", _activate, passed=_flashed_success),
    Target("accounts:login", _sign_in, passed=_signed_in),
    Target("accounts:logout", _sign_out, passed=lambda response: response.status_code == 302),
]
