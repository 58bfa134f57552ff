"""Fuzz targets for screening, threshold decisions, MASH checks and the partner's answers."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.checks.models import AgencyRequest, Alert, AlertKind, MashChecks
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.protocols.models import Brag, LocalProtocol
from safehub.sharing.vocabulary import Condition
from tests.fuzz.harness import Target, Variant, World, bare, url

CO, SW, TM, PARTNER = Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PARTNER_PROFESSIONAL
AT = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


def _contact(world: World, state: ContactState) -> Contact:
    contact: Contact = ContactFactory(team=world.team, state=state)
    return contact


def _screened(world: World, client: Client) -> Contact:
    """A contact in screening whose child is linked to a new person record."""
    contact = _contact(world, ContactState.RECEIVED)
    address = url("screening:screen-contact", contact.pk)
    contact.refresh_from_db()
    assert client.post(address, {"action": "start", "version": contact.version}).status_code == 302
    subject = contact.subjects.get()
    contact.refresh_from_db()
    prefix = f"subject-{subject.pk}"
    sent = {
        "action": "identify",
        "subject_pk": subject.pk,
        f"{prefix}-person": "new",
        f"{prefix}-version": contact.version,
    }
    assert client.post(address, sent).status_code == 302
    contact.refresh_from_db()
    return contact


def _screen(world: World) -> list[Variant]:
    client = world.client(CO)
    received = _contact(world, ContactState.RECEIVED)
    in_screening = _contact(world, ContactState.RECEIVED)
    address = url("screening:screen-contact", in_screening.pk)
    in_screening.refresh_from_db()
    assert client.post(address, {"action": "start", "version": in_screening.version}).status_code == 302
    subject = in_screening.subjects.get()
    in_screening.refresh_from_db()
    prefix = f"subject-{subject.pk}"
    screened = _screened(world, client)
    return [
        Variant.from_page(client, url("screening:screen-contact", received.pk), button=("action", "start")),
        Variant.from_page(
            client,
            address,
            button=("action", "identify"),
            fill={
                "subject_pk": str(subject.pk),
                f"{prefix}-person": "new",
                f"{prefix}-version": str(in_screening.version),
            },
        ),
        Variant.from_page(client, address, button=("action", "rate"), fill={"initial_rating": "amber"}),
        Variant.from_page(
            client,
            url("screening:screen-contact", screened.pk),
            button=("action", "route"),
            fill={"route": "refer_for_threshold", "notes": "Known to nobody"},
        ),
    ]


def _identify_people(world: World) -> list[Variant]:
    client = world.client(CO)
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    contact.refresh_from_db()
    added = {
        "version": contact.version,
        "submission_key": "0b3c4a52-55f2-4c69-9a5a-6f1f9c3f2f11",
        "role": "sibling",
        "kind": "child",
        "given_name": "Leo",
        "family_name": "Harlow",
        "sex": "male",
        "date_of_birth_0": "3",
        "date_of_birth_1": "4",
        "date_of_birth_2": "2018",
        "reason": "The school told us about him",
    }
    response = client.post(url("contacts:amend-add-person", contact.pk), added)
    assert response.status_code == 302, response.content.decode()
    subject = contact.subjects.order_by("-pk").first()
    assert subject is not None
    contact.refresh_from_db()
    prefix = f"subject-{subject.pk}"
    address = url("screening:identify-people", contact.pk)
    return [
        Variant.from_page(
            client,
            address,
            button=("action", "identify"),
            fill={"subject_pk": str(subject.pk), f"{prefix}-person": "new", f"{prefix}-version": str(contact.version)},
        )
    ]


def _level_pk() -> str:
    return str(LocalProtocol.objects.get(is_active=True).levels.get(code="specialist").pk)


def _recommend(world: World) -> list[Variant]:
    client = world.client(SW)
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    child = contact.subjects.get().pk
    fill = {
        f"child-{child}-rating": "amber",
        f"child-{child}-level": _level_pk(),
        f"child-{child}-outcome": "section_17_assessment",
        "rationale": "Needs are complex.",
    }
    address = url("decisions:recommend", contact.pk)
    return [
        Variant.from_page(client, address, fill=fill, having="rationale"),
        Variant.from_page(
            client, address, fill={"reason": "Are they known to the police?"}, button=("action", "ask-for-checks")
        ),
    ]


def _recommended(world: World) -> Contact:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    contact.refresh_from_db()
    decisions.recommend(
        contact,
        children=decisions.same_for_all(
            contact, decisions.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT)
        ),
        rationale="Neglect",
        by=world.user(SW),
        at=AT,
        version=contact.version,
    )
    contact.refresh_from_db()
    return contact


def _approve(world: World) -> list[Variant]:
    contact = _recommended(world)
    child = contact.subjects.get().pk
    fill = {"verdict": "approve", f"child-{child}-outcome": "section_17_assessment", "rationale": "Agreed."}
    return [Variant.from_page(world.client(TM), url("decisions:approve", contact.pk), fill=fill)]


def _action_outcome(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=world.user(SW),
        approved_by=world.user(TM),
        at=AT,
    )
    fill = {
        "sent_to": "Assessment team 2",
        "informed_on_0": "24",
        "informed_on_1": "11",
        "informed_on_2": "2026",
        "informed_time": "09:45",
        "informed_by": "email",
    }
    return [Variant.from_page(world.client(CO), url("decisions:action-outcome", contact.pk), fill=fill)]


def _checks(world: World, *agencies: object) -> MashChecks:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    contact.refresh_from_db()
    return start_checks(
        contact,
        by=world.user(TM),
        coordinator=world.user(SW),
        agencies=list(agencies) or [PartnerAgencyFactory(name="Example Health")],
        at=AT,
    )


def _start(world: World) -> list[Variant]:
    PartnerAgencyFactory(name="Example Health")
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    fill = {
        "reason": "Unclear risk",
        "rating": "amber",
        "coordinator": str(world.user(SW).pk),
        "left_out_reason": "Checked by phone",
    }
    return [Variant.from_page(world.client(TM), url("checks:start", contact.pk), fill=fill)]


def _submit_checks(world: World) -> list[Variant]:
    checks = _checks(world)
    fill = {"analysis": "Nothing known anywhere", "outstanding_reason": "The strategy meeting is today"}
    return [Variant.from_page(world.client(SW), url("checks:checks", checks.pk), fill=fill)]


def _ask_another(world: World) -> list[Variant]:
    checks = _checks(world)
    other = PartnerAgencyFactory(name="Example School Nursing")
    fill = {"agencies": [str(other.pk)]}
    return [Variant.from_page(world.client(TM), url("checks:ask-another-agency", checks.pk), fill=fill)]


def _withdraw(world: World) -> list[Variant]:
    checks = _checks(world)
    request = checks.requests.get()
    address = url("checks:withdraw", checks.pk, request.pk)
    return [Variant.from_page(world.client(TM), address, fill={"reason": "Asked by mistake"})]


def _partner_agency(world: World) -> object:
    partner = world.user(PARTNER)
    return partner.memberships.get().team.agency


def _answer(world: World) -> list[Variant]:
    agency = _partner_agency(world)
    client = world.client(PARTNER)
    open_request = _checks(world, agency).requests.get()
    answered = _checks(world, agency).requests.get()
    submit_answer(answered, by=world.user(PARTNER), at=AT)
    fill = {"nothing_known": [], "information": "Known: a domestic incident in 2025", "sources_searched": "Niche"}
    correction = {**fill, "reason": "The incident was in 2024"}
    return [
        Variant.from_page(client, url("checks:request", open_request.pk), fill=fill, button=("action", "submit")),
        Variant.from_page(client, url("checks:request", open_request.pk), fill=fill, button=("action", "draft")),
        Variant.from_page(client, url("checks:request", answered.pk), fill=correction),
    ]


def _agree(world: World) -> list[Variant]:
    """The agency that answered with handling conditions agrees that its answer may go in the pack."""
    agency = _partner_agency(world)
    answered = _checks(world, agency).requests.get()
    submit_answer(
        answered,
        by=world.user(PARTNER),
        at=AT,
        information="Known: an investigation is under way",
        conditions=(Condition.NO_ONWARD,),
    )
    fill = {"routes": ["contact_pack"], "note": "The hub may keep it in its own pack for the conference"}
    page = url("checks:request", answered.pk)
    return [Variant.from_page(world.client(PARTNER), url("checks:agree", answered.pk), page=page, fill=fill)]


def _decline(world: World) -> list[Variant]:
    """A social worker records that the hub declined to share what someone asked for."""
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    fill = {
        "asked_by": "A housing officer at Example Housing",
        "asked": "Whether the family is known to children's social care",
        "declined_reason": "No consent, and nothing suggests the children are at risk of harm",
    }
    variant = Variant.from_page(world.client(SW), url("sharing:decline", contact.pk), fill=fill)
    variant.fixed = {"declined_reason": [fill["declined_reason"]]}  # other words are too short
    return [variant]


def _dismiss_alerts(world: World) -> list[Variant]:
    partner = world.user(PARTNER)
    request: AgencyRequest = _checks(world, _partner_agency(world)).requests.get()
    alert = Alert.objects.create(request=request, kind=AlertKind.REMINDER, recipient=partner, created_at=AT)
    return [bare(world.client(PARTNER), url("checks:dismiss-alerts"), {"alert": [str(alert.pk)], "next": ["/checks/"]})]


def _old_report_address(world: World) -> list[Variant]:
    """The timeliness report's old address sends any request on to its new one."""
    return [bare(world.client(TM), "/checks/timeliness/", {"x": ["1"]})]


TARGETS = [
    Target("screening:screen-contact", _screen),
    Target("screening:identify-people", _identify_people),
    Target("decisions:recommend", _recommend),
    Target("decisions:approve", _approve),
    Target("decisions:action-outcome", _action_outcome),
    Target("checks:start", _start),
    Target("checks:checks", _submit_checks),
    Target("checks:ask-another-agency", _ask_another),
    Target("checks:withdraw", _withdraw),
    Target("checks:agree", _agree),
    Target("sharing:decline", _decline),
    Target("checks:request", _answer),
    Target("checks:dismiss-alerts", _dismiss_alerts),
    Target("checks/timeliness/", _old_report_address),
]
