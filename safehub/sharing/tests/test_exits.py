"""Every route out of the hub keeps an agency's handling conditions (issue 14): a restricted item is
sent down each exit and found in none of them, unless the agency that gave it agreed; each route that
sends or receives writes exactly one ledger row a recipient; and a new route cannot be added
without the gate (the code is searched for anything that sends, prints or downloads)."""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook  # type: ignore[import-untyped]

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import agreements
from safehub.checks import services as checks_services
from safehub.checks.answers import Answer, correct_response
from safehub.checks.models import AgencyResponse, MashChecks
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.contacts.models import Contact, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.core.errors import DomainError, Refused
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.domestic_abuse.services import record_notification
from safehub.domestic_abuse.tests.test_notifications import details as notification_details
from safehub.domestic_abuse.tests.test_notifications import notification_contact
from safehub.information_requests import services as information_requests
from safehub.information_requests.rules import Details
from safehub.letters import encompass, gp_outcomes
from safehub.letters import services as letters
from safehub.letters.models import Channel, LetterKind, School
from safehub.letters.tests.helpers import set_hub_details
from safehub.mfa.testing import sign_in_both_steps
from safehub.onward import services as onward
from safehub.onward.models import ReceivingTeam
from safehub.pages.pack import contact_pack_html, contact_pack_pdf
from safehub.partner_outcomes import services as partner_outcomes
from safehub.people.models import PersonKind
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.returns import services as returns
from safehub.returns.models import ReturnKind
from safehub.sharing.exits import AUDIENCES, CARRIES_ITEMS, Exit, Item, barred_routes, blocks, may_go, release
from safehub.sharing.models import Disclosure
from safehub.sharing.services import LeakError, check_nothing_withheld
from safehub.sharing.vocabulary import Condition, Direction
from safehub.strategy import recording, services
from safehub.strategy.models import Attendance, Decision, MeetingFormat, StrategyDiscussion
from safehub.strategy.tests.helpers import approve_strategy_for

SECRET = "Father is a suspect in an undercover operation, ref OP-KESTREL-7"
H = dt.timedelta(hours=1)


# The gate itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", list(Exit))
@pytest.mark.parametrize("condition", list(Condition))
def test_each_condition_keeps_an_item_from_the_routes_it_bars_unless_agreed_or_going_home(
    route: Exit, condition: Condition
) -> None:
    item = Item("checks.agencyresponse:1", 7, "Example Police", frozenset({condition}), content={"x": SECRET})
    barred = condition in (Condition.MASH_ONLY, Condition.NO_ONWARD) or AUDIENCES[route] == "anyone"
    assert blocks(condition, route) is barred
    # A route for the hub's own words (a request for checks, a letter) carries no agency's information.
    carries = route in CARRIES_ITEMS
    assert may_go(item, route, to=8) is (carries and not barred)  # another agency
    assert may_go(item, route, to=None) is (carries and not barred)  # a person, or a download
    assert may_go(item, route, to=7)  # the agency that gave it is always sent its own
    agreed = Item(item.key, 7, "Example Police", item.conditions, frozenset({route}), item.content)
    assert may_go(agreed, route, to=8) is carries
    assert (route in barred_routes({condition})) is (barred and carries)


@pytest.mark.parametrize("route", [Exit.REFERRER_MESSAGE, Exit.FAMILY_LETTER])
def test_a_letter_carries_no_agency_information_even_without_conditions(route: Exit) -> None:
    free = Item("a:1", 1, "Example Housing", content={"x": "Rent arrears since May"})
    released = release([free], route=route, to=None)
    assert released.withheld == (free,)
    with pytest.raises(LeakError):
        check_nothing_withheld("Dear Ms Harlow, Rent arrears since May", released)


