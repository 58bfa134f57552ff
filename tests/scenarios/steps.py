"""The steps every hub's scenario takes, through the real services and as the right users: a hub
with its profile active, a contact recorded and screened, MASH checks asked and answered, a
recommendation approved and its outcome actioned, the letters and messages written and delivered,
and what a closed contact's history says.

Each step moves the pinned clock to its own time first (`Hub.at`), so that what a service reads
from the clock itself (today's date, the age of a child) agrees with the `at` it is given."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import verify_chain
from safehub.checks import services as checks
from safehub.checks.models import AgencyRequest, AgencyResponse, MashChecks
from safehub.checks.queries import answer_items
from safehub.checks.tests.helpers import submit_answer
from safehub.consent import services as consent
from safehub.consent.models import ConsentAnswer, ConsentMethod, ConsentRecord
from safehub.consultations.models import Consultation
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
from safehub.core.tests.fake_notify import FakeNotify
from safehub.core.working_time import LONDON
from safehub.decisions import services as decisions
from safehub.decisions.models import Decision, Outcome, OutcomeAction, Recommendation
from safehub.letters import delivery, encompass
from safehub.letters import services as letters
from safehub.letters.models import Channel as LetterChannel
from safehub.letters.models import FamilyLetterDecision, LetterKind, Message, School
from safehub.letters.presenters import clock_lines, encompass_lines
from safehub.letters.workflow import MessageState
from safehub.onward import services as onward
from safehub.onward.models import ReceivingTeam, ReferralPack
from safehub.people.models import Person, PersonKind, Sex
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.models import Brag, LocalProtocol, ThresholdLevel
from safehub.protocols.services import (
    SETTINGS_FIELDS,
    LevelRow,
    ProtocolSettings,
    TimescaleRow,
    activate_protocol,
    update_protocol,
)
from safehub.reports.indicators import telling_people as telling_people_report
from safehub.screening.models import Screening, ScreeningRoute
from safehub.screening.services import identify_subject, record_screening
from safehub.sharing.models import Disclosure

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
    give_hub_details(protocol, by=administrator)
    hub = Hub(protocol=protocol, team=team, clock=clock, **staff)
    for kind in partners:
        agency = PartnerAgencyFactory(name=PARTNER_NAMES[kind], kind=kind)
        desk = TeamFactory(name=f"{agency.name} MASH desk", agency=agency)
        hub.agencies[kind] = agency
        hub.partners[kind] = user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username=f"{kind}.partner")
    return hub


# The hub's telephone, email and postal address, which its letters give (fictional: a drama number).
HUB_DETAILS = {
    "hub_phone": "01632 960000",
    "hub_email": "mash@example.gov.uk",
    "hub_address": "Civic Offices\n1 Example Street\nZZ1 1ZZ",
}


def give_hub_details(protocol: LocalProtocol, *, by: User) -> None:
    """The administrator enters the hub's contact details on the protocol page, changing nothing else."""
    held = {name: getattr(protocol, name) for name in SETTINGS_FIELDS}
    settings = ProtocolSettings(**{name: tuple(v) if isinstance(v, list) else v for name, v in held.items()})
    update_protocol(
        protocol,
        settings=replace(settings, **HUB_DETAILS),
        levels=[LevelRow(lv.pk, lv.order, lv.code, lv.label, lv.description) for lv in protocol.levels.all()],
        timescales=[
            TimescaleRow(t.pk, t.clock, t.rating, t.agency, t.amount, t.unit, t.note) for t in protocol.timescales.all()
        ],
        by=by,
        version=protocol.version,
    )
    protocol.refresh_from_db()


# Intake ---------------------------------------------------------------------------------------


def child(
    given: str, family: str, born: date, *, sex: str = Sex.FEMALE, role: str = SubjectRole.CHILD, **more: Any
) -> dict[str, Any]:
    """A child named in the contact (`more`: say, the school the referrer gave)."""
    return {
        "role": role,
        "kind": PersonKind.CHILD,
        "given_name": given,
        "family_name": family,
        "sex": sex,
        "date_of_birth": born,
        "postcode": "ZZ1 1ZZ",
        **more,
    }


def adult(
    given: str, family: str, born: date, *, sex: str = Sex.FEMALE, role: str = SubjectRole.PARENT, **more: Any
) -> dict[str, Any]:
    """An adult named in the contact (`more`: say, their address, where a letter to the family goes)."""
    return {
        "role": role,
        "kind": PersonKind.ADULT,
        "given_name": given,
        "family_name": family,
        "sex": sex,
        "date_of_birth": born,
        "postcode": "ZZ1 1ZZ",
        "has_parental_responsibility": role == SubjectRole.PARENT,
        **more,
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
    told_at: datetime | None,
    sent_to: str = "",
    worker: User | None = None,
    allocations: Mapping[Outcome, decisions.Allocation] | None = None,
) -> OutcomeAction:
    """The approved outcome carried out (to the team `sent_to` and social worker `worker`, or by
    `allocations`), the referrer told by phone at `told_at`, or (None) "Not yet: write the outcome
    from Safehub next" (an anonymous referrer: nobody to tell): the contact closes."""
    hub.at(at)
    contact.refresh_from_db()
    if told_at is not None:
        told_by = "phone"
    else:
        told_by = "" if contact.referrer_kind == ReferrerKind.ANONYMOUS else decisions.SEND_FROM_SAFEHUB
    return decisions.action_outcome(
        contact,
        sent_to=sent_to,
        referrer_informed_at=told_at,
        referrer_informed_by=told_by,
        notes="",
        by=hub.social_worker,
        at=at,
        version=contact.version,
        allocated_worker=worker,
        allocations=allocations,
    )


