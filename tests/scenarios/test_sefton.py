"""Sefton MASH (seed 003, the MASH information sharing agreement), front door to closed.

- Two siblings from a school nurse on a Friday: consent per person (a parent; a 13-year-old found
  competent; a 16-year-old who refuses), the team manager's override with its rationale, a MASH
  enquiry with the police, health, a GP surgery (telephoned too) and early help, the police's own
  condition on what goes further, and one child to an assessment, the other to early help. The
  nurse acknowledged and told the outcome in writing, the mother written to with the decision and the
  agency that will contact her, none of the agencies' answers in either.
- An allegation against a sports coach, shared with the LADO; the father who made contact thanked by
  letter within a working day, not told the outcome; the family not written to, with the reason counted.
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
from safehub.checks.models import AgencyRequest
from safehub.checks.presenters import request_phone_prompt
from safehub.consent import services as consent
from safehub.consent.models import ConsentAnswer, ConsentPurpose, Giver, OverridePower
from safehub.consent.services import ConsentMissing
from safehub.contacts.models import ConsentPosition, Contact, ReferralSource, ReferrerKind, SubjectRole
from safehub.contacts.workflow import Event
from safehub.core.errors import DomainError, Refused
from safehub.core.tests.fake_notify import FakeNotify
from safehub.decisions.models import SHORT_LABELS, Outcome
from safehub.decisions.services import Allocation
from safehub.letters.models import Audience, LetterKind, WithheldReason
from safehub.letters.timeliness import outcome_due
from safehub.onward.queries import worktray
from safehub.onward.services import accept_pack, deliver_pack_emails
from safehub.people.models import Sex
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import deadlines_for
from safehub.sharing.vocabulary import Condition
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
    assert_pack_withholds,
    assert_report,
    assert_told_safely,
    child,
    consent_of,
    delivery_round,
    london,
    not_to_write,
    receiving_team,
    recommend,
    record,
    refer_on,
    requests_by_kind,
    screen,
    subject,
    submit,
    verbs,
    write,
)

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
POLICE, HEALTH, GP, EARLY_HELP = AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.GP_PRACTICE, AgencyKind.EARLY_HELP
# 003 §1.2, the agencies signed up to the agreement: Merseyside Police, Sefton Children's and Adult Social
# Care, Sefton GP surgeries, Early Help, the probation services, five NHS trusts and the MASH itself.
SIGNATORY_KINDS = {
    AgencyKind.POLICE,
    AgencyKind.CHILDRENS_SOCIAL_CARE,
    AgencyKind.ADULT_SOCIAL_CARE,
    AgencyKind.GP_PRACTICE,
    AgencyKind.EARLY_HELP,
    AgencyKind.PROBATION,
    AgencyKind.HEALTH,
}


@pytest.fixture
def sefton(hub_for: Callable[..., Hub]) -> Hub:
    return hub_for("sefton", POLICE, HEALTH, GP, EARLY_HELP)


def test_siblings_consent_apart_a_refusal_is_overridden_and_the_enquiry_reaches_the_gp(
    sefton: Hub, notify: FakeNotify
) -> None:
    hub = sefton
    received = london(2026, 12, 4, 10, 0)  # a Friday morning
    # 003 §2.2: professionals refer through the online form; App. 4 §4: with consent "from a parent or carer,
    # and/or from the young person if they are aged 16 years or over".
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[
            child("Jade", "Fairclough", dt.date(2010, 3, 21)),
            child("Kai", "Fairclough", dt.date(2013, 7, 30), sex=Sex.MALE, role=SubjectRole.SIBLING),
            adult("Lisa", "Fairclough", dt.date(1982, 12, 1), address="12 Example Road\nExampletown"),
        ],
        source=ReferralSource.HEALTH_SCHOOL_NURSE,
        referrer_name="Beth Calloway",
        referrer_role="School nurse",
        referrer_agency="Example Health Trust",
        referrer_email="beth.calloway@example.nhs.uk",
        concern_categories=["self_harm", "neglect"],
        narrative="Jade has cuts to her arms; Kai says there is often no food at home.",
    )
    # Issue 15: every professional's contact is acknowledged within one working day, by the worker's next
    # round (003 sets no time for it); the acknowledgement names no child.
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 1
    assert acknowledgements_round(hub, at=received + 7 * MIN) == 0  # once
    [acknowledgement] = contact.messages.all()
    assert (acknowledgement.kind, acknowledgement.email) == (LetterKind.ACKNOWLEDGEMENT, "beth.calloway@example.nhs.uk")
    assert "Jade" not in acknowledgement.body
    assert "Kai" not in acknowledgement.body
    assert_delivered(delivery_round(hub, notify, at=received + 8 * MIN), notify)
    screen(hub, contact, at=received + 20 * MIN)

    # App. 4 §4: a young person "between 12 and 16 years old" answers for themselves only if "competent to
    # understand what is being asked of them".
    asked = london(2026, 12, 4, 10, 40)
    consent_of(hub, contact, "Lisa", purpose=ConsentPurpose.MASH_CHECKS, given_by=Giver.THEMSELVES, at=asked)
    with pytest.raises(Refused, match="competent"):
        consent_of(
            hub, contact, "Kai", purpose=ConsentPurpose.MASH_CHECKS, given_by=Giver.COMPETENT_YOUNG_PERSON, at=asked
        )
    consent.assess_competence(
        contact,
        consent.Assessment(
            subject_id=subject(contact, "Kai").pk,
            purpose=ConsentPurpose.MASH_CHECKS,
            understands=True,
            consequences=True,
            weighs=True,
            voluntary=True,
            rationale="Kai explained in his own words who would be asked, why, and what might follow from it.",
            assessed_on=asked.date(),
        ),
        by=hub.social_worker,
        at=asked,
    )
    consent_of(hub, contact, "Kai", purpose=ConsentPurpose.MASH_CHECKS, given_by=Giver.COMPETENT_YOUNG_PERSON, at=asked)
    # App. 4 §4: at 16 the young person's own answer: Jade refuses.
    consent_of(
        hub,
        contact,
        "Jade",
        purpose=ConsentPurpose.MASH_CHECKS,
        given_by=Giver.YOUNG_PERSON,
        answer=ConsentAnswer.REFUSED,
        at=asked,
    )
    consent_of(
        hub,
        contact,
        "Kai",
        purpose=ConsentPurpose.EARLY_HELP,
        given_by=Giver.PARENT,
        giver_name="Lisa Fairclough",
        at=asked,
    )

    # App. 3: "If consent is required and is refused, the information should not be shared with the MASH,
    # unless another power to share the information can be relied upon".
    hub.at(asked + 5 * MIN)
    contact.refresh_from_db()
    with pytest.raises(ConsentMissing, match="Jade Fairclough"):
        checks.start_checks(
            contact,
            checks.StartChecks(
                "Self-harm and neglect",
                Brag.AMBER,
                hub.social_worker,
                hub.asked(POLICE),
                "Known?",
                checks.DEFAULT_BASES,
            ),
            by=hub.manager,
            at=asked + 5 * MIN,
            version=contact.version,
        )
    override = consent.ask_override(
        contact,
        ConsentPurpose.MASH_CHECKS,
        "Jade's self-harm and the neglect at home need the agencies' information to judge the risk to her.",
        by=hub.social_worker,
        at=hub.at(london(2026, 12, 4, 11, 0)),
    )
    assert [person.given_name for person in override.people.all()] == ["Jade"]
    decided = hub.at(london(2026, 12, 4, 11, 10))
    agreed = consent.Decision(
        agree=True,
        rationale="Jade may be at risk of significant harm and the decision for her safety needs the information.",
        power=OverridePower.DPA_SCH1_PARA18,  # 003 App. 2: DPA 2018 Sch. 1 para 18
    )
    # 003 §2.3: consent "can be overridden by the MASH Team Manager" (and §2.5: "by the team manager").
    with pytest.raises(PermissionDenied):
        consent.decide_override(override, agreed, by=hub.senior_practitioner, at=decided, version=override.version)
    consent.decide_override(override, agreed, by=hub.manager, at=decided, version=override.version)
    override.refresh_from_db()
    # 003 §2.3: "the decision to override this must be fully recorded on the child's record"; the agency that
    # owns the information is not asked to agree in Sefton.
    assert (override.state, override.decided_by, override.owner) == ("agreed", hub.manager, None)
    assert override.rationale.startswith("Jade may be at risk")

    # 003 §2.5: "A MASH enquiry does not take place on all contacts but do take place where the team
    # manager feels that it would be appropriate and proportionate".
    started = hub.at(london(2026, 12, 4, 11, 20))
    contact.refresh_from_db()
    made = checks.start_checks(
        contact,
        checks.StartChecks(
            reason="Self-harm and neglect: the risk to each child is unclear",
            rating=Brag.AMBER,
            coordinator=hub.social_worker,
            agencies=hub.asked(POLICE, HEALTH, GP, EARLY_HELP),
            questions="What do you hold on the children's health, safety and any support already offered?",
            bases=checks.DEFAULT_BASES,
        ),
        by=hub.manager,
        at=started,
        version=contact.version,
    )
    asked_of = requests_by_kind(made)
    # 003 §2.6: "it is expected that MASH will also telephone GP surgeries if information is required within
    # less than 24 working hours" (the profile's local default asks for answers within 1 working day).
    assert asked_of[GP].due_at == london(2026, 12, 7, 11, 20)
    assert request_phone_prompt(asked_of[GP]).startswith("Telephone Elm Road Surgery as well")
    assert request_phone_prompt(asked_of[POLICE]) == ""

    # 003 §2.6: police confirm "what information (if any) can then be onwardly disclosed to the family".
    police = answer(
        hub,
        asked_of[POLICE],
        at=london(2026, 12, 4, 13, 0),
        information="Mother's former partner has a conviction for violence; he visits the address.",
        handling_restriction="Not to be shared with the family while enquiries continue.",
    )
    assert police.handling_conditions == [Condition.NO_ONWARD.value]
    answer(hub, asked_of[HEALTH], at=london(2026, 12, 4, 13, 30), information="Jade seen at A&E twice this year.")
    # 003 §2.6: the GP surgery replies "by email or by telephone", recorded by the MASH health representative.
    gp_answer = answer(hub, asked_of[GP], at=london(2026, 12, 4, 14, 0), by=hub.partners[HEALTH])
    assert gp_answer.author == hub.partners[HEALTH]
    answer(hub, asked_of[EARLY_HELP], at=london(2026, 12, 4, 13, 45))
    submit(hub, made, at=london(2026, 12, 4, 14, 15))

    # 003 §2.5: "If the contact is accepted, then the contact will either be referred for Early Help or for
    # further assessment by Children's Social Care".
    recommend(
        hub,
        contact,
        at=london(2026, 12, 4, 14, 30),
        choices={
            "Jade": (Brag.AMBER, "level_3", Outcome.SECTION_17_ASSESSMENT),
            "Kai": (Brag.GREEN, "level_2", Outcome.EARLY_HELP),
        },
    )
    approved_at = london(2026, 12, 4, 14, 45)
    approve(hub, contact, at=approved_at, by=hub.manager)
    assessor = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name="Assessment team 1"), username="assessor")
    # App. 4 §10: the referrer is told "by letter or telephone": here by letter, written from Safehub next.
    done = action(
        hub,
        contact,
        at=london(2026, 12, 4, 15, 0),
        told_at=None,
        allocations={
            Outcome.SECTION_17_ASSESSMENT: Allocation("Assessment team 1", assessor),
            Outcome.EARLY_HELP: Allocation("Early Help, Sefton Council"),
        },
    )
    assert {(c.subject.given_name, c.team) for c in done.children.all()} == {
        ("Jade", "Assessment team 1"),
        ("Kai", "Early Help, Sefton Council"),
    }
    # 003 §2.5: "where it leads to an assessment, the information gathered in the MASH enquiry will be passed
    # to the relevant social work team".
    assert Contact.objects.visible_to(assessor).filter(pk=contact.pk).exists()
    assert AgencyRequest.objects.visible_to(assessor).filter(checks=made).count() == 4

    # App. 4 §10: "The Social Worker or Social Work Manager ... will inform the referrer of their decision by
    # letter or telephone within 1 working day" (decided on Friday afternoon: by Monday afternoon).
    assert outcome_due(approved_at, deadlines_for(Clock.OUTCOME_TO_REFERRER)) == london(2026, 12, 7, 14, 45)
    outcome = write(hub, contact, LetterKind.OUTCOME, at=london(2026, 12, 4, 15, 5))
    assert (outcome.audience, outcome.email) == (Audience.PROFESSIONAL, "beth.calloway@example.nhs.uk")
    assert "Jade Fairclough: section 17 assessment" in outcome.body
    assert "Kai Fairclough: early help" in outcome.body

    # App. 4 §11: "The Social Worker or Social Work Manager will write to the family, informing them that a MASH
    # Referral has been made and of the decision reached by the MASH". What the police said may not go to
    # the family (their condition), nor any agency's answer into a letter: pasted in, the letter is refused.
    with pytest.raises(DomainError, match="Example Police"):
        write(hub, contact, LetterKind.FAMILY, at=london(2026, 12, 4, 15, 8), added=police.information)
    family = write(hub, contact, LetterKind.FAMILY, at=london(2026, 12, 4, 15, 10))
    assert (family.audience, family.recipient_name) == (Audience.FAMILY, "Lisa Fairclough")
    assert family.postal_address.splitlines() == ["Lisa Fairclough", "12 Example Road", "Exampletown", "ZZ1 1ZZ"]
    assert "This is called a referral" in family.body  # App. 4 §11: "that a MASH Referral has been made"
    for child_name, outcome_made in (("Jade", Outcome.SECTION_17_ASSESSMENT), ("Kai", Outcome.EARLY_HELP)):
        assert f"{child_name} Fairclough: {SHORT_LABELS[outcome_made].lower()}" in family.body
    # App. 4 §11: "If the family would benefit from Early Help, the letter will include the specific agency who
    # will contact the family to offer support".
    assert "Kai Fairclough: Early Help, Sefton Council" in family.body
    assert "Beth Calloway" not in family.body  # the family is never told who made contact
    # A second letter to the same address is refused, naming who wrote the first.
    with pytest.raises(DomainError, match="Nothing was sent again"):
        write(hub, contact, LetterKind.FAMILY, at=london(2026, 12, 4, 15, 12))

    delivered = delivery_round(hub, notify, at=london(2026, 12, 4, 15, 15))
    assert delivered == [outcome, family]
    assert_delivered([acknowledgement, *delivered], notify)
    assert_told_safely([acknowledgement, outcome, family])
    assert_in_time(
        contact,
        at=london(2026, 12, 7, 17, 0),
        expected=["Acknowledgement", "Outcome to the person who made contact"],
    )
    assert_report(at=london(2026, 12, 31, 12, 0), acknowledged_on_time=1, told_on_time=1, family_letters=1)

    # App. 4 §11–12: "A copy of the letter will be included in the step down referral to the agency identified
    # to support the family"; "MASH will inform the Early Help service of the concerns noted in the initial
    # referral". Early Help works outside Safehub: Kai's pack is emailed to it as a PDF, once.
    early_help = receiving_team(
        "Early Help, Sefton Council", Outcome.EARLY_HELP, email="earlyhelp.referrals@example.gov.uk"
    )
    kai_pack = refer_on(hub, contact, Outcome.EARLY_HELP, early_help, at=london(2026, 12, 4, 15, 20))
    assert [child["name"] for child in kai_pack.content["children"]] == ["Kai Fairclough"]
    assert kai_pack.content["family_letter"]["body"] == family.body
    assert kai_pack.content["narrative"] == contact.narrative  # the concerns noted in the initial referral
    # What the police may not pass on (their condition, 003 §2.6) stays out; the other answers go.
    assert_pack_withholds(
        kai_pack,
        shared=[hub.agencies[HEALTH].name, hub.agencies[GP].name, hub.agencies[EARLY_HELP].name],
        withheld=[hub.agencies[POLICE].name],
    )
    emailed_before = len(notify.received)
    hub.at(london(2026, 12, 4, 15, 25))
    assert deliver_pack_emails(london(2026, 12, 4, 15, 25)) == 1
    assert deliver_pack_emails(london(2026, 12, 4, 15, 30)) == 0
    [emailed] = notify.received[emailed_before:]
    assert emailed["email_address"] == "earlyhelp.referrals@example.gov.uk"
    assert emailed["personalisation"]["link_to_file"]["filename"] == f"referral-{contact.reference}.pdf"
    assert "Kai" not in emailed["personalisation"]["subject"] + emailed["personalisation"]["body"]
    # 003 §2.5: "where it leads to an assessment, the information gathered in the MASH enquiry will be passed
    # to the relevant social work team": Jade's pack goes to the assessment team's worktray, and is accepted.
    assessment = receiving_team(
        "Assessment team 1", Outcome.SECTION_17_ASSESSMENT, team=assessor.memberships.get().team
    )
    jade_pack = refer_on(hub, contact, Outcome.SECTION_17_ASSESSMENT, assessment, at=london(2026, 12, 4, 15, 35))
    assert list(worktray(assessor)) == [jade_pack]
    accept_pack(jade_pack, by=assessor, at=london(2026, 12, 4, 16, 0), version=jade_pack.version)
    assert list(worktray(assessor)) == []

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
    assert trail.count(Verb.CONSENT_RECORDED) == 4
    # Refusals are kept too: Kai's answer before his assessment, the senior practitioner's decision.
    assert trail.count(Verb.CONSENT_ACTION_REFUSED) == 2
    for verb in (Verb.COMPETENCE_ASSESSED, Verb.CONSENT_SHARING_REFUSED, Verb.OVERRIDE_AGREED):
        assert trail.count(verb) == 1


def test_an_allegation_against_a_coach_goes_to_the_lado_and_the_referrer_is_told_within_a_working_day(
    sefton: Hub, notify: FakeNotify
) -> None:
    hub = sefton
    received = london(2026, 12, 4, 15, 0)  # Friday afternoon
    contact = record(
        hub,
        received=received,
        at=received + 5 * MIN,
        subjects=[child("Poppy", "Garside", dt.date(2014, 10, 2))],
        source=ReferralSource.INDIVIDUAL_FAMILY,
        referrer_kind=ReferrerKind.PUBLIC,
        referrer_name="Mr Garside",
        referrer_role="",
        referrer_agency="",
        referrer_address="3 Example Lane\nExampletown\nZZ1 1ZZ",
        concern_categories=["allegation_against_professional"],
        narrative="Poppy's swimming coach has been sending her private messages late at night.",
        consent=ConsentPosition.NOT_REQUIRED_PUBLIC,
    )
    # Issue 15 acknowledges a professional's contact; a member of the public is not sent one.
    assert acknowledgements_round(hub, at=received + 6 * MIN) == 0
    screen(hub, contact, at=received + 15 * MIN)
    # 003 §2.5: "Ensure that where there are allegations against professionals that information is shared
    # with Sefton's LADO".
    recommend(hub, contact, at=received + 30 * MIN, choices={"Poppy": (Brag.GREEN, "level_1", Outcome.LADO)})
    approved_at = london(2026, 12, 4, 16, 0)
    approve(hub, contact, at=approved_at, by=hub.manager)
    contact.refresh_from_db()
    # App. 4 §10: a child who does not meet the threshold for a social care referral: the referrer is told
    # "by letter or telephone within 1 working day" (over the weekend: Monday).
    assert contact.current_due_at == london(2026, 12, 7, 16, 0)
    action(hub, contact, at=london(2026, 12, 7, 10, 0), told_at=None, sent_to="LADO")
    # App. 4 §10: told "by letter": a member of the public who made contact is thanked and told the hub acted,
    # not what it decided (issue 15).
    thanks = write(hub, contact, LetterKind.OUTCOME, at=london(2026, 12, 7, 10, 5))
    assert (thanks.audience, thanks.recipient_name) == (Audience.PUBLIC, "Mr Garside")
    assert thanks.postal_address.splitlines() == ["Mr Garside", "3 Example Lane", "Exampletown", "ZZ1 1ZZ"]
    assert "we cannot tell you what we decided" in thanks.body
    assert "LADO" not in thanks.body
    assert thanks.created_at <= london(2026, 12, 7, 16, 0)
    # App. 4 §11: the family is written to, unless the hub records why not, with a coded reason (counted).
    not_to_write(
        hub,
        contact,
        reason=WithheldReason.TOLD_IN_PERSON,
        explanation="Poppy's father made the contact himself, and the LADO telephoned him this morning.",
        at=london(2026, 12, 7, 10, 10),
    )
    with pytest.raises(DomainError, match="must not be written to"):
        write(hub, contact, LetterKind.FAMILY, at=london(2026, 12, 7, 10, 12))
    [posted] = delivery_round(hub, notify, at=london(2026, 12, 7, 10, 15))
    assert posted == thanks
    assert_delivered([thanks], notify)  # printed and posted by GOV.UK Notify
    assert_told_safely([thanks])
    assert_in_time(contact, at=london(2026, 12, 7, 17, 0), expected=["Outcome to the person who made contact"])
    assert_report(
        at=london(2026, 12, 31, 12, 0),
        acknowledgements_due=0,
        told_on_time=1,
        family_letters=0,
        family_not_written_to=1,
        not_written_told_in_person=1,
    )
    assert_closed(
        contact,
        [Event.START_SCREENING, Event.REFER_FOR_THRESHOLD, Event.RECOMMEND, Event.APPROVE, Event.ACTION_OUTCOME],
    )


def test_the_agencies_always_checked_are_parties_to_the_agreement(sefton: Hub) -> None:
    # 003 §1.1: "The agencies signed up to this agreement will be limited to those agencies specified in
    # section 11 of the Children Act 2004"; §1.2 lists them, and education is not among them.
    assert set(sefton.protocol.always_checked_agencies) <= SIGNATORY_KINDS