def test_an_item_without_conditions_goes_anywhere_and_release_splits_the_rest() -> None:
    free = Item("a:1", 1, "Example Housing", content={"x": "Rent arrears since May"})
    kept = Item("a:2", 2, "Example Police", frozenset({Condition.NO_ONWARD}), content={"x": SECRET})
    released = release([free, kept], route=Exit.STRATEGY_PAPERS, to=3)
    assert (released.shared, released.withheld) == ((free,), (kept,))
    assert released.withheld_summary() == [{"item": "a:2", "agency": "Example Police", "conditions": ["no_onward"]}]
    with pytest.raises(LeakError):
        check_nothing_withheld(f"<p>{SECRET}</p>", released)
    check_nothing_withheld("<p>Rent arrears since May</p>", released)


# A restricted item sent down every route -----------------------------------------------------------


@dataclass
class World:
    contact: Contact
    checks: MashChecks
    police: Agency
    health: Agency
    housing: Agency
    police_partner: User
    health_partner: User
    manager: User
    social_worker: User
    coordinator: User
    answer: AgencyResponse
    at: dt.datetime


@pytest.fixture
def world(
    mash_team: Team,
    manager: User,
    social_worker: User,
    strategy_coordinator: User,
    police_partner: User,
    now: dt.datetime,
) -> World:
    """Mia's MASH checks: the police answered with information kept inside the MASH; housing without."""
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    health = PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH)
    housing = PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)
    health_partner = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Health desk", agency=health), username="health.desk"
    )
    housing_officer = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Housing desk", agency=housing), username="housing.desk"
    )
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police, housing], at=now)
    requests = {request.agency_id: request for request in checks.requests.all()}
    answer = submit_answer(
        requests[police.pk],
        by=police_partner,
        at=now,
        information=SECRET,
        conditions=(Condition.NO_ONWARD, Condition.NOT_TO_FAMILY),
        handling_restriction="Ask DS Example first",
    )
    submit_answer(requests[housing.pk], by=housing_officer, at=now, information="Rent arrears since May")
    checks.refresh_from_db()
    return World(
        contact, checks, police, health, housing, police_partner, health_partner, manager, social_worker,
        strategy_coordinator, answer, now,
    )  # fmt: skip


def _sent(rows: list[Disclosure]) -> str:
    return json.dumps([row.content for row in rows], ensure_ascii=False)


def _new_rows(before: int) -> list[Disclosure]:
    return list(Disclosure.objects.filter(pk__gt=before, direction=Direction.OUT).order_by("pk"))


def _last() -> int:
    return Disclosure.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _check_request(world: World) -> tuple[list[Disclosure], str]:
    before = _last()
    checks_services.ask_another_agency(
        world.checks,
        checks_services.AskAgencies([world.health], "Anything on the children?", checks_services.DEFAULT_BASES),
        by=world.manager,
        at=world.at + H,
        version=world.checks.version,
    )
    rows = _new_rows(before)
    return rows, _sent(rows)


def _discussion(world: World) -> StrategyDiscussion:
    checks_services.submit_for_decision(
        world.checks, analysis="Risk from the father", by=world.social_worker, at=world.at, version=world.checks.version
    )
    discussion = approve_strategy_for(
        world.contact, social_worker=world.social_worker, manager=world.manager, at=world.at
    )
    arrangement = services.Arrangement(
        world.at + H, MeetingFormat.VIDEO, "https://meet.example/s", world.manager,
        agencies=(world.police, world.health, world.housing),
    )  # fmt: skip
    services.arrange(discussion, arrangement, by=world.coordinator, at=world.at, version=discussion.version)
    discussion.refresh_from_db()
    return discussion


def _strategy_papers(world: World) -> tuple[list[Disclosure], str]:
    before = _last()
    _discussion(world)
    rows = [row for row in _new_rows(before) if row.agency != world.police]  # the police are sent their own
    return rows, _sent(rows)