# Letters and messages (issue 15; ADR 0037) -------------------------------------------------------


def receiving_team(name: str, outcome: Outcome, *, team: Team | None = None, email: str = "") -> ReceivingTeam:
    """The administrator registers a team referrals go to: in Safehub (`team`), or by secure email."""
    made: ReceivingTeam = ReceivingTeam.objects.create(name=name, outcomes=[outcome.value], team=team, email=email)
    return made


def refer_on(hub: Hub, contact: Contact, outcome: Outcome, to: ReceivingTeam, *, at: datetime) -> ReferralPack:
    """The social worker sends the referral pack for the children the outcome sends to `outcome`'s service."""
    hub.at(at)
    contact.refresh_from_db()
    return onward.send_pack(contact, outcome=outcome, team=to, by=hub.social_worker, at=at, submission_key=uuid.uuid4())


def assert_pack_withholds(pack: ReferralPack, *, shared: Iterable[str], withheld: Iterable[str]) -> None:
    """The pack holds the answers of the agencies `shared` and names those `withheld` as left out, whose
    words are nowhere in it (the exits gate, ADR 0035), and its ledger row says the same."""
    assert sorted(answer["agency"] for answer in pack.content["answers"]) == sorted(shared)
    assert pack.content["withheld"] == sorted(
        f"Not passed on: {agency}'s handling conditions do not allow it" for agency in withheld
    )
    sent = json.dumps(pack.content, ensure_ascii=False)
    for item in answer_items(pack.contact):
        if item.source_name in set(withheld):
            assert str(item.content["information"]) not in sent
    row = Disclosure.objects.get(pk=pack.disclosure_id)
    assert sorted(kept["agency"] for kept in row.withheld) == sorted(withheld)


def acknowledgements_round(hub: Hub, *, at: datetime) -> int:
    """The background worker's round at `at` (`queue_acknowledgements`): how many contacts it acknowledged."""
    hub.at(at)
    return letters.queue_acknowledgements(at)


def encompass_round(hub: Hub, *, at: datetime) -> int:
    """The background worker's Operation Encompass round at `at`: how many schools it told."""
    hub.at(at)
    return encompass.queue_encompass(at)


def register_school(name: str, dsl_name: str, dsl_email: str) -> School:
    """The administrator adds a school and its designated safeguarding lead to the register."""
    school: School = School.objects.create(name=name, dsl_name=dsl_name, dsl_email=dsl_email)
    return school


def write(
    hub: Hub, contact: Contact, kind: LetterKind, *, at: datetime, by: User | None = None, added: str = ""
) -> Message:
    """The social worker (or `by`) opens the message of `kind` from the contact and sends it as Safehub
    drafts it (to the address, and by the channel, it proposes), with any words they `added` at the end."""
    hub.at(at)
    contact.refresh_from_db()
    sender = by or hub.social_worker
    made = letters.draft(contact, kind=kind, by=sender, at=at)
    return letters.send(
        contact,
        kind=kind,
        template_version=made.template_version,
        channel=made.channel,
        recipient_name=made.recipient_name,
        email=made.email,
        postal_address=made.postal_address,
        subject=made.subject,
        body=f"{made.body}\n\n{added}" if added else made.body,
        by=sender,
        at=at,
        submission_key=uuid.uuid4(),
    )


def summarise(hub: Hub, consultation: Consultation, *, at: datetime) -> Message:
    """The social worker who gave the advice sends the consultation's summary as Safehub drafts it."""
    hub.at(at)
    consultation.refresh_from_db()
    made = letters.draft_summary(consultation, by=hub.social_worker, at=at)
    return letters.send_summary(
        consultation,
        template_version=made.template_version,
        channel=made.channel,
        recipient_name=made.recipient_name,
        email=made.email,
        postal_address=made.postal_address,
        subject=made.subject,
        body=made.body,
        by=hub.social_worker,
        at=at,
        version=consultation.version,
        submission_key=uuid.uuid4(),
    )


def not_to_write(hub: Hub, contact: Contact, *, reason: str, explanation: str, at: datetime) -> FamilyLetterDecision:
    """The social worker records, with a coded reason, that the family is not written to."""
    hub.at(at)
    return letters.decide_not_to_write(contact, reason=reason, explanation=explanation, by=hub.social_worker, at=at)


