"""Bexley MASH (seed 002, Operational Practice Framework 2020), front door to closed.

- A Red police notification on a Friday afternoon: consent overridden by a senior practitioner with
  the police's agreement, high-risk MASH checks within 4 hours, a senior practitioner's approval, an
  immediate referral for a strategy discussion, held and recorded; the officer acknowledged and told
  the outcome in writing within 48 hours, the family not written to while the police investigate.
- Two siblings from a school over Christmas: the referrer asked to seek consent, the daily MASH
  meeting, MASH checks timed across the bank holidays, one child to Family Wellbeing and one to a
  child in need assessment; the school acknowledged and told the outcome in writing over Christmas.
- The front door's own routes on a Monday (no daily meeting): information only, an open case, the
  three-month rule; and consultations, each summary sent to the consultee within 48 hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import AgencyKind
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services as checks
from safehub.checks.tests.helpers import start_checks
from safehub.consent import pauses
from safehub.consent import services as consent
from safehub.consent.models import ConsentPurpose, Giver, OverridePower
from safehub.consent.services import ConsentMissing
from safehub.consultations import services as consultations
from safehub.consultations.models import ConsultationKind
from safehub.contacts.models import (
    Channel,
    ConsentPosition,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.workflow import ContactState, Event
from safehub.core.errors import DomainError, Refused
from safehub.core.tests.fake_notify import FakeNotify
from safehub.decisions.models import Outcome, Referral
from safehub.decisions.services import Allocation
from safehub.handoffs.models import Handoff, HandoffKind
from safehub.letters.models import Audience, LetterKind
from safehub.letters.timeliness import outcome_due
from safehub.meetings import services as meetings
from safehub.meetings.models import ItemDecision, ItemReason
from safehub.people.models import Sex
from safehub.people.tests.factories import OpenInvolvementFactory, RecentlyClosedInvolvementFactory
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import deadlines_for
from safehub.screening.models import KnownStatus, ScreeningRoute
from safehub.screening.services import finding_for
from safehub.strategy.models import Decision as StrategyDecision
from safehub.strategy.models import StartRoute, StrategyDiscussion
from safehub.strategy.tests.helpers import arrange_for, hold_for
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
    identify,
    known_child,
    london,
    receiving_team,
    recommend,
    record,
    refer_on,
    requests_by_kind,
    route,
    screen,
    subject,
    submit,
    summarise,
    verbs,
    write,
)

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
POLICE, HEALTH, EDUCATION = AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION
# 002 §7: "The Police, education, health, probation, SOLACE and Children social care attend this meeting".
MEETING_PARTNERS = (POLICE, EDUCATION, HEALTH, AgencyKind.PROBATION, AgencyKind.DOMESTIC_ABUSE)


@pytest.fixture
def bexley(hub_for: Callable[..., Hub]) -> Hub:
    return hub_for("bexley", *MEETING_PARTNERS)


def test_a_red_police_notification_is_overridden_checked_within_4_hours_and_goes_to_a_strategy_discussion(
    bexley: Hub, notify: FakeNotify
) -> None:
    hub = bexley
    received = london(2026, 11, 27, 14, 0)  # a Friday afternoon
    # 002 §1: police forward notifications through their public protection team in the MASH.
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[
            child("Ava", "Thornbury", dt.date(2019, 4, 2)),
            child("Noah", "Thornbury", dt.date(2021, 8, 9), sex=Sex.MALE, role=SubjectRole.SIBLING),
            adult("Kerry", "Thornbury", dt.date(1993, 1, 15)),
            adult("Lee", "Marsh", dt.date(1990, 6, 6), sex=Sex.MALE, role=SubjectRole.ALLEGED_PERPETRATOR),
        ],
        channel=Channel.POLICE_NOTIFICATION,
        source=ReferralSource.POLICE,
        referrer_name="DC Priya Hale",
        referrer_role="Public protection desk",
        referrer_agency="Example Police",
        referrer_email="priya.hale@example.police.uk",
        concern_categories=["physical_abuse", "domestic_abuse"],
        narrative="Ava was seen with bruising to her arm after an assault on her mother at home last night.",
        immediate_protection=YesNoUnknown.YES,
        parents_aware=YesNoUnknown.NO,
        parents_agree=YesNoUnknown.NO,
        consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING,
        not_told={"prejudice_investigation": "The partner is to be interviewed under caution this evening."},
    )
    # 002 §7, §11: a child who may need immediate protection is at risk of significant harm: Red.
    assert contact.initial_rating == Brag.RED
    # 002 §22(b): the family not told, because telling them would prejudice the investigation of a crime.
    assert contact.not_told == {
        "prejudice_investigation": "The partner is to be interviewed under caution this evening."
    }
    # Issue 15: the officer's contact acknowledged within one working day, at the worker's next round.
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 1
    [acknowledgement] = contact.messages.all()
    assert (acknowledgement.kind, acknowledgement.email) == (LetterKind.ACKNOWLEDGEMENT, "priya.hale@example.police.uk")

    # 002 §2–4: the contact officer screens it; the children are not receiving a service, so it goes to a
    # qualified social worker for the threshold decision. A Red contact is never simply signposted.
    identify(hub, contact, at=received + 10 * MIN)
    with pytest.raises(DomainError, match="never closed at screening"):
        route(hub, contact, at=received + 15 * MIN, to=ScreeningRoute.SIGNPOST, signposted_to="Children's centre")
    route(hub, contact, at=received + 15 * MIN)

    # 002 §15: MASH checks are always with health, education and police.
    assert {agency.kind for agency in checks.preselected_agencies()} == {HEALTH, EDUCATION, POLICE}
    # 002 §21–22, §27: without consent, nothing is shared until an override is agreed.
    hub.at(received + 20 * MIN)
    with pytest.raises(ConsentMissing):
        start_checks(
            contact,
            by=hub.manager,
            coordinator=hub.social_worker,
            agencies=hub.asked(HEALTH, EDUCATION, POLICE),
            at=received + 20 * MIN,
            rating=Brag.RED,
        )
    assert AuditEvent.objects.filter(contact=contact, verb=Verb.CONSENT_SHARING_REFUSED).count() == 1

    hub.at(received + 25 * MIN)
    override = consent.ask_override(
        contact,
        ConsentPurpose.MASH_CHECKS,
        "Reasonable cause to believe Ava is suffering significant harm; the family must not be alerted yet.",
        by=hub.social_worker,
        at=received + 25 * MIN,
    )
    # 002 §21: the whole family is covered: none of them has consented.
    assert {person.given_name for person in override.people.all()} == {"Ava", "Noah", "Kerry", "Lee"}
    decided = received + 35 * MIN
    hub.at(decided)
    agreed = consent.Decision(
        agree=True,
        rationale="Significant harm is suspected and telling the family would prejudice the police investigation.",
        power=OverridePower.CHILDREN_ACT_S47,
    )
    # 002 §27: agreed between the MASH manager or senior social worker ...
    with pytest.raises(PermissionDenied):
        consent.decide_override(override, agreed, by=hub.social_worker, at=decided, version=override.version)
    # ... and the agency who owns the information.
    with pytest.raises(Refused) as refused:
        consent.decide_override(override, agreed, by=hub.senior_practitioner, at=decided, version=override.version)
    assert {problem.field for problem in refused.value.problems} == {"owner", "owner_agreed_by", "owner_agreed_at"}
    owned = replace(
        agreed, owner_id=hub.agencies[POLICE].pk, owner_agreed_by="DS Omar Reyes", owner_agreed_at=received + 30 * MIN
    )
    override.refresh_from_db()
    consent.decide_override(override, owned, by=hub.senior_practitioner, at=decided, version=override.version)
    override.refresh_from_db()
    # 002 §27: the rationale and decision are clearly recorded on the contact.
    assert (override.state, override.decided_by, override.owner) == (
        "agreed",
        hub.senior_practitioner,
        hub.agencies[POLICE],
    )
    assert override.contact == contact
    assert override.rationale.startswith("Significant harm")

    # 002 §13: a manager decides the MASH checks; §15: assigned to a social worker to coordinate.
    started = received + 40 * MIN
    hub.at(started)
    contact.refresh_from_db()
    made = start_checks(
        contact,
        by=hub.manager,
        coordinator=hub.social_worker,
        agencies=hub.asked(HEALTH, EDUCATION, POLICE),
        at=started,
        rating=Brag.RED,
    )
    assert (made.started_by, made.coordinator) == (hub.manager, hub.social_worker)
    asked = requests_by_kind(made)
    # 002 §13: "High-risk MASH checks will be completed within a maximum of 4 hours" (on a Friday, to 18:40).
    assert {kind: request.due_at for kind, request in asked.items()} == {
        HEALTH: started + 4 * H,
        EDUCATION: started + 4 * H,
        POLICE: started + 4 * H,
    }
    answer(hub, asked[POLICE], at=received + 90 * MIN, information="Two call-outs to the address for domestic abuse.")
    answer(hub, asked[HEALTH], at=received + 2 * H)
    answer(hub, asked[EDUCATION], at=received + 2 * H + 10 * MIN)
    for request in asked.values():
        request.refresh_from_db()
        assert request.answered_at is not None
        assert request.answered_at <= request.due_at  # 002 §13: within the 4 hours
    # 002 §17: the coordinating social worker collates and analyses the answers.
    submit(hub, made, at=received + 2 * H + 20 * MIN)

    recommend(
        hub,
        contact,
        at=received + 2 * H + 30 * MIN,
        choices={
            "Ava": (Brag.RED, "significant_harm", Outcome.STRATEGY_DISCUSSION),
            "Noah": (Brag.RED, "significant_harm", Outcome.STRATEGY_DISCUSSION),
        },
    )
    approved_at = received + 2 * H + 45 * MIN
    # 002 roles table: a CSC senior practitioner is a "decision maker on contacts ... for specialist
    # services at levels 3 and 4", as the MASH team manager is.
    decision = approve(hub, contact, at=approved_at, by=hub.senior_practitioner)
    assert decision.decided_by == hub.senior_practitioner

    # 002 §11: the MASH "will immediately make a referral ... for a Child Protection Strategy Meeting (s47)".
    referrals = Referral.objects.filter(contact=contact)
    assert {(r.subject.given_name, r.outcome, r.referred_at) for r in referrals} == {
        ("Ava", Outcome.STRATEGY_DISCUSSION, approved_at),
        ("Noah", Outcome.STRATEGY_DISCUSSION, approved_at),
    }
    discussion = StrategyDiscussion.objects.get(contact=contact)
    assert (discussion.route, discussion.started_at) == (StartRoute.APPROVED_OUTCOME, approved_at)
    assert {child.subject.given_name for child in discussion.children.all()} == {"Ava", "Noah"}
    # 002 sets no time for the meeting itself: the profile's 4 hours from now is a local default.
    contact.refresh_from_db()
    # 002 §12: the decision and outcome shared with the referrer within 48 hours (its clock starts now).
    assert contact.current_due_at == approved_at + 48 * H

    discussion = arrange_for(discussion, by=hub.coordinator, chair=hub.manager, at=approved_at + 5 * MIN)
    held = hold_for(discussion, by=hub.manager, at=approved_at + H)
    assert held.record.decision == StrategyDecision.JOINT  # a joint section 47 enquiry

    action(
        hub,
        contact,
        at=approved_at + H + 10 * MIN,
        told_at=None,  # 002 §12: "shared in writing": the letter is written from Safehub next
        sent_to="Children's Social Care Assessment service",
    )
    # 002 §12: "The MASH social work decision and outcome will be shared in writing, with the person making
    # contact with the MASH, within 48 hours" (decided on Friday afternoon: by Sunday afternoon).
    assert outcome_due(approved_at, deadlines_for(Clock.OUTCOME_TO_REFERRER)) == approved_at + 48 * H
    outcome = write(hub, contact, LetterKind.OUTCOME, at=approved_at + H + 15 * MIN)
    assert (outcome.audience, outcome.email) == (Audience.PROFESSIONAL, "priya.hale@example.police.uk")
    assert "Ava Thornbury: strategy discussion" in outcome.body
    # 002 §12: "If there is disagreement regarding the decision and outcome in the MASH, the person making
    # contact should contact the manager of the MASH in the first instance".
    assert "please contact the manager of the MASH first, on 01632 960000" in outcome.body
    # 002 §22(b): not telling the family, for it "would prejudice the prevention, detection or prosecution of a
    # crime": no letter to the family while that holds.
    with pytest.raises(
        DomainError, match="must not be written to: telling them would prejudice a criminal investigation"
    ):
        write(hub, contact, LetterKind.FAMILY, at=approved_at + H + 20 * MIN)
    assert_delivered(delivery_round(hub, notify, at=approved_at + H + 25 * MIN), notify)
    assert_told_safely([acknowledgement, outcome])
    assert_in_time(
        contact,
        at=approved_at + 48 * H,
        expected=["Acknowledgement", "Outcome to the person who made contact"],
    )
    assert_report(
        at=london(2026, 11, 30, 17, 0),
        acknowledged_on_time=1,
        told_on_time=1,
        family_letters=0,
        family_not_written_to=1,
        not_written_prejudice_investigation=1,
    )
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
    for verb in (Verb.OVERRIDE_ASKED, Verb.OVERRIDE_AGREED, Verb.MASH_CHECKS_STARTED, Verb.MASH_CHECKS_SUBMITTED):
        assert trail.count(verb) == 1
    # 002 §20 rule 7: every share recorded: a request to each of the three agencies, the strategy papers to
    # the two invited, the acknowledgement and the outcome to the officer; and each answer received.
    assert trail.count(Verb.DISCLOSURE_MADE) == 7
    assert trail.count(Verb.MESSAGE_SENT) == 2
    assert trail.count(Verb.DISCLOSURE_RECEIVED) == 3
    assert trail.count(Verb.AGENCY_RESPONSE_SUBMITTED) == 3
    # Refusals are kept: the social worker's decision on the override, and the one without the police.
    assert trail.count(Verb.CONSENT_ACTION_REFUSED) == 2
    assert trail.count(Verb.REFERRAL_CREATED) == 2
    assert Verb.STRATEGY_DISCUSSION_RECORDED in trail
    assert Verb.OUTCOME_ACTIONED in trail


def test_siblings_over_christmas_wait_for_consent_meet_at_the_daily_meeting_and_go_two_ways(
    bexley: Hub, notify: FakeNotify
) -> None:
    hub = bexley
    received = london(2026, 12, 23, 16, 0)  # Wednesday 23 December: Christmas Day and Boxing Day follow
    # 002 §1: a professional requesting a service completes the referral form; §19: the school has told
    # the family of its request for a child in need assessment, without their consent.
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[
            child("Ruby", "Ashdown", dt.date(2015, 2, 10)),
            child("Theo", "Ashdown", dt.date(2010, 6, 3), sex=Sex.MALE, role=SubjectRole.SIBLING),
            adult("Clare", "Ashdown", dt.date(1985, 9, 9)),
        ],
        concern_categories=["parental_mental_health", "neglect"],
        narrative="Mother's mental health has worsened; Theo is caring for Ruby and missing school.",
        referrer_email="nadia.brookfield@example-primary.sch.uk",
        parents_agree=YesNoUnknown.NO,
        consent=ConsentPosition.INFORMED,
        initial_rating=Brag.AMBER,
    )
    # Issue 15: acknowledged within one working day (by Christmas Eve afternoon), at the worker's next round.
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 1
    [acknowledgement] = delivery_round(hub, notify, at=received + 8 * MIN)
    screen(hub, contact, at=received + 20 * MIN)
    contact.refresh_from_db()
    # 002 §9–10: the referral is made "(Within 24 hours)": the decision is due a day after the contact came in.
    assert contact.current_due_at == received + 24 * H

    # 002 §19: without consent, "the social worker may ask the professional to discuss the matter with the
    # child/family, before they will take further action".
    paused_at = hub.at(received + 40 * MIN)
    pauses.pause_for_consent(
        contact,
        asked="Please talk to Ms Ashdown about the referral and ask for her consent.",
        by=hub.social_worker,
        at=paused_at,
        version=contact.version,
    )
    assert contact.state == ContactState.AWAITING_CONSENT

    # The next morning the school comes back: each person's own answer, or a parent's for a younger child.
    back = london(2026, 12, 24, 9, 30)
    consent_of(hub, contact, "Clare", purpose=ConsentPurpose.MASH_CHECKS, given_by=Giver.THEMSELVES, at=back)
    consent_of(
        hub,
        contact,
        "Ruby",
        purpose=ConsentPurpose.MASH_CHECKS,
        given_by=Giver.PARENT,
        giver_name="Clare Ashdown",
        at=back,
    )
    consent_of(hub, contact, "Theo", purpose=ConsentPurpose.MASH_CHECKS, given_by=Giver.YOUNG_PERSON, at=back)
    hub.at(back + 10 * MIN)
    contact.refresh_from_db()
    pauses.resume_after_consent(
        contact,
        outcome=pauses.Resumed.CONSENT_GIVEN,
        note="The school spoke to Ms Ashdown and Theo this morning.",
        by=hub.social_worker,
        at=back + 10 * MIN,
        version=contact.version,
    )
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert contact.current_due_at == received + 24 * H  # 002 §9–10: the wait did not stop the 24 hours

    # 002 §7: the daily MASH meeting, "Tuesdays – Friday at 11am", discusses concerning referrals by BRAG.
    opened = hub.at(london(2026, 12, 24, 11, 0))  # a Thursday
    meeting = meetings.open_meeting(hub.team, by=hub.manager, at=opened)
    [item] = meeting.items.all()
    assert (item.contact, item.reason, item.rating) == (contact, ItemReason.AMBER, Brag.AMBER)
    members = {attendance.agency.kind for attendance in meeting.attendance.select_related("agency")}
    assert members == {*MEETING_PARTNERS, AgencyKind.CHILDRENS_SOCIAL_CARE}  # 002 §7: who attends
    meetings.record_attendance(
        meeting,
        attended=[attendance.agency_id for attendance in meeting.attendance.all()],
        by=hub.social_worker,
        at=opened + 5 * MIN,
        version=meeting.version,
    )
    meetings.decide(
        item,
        decision=ItemDecision.CHECKS,
        acts="MASH team manager",
        note="Unclear how far the children's needs are met: health, school and police to check.",
        by=hub.social_worker,
        at=opened + 10 * MIN,
        version=item.version,
    )
    meeting.refresh_from_db()
    meetings.close_meeting(meeting, by=hub.manager, at=opened + 30 * MIN, version=meeting.version)

    started = hub.at(london(2026, 12, 24, 11, 45))
    contact.refresh_from_db()
    made = start_checks(
        contact,
        by=hub.manager,
        coordinator=hub.social_worker,
        agencies=hub.asked(HEALTH, EDUCATION, POLICE),
        at=started,
    )
    # 002 §13: "other MASH checks must be completed within 1 working day": Christmas Day (Friday), the
    # weekend and Boxing Day's bank holiday (Monday 28th) are not working days, so Tuesday 29th.
    assert {request.due_at for request in made.requests.all()} == {london(2026, 12, 29, 11, 45)}
    asked = requests_by_kind(made)
    answer(
        hub, asked[HEALTH], at=london(2026, 12, 24, 13, 0), information="Mother under the community mental health team."
    )
    answer(hub, asked[EDUCATION], at=london(2026, 12, 24, 13, 30), information="Theo's attendance is 71% this term.")
    answer(hub, asked[POLICE], at=london(2026, 12, 24, 14, 0))
    submit(hub, made, at=london(2026, 12, 24, 14, 15))

    # 002 §19: "If a professional is requesting a Family Wellbeing service, there must always be consent".
    with pytest.raises(Refused, match="Early help needs the family's consent"):
        recommend(
            hub,
            contact,
            at=london(2026, 12, 24, 14, 20),
            choices={
                "Ruby": (Brag.GREEN, "intensive", Outcome.EARLY_HELP),
                "Theo": (Brag.AMBER, "specialist", Outcome.SECTION_17_ASSESSMENT),
            },
        )
    consent_of(
        hub,
        contact,
        "Ruby",
        purpose=ConsentPurpose.EARLY_HELP,
        given_by=Giver.PARENT,
        giver_name="Clare Ashdown",
        at=london(2026, 12, 24, 14, 25),
    )
    # 002 §9: intensive level, consent, and a Family Wellbeing criterion (parental mental ill-health);
    # 002 §10: specialist level, a children's social care assessment.
    recommend(
        hub,
        contact,
        at=london(2026, 12, 24, 14, 30),
        choices={
            "Ruby": (Brag.GREEN, "intensive", Outcome.EARLY_HELP),
            "Theo": (Brag.AMBER, "specialist", Outcome.SECTION_17_ASSESSMENT),
        },
        criteria=["Parental mental ill-health"],
    )
    contact.refresh_from_db()
    assert contact.current_due_at == received + 24 * H  # 002 §9–10: still the day from the contact
    approved_at = london(2026, 12, 24, 14, 45)
    approve(hub, contact, at=approved_at, by=hub.manager)
    # 001, DESIGN §2: only the child accepted for a statutory service is a referral.
    assert [(r.subject.given_name, r.outcome) for r in Referral.objects.filter(contact=contact)] == [
        ("Theo", Outcome.SECTION_17_ASSESSMENT)
    ]
    contact.refresh_from_db()
    assert contact.current_due_at == approved_at + 48 * H  # 002 §12: outcome to the referrer within 48 hours

    done = action(
        hub,
        contact,
        at=london(2026, 12, 24, 15, 0),
        told_at=None,  # 002 §12: in writing, from Safehub next
        allocations={
            Outcome.EARLY_HELP: Allocation("Family Wellbeing service"),
            Outcome.SECTION_17_ASSESSMENT: Allocation("Children's Social Care Assessment service", hub.social_worker),
        },
    )
    # 002 §9–10: each child referred to their own service within 24 hours of the contact.
    assert {(c.subject.given_name, c.team) for c in done.children.all()} == {
        ("Ruby", "Family Wellbeing service"),
        ("Theo", "Children's Social Care Assessment service"),
    }
    assert done.actioned_at <= received + 24 * H
    # 002 §12: the outcome "shared in writing ... within 48 hours": 48 hours, Christmas Day or not (Boxing Day).
    assert outcome_due(approved_at, deadlines_for(Clock.OUTCOME_TO_REFERRER)) == london(2026, 12, 26, 14, 45)
    outcome = write(hub, contact, LetterKind.OUTCOME, at=london(2026, 12, 24, 15, 5))
    assert "Ruby Ashdown: early help" in outcome.body
    assert "Theo Ashdown: section 17 assessment" in outcome.body
    [delivered] = delivery_round(hub, notify, at=london(2026, 12, 24, 15, 10))
    assert delivered == outcome
    assert_delivered([acknowledgement, outcome], notify)
    assert_told_safely([acknowledgement, outcome])
    assert_in_time(
        contact, at=london(2026, 12, 29, 9, 0), expected=["Acknowledgement", "Outcome to the person who made contact"]
    )
    assert_report(at=london(2026, 12, 31, 12, 0), acknowledged_on_time=1, told_on_time=1)
    # 002 §9: "The MASH social worker will make a referral to the Family Wellbeing service (Within 24 hours)",
    # the situation meeting "at least one of the following Family Wellbeing service criteria": the pack shows
    # each of them, met or not, as the social worker recorded them. The service works outside Safehub.
    wellbeing = receiving_team("Family Wellbeing service", Outcome.EARLY_HELP, email="fws@example.gov.uk")
    ruby_pack = refer_on(hub, contact, Outcome.EARLY_HELP, wellbeing, at=london(2026, 12, 24, 15, 20))
    assert ruby_pack.sent_at <= received + 24 * H
    assert [child["name"] for child in ruby_pack.content["children"]] == ["Ruby Ashdown"]
    met = {row["criterion"]: row["met"] for row in ruby_pack.content["criteria"]}
    assert list(met) == hub.protocol.early_help_criteria
    assert [criterion for criterion, is_met in met.items() if is_met] == ["Parental mental ill-health"]
    assert "Ruby Ashdown: consent given" in ruby_pack.content["consent"]  # 002 §19: "there must always be consent"
    assert_closed(
        contact,
        [
            Event.START_SCREENING,
            Event.REFER_FOR_THRESHOLD,
            Event.PAUSE_FOR_CONSENT,
            Event.RESUME_AFTER_CONSENT,
            Event.START_MASH_CHECKS,
            Event.SUBMIT_CHECKS_FOR_DECISION,
            Event.RECOMMEND,
            Event.APPROVE,
            Event.ACTION_OUTCOME,
        ],
    )
    trail = verbs(contact)
    assert trail.count(Verb.CONSENT_RECORDED) == 4
    assert {Verb.CONTACT_PAUSED_FOR_CONSENT, Verb.CONTACT_RESUMED_AFTER_CONSENT, Verb.DAILY_MEETING_DECISION} <= set(
        trail
    )


def test_the_front_door_signposts_forwards_and_keeps_the_three_month_rule_on_a_monday(bexley: Hub) -> None:
    hub = bexley
    monday = london(2026, 11, 23, 9, 30)
    # 002 §7: the daily meeting is held Tuesday to Friday, never on a Monday.
    hub.at(monday)
    with pytest.raises(DomainError, match="not held on a Monday"):
        meetings.open_meeting(hub.team, by=hub.manager, at=monday)

    # 002 §2: someone who "simply requires information" is signposted and no further action is taken;
    # §18: a member of the public need not have the family's consent.
    enquiry = record(
        hub,
        received=monday,
        at=monday + 5 * MIN,
        subjects=[child("Isla", "Penrose", dt.date(2020, 1, 12))],
        channel=Channel.PHONE,
        source=ReferralSource.INDIVIDUAL_FAMILY,
        referrer_kind=ReferrerKind.PUBLIC,
        referrer_name="Grandmother",
        referrer_role="",
        referrer_agency="",
        concern_categories=["other"],
        narrative="Asked how to find a parenting course near home.",
        consent=ConsentPosition.NOT_REQUIRED_PUBLIC,
        initial_rating=Brag.BLUE,
    )
    screening = screen(
        hub, enquiry, at=monday + 10 * MIN, to=ScreeningRoute.SIGNPOST, signposted_to="Family hub parenting course"
    )
    assert screening.signposted_to == "Family hub parenting course"
    assert_closed(enquiry, [Event.START_SCREENING, Event.SIGNPOST])

    # 002 §3: a child already receiving a service: the information goes at once to the allocated worker.
    open_child = known_child("Oscar", "Lindqvist", dt.date(2014, 7, 1))
    OpenInvolvementFactory(person=open_child, allocated_worker="Sam Okafor", worker_email="sam.okafor@example.org")
    open_case = record(
        hub,
        received=monday + H,
        at=monday + H + 5 * MIN,
        subjects=[child("Oscar", "Lindqvist", dt.date(2014, 7, 1), sex=Sex.MALE)],
    )
    forwarded_at = monday + H + 15 * MIN
    screening = screen(
        hub, open_case, at=forwarded_at, to=ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER, known={"Oscar": open_child}
    )
    assert (screening.known_status, screening.allocated_worker) == (KnownStatus.OPEN_CASE, "Sam Okafor")
    handoff = Handoff.objects.get(contact=open_case)
    assert (handoff.kind, handoff.recipient_name, handoff.sent_at) == (
        HandoffKind.OPEN_CASE,
        "Sam Okafor",
        forwarded_at,
    )
    assert_closed(open_case, [Event.START_SCREENING, Event.FORWARD_TO_ALLOCATED_WORKER])

    # 002 §11, the three-month rule: a family open to a social worker in CSC within the last three months
    # "will be allocated immediately to the previously involved Social Worker".
    recent_child = known_child("Mabel", "Quayle", dt.date(2017, 3, 3))
    RecentlyClosedInvolvementFactory(person=recent_child, allocated_worker="Jo Baines", worker_email="jo@example.org")
    returning = record(
        hub,
        received=monday + 2 * H,
        at=monday + 2 * H + 5 * MIN,
        subjects=[child("Mabel", "Quayle", dt.date(2017, 3, 3))],
    )
    identify(hub, returning, at=monday + 2 * H + 10 * MIN, known={"Mabel": recent_child})
    assert finding_for(returning, at=monday + 2 * H + 10 * MIN).status == KnownStatus.RECENTLY_CLOSED
    allocated_at = monday + 2 * H + 10 * MIN
    screening = route(hub, returning, at=allocated_at, to=ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER)
    assert screening.allocated_worker == "Jo Baines"
    handoff = Handoff.objects.get(contact=returning)
    assert (handoff.kind, handoff.recipient_name, handoff.sent_at) == (
        HandoffKind.PREVIOUS_WORKER,
        "Jo Baines",
        allocated_at,
    )
    assert_closed(returning, [Event.START_SCREENING, Event.ALLOCATE_TO_PREVIOUS_WORKER])


@pytest.mark.parametrize("kind", [ConsultationKind.NAMED, ConsultationKind.ANONYMOUS])
def test_a_consultation_summary_is_sent_to_the_consultee_within_48_hours(
    bexley: Hub, kind: ConsultationKind, notify: FakeNotify
) -> None:
    asked = bexley.at(london(2026, 11, 27, 15, 30))  # Friday afternoon: the 48 hours run through the weekend
    named = kind == ConsultationKind.NAMED
    consultation = consultations.record_consultation(
        {
            "kind": kind,
            "received_at": asked,
            "consultee_name": "Tom Hargreaves",
            "consultee_role": "Youth worker",
            "consultee_agency": "Example Youth Club",
            "consultee_email": "tom.hargreaves@example-youth.org",
            "child_given_name": "Freya" if named else "",
            "child_family_name": "Colbourne" if named else "",
            "question": "A girl says she is not allowed home after 9pm. Should I refer?",
            "advice": "Talk to her about it and make a referral if she says more; call back at any time.",
        },
        team=bexley.team,
        by=bexley.social_worker,
        at=asked + 10 * MIN,
    )
    # 002 §5 (a child's details shared) and §6 (none shared): the summary sent "within 48 hours".
    assert consultation.summary_due_at == asked + 48 * H
    # 002 §5: "A summary of the consultation will be recorded in the MASH and a copy sent to the person who
    # sought the consultation"; §6: "A summary of the discussion and advice given".
    summary = summarise(bexley, consultation, at=asked + 40 * MIN)
    assert (summary.kind, summary.email) == (LetterKind.CONSULTATION_SUMMARY, "tom.hargreaves@example-youth.org")
    assert "Should I refer?" in summary.body
    assert "call back at any time" in summary.body
    # §6: no child's details were shared, so none are in the summary.
    assert ("Freya Colbourne" in summary.body) == named
    assert ("a child you did not name" in summary.body) == (not named)
    consultation.refresh_from_db()
    assert consultation.summary_sent_at == asked + 40 * MIN
    assert consultation.summary_sent_at <= consultation.summary_due_at
    assert (summary.disclosure.origin, summary.disclosure.origin_id) == ("consultations.consultation", consultation.pk)
    assert_delivered(delivery_round(bexley, notify, at=asked + 45 * MIN), notify)
    assert_told_safely([summary])
    assert_report(at=london(2026, 11, 30, 12, 0), summaries_due=1, summaries_on_time=1)


# Where the product departs from the seed: each test is written to the seed, and fails until the
# product follows it (xfail_strict: a fix makes it pass, and the mark must then go).


def test_family_wellbeing_needs_one_of_its_criteria(bexley: Hub) -> None:
    received = london(2026, 11, 24, 10, 0)
    contact = record(
        bexley,
        received=received,
        at=received,
        subjects=[child("Elsie", "Marwood", dt.date(2018, 5, 5))],
        concern_categories=["housing"],
        narrative="The family is in temporary housing and the children share a bed with their mother.",
        initial_rating=Brag.GREEN,
    )
    screen(bexley, contact, at=received + 10 * MIN)
    # 002 §9: a Family Wellbeing referral needs "at least one of the following ... criteria: Parental
    # domestic violence, parental mental ill-health, parental substance misuse and/or a child at risk of
    # exclusion or excluded from school": a housing concern alone meets none of them.
    with pytest.raises((DomainError, Refused)):
        recommend(
            bexley,
            contact,
            at=received + 30 * MIN,
            choices={"Elsie": (Brag.GREEN, "intensive", Outcome.EARLY_HELP)},
        )


def test_a_case_closed_this_morning_is_within_the_three_month_rule(bexley: Hub) -> None:
    today = london(2026, 11, 24, 15, 0)
    mabel = known_child("Mabel", "Quayle", dt.date(2017, 3, 3))
    RecentlyClosedInvolvementFactory(person=mabel, ended_on=today.date(), allocated_worker="Jo Baines")
    contact = record(bexley, received=today, at=today, subjects=[child("Mabel", "Quayle", dt.date(2017, 3, 3))])
    identify(bexley, contact, at=today + 5 * MIN, known={"Mabel": mabel})
    # 002 §11: "has been open to a Social Worker in CSC within the last three months".
    assert finding_for(contact, at=today + 5 * MIN).status == KnownStatus.RECENTLY_CLOSED
    assert subject(contact, "Mabel").person == mabel