def _strategy_record(world: World) -> tuple[list[Disclosure], str]:
    discussion = _discussion(world)
    presence = tuple(
        recording.Presence(
            invitation.pk,
            Attendance.ATTENDED,
            attendee="DC Example",
            contribution=SECRET if invitation.agency == world.police else "Nothing more to add",
            restricted=invitation.agency == world.police,
        )
        for invitation in discussion.invitations.all()
    )
    outcome = recording.Outcome(
        held_at=discussion.meeting_at,
        analysis="Injuries fit the account of a slap",
        decision=Decision.JOINT,
        police_investigate=True,
        medical_examination=False,
        family_told=True,
        who_tells="The social worker",
        tell_by=world.at + 4 * H,
        safety_plan="Father stays away while enquiries are made",
        presence=presence,
    )
    recording.hold(discussion, outcome, by=world.manager, at=world.at + 2 * H, version=discussion.version)
    discussion.refresh_from_db()
    before = _last()
    recording.send_record(discussion, by=world.coordinator, at=world.at + 3 * H, version=discussion.version)
    rows = [row for row in _new_rows(before) if row.agency != world.police]
    return rows, _sent(rows)


def _contact_pack(world: World) -> tuple[list[Disclosure], str]:
    before = _last()
    html = contact_pack_html(world.manager, world.contact, at=world.at).html
    contact_pack_pdf(world.manager, world.contact, at=world.at)
    return _new_rows(before), html


def _information_request(world: World) -> tuple[list[Disclosure], str]:
    """A school asks by phone whether the child on the contact is known: the answer is the index's."""
    child = world.contact.subjects.first()
    assert child is not None
    child.person = PersonFactory(local_id="P0000900")
    child.save()
    InvolvementFactory(person=child.person)
    details = Details(
        level=1,
        requester_name="Ann Teacher",
        requester_role="Designated safeguarding lead",
        requester_organisation="Example Primary School",
        requester_email="ann.teacher@example-primary.sch.uk",
        child_name="Mia Harlow",
        reason="Mia told her teacher she is scared to go home",
        identity_checked="She emailed me from her school address during the call",
    )
    before = _last()
    taken = information_requests.take_request(details, agency=None, person=None, by=world.manager, at=world.at)
    information_requests.answer_level_one(
        taken, person=child.person, not_found=False, by=world.manager, at=world.at, version=taken.version
    )
    rows = _new_rows(before)
    return rows, _sent(rows)


def _letter_to(kind: LetterKind) -> Callable[[World], tuple[list[Disclosure], str]]:
    """The contact decided and actioned; a worker who pastes the police's words into the letter is
    refused, naming the police, and nothing is sent; the letter as drafted goes."""

    def send(world: World) -> tuple[list[Disclosure], str]:
        checks_services.submit_for_decision(
            world.checks, analysis="Risk unclear", by=world.social_worker, at=world.at, version=world.checks.version
        )
        ContactSubjectFactory(
            contact=world.contact,
            role=SubjectRole.PARENT,
            kind=PersonKind.ADULT,
            given_name="Dana",
            address="14 Orchard Row",
            postcode="DA6 7AT",
            has_parental_responsibility=True,
            order=1,
        )
        set_hub_details()
        contact = recommend_and_approve(
            world.contact,
            outcome=Outcome.SECTION_17_ASSESSMENT,
            recommended_by=world.social_worker,
            approved_by=world.manager,
            at=world.at,
        )
        decisions.action_outcome(
            contact,
            sent_to="Assessment Team 2",
            referrer_informed_at=None,
            referrer_informed_by=decisions.SEND_FROM_SAFEHUB,
            notes="",
            by=world.social_worker,
            at=world.at,
            version=contact.version,
        )
        contact.refresh_from_db()
        made = letters.draft(contact, kind=kind, by=world.social_worker, at=world.at)
        fields = {
            "kind": kind,
            "template_version": made.template_version,
            "channel": Channel.LETTER,
            "recipient_name": made.recipient_name,
            "email": "",
            "postal_address": made.postal_address or "Priya Shah\nExample Primary School\nDA6 7AT",
            "subject": made.subject,
            "by": world.social_worker,
            "at": world.at,
        }
        before = _last()
        with pytest.raises(DomainError, match="what Example Police told the hub"):
            letters.send(contact, body=f"{made.body}\n\nThe police told us: {SECRET}", **fields)
        with pytest.raises(DomainError, match="what Example Housing told the hub"):
            letters.send(contact, body=f"{made.body}\n\nRent arrears since May", **fields)
        assert _new_rows(before) == []
        letters.send(contact, body=made.body, **fields)
        rows = _new_rows(before)
        return rows, _sent(rows)

    return send