def delivery_round(hub: Hub, notify: FakeNotify, *, at: datetime) -> list[Message]:
    """The worker hands every waiting message to GOV.UK Notify (the stand-in, `deliver_messages`); ten
    minutes later it asks Notify about them (`ask_notify`), which reports each email delivered and each
    letter printed and posted. The messages it handed over, as they are then."""
    hub.at(at)
    waiting = list(Message.objects.filter(state=MessageState.QUEUED).order_by("created_at", "pk"))
    assert delivery.deliver_messages(at) == len(waiting)
    for message in waiting:
        message.refresh_from_db()
        assert (message.state, message.handed_over_at) == (MessageState.SENT, at)
        notify.statuses[message.provider_id] = (
            "received" if message.channel == LetterChannel.NOTIFY_LETTER else "delivered"
        )
    later = hub.at(at + delivery.ASK_AFTER)
    assert delivery.ask_notify(later) == len(waiting)
    for message in waiting:
        message.refresh_from_db()
    return waiting


def assert_delivered(messages: Iterable[Message], notify: FakeNotify) -> None:
    """Each message reached its recipient through Notify, with its own reference: an email as written,
    a letter as the PDF Safehub drew."""
    emails = {sent["reference"]: sent for sent in notify.received}
    posted = {sent["reference"] for sent in notify.letters}
    for message in messages:
        message.refresh_from_db()
        assert message.state == MessageState.DELIVERED, (message, message.state, message.failure)
        assert message.delivered_at is not None
        reference = delivery.reference(message)
        if message.channel == LetterChannel.NOTIFY_LETTER:
            assert reference in posted
        else:
            sent = emails[reference]
            assert sent["email_address"] == message.email
            assert sent["personalisation"] == {"subject": message.subject, "body": message.body}


def assert_told_safely(messages: Iterable[Message]) -> None:
    """Each send is a row of the sharing ledger down the message's route, holding exactly the words
    sent, with every agency's answer withheld from it and none of their words in it (ADR 0037)."""
    for message in messages:
        disclosure = message.disclosure
        kind = LetterKind(message.kind)
        assert (disclosure.route, disclosure.purpose) == (letters.ROUTES[kind], letters.PURPOSES[kind])
        assert (disclosure.disclosed_by, disclosure.disclosed_at) == (message.sent_by, message.created_at)
        assert disclosure.content["body"] == message.body
        assert disclosure.content["subject"] == message.subject
        assert message.recipient_name in disclosure.recipient
        assert disclosure.contact_id == message.contact_id
        if message.contact is None:
            continue
        answers = answer_items(message.contact)
        if kind in (LetterKind.ACKNOWLEDGEMENT, LetterKind.OUTCOME, LetterKind.FAMILY):
            given = AgencyResponse.objects.filter(request__checks__contact=message.contact)
            before = {
                f"checks.agencyresponse:{pk}"
                for pk in given.filter(submitted_at__lte=message.created_at).values_list("pk", flat=True)
            }
            assert {row["item"] for row in disclosure.withheld} == {item.key for item in answers} & before
        for item in answers:
            for words in (item.content["information"], item.content["analysis"]):
                if words:
                    assert words not in message.body
                    assert words not in message.subject


def panel_clocks(contact: Contact, *, at: datetime) -> dict[str, str]:
    """What the contact's letters panel says of each message's time (`letters.timeliness`)."""
    contact.refresh_from_db()
    messages = list(contact.messages.order_by("created_at", "pk"))
    return {line.what: line.text for line in clock_lines(contact, messages, at=at) + encompass_lines(contact, at=at)}


def assert_in_time(contact: Contact, *, at: datetime, expected: Iterable[str]) -> None:
    """The letters panel shows each of `expected` done, and in time, and nothing else."""
    clocks = panel_clocks(contact, at=at)
    assert set(clocks) == set(expected), clocks
    for what, text in clocks.items():
        assert text.endswith("(in time)"), (what, text)


# The telling-people report's measures that count something late or not done.
LATE_OR_NOT_DONE = (
    "acknowledged_late",
    "not_acknowledged",
    "told_late",
    "not_told",
    "summaries_late",
    "summaries_not_sent",
    "encompass_late",
    "encompass_not_sent",
)


def report_figures(*, at: datetime) -> dict[str, int]:
    """The "Telling people" report's figures at `at`, summed over its months."""
    totals = dict.fromkeys(telling_people_report.MEASURES, 0)
    for row in telling_people_report.figures(at=at):
        for name, value in row.counts.items():
            totals[name] += value
    return totals


def assert_report(*, at: datetime, **expected: int) -> None:
    """The report counts `expected`, and nothing late or left undone."""
    found = report_figures(at=at)
    assert {name: found[name] for name in expected} == expected, found
    assert {name: found[name] for name in LATE_OR_NOT_DONE} == dict.fromkeys(LATE_OR_NOT_DONE, 0)


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
