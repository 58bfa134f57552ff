"""Walsall MASH (seed 004, the 2016 scrutiny report), front door to closed.

- A child protection concern from the police: screened, checked with the partners in the hub and
  with health within the hour, a manager's approval and a strategy meeting, all inside 2 hours; the
  officer acknowledged and told the outcome, the family not written to while telling them is unsafe.
- A contact that early help can meet: the recommendation approved by a manager, never by the
  social worker who made it or by a senior practitioner; the school acknowledged and told the
  outcome, the mother written to with who will contact her.

004 says nothing of acknowledging contacts or telling anyone the outcome: the scenarios hold Safehub's
defaults (issue 15's working day for an acknowledgement; the profile's local default of two working
days for the outcome, "Local default: 004 sets no time").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import AgencyKind
from safehub.audit.models import Verb
from safehub.checks import services as checks
from safehub.checks.tests.helpers import start_checks
from safehub.consent import services as consent
from safehub.consent.models import ConsentPurpose, OverridePower
from safehub.contacts.models import (
    ConsentPosition,
    Contact,
    ContactSubject,
    ReferralSource,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.workflow import Event
from safehub.core.errors import DomainError
from safehub.core.tests.fake_notify import FakeNotify
from safehub.decisions.models import Outcome
from safehub.decisions.permissions import FOUR_EYES
from safehub.letters.models import Audience, LetterKind
from safehub.letters.timeliness import outcome_due
from safehub.people.models import Sex
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import deadlines_for
from safehub.strategy.models import StrategyDiscussion
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
    delivery_round,
    london,
    recommend,
    record,
    requests_by_kind,
    screen,
    submit,
    verbs,
    write,
)

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
POLICE, EDUCATION, EARLY_HELP, HEALTH = (
    AgencyKind.POLICE,
    AgencyKind.EDUCATION,
    AgencyKind.EARLY_HELP,
    AgencyKind.HEALTH,
)
# 004 §4: "The partners currently within the Hub are Children's Services, West Midlands Police, Education
# and Early Help"; §5: health information requests are shared by agreement.
PARTNERS = (POLICE, EDUCATION, EARLY_HELP, HEALTH)
CP_CONCERN = {
    "source": ReferralSource.POLICE,
    "referrer_name": "PC Hollie Dyer",
    "referrer_role": "Response officer",
    "referrer_agency": "Example Police",
    "referrer_email": "hollie.dyer@example.police.uk",
    "concern_categories": ["physical_abuse", "neglect"],
    "narrative": "Amelia was found alone at home at 3am with a burn to her hand; her father was drunk nearby.",
    "immediate_protection": YesNoUnknown.YES,
    "parents_aware": YesNoUnknown.NO,
    "parents_agree": YesNoUnknown.NO,
    "consent": ConsentPosition.NOT_INFORMED_SAFEGUARDING,
    "not_told": {"increased_risk": "Father was violent to officers; telling him now would put the children at risk."},
}


@pytest.fixture
def walsall(hub_for: Callable[..., Hub]) -> Hub:
    return hub_for("walsall", *PARTNERS)


def _family() -> list[dict[str, object]]:
    return [
        child("Amelia", "Rudge", dt.date(2020, 1, 20)),
        child("Jack", "Rudge", dt.date(2022, 11, 11), sex=Sex.MALE, role=SubjectRole.SIBLING),
        adult("Wayne", "Rudge", dt.date(1991, 4, 4), sex=Sex.MALE, role=SubjectRole.ALLEGED_PERPETRATOR),
    ]


def _shared_without_consent(hub: Hub, contact: Contact, *, at: dt.datetime) -> None:
    """The social worker asks to share without consent; a team manager agrees a few minutes later."""
    override = consent.ask_override(
        contact,
        ConsentPurpose.MASH_CHECKS,
        "A child protection concern: the children may be suffering significant harm tonight.",
        by=hub.social_worker,
        at=hub.at(at),
    )
    consent.decide_override(
        override,
        consent.Decision(
            agree=True,
            rationale="Telling the father first would put the children at greater risk; the checks cannot wait.",
            power=OverridePower.CHILDREN_ACT_S47,
        ),
        by=hub.manager,
        at=hub.at(at + 2 * MIN),
        version=override.version,
    )


def test_a_child_protection_concern_is_progressed_to_a_strategy_meeting_within_2_hours(
    walsall: Hub, notify: FakeNotify
) -> None:
    hub = walsall
    received = london(2026, 12, 1, 10, 0)  # a Tuesday morning
    # 004 §5: "All contacts made by both professionals and members of the public ... will be directed into the MASH".
    contact = record(hub, received=received, at=received + 2 * MIN, subjects=_family(), **CP_CONCERN)
    assert contact.initial_rating == Brag.RED
    # 004 is silent on acknowledging contacts: issue 15's working day, by the worker's next round.
    assert acknowledgements_round(hub, at=received + 3 * MIN) == 1
    [acknowledgement] = contact.messages.all()
    # 004 §6: "If a referral is considered to be child protection, the MASH will screen the referral".
    screen(hub, contact, at=received + 5 * MIN)
    contact.refresh_from_db()
    # 004 §6: "The agreed standard for the Walsall MASH to progress a child protection concern is within a
    # maximum of 2 hours".
    assert contact.current_due_at == received + 2 * H
    _shared_without_consent(hub, contact, at=received + 8 * MIN)

    # 004 §4–5: "The contact will be screened and information gathered from all agencies in the MASH":
    # police, education and early help, and health by agreement.
    assert {agency.kind for agency in checks.preselected_agencies()} == set(PARTNERS)
    started = hub.at(received + 12 * MIN)
    contact.refresh_from_db()
    made = start_checks(
        contact,
        by=hub.manager,
        coordinator=hub.social_worker,
        agencies=hub.asked(*PARTNERS),
        at=started,
        rating=Brag.RED,
    )
    asked = requests_by_kind(made)
    # 004 §5: "agreement for the sharing of health information requests to be made within one hour of the
    # request being made".
    assert asked[HEALTH].due_at == started + H
    answer(hub, asked[POLICE], at=received + 40 * MIN, information="Father arrested twice this year for violence.")
    answer(hub, asked[HEALTH], at=received + 45 * MIN, information="Jack's health visitor has not seen him since May.")
    answer(hub, asked[EDUCATION], at=received + 50 * MIN, information="Amelia's nursery reported bruising in October.")
    answer(hub, asked[EARLY_HELP], at=received + 55 * MIN)
    asked[HEALTH].refresh_from_db()
    assert asked[HEALTH].answered_at is not None
    assert asked[HEALTH].answered_at <= asked[HEALTH].due_at  # 004 §5: within the hour
    submit(hub, made, at=received + H)
    contact.refresh_from_db()
    assert contact.current_due_at == received + 2 * H  # 004 §6: the 2 hours run from the contact

    # 004 §5: "A recommendation will then be made as to the next course of action, which will be approved by
    # a manager".
    recommend(
        hub,
        contact,
        at=received + H + 5 * MIN,
        choices={
            "Amelia": (Brag.RED, "cp", Outcome.STRATEGY_DISCUSSION),
            "Jack": (Brag.RED, "cp", Outcome.STRATEGY_DISCUSSION),
        },
    )
    contact.refresh_from_db()
    assert contact.current_due_at == received + 2 * H  # 004 §6: the approval too, inside the same 2 hours
    hub.at(received + H + 10 * MIN)
    with pytest.raises(PermissionDenied):
        approve(hub, contact, at=received + H + 10 * MIN, by=hub.senior_practitioner)
    approved_at = received + H + 15 * MIN
    approve(hub, contact, at=approved_at, by=hub.manager)

    # 004 §6: the MASH will "hold a strategy meeting to agree how the enquiry will proceed".
    discussion = StrategyDiscussion.objects.get(contact=contact)
    discussion = arrange_for(discussion, by=hub.coordinator, chair=hub.manager, at=received + H + 20 * MIN)
    held = hold_for(discussion, by=hub.manager, at=received + 2 * H + 10 * MIN)
    assert held.record.held_at <= received + 2 * H  # 004 §6: progressed within a maximum of 2 hours

    # 004 §9: child and family assessments are undertaken by the IRS teams.
    action(hub, contact, at=received + 2 * H + 15 * MIN, told_at=None, sent_to="IRS team 2")
    # 004 sets no time to tell the person who made contact: the profile's local default, two working days.
    assert outcome_due(approved_at, deadlines_for(Clock.OUTCOME_TO_REFERRER)) == london(2026, 12, 3, 11, 15)
    outcome = write(hub, contact, LetterKind.OUTCOME, at=received + 2 * H + 20 * MIN)
    assert (outcome.audience, outcome.email) == (Audience.PROFESSIONAL, "hollie.dyer@example.police.uk")
    assert "Amelia Rudge: strategy discussion\nJack Rudge: strategy discussion" in outcome.body
    # The officer said telling the father would put the children at risk (the contact's reason, as 002 §22(a)
    # words it; 004 is silent): no letter to the family while that holds.
    with pytest.raises(DomainError, match="must not be written to: telling them would increase the risk"):
        write(hub, contact, LetterKind.FAMILY, at=received + 2 * H + 25 * MIN)
    delivered = delivery_round(hub, notify, at=received + 2 * H + 30 * MIN)
    assert delivered == [acknowledgement, outcome]
    assert_delivered(delivered, notify)
    assert_told_safely(delivered)
    assert_in_time(
        contact,
        at=london(2026, 12, 3, 12, 0),
        expected=["Acknowledgement", "Outcome to the person who made contact"],
    )
    assert_report(
        at=london(2026, 12, 3, 12, 0),
        acknowledged_on_time=1,
        told_on_time=1,
        family_not_written_to=1,
        not_written_increased_risk=1,
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
    assert trail.count(Verb.AGENCY_RESPONSE_SUBMITTED) == 4
    assert trail.count(Verb.REFERRAL_CREATED) == 2
    assert {Verb.OVERRIDE_AGREED, Verb.DECISION_APPROVED, Verb.STRATEGY_DISCUSSION_RECORDED} <= set(trail)


def test_early_help_is_approved_by_a_manager_never_by_whoever_recommended_it(walsall: Hub, notify: FakeNotify) -> None:
    hub = walsall
    received = london(2026, 12, 1, 13, 0)
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[
            child("Harvey", "Bloxwich", dt.date(2017, 6, 6), sex=Sex.MALE),
            adult("Gemma", "Bloxwich", dt.date(1990, 2, 2), address="40 Example Avenue\nExampletown"),
        ],
        concern_categories=["school_exclusion"],
        narrative="Harvey has had three fixed-term exclusions; his mother asks for help with his behaviour.",
        referrer_email="nadia.brookfield@example-primary.sch.uk",
        initial_rating=Brag.GREEN,
    )
    # 004 is silent on acknowledging contacts: issue 15's working day, by the worker's next round.
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 1
    screen(hub, contact, at=received + 15 * MIN)
    # 004 §7: contacts "that once screened do not require social services intervention and the family can be
    # supported through services within Early Help, this recommendation is always approved by a manager".
    recommend(hub, contact, at=received + 45 * MIN, choices={"Harvey": (Brag.GREEN, "early_help", Outcome.EARLY_HELP)})
    hub.at(received + 50 * MIN)
    with pytest.raises(DomainError, match=re.escape(FOUR_EYES)):
        approve(hub, contact, at=received + 50 * MIN, by=hub.social_worker)
    with pytest.raises(PermissionDenied):
        approve(hub, contact, at=received + 50 * MIN, by=hub.senior_practitioner)
    decision = approve(hub, contact, at=received + H, by=hub.manager)
    assert decision.decided_by == hub.manager
    action(hub, contact, at=received + H + 15 * MIN, told_at=None, sent_to="Early Help hub")
    # 004 sets no time for the outcome: the profile's local default, two working days (Thursday afternoon).
    assert outcome_due(decision.decided_at, deadlines_for(Clock.OUTCOME_TO_REFERRER)) == london(2026, 12, 3, 14, 0)
    outcome = write(hub, contact, LetterKind.OUTCOME, at=received + H + 20 * MIN)
    assert "Harvey Bloxwich: early help" in outcome.body
    # 004 §7: "the family can be supported through services within Early Help"; 004 is silent on writing to
    # them: Safehub's letter to the family says what was decided and who will contact them.
    family = write(hub, contact, LetterKind.FAMILY, at=received + H + 25 * MIN)
    assert family.recipient_name == "Gemma Bloxwich"
    assert "Harvey Bloxwich: Early Help hub" in family.body
    assert "Nadia Brookfield" not in family.body  # the family is never told who made contact
    delivered = delivery_round(hub, notify, at=received + H + 30 * MIN)
    assert [message.kind for message in delivered] == [
        LetterKind.ACKNOWLEDGEMENT,
        LetterKind.OUTCOME,
        LetterKind.FAMILY,
    ]
    assert_delivered(delivered, notify)
    assert_told_safely(delivered)
    assert_in_time(
        contact,
        at=london(2026, 12, 3, 17, 0),
        expected=["Acknowledgement", "Outcome to the person who made contact"],
    )
    assert_report(at=london(2026, 12, 3, 17, 0), acknowledged_on_time=1, told_on_time=1, family_letters=1)
    assert_closed(
        contact,
        [Event.START_SCREENING, Event.REFER_FOR_THRESHOLD, Event.RECOMMEND, Event.APPROVE, Event.ACTION_OUTCOME],
    )


# Where the product departs from the seed: written to the seed, failing until the product follows it.


def test_a_child_protection_concern_still_in_checks_after_2_hours_is_overdue(walsall: Hub) -> None:
    received = london(2026, 12, 1, 10, 0)
    contact = record(walsall, received=received, at=received, subjects=_family(), **CP_CONCERN)
    screen(walsall, contact, at=received + 5 * MIN)
    _shared_without_consent(walsall, contact, at=received + 8 * MIN)
    walsall.at(received + 12 * MIN)
    contact.refresh_from_db()
    start_checks(
        contact,
        by=walsall.manager,
        coordinator=walsall.social_worker,
        agencies=walsall.asked(*PARTNERS),
        at=received + 12 * MIN,
        rating=Brag.RED,
    )
    # 004 §6: "progress a child protection concern ... within a maximum of 2 hours": not yet, so overdue.
    assert Contact.objects.overdue(at=received + 2 * H + MIN).filter(pk=contact.pk).exists()


def test_the_strategy_meeting_is_due_within_2_hours_of_the_contact(walsall: Hub) -> None:
    received = london(2026, 12, 1, 10, 0)
    contact = record(walsall, received=received, at=received, subjects=_family(), **CP_CONCERN)
    screen(walsall, contact, at=received + 5 * MIN)
    children = [s for s in ContactSubject.objects.filter(contact=contact) if s.is_child]
    recommend(
        walsall,
        contact,
        at=received + H,
        choices={s.given_name: (Brag.RED, "cp", Outcome.STRATEGY_DISCUSSION) for s in children},
    )
    approve(walsall, contact, at=received + H + 30 * MIN, by=walsall.manager)
    # 004 §6: the MASH will "screen the referral and hold a strategy meeting"; "The agreed standard ... to
    # progress a child protection concern is within a maximum of 2 hours".
    assert StrategyDiscussion.objects.get(contact=contact).due_at <= received + 2 * H