def _consultation_summary(world: World) -> tuple[list[Disclosure], str]:
    """A consultation's summary carries the consultation's own words (no agency answers any): its row
    names the consultation it was made for."""
    set_hub_details()
    consultation = Consultation.objects.create(
        kind=ConsultationKind.ANONYMOUS,
        team=world.contact.team,
        received_at=world.at,
        consultee_name="A teacher",
        consultee_email="teacher@example-primary.sch.uk",
        question="Should I refer a pupil who comes in hungry?",
        advice="Talk to the parents first and offer early help.",
        recorded_by=world.social_worker,
    )
    made = letters.draft_summary(consultation, by=world.social_worker, at=world.at)
    before = _last()
    letters.send_summary(
        consultation,
        template_version=made.template_version,
        channel=made.channel,
        recipient_name=made.recipient_name,
        email=made.email,
        postal_address="",
        subject=made.subject,
        body=made.body,
        by=world.social_worker,
        at=world.at,
        version=consultation.version,
    )
    rows = _new_rows(before)
    assert [(row.origin, row.origin_id, row.contact_id) for row in rows] == [
        ("consultations.consultation", consultation.pk, None)
    ]
    return rows, _sent(rows)


def _encompass(world: World) -> tuple[list[Disclosure], str]:
    """A notice to a school carries the police's notification as the guidance says (the child, the
    reference, when, where, whether present) and nothing any agency answered."""
    set_hub_details()
    School.objects.create(name="Example Primary School", dsl_name="Ms A Lead", dsl_email="dsl@example.sch.uk")
    contact = notification_contact(world.contact.team, world.at - H)
    record_notification(contact, notification_details(contact), by=world.manager, at=world.at, version=None)
    contact.subjects.filter(given_name="Mia").update(school="Example Primary School")
    before = _last()
    assert encompass.queue_encompass(world.at) == 1
    rows = _new_rows(before)
    return rows, _sent(rows)


def _outcome_to_partner(world: World) -> tuple[list[Disclosure], str]:
    """The contact decided; housing, which answered the checks, opens its request and is shown the outcome."""
    checks_services.submit_for_decision(
        world.checks, analysis="Risk from the father", by=world.social_worker, at=world.at, version=world.checks.version
    )
    recommend_and_approve(
        world.contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=world.social_worker,
        approved_by=world.manager,
        at=world.at + H,
    )
    housing = world.checks.requests.get(agency=world.housing)
    before = _last()
    shown = partner_outcomes.show_request_outcome(
        housing, by=User.objects.get(username="housing.desk"), at=world.at + 2 * H
    )
    rows = _new_rows(before)
    return rows, _sent(rows) + json.dumps(shown, ensure_ascii=False)


def _gp_outcome(world: World) -> tuple[list[Disclosure], str]:
    """The GP practice asked for checks is emailed the outcome once it is actioned: the hub's words
    only; the police's restricted answer and housing's free one never go in it."""
    gp = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE, secure_email="elm@nhs.example")
    checks_services.ask_another_agency(
        world.checks,
        checks_services.AskAgencies([gp], "Is the family registered?", checks_services.DEFAULT_BASES),
        by=world.manager,
        at=world.at,
        version=world.checks.version,
    )
    world.checks.refresh_from_db()
    checks_services.submit_for_decision(
        world.checks,
        analysis="Risk unclear",
        outstanding_reason="The practice answers by telephone",
        by=world.social_worker,
        at=world.at,
        version=world.checks.version,
    )
    set_hub_details()
    contact = recommend_and_approve(
        world.contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=world.social_worker,
        approved_by=world.manager,
        at=world.at,
    )
    decisions.action_outcome(
        contact,
        sent_to="Assessment Team 2",
        referrer_informed_at=world.at,
        referrer_informed_by="Telephone",
        notes="",
        by=world.social_worker,
        at=world.at,
        version=contact.version,
    )
    before = _last()
    assert gp_outcomes.queue_gp_outcomes(world.at + H) == 1
    rows = _new_rows(before)
    assert "Rent arrears since May" not in _sent(rows)
    return rows, _sent(rows)


