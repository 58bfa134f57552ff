"""Birmingham CASS and MASH (seeds 000, the CASS/MASH protocol and partner offers; 001, the 2016
scrutiny report), front door to closed.

- A school's request for support at the significant level on a Friday afternoon: checks with the
  partners in CASS answered the same day, one answer coming after the decision and forwarded to
  the allocated worker, a team manager's approval within 24 hours of the contact, and a strategy
  discussion moved past its 24 hours by a recorded exception, held within 72; the school
  acknowledged and sent the outcome of its referral, none of the partners' answers in it.
- A police domestic-abuse notification on a Friday night: the older child's school told by Operation
  Encompass before Monday's school day, the domestic-abuse daily triage on Monday, consent for the
  early-years partner's two services asked apart, early help at the additional level, and the
  outcome sent to the police.
- An anonymous request for support: nobody acknowledged, nobody told the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import AgencyKind, Role
from safehub.accounts.tests.factories import TeamFactory, user_with_role
from safehub.audit.models import Verb
from safehub.checks import services as checks
from safehub.checks.models import Alert, AlertKind
from safehub.consent.models import ConsentAnswer, ConsentPurpose, Giver
from safehub.consent.queries import positions
from safehub.consent.rules import Position
from safehub.contacts.models import (
    Channel,
    ConsentPosition,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.workflow import Event
from safehub.core.errors import DomainError, Refused
from safehub.core.tests.fake_notify import FakeNotify
from safehub.core.working_time import LONDON
from safehub.decisions.models import Outcome, Referral
from safehub.decisions.services import Allocation
from safehub.domestic_abuse import services as notifications
from safehub.domestic_abuse.tests.test_notifications import details
from safehub.letters import encompass
from safehub.letters import services as letters
from safehub.letters.models import LetterKind
from safehub.letters.timeliness import outcome_due
from safehub.meetings import services as meetings
from safehub.meetings.models import ItemDecision, ItemReason, MeetingKind
from safehub.people.models import Sex
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import active_protocol, deadlines_for
from safehub.strategy import services as strategy
from safehub.strategy import timeliness
from safehub.strategy.models import MeetingFormat, StrategyDiscussion
from safehub.strategy.tests.helpers import hold_for
from tests.scenarios.steps import (
    Hub,
    acknowledgements_round,
    action,
    adult,
    answer,
    approve,
    assert_closed,
    assert_delivered,
    assert_in_time,
    assert_report,
    assert_told_safely,
    child,
    consent_of,
    delivery_round,
    encompass_round,
    london,
    panel_clocks,
    recommend,
    record,
    register_school,
    requests_by_kind,
    screen,
    verbs,
    write,
)

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
POLICE, HEALTH, EDUCATION = AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION
PROBATION, HOUSING, WOMENS_AID = AgencyKind.PROBATION, AgencyKind.HOUSING, AgencyKind.DOMESTIC_ABUSE


@pytest.fixture
def birmingham(hub_for: Callable[..., Hub]) -> Hub:
    # 000, signatories and partner offers; 001: "Police, Adult Mental Health, Education, Acute and
    # Community Health, Probation and Women's Aid" are in CASS and MASH.
    return hub_for("birmingham", POLICE, HEALTH, EDUCATION, PROBATION, HOUSING, WOMENS_AID)


def test_a_significant_request_is_checked_the_same_day_decided_within_24_hours_and_discussed_by_exception(
    birmingham: Hub, notify: FakeNotify
) -> None:
    hub = birmingham
    received = london(2026, 11, 27, 13, 0)  # a Friday afternoon
    # 000, Role and function of CASS: a request for support form, with "clarification around consent"
    # ("consent must be obtained by the referring partner").
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[
            child("Leon", "Achterberg", dt.date(2013, 9, 14), sex=Sex.MALE),
            adult("Dionne", "Achterberg", dt.date(1988, 2, 2)),
            adult("Craig", "Pell", dt.date(1984, 11, 30), sex=Sex.MALE, role=SubjectRole.ALLEGED_PERPETRATOR),
        ],
        concern_categories=["physical_abuse"],
        narrative="Leon has a cut above his eye and says his stepfather threw a plate at him.",
        referrer_email="nadia.brookfield@example-primary.sch.uk",
    )
    # Issue 15: a professional's request acknowledged within one working day, at the worker's next round
    # (000 sets no time for it).
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 1
    [acknowledgement] = delivery_round(hub, notify, at=received + 8 * MIN)
    screen(hub, contact, at=received + 15 * MIN)
    contact.refresh_from_db()
    # 000: "There is a 24-hour timescale set for all enquires to have clear decisions".
    assert contact.current_due_at == received + 24 * H

    # 000: "When threshold has been met or likely to be met under complex and significant, checks are then
    # completed with partners that sit in CASS"; "Same day responses are required from partners".
    started = hub.at(received + 45 * MIN)
    end_of_day = london(2026, 11, 27, 17, 0)
    contact.refresh_from_db()
    made = checks.start_checks(
        contact,
        checks.StartChecks(
            reason="Injury to a child from a named adult at home: complex or significant",
            rating=Brag.AMBER,
            coordinator=hub.social_worker,
            agencies=hub.asked(POLICE, HEALTH, EDUCATION, PROBATION, HOUSING),
            questions="Is the family known to you? Any incidents, injuries, attendance or risk from Mr Pell?",
            bases=checks.DEFAULT_BASES,
            respond_by=end_of_day,
        ),
        by=hub.manager,
        at=started,
        version=contact.version,
    )
    asked = requests_by_kind(made)
    for request in asked.values():
        assert request.due_at == end_of_day  # 000: "Same day responses"
        assert request.due_at.astimezone(LONDON).date() == started.astimezone(LONDON).date()
    answer(hub, asked[POLICE], at=received + 90 * MIN, information="Mr Pell was arrested for assault in 2024.")
    answer(hub, asked[HEALTH], at=received + 2 * H)
    answer(hub, asked[EDUCATION], at=received + 2 * H + 30 * MIN, information="Leon has missed 9 days this term.")
    answer(hub, asked[PROBATION], at=received + 3 * H, information="Mr Pell is on licence until March 2027.")
    # Housing has not answered when the coordinator submits: the decision does not wait for it.
    hub.at(received + 3 * H + 15 * MIN)
    made.refresh_from_db()
    checks.submit_for_decision(
        made,
        analysis="Police and probation show a violent adult at home; school absence rising.",
        outstanding_reason="Housing has not answered and the decision cannot wait.",
        by=hub.social_worker,
        at=received + 3 * H + 15 * MIN,
        version=made.version,
    )

    recommend(
        hub,
        contact,
        at=received + 3 * H + 30 * MIN,
        choices={"Leon": (Brag.RED, "significant", Outcome.STRATEGY_DISCUSSION)},
    )
    contact.refresh_from_db()
    # 000: the approval is within the same 24 hours of the contact; rated Red, the profile's local
    # default asks for it within 4 of them ("information is required back within hour/s").
    assert contact.current_due_at == received + 4 * H
    assert contact.current_due_at <= received + 24 * H
    # 000, partner offers: "Progressing Complex and Significant concerns" is the CASS team managers' (the
    # "SW/TM rational"); the protocol lets a team manager approve, not a senior practitioner.
    hub.at(received + 3 * H + 40 * MIN)
    with pytest.raises(PermissionDenied):
        approve(hub, contact, at=received + 3 * H + 40 * MIN, by=hub.senior_practitioner)
    approved_at = received + 3 * H + 50 * MIN
    approve(hub, contact, at=approved_at, by=hub.manager)
    assert [(r.subject.given_name, r.outcome) for r in Referral.objects.filter(contact=contact)] == [
        ("Leon", Outcome.STRATEGY_DISCUSSION)
    ]

    discussion = StrategyDiscussion.objects.get(contact=contact)
    # 000: "MASH aim to respond to all strategy meetings within 24 hours" (Saturday afternoon) ...
    assert discussion.standard_due_at == approved_at + 24 * H
    # ... "unless there is a clear risk assessment that allows for up to 72-hour exception".
    recorded = hub.at(approved_at + 10 * MIN)
    reason = "Leon is staying with his grandmother and Mr Pell is bailed away from the address."
    with pytest.raises(Refused, match="allows an exception up to"):
        strategy.record_exception(
            discussion,
            due_at=approved_at + 72 * H + MIN,
            reason=reason,
            by=hub.manager,
            at=recorded,
            version=discussion.version,
        )
    monday_morning = london(2026, 11, 30, 10, 0)
    strategy.record_exception(
        discussion, due_at=monday_morning, reason=reason, by=hub.manager, at=recorded, version=discussion.version
    )
    discussion.refresh_from_db()
    assert discussion.due_at == monday_morning
    assert discussion.due_at <= discussion.started_at + 72 * H  # 000: "up to 72-hour exception"

    # 001: work is allocated to the assessment and short term intervention teams (ASTIs) directly from CASS.
    asti_worker = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name="ASTI East"), username="asti.worker")
    action(hub, contact, at=approved_at + 20 * MIN, told_at=None, sent_to="ASTI East", worker=asti_worker)
    # 000, Parties to the framework 1.1, CASS's offer: "Outcomes of referrals sent to referring partners";
    # 000 sets no time, so the profile's local default: the next working day (Monday afternoon).
    assert outcome_due(approved_at, deadlines_for(Clock.OUTCOME_TO_REFERRER)) == london(2026, 11, 30, 16, 50)
    outcome = write(hub, contact, LetterKind.OUTCOME, at=approved_at + 25 * MIN)
    assert outcome.email == "nadia.brookfield@example-primary.sch.uk"
    assert "Leon Achterberg: strategy discussion" in outcome.body
    [delivered] = delivery_round(hub, notify, at=approved_at + 30 * MIN)
    assert delivered == outcome
    # 000: "If the information has not been returned to CASS by the time its progressed to an assessment,
    # then this information is forwarded to the allocated social worker by CASS when it is received".
    answer(hub, asked[HOUSING], at=london(2026, 11, 30, 9, 15), information="Rent arrears; eviction notice served.")
    assert Alert.objects.filter(request=asked[HOUSING], kind=AlertKind.LATE_ANSWER, recipient=asti_worker).exists()

    # 000: strategy discussions "arranged by coordinators" in the MASH, partners invited to attend.
    arranging = hub.at(london(2026, 11, 30, 9, 0))
    strategy.arrange(
        discussion,
        strategy.Arrangement(
            meeting_at=monday_morning,
            meeting_format=MeetingFormat.IN_PERSON,
            place="MASH strategy room",
            chair=hub.manager,
            agencies=tuple(hub.asked(POLICE, HEALTH, EDUCATION, PROBATION)),
        ),
        by=hub.coordinator,
        at=arranging,
        version=discussion.version,
    )
    discussion.refresh_from_db()
    held = hold_for(discussion, by=hub.manager, at=london(2026, 11, 30, 11, 0))
    # 000: "Timeliness and partner participation of strategy meetings is monitored".
    measure = timeliness.held(held, held.record, at=london(2026, 11, 30, 11, 0))
    assert measure.in_time is True
    assert measure.text == "Held by exception, within the time the risk assessment allowed"

    assert_closed(
        contact,
        [
            Event.START_SCREENING,
            Event.REFER_FOR_THRESHOLD,
            Event.START_MASH_CHECKS,
            Event.SUBMIT_CHECKS_FOR_DECISION,
            Event.RECOMMEND,
            Event.APPROVE,
            Event.ACTION_OUTCOME,
        ],
    )
    trail = verbs(contact)
    assert trail.count(Verb.AGENCY_RESPONSE_SUBMITTED) == 5
    for verb in (Verb.STRATEGY_EXCEPTION_RECORDED, Verb.LATE_ANSWER_FORWARDED, Verb.STRATEGY_DISCUSSION_RECORDED):
        assert verb in trail
    # None of the partners' answers went to the school: each is withheld from the outcome in the ledger.
    assert_delivered([acknowledgement, outcome], notify)
    assert_told_safely([acknowledgement, outcome])
    assert {row["agency"] for row in outcome.disclosure.withheld} == {
        "Example Police",
        "Example Health Trust",
        "Example Education Service",
        "Example Probation Service",
    }
    assert_in_time(
        contact,
        at=london(2026, 11, 30, 17, 0),
        expected=["Acknowledgement", "Outcome to the person who made contact"],
    )
    assert_report(at=london(2026, 11, 30, 17, 0), acknowledged_on_time=1, told_on_time=1)


def test_a_domestic_abuse_notification_goes_through_the_daily_triage_to_early_help(
    birmingham: Hub, notify: FakeNotify
) -> None:
    hub = birmingham
    # Operation Encompass: the register holds Mia's school and its designated safeguarding lead.
    register_school("Greenfield Primary School", "Mrs Ada Okafor", "dsl@greenfield-primary.example.org")
    received = london(2026, 11, 27, 21, 40)  # Friday night
    contact = record(
        hub,
        received=received,
        at=received + 15 * MIN,
        subjects=[
            child("Mia", "Kestrel", dt.date(2016, 5, 17), school="Greenfield Primary School"),
            child("Leo", "Kestrel", dt.date(2023, 2, 2), sex=Sex.MALE, role=SubjectRole.SIBLING),
            adult("Ann", "Kestrel", dt.date(1990, 3, 4)),
            adult("Dean", "Cole", dt.date(1989, 8, 8), sex=Sex.MALE, role=SubjectRole.ALLEGED_PERPETRATOR),
        ],
        channel=Channel.POLICE_NOTIFICATION,
        source=ReferralSource.POLICE,
        referrer_name="PC Jordan Webb",
        referrer_role="Domestic abuse officer",
        referrer_agency="Example Police",
        referrer_email="jordan.webb@example.police.uk",
        concern_categories=["domestic_abuse"],
        narrative="Verbal argument this evening; Mia was at home and upset; Mr Cole left before police arrived.",
        parents_aware=YesNoUnknown.UNKNOWN,
        parents_agree=YesNoUnknown.UNKNOWN,
        consent=ConsentPosition.NOT_KNOWN,
    )
    # The incident and its DASH risk assessment, as the police sent them (5 "yes": standard risk).
    notification = notifications.record_notification(
        contact,
        details(contact, yes=5, incident_at=received - 90 * MIN),
        by=hub.contact_officer,
        at=hub.at(received + 20 * MIN),
        version=None,
    )
    assert notification.marac_basis == ""

    # Operation Encompass (000: the school's "encompass log"): the school of each child of school age is told
    # before the start of the next school day, Monday 08:30, by the worker's next round on Friday night.
    # Leo, three, is not of school age and has no school: nobody is told about him.
    assert encompass.due(notification, active_protocol()) == london(2026, 11, 30, 8, 30)
    assert encompass_round(hub, at=received + 25 * MIN) == 1
    assert encompass_round(hub, at=received + 26 * MIN) == 0  # once for each child
    [notice] = contact.messages.filter(kind=LetterKind.ENCOMPASS)
    assert (notice.child.given_name, notice.recipient_name, notice.email) == (
        "Mia",
        "Mrs Ada Okafor",
        "dsl@greenfield-primary.example.org",
    )
    for words in ("Mia Kestrel", "WMP-20261123-0457", "The family home", "The police say the child was present."):
        assert words in notice.body
    assert notice.sent_by == hub.contact_officer  # on behalf of whoever recorded the notification
    # Issue 15: the officer's notification acknowledged too, by the worker's round.
    assert acknowledgements_round(hub, at=received + 25 * MIN) == 1
    delivered = delivery_round(hub, notify, at=received + 30 * MIN)
    assert {message.kind for message in delivered} == {LetterKind.ENCOMPASS, LetterKind.ACKNOWLEDGEMENT}
    assert panel_clocks(contact, at=london(2026, 11, 30, 8, 30))["Operation Encompass: Mia Kestrel's school"] == (
        "Mrs Ada Okafor, sent 27 November 2026, 22:05 (in time)"
    )
    screen(hub, contact, at=london(2026, 11, 30, 8, 45))

    # 000, the police offer: "To support the domestic abuse daily triage with attendance, decision making,
    # and information sharing"; Women's Aid (BSWA) supports "the work of the CASS and MASH function".
    opened = hub.at(london(2026, 11, 30, 10, 0))
    triage = meetings.open_meeting(hub.team, by=hub.manager, at=opened, kind=MeetingKind.TRIAGE)
    [item] = triage.items.all()
    assert (item.contact, item.reason) == (contact, ItemReason.DOMESTIC_ABUSE)
    members = {attendance.agency.kind for attendance in triage.attendance.select_related("agency")}
    assert members == {POLICE, WOMENS_AID, AgencyKind.CHILDRENS_SOCIAL_CARE}
    meetings.record_attendance(
        triage,
        attended=[attendance.agency_id for attendance in triage.attendance.all()],
        by=hub.social_worker,
        at=opened + 5 * MIN,
        version=triage.version,
    )
    meetings.decide(
        item,
        decision=ItemDecision.EARLY_HELP,
        acts="CASS social worker",
        note="Standard risk; mother wants support; children's centre near home.",
        by=hub.social_worker,
        at=opened + 10 * MIN,
        version=item.version,
    )
    triage.refresh_from_db()
    meetings.close_meeting(triage, by=hub.manager, at=opened + 20 * MIN, version=triage.version)

    # 000, Birmingham Forward Steps: "clear consent to process referral for both the children's centre and
    # health visiting" (each asked apart); early help always with consent.
    asked = london(2026, 11, 30, 11, 0)
    consent_of(hub, contact, "Ann", purpose=ConsentPurpose.EARLY_HELP, given_by=Giver.THEMSELVES, at=asked)
    for name in ("Mia", "Leo"):
        consent_of(
            hub,
            contact,
            name,
            purpose=ConsentPurpose.EARLY_HELP,
            given_by=Giver.PARENT,
            giver_name="Ann Kestrel",
            at=asked,
        )
    consent_of(
        hub,
        contact,
        "Leo",
        purpose=ConsentPurpose.CHILDRENS_CENTRES,
        given_by=Giver.PARENT,
        giver_name="Ann Kestrel",
        at=asked,
    )
    consent_of(
        hub,
        contact,
        "Leo",
        purpose=ConsentPurpose.HEALTH_VISITING,
        given_by=Giver.PARENT,
        giver_name="Ann Kestrel",
        answer=ConsentAnswer.REFUSED,
        at=asked,
    )
    leo = {
        purpose: next(p.position for p in positions(contact, purpose, on=asked.date()) if p.subject.given_name == "Leo")
        for purpose in (ConsentPurpose.EARLY_HELP, ConsentPurpose.CHILDRENS_CENTRES, ConsentPurpose.HEALTH_VISITING)
    }
    assert (
        leo
        == {
            ConsentPurpose.EARLY_HELP: Position.GIVEN,
            ConsentPurpose.CHILDRENS_CENTRES: Position.GIVEN,
            ConsentPurpose.HEALTH_VISITING: Position.REFUSED,  # 000: "If there is only consent for ..., this needs to be clear"
        }
    )

    # 000, CASS: "Progressing Additional Needs concerns to Families Together or Early Help Locality Hubs".
    recommend(
        hub,
        contact,
        at=london(2026, 11, 30, 11, 30),
        choices={
            "Mia": (Brag.GREEN, "additional", Outcome.EARLY_HELP),
            "Leo": (Brag.GREEN, "additional", Outcome.EARLY_HELP),
        },
    )
    approve(hub, contact, at=london(2026, 11, 30, 11, 45), by=hub.manager)
    assert not Referral.objects.filter(contact=contact).exists()  # 001: a contact, not a referral
    done = action(
        hub,
        contact,
        at=london(2026, 11, 30, 12, 0),
        told_at=None,
        allocations={Outcome.EARLY_HELP: Allocation("Early Help Locality Hub East")},
    )
    assert {(c.subject.given_name, c.team) for c in done.children.all()} == {
        ("Mia", "Early Help Locality Hub East"),
        ("Leo", "Early Help Locality Hub East"),
    }
    assert_closed(
        contact,
        [Event.START_SCREENING, Event.REFER_FOR_THRESHOLD, Event.RECOMMEND, Event.APPROVE, Event.ACTION_OUTCOME],
    )
    # 000, the police's offer, what they need from CASS: "Outcomes of any referral made by Police" (000 sets
    # no time: the profile's next working day).
    outcome = write(hub, contact, LetterKind.OUTCOME, at=london(2026, 11, 30, 12, 5))
    assert outcome.email == "jordan.webb@example.police.uk"
    assert "Mia Kestrel: early help\nLeo Kestrel: early help" in outcome.body
    [delivered_outcome] = delivery_round(hub, notify, at=london(2026, 11, 30, 12, 10))
    assert_delivered([*delivered, delivered_outcome], notify)
    assert_told_safely([*delivered, delivered_outcome])
    assert_in_time(
        contact,
        at=london(2026, 12, 1, 12, 0),
        expected=[
            "Acknowledgement",
            "Outcome to the person who made contact",
            "Operation Encompass: Mia Kestrel's school",
        ],
    )
    assert_report(
        at=london(2026, 12, 1, 12, 0),
        acknowledged_on_time=1,
        told_on_time=1,
        encompass_due=1,
        encompass_on_time=1,
    )
    trail = verbs(contact)
    assert {Verb.DOMESTIC_ABUSE_RECORDED, Verb.TRIAGE_DECISION} <= set(trail)
    assert trail.count(Verb.CONSENT_RECORDED) == 5
    assert trail.count(Verb.MESSAGE_SENT) == 3


def test_partners_answer_checks_the_same_day_by_default(birmingham: Hub) -> None:
    received = london(2026, 11, 27, 13, 0)  # a Friday afternoon
    contact = record(
        birmingham, received=received, at=received, subjects=[child("Leon", "Achterberg", dt.date(2013, 9, 14))]
    )
    screen(birmingham, contact, at=received + 10 * MIN)
    started = birmingham.at(received + 30 * MIN)
    contact.refresh_from_db()
    made = checks.start_checks(
        contact,
        checks.StartChecks(
            reason="Complex needs: the family's circumstances are unclear",
            rating=Brag.AMBER,
            coordinator=birmingham.social_worker,
            agencies=birmingham.asked(POLICE, HEALTH, EDUCATION),
            questions="Is the family known to you?",
            bases=checks.DEFAULT_BASES,
        ),
        by=birmingham.manager,
        at=started,
        version=contact.version,
    )
    # 000: "Same day responses are required from partners to allow CASS to make timely and proportionate
    # recommendations without delay": asked on Friday afternoon, answered on Friday.
    for request in made.requests.all():
        assert request.due_at.astimezone(LONDON).date() == started.astimezone(LONDON).date()


def test_partners_in_cass_share_initially_with_or_without_consent(birmingham: Hub) -> None:
    received = london(2026, 11, 30, 7, 30)
    contact = record(
        birmingham,
        received=received,
        at=received,
        subjects=[child("Mia", "Kestrel", dt.date(2016, 5, 17)), adult("Ann", "Kestrel", dt.date(1990, 3, 4))],
        source=ReferralSource.POLICE,
        referrer_name="PC Jordan Webb",
        referrer_agency="Example Police",
        parents_aware=YesNoUnknown.UNKNOWN,
        parents_agree=YesNoUnknown.UNKNOWN,
        consent=ConsentPosition.NOT_KNOWN,
    )
    screen(birmingham, contact, at=received + 10 * MIN)
    started = birmingham.at(received + 30 * MIN)
    contact.refresh_from_db()
    # 000, Data and Information Sharing: "Information is shared initially within CASS with or without consent
    # in order to assess risk and harm which in turn identifies the proportionate level of response required".
    made = checks.start_checks(
        contact,
        checks.StartChecks(
            reason="Police notification: the family's circumstances are not known",
            rating=Brag.AMBER,
            coordinator=birmingham.social_worker,
            agencies=birmingham.asked(POLICE, HEALTH, EDUCATION),
            questions="Is the family known to you?",
            bases=checks.DEFAULT_BASES,
            respond_by=london(2026, 11, 30, 17, 0),
        ),
        by=birmingham.manager,
        at=started,
        version=contact.version,
    )
    assert made.requests.count() == 3


def test_an_anonymous_request_is_neither_acknowledged_nor_told_the_outcome(birmingham: Hub) -> None:
    hub = birmingham
    received = london(2026, 11, 24, 10, 0)
    # 000: "anonymous referrals" are checked with every partner in CASS like the complex and significant.
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[child("Zara", "Linton", dt.date(2019, 4, 4))],
        channel=Channel.PHONE,
        source=ReferralSource.ANONYMOUS,
        referrer_kind=ReferrerKind.ANONYMOUS,
        referrer_name="",
        referrer_role="",
        referrer_agency="",
        referrer_phone="",
        concern_categories=["neglect"],
        narrative="A neighbour says the little girl next door is often left alone in the evenings.",
        consent=ConsentPosition.NOT_REQUIRED_PUBLIC,
    )
    # Issue 15: "anonymous: none": no acknowledgement ...
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 0
    screen(hub, contact, at=received + 15 * MIN)
    recommend(hub, contact, at=received + H, choices={"Zara": (Brag.GREEN, "universal", Outcome.NO_FURTHER_ACTION)})
    approve(hub, contact, at=received + H + 15 * MIN, by=hub.manager)
    action(hub, contact, at=received + H + 30 * MIN, told_at=None)
    # ... and no outcome: there is nobody to write to, and no time to keep.
    with pytest.raises(DomainError, match="did not give their name"):
        letters.draft(contact, kind=LetterKind.OUTCOME, by=hub.social_worker, at=received + H + 35 * MIN)
    assert not contact.messages.exists()
    assert panel_clocks(contact, at=received + 3 * 24 * H) == {}
    assert_report(at=received + 3 * 24 * H, acknowledgements_due=0, outcomes_due=0)
    assert_closed(
        contact,
        [Event.START_SCREENING, Event.REFER_FOR_THRESHOLD, Event.RECOMMEND, Event.APPROVE, Event.ACTION_OUTCOME],
    )