def _onward_referral(world: World) -> tuple[list[Disclosure], str]:
    """The outcome actioned to an assessment team outside Safehub; its referral pack is sent and emailed."""
    checks_services.submit_for_decision(
        world.checks, analysis="Risk from the father", by=world.social_worker, at=world.at, version=world.checks.version
    )
    contact = recommend_and_approve(
        world.contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=world.social_worker,
        approved_by=world.manager,
        at=world.at + H,
    )
    decisions.action_outcome(
        contact,
        sent_to="Assessment Team",
        referrer_informed_at=world.at + 2 * H,
        referrer_informed_by="Telephone",
        notes="",
        by=world.social_worker,
        at=world.at + 2 * H,
        version=contact.version,
    )
    contact.refresh_from_db()
    team = ReceivingTeam.objects.create(
        name="Assessment Team", outcomes=[Outcome.SECTION_17_ASSESSMENT.value], email="assessment@example.gov.uk"
    )
    before = _last()
    pack = onward.send_pack(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        team=team,
        by=world.social_worker,
        at=world.at + 2 * H,
        submission_key=None,
    )
    rows = _new_rows(before)
    assert onward.deliver_pack_emails(world.at + 3 * H) == 1
    [email] = mail.outbox[-1:]
    attached = email.attachments[0]
    return rows, _sent(rows) + json.dumps(pack.content, ensure_ascii=False) + email.body + str(len(attached[1]))


def _statutory_return(world: World) -> tuple[list[Disclosure], str]:
    lead = user_with_role(Role.PERFORMANCE_LEAD, username="performance.lead")
    before = _last()
    as_at = (world.at + 24 * H).date().isoformat()
    _, built = returns.export_return(ReturnKind.ANNEX_A, as_at, by=lead, at=world.at + 24 * H)
    book = load_workbook(io.BytesIO(built.data), read_only=True)
    cells = [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row]
    assert built.rows >= 1  # the contact's child, in list 1
    rows = _new_rows(before)
    return rows, _sent(rows) + " ".join(cells)


# Each route out, driven through the real code with a restricted item on the contact. A new `Exit`
# fails `test_every_route_out_has_a_leak_test` until it is added here.
EXITS: dict[Exit, Callable[[World], tuple[list[Disclosure], str]]] = {
    Exit.CHECK_REQUEST: _check_request,
    Exit.STRATEGY_PAPERS: _strategy_papers,
    Exit.STRATEGY_RECORD: _strategy_record,
    Exit.CONTACT_PACK: _contact_pack,
    Exit.INFORMATION_REQUEST: _information_request,
    Exit.REFERRER_MESSAGE: _letter_to(LetterKind.OUTCOME),
    Exit.FAMILY_LETTER: _letter_to(LetterKind.FAMILY),
    Exit.CONSULTATION_SUMMARY: _consultation_summary,
    Exit.ENCOMPASS: _encompass,
    Exit.OUTCOME_TO_PARTNER: _outcome_to_partner,
    Exit.GP_OUTCOME: _gp_outcome,
    Exit.ONWARD_REFERRAL: _onward_referral,
    Exit.STATUTORY_RETURN: _statutory_return,
}


def test_every_route_out_has_a_leak_test() -> None:
    assert set(EXITS) == set(Exit)


@pytest.mark.parametrize("route", list(Exit))
def test_a_restricted_item_leaks_down_no_route(world: World, route: Exit) -> None:
    rows, sent = EXITS[route](world)
    assert rows, "the route wrote no ledger row"
    assert {row.route for row in rows} == {route.value}
    assert SECRET not in sent
    if route in (Exit.STRATEGY_PAPERS, Exit.CONTACT_PACK, Exit.ONWARD_REFERRAL):
        assert "Rent arrears since May" in sent  # what has no conditions still goes
    for row in rows:
        assert row.bases
        assert row.categories
        assert row.lawful_basis
        if route in (Exit.STRATEGY_PAPERS, Exit.CONTACT_PACK, Exit.ONWARD_REFERRAL):
            assert [kept["agency"] for kept in row.withheld] == ["Example Police"]


def test_the_agency_that_gave_it_may_agree_and_the_pack_then_holds_it(world: World) -> None:
    [made] = agreements.agree_to_share(
        world.answer,
        routes=[Exit.CONTACT_PACK],
        note="The hub may keep it in its own pack for the conference",
        by=world.police_partner,
        at=world.at,
    )
    assert (made.route, made.agreed_by) == (Exit.CONTACT_PACK, world.police_partner)
    assert AuditEvent.objects.filter(verb=Verb.HANDLING_AGREED).count() == 1
    world.contact.refresh_from_db()
    rows, html = _contact_pack(world)
    assert SECRET in html
    assert rows[0].withheld == []
    assert rows[0].conditions == ["no_onward", "not_to_family"]
    # The agreement opens the pack and nothing else: the papers still withhold it.
    _, sent = _strategy_papers(world)
    assert SECRET not in sent


def test_only_the_agency_that_gave_it_may_agree_and_a_refusal_is_recorded(world: World) -> None:
    for intruder in (world.health_partner, world.manager):
        with pytest.raises(PermissionDenied):
            agreements.agree_to_share(
                world.answer, routes=[Exit.CONTACT_PACK], note="We agree on their behalf", by=intruder, at=world.at
            )
    refused = AuditEvent.objects.filter(verb=Verb.HANDLING_AGREEMENT_REFUSED)
    assert [event.by for event in refused.order_by("seq")] == [world.health_partner, world.manager]
    assert not world.answer.agreements.exists()


def test_an_agreement_needs_a_barred_route_and_a_note(world: World) -> None:
    with pytest.raises(Refused) as refused:
        agreements.agree_to_share(world.answer, routes=[], note="ok", by=world.police_partner, at=world.at)
    assert [problem.field for problem in refused.value.problems] == ["routes", "note"]
    with pytest.raises(Refused, match="do not keep your answer from a request for mash checks"):
        agreements.agree_to_share(
            world.answer, routes=[Exit.CHECK_REQUEST], note="It may go anywhere", by=world.police_partner, at=world.at
        )
    assert not world.answer.agreements.exists()


def test_a_mash_only_answer_is_hidden_from_the_contact_officer_on_the_page(
    world: World, contact_officer: User, client: Any
) -> None:
    AgencyResponse.objects.filter(pk=world.answer.pk).update(handling_conditions=["mash_only"])
    sign_in_both_steps(client, contact_officer)
    page = client.get(f"/contacts/{world.contact.pk}/").content.decode()
    assert SECRET not in page
    assert "keeps this answer to the MASH social workers and managers" in page
    sign_in_both_steps(client, world.manager)
    assert SECRET in client.get(f"/contacts/{world.contact.pk}/").content.decode()


# The ledger: one row a recipient, in and out ------------------------------------------------------


def test_each_answer_and_each_correction_is_one_row_received_with_its_conditions(world: World) -> None:
    received = Disclosure.objects.filter(direction=Direction.IN, contact=world.contact).order_by("pk")
    assert [(row.agency.name, row.conditions) for row in received] == [
        ("Example Police", ["no_onward", "not_to_family"]),
        ("Example Housing", []),
    ]
    police = received[0]
    assert (police.origin, police.origin_id) == ("checks.agencyresponse", world.answer.pk)
    assert "dpa_sch8" in police.bases
    assert "police" in police.categories
    assert AuditEvent.objects.filter(verb=Verb.DISCLOSURE_RECEIVED, contact=world.contact).count() == 2


# A new route cannot be added without the gate ----------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# What sends, prints or downloads something: a ledger row, a PDF, an email, a file for download.
MARKERS = {"record_disclosure", "write_pdf", "EmailMessage", "send_mail", "Content-Disposition"}
# Modules that send information about a child through the gate (each calls `release`).
GATED = {
    "checks/services.py",
    "strategy/invitations.py",
    "strategy/recording.py",
    "pages/pack.py",
    "information_requests/services.py",
    "letters/services.py",
    "partner_outcomes/services.py",
    "onward/services.py",
    "returns/services.py",
}
# Modules that send, print or download and are not routes for another agency's information, and why.
NOT_A_ROUTE = {
    "sharing/services.py": "the ledger's writer, which takes only what `release` cleared",
    "checks/gp_form.py": "the printable form of a request already recorded, drawn from its ledger row alone",
    "checks/gp_emails.py": "emails a GP practice its request's form (checks/gp_form.py), drawn from its ledger row",
    "checks/views.py": "serves the GP practice's form (checks/gp_form.py)",
    "pages/views.py": "serves the PDF pack (pages/pack.py)",
    "checks/alerts.py": "alerts to hub staff to sign in: no personal details",
    "consultations/reminders.py": "reminders to hub staff to sign in and send a summary: no personal details",
    "letters/encompass_alerts.py": "alerts managers to sign in: a contact's reference, no child's name",
    "strategy/alerts.py": "action alerts to sign in: no personal details",
    "strategy/emails.py": "tell invitees to sign in and read what was sent through the gate: no personal details",
    "handoffs/services.py": "a contact passed to the council's own allocated worker: names and dates of birth only",
    "users/passwords.py": "a password email: nothing about a child",
    "reports/views.py": "the figures as CSV: counts, no agency's information",
    "sharing/views.py": "the DPO's ledger as CSV: names what was shared by category, copies none of it",
    "core/notify.py": "the email transport",
    "core/mail_batches.py": "the email transport",
    "outbox/services.py": "the email transport's copy for development",
    "outbox/backends.py": "the email transport's copy for development",
    "letters/delivery.py": "hands over letters and messages as letters/services.py recorded them through the gate",
    "letters/pdf.py": "draws a letter as letters/services.py recorded it through the gate",
    "letters/views.py": "serves a letter's PDF (letters/pdf.py)",
    "onward/pdf.py": "draws a referral pack as onward/services.py recorded it through the gate",
    "onward/views.py": "serves a referral pack's PDF (onward/pdf.py)",
    "returns/views.py": "serves a statutory return's file, each download recorded by returns/services.py through the gate",
}


def _marked(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in MARKERS:
            return True
        if isinstance(node, ast.Attribute) and node.attr in MARKERS:
            return True
        if isinstance(node, ast.Constant) and node.value in MARKERS:
            return True
        if isinstance(node, ast.FunctionDef) and node.name in MARKERS:
            return True
    return False


def _calls_release(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "release"
        for node in ast.walk(tree)
    )


def test_every_module_that_sends_prints_or_downloads_is_gated_or_says_why_not() -> None:
    modules = {
        str(path.relative_to(ROOT)): path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and "benchmarks" not in path.parts
    }
    marked = {name for name, path in modules.items() if _marked(path)}
    unknown = marked - GATED - set(NOT_A_ROUTE)
    assert not unknown, f"a new route out: pass it through sharing.exits.release and add it to GATED: {unknown}"
    assert marked >= GATED | set(NOT_A_ROUTE), "a listed module no longer sends: take it off the list"
    assert all(_calls_release(modules[name]) for name in GATED)


def test_an_earlier_answer_is_kept_under_the_conditions_its_correction_added(world: World) -> None:
    """Walk-through: the police corrected an answer to add "no onward disclosure"; the pack still
    printed the earlier answer, the same facts, in full."""
    earlier = "Father known for violence at a previous address, ref EARLIER-42"
    request = world.answer.request
    housing_answer = AgencyResponse.objects.filter(request__checks=world.checks).exclude(pk=world.answer.pk).get()
    AgencyResponse.objects.filter(pk=housing_answer.pk).update(information=earlier)  # first given freely
    correct_response(
        AgencyResponse.objects.get(pk=housing_answer.pk),
        Answer(
            information=f"{earlier}; now under investigation",
            sources_searched="Niche",
            conditions=(Condition.NO_ONWARD,),
        ),
        reason="An investigation has started",
        by=User.objects.get(username="housing.desk"),
        at=world.at,
        version=housing_answer.request.version,
    )
    world.contact.refresh_from_db()
    assert request.pk != housing_answer.request_id
    _, html = _contact_pack(world)
    assert earlier not in html
    assert SECRET not in html
