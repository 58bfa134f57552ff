"""Onward referrals (issue 15; 003 App. 4 §11–12, 002 §9–11): the referral pack sent once to the team the
outcome sends a child to, with the hub's reasons, the partners' answers the gate lets through, the family
letter and the early help criteria; accepted in the team's worktray or emailed as a PDF, exactly once."""

from __future__ import annotations

import datetime as dt
import uuid
from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from pypdf import PdfReader

from safehub.accounts.models import Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import ConsentPosition, Contact
from safehub.core.errors import DomainError
from safehub.decisions.models import Outcome
from safehub.letters.models import LetterKind
from safehub.letters.tests.helpers import actioned_contact, send_drafted
from safehub.onward import services
from safehub.onward.models import ReceivingTeam, ReferralPack
from safehub.onward.pdf import pack_pdf
from safehub.onward.queries import get_pack_for, still_to_send, worktray
from safehub.onward.workflow import PackState
from safehub.protocols.models import LocalProtocol
from safehub.sharing.models import Disclosure
from safehub.sharing.vocabulary import Purpose

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def assessment_team(mash_team: Team) -> Team:
    return TeamFactory(name="Assessment Team 2", agency=mash_team.agency)


@pytest.fixture
def assessment_worker(assessment_team: Team) -> User:
    return user_with_role(Role.SOCIAL_WORKER, team=assessment_team, username="assessment.worker")


@pytest.fixture
def in_safehub(assessment_team: Team) -> ReceivingTeam:
    return ReceivingTeam.objects.create(
        name="Assessment Team 2",
        outcomes=[Outcome.SECTION_17_ASSESSMENT.value, Outcome.STRATEGY_DISCUSSION.value],
        team=assessment_team,
    )


@pytest.fixture
def family_wellbeing() -> ReceivingTeam:
    return ReceivingTeam.objects.create(
        name="Family Wellbeing Service", outcomes=[Outcome.EARLY_HELP.value], email="fws.referrals@example.gov.uk"
    )


@pytest.fixture
def contact(mash_team: Team, social_worker: User, manager: User, now: dt.datetime) -> Contact:
    return actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)


def _send(contact: Contact, team: ReceivingTeam, by: User, at: dt.datetime, **kwargs: Any) -> ReferralPack:
    kwargs.setdefault("outcome", Outcome.SECTION_17_ASSESSMENT)
    kwargs.setdefault("submission_key", uuid.uuid4())
    return services.send_pack(contact, team=team, by=by, at=at, **kwargs)


def test_the_route_names_the_children_and_the_team_the_outcome_page_entered(
    contact: Contact, in_safehub: ReceivingTeam
) -> None:
    [route] = services.routes(contact)
    assert (route.outcome, route.names, route.team_entered, route.packs) == (
        Outcome.SECTION_17_ASSESSMENT,
        "Mia Harlow",
        "Assessment Team 2",
        [],
    )
    assert services.suggested(route, services.teams_taking(route.outcome)) == in_safehub


def test_a_pack_goes_to_the_teams_worktray_with_the_hubs_reasons_and_a_ledger_row(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, assessment_worker: User, now: dt.datetime
) -> None:
    pack = _send(contact, in_safehub, social_worker, now)
    assert (pack.state, pack.by_email, pack.outcome) == (PackState.WAITING, False, Outcome.SECTION_17_ASSESSMENT)
    content = pack.content
    assert [child["name"] for child in content["children"]] == ["Mia Harlow"]
    assert [person["name"] for person in content["others"]] == ["Dana Harlow"]
    assert content["recommendation"]["rationale"] == "Neglect"  # the social worker's reasons
    assert content["decision"]["rationale"] == "Agreed"  # the manager's
    assert content["referrer"]["name"] == contact.referrer_name  # a professional, to ask more of
    assert content["family_letter"] == {"status": "not_yet"}
    row = Disclosure.objects.get(pk=pack.disclosure_id)
    assert (row.purpose, row.route, row.recipient) == (Purpose.ONWARD_REFERRAL, "onward_referral", "")
    assert in_safehub.team is not None
    assert row.agency == in_safehub.team.agency
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_PACK_SENT, contact=contact).count() == 1
    assert list(worktray(assessment_worker)) == [pack]


def test_the_pack_carries_the_family_letter_as_sent(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, now: dt.datetime
) -> None:
    """003 App. 4 §11: "A copy of the letter will be included in the step down referral"."""
    letter = send_drafted(contact, LetterKind.FAMILY, social_worker, now)
    pack = _send(contact, in_safehub, social_worker, now + H)
    assert pack.content["family_letter"]["status"] == "sent"
    assert pack.content["family_letter"]["body"] == letter.body


def test_a_pack_is_sent_once_however_often_send_is_pressed(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, manager: User, now: dt.datetime
) -> None:
    key = uuid.uuid4()
    first = _send(contact, in_safehub, social_worker, now, submission_key=key)
    assert _send(contact, in_safehub, social_worker, now, submission_key=key) == first  # back and resubmit
    with pytest.raises(DomainError, match="already sent the referral pack to Assessment Team 2"):
        _send(contact, in_safehub, manager, now)  # a second tab, or someone else
    assert ReferralPack.objects.count() == 1
    assert Disclosure.objects.filter(purpose=Purpose.ONWARD_REFERRAL).count() == 1


def test_a_team_that_does_not_take_the_outcome_is_refused(
    contact: Contact, family_wellbeing: ReceivingTeam, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="does not take children for section 17 assessment"):
        _send(contact, family_wellbeing, social_worker, now)
    with pytest.raises(DomainError, match="refers nobody on"):
        _send(contact, family_wellbeing, social_worker, now, outcome=Outcome.NO_FURTHER_ACTION)
    assert not ReferralPack.objects.exists()


def test_only_social_workers_and_managers_send_and_only_the_team_accepts(
    contact: Contact,
    in_safehub: ReceivingTeam,
    contact_officer: User,
    social_worker: User,
    assessment_worker: User,
    now: dt.datetime,
) -> None:
    with pytest.raises(PermissionDenied):
        _send(contact, in_safehub, contact_officer, now)
    pack = _send(contact, in_safehub, social_worker, now)
    with pytest.raises(PermissionDenied):
        services.accept_pack(pack, by=social_worker, at=now, version=pack.version)
    services.accept_pack(pack, by=assessment_worker, at=now + H, version=pack.version)
    pack.refresh_from_db()
    assert (pack.state, pack.accepted_by, pack.accepted_at) == (PackState.ACCEPTED, assessment_worker, now + H)
    assert list(worktray(assessment_worker)) == []
    with pytest.raises(DomainError):
        services.accept_pack(pack, by=assessment_worker, at=now + H, version=pack.version)
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_PACK_ACCEPTED).count() == 1


def test_a_team_outside_safehub_is_emailed_the_pack_as_a_pdf_exactly_once(
    mash_team: Team, social_worker: User, manager: User, family_wellbeing: ReceivingTeam, now: dt.datetime
) -> None:
    contact = actioned_contact(
        mash_team, social_worker=social_worker, manager=manager, at=now, outcome=Outcome.EARLY_HELP
    )
    pack = _send(contact, family_wellbeing, social_worker, now, outcome=Outcome.EARLY_HELP)
    assert (pack.by_email, pack.email) == (True, "fws.referrals@example.gov.uk")
    mail.outbox.clear()
    assert services.deliver_pack_emails(now + H) == 1
    assert services.deliver_pack_emails(now + 2 * H) == 0
    [email] = mail.outbox
    assert email.to == ["fws.referrals@example.gov.uk"]
    assert "Mia" not in email.subject + email.body  # the email's own words name no child
    name, data, kind = email.attachments[0]
    assert kind == "application/pdf"
    assert name == f"referral-{contact.reference}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "Mia Harlow" in text
    assert "Family wellbeing criteria" in text
    assert f"MASH referral {contact.reference}" in text
    assert "page 1 of" in text
    pack.refresh_from_db()
    assert (pack.state, pack.emailed_at) == (PackState.EMAILED, now + H)


def test_an_early_help_pack_shows_the_protocols_criteria_met(
    mash_team: Team, social_worker: User, manager: User, family_wellbeing: ReceivingTeam, now: dt.datetime
) -> None:
    """002 §9(c): the Family Wellbeing criteria, each shown met or not as the social worker recorded them."""
    protocol = LocalProtocol.objects.get(is_active=True)
    protocol.early_help_criteria = ["Parental domestic violence", "Parental mental ill-health"]
    protocol.save()
    contact = actioned_contact(
        mash_team, social_worker=social_worker, manager=manager, at=now, outcome=Outcome.EARLY_HELP
    )
    pack = _send(contact, family_wellbeing, social_worker, now, outcome=Outcome.EARLY_HELP)
    assert pack.content["criteria"] == [
        {"criterion": "Parental domestic violence", "met": True},
        {"criterion": "Parental mental ill-health", "met": False},
    ]


def test_early_help_consent_withdrawn_since_the_decision_stops_the_pack(
    mash_team: Team, social_worker: User, manager: User, family_wellbeing: ReceivingTeam, now: dt.datetime
) -> None:
    """002 §19: "If a professional is requesting a Family Wellbeing service, there must always be consent"."""
    contact = actioned_contact(
        mash_team, social_worker=social_worker, manager=manager, at=now, outcome=Outcome.EARLY_HELP
    )
    Contact.objects.filter(pk=contact.pk).update(consent=ConsentPosition.INFORMED)
    contact.refresh_from_db()
    with pytest.raises(DomainError, match="Early help needs the family's consent"):
        _send(contact, family_wellbeing, social_worker, now, outcome=Outcome.EARLY_HELP)
    assert not ReferralPack.objects.exists()


def test_a_receiving_team_reads_only_the_pack_not_the_contact_and_others_get_404(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, assessment_worker: User, now: dt.datetime
) -> None:
    pack = _send(contact, in_safehub, social_worker, now)
    assert get_pack_for(assessment_worker, pack.pk, purpose="test") == pack
    assert not Contact.objects.visible_to(assessment_worker).filter(pk=contact.pk).exists()
    stranger = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name="Elsewhere"), username="stranger")
    with pytest.raises(Http404):
        get_pack_for(stranger, pack.pk, purpose="test")
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_PACK_VIEWED, by=assessment_worker).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.READ_REFUSED, by=stranger).count() == 1


def test_a_restricted_contacts_pack_is_read_only_by_team_members_named_on_it(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, assessment_worker: User, now: dt.datetime
) -> None:
    pack = _send(contact, in_safehub, social_worker, now)
    Contact.objects.filter(pk=contact.pk).update(
        is_restricted=True, restriction_reason="A staff member's child", restricted_by=social_worker, restricted_at=now
    )
    assert list(worktray(assessment_worker)) == []
    contact.restricted_access.create(user=assessment_worker)
    assert list(worktray(assessment_worker)) == [pack]


def test_outcomes_still_to_send_are_listed_until_the_pack_goes(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, now: dt.datetime
) -> None:
    assert list(still_to_send(social_worker, at=now)) == [contact]
    _send(contact, in_safehub, social_worker, now)
    assert list(still_to_send(social_worker, at=now)) == []


def test_the_pdf_reads_back_the_pack(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, now: dt.datetime
) -> None:
    pack = _send(contact, in_safehub, social_worker, now)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pack_pdf(pack))).pages)
    assert "Mia Harlow" in text
    assert "Neglect" in text
    assert "Agreed" in text


def test_the_register_refuses_a_team_that_cannot_be_reached_or_a_second_of_a_name(
    administrator: User, social_worker: User, in_safehub: ReceivingTeam, now: dt.datetime
) -> None:
    save = services.save_receiving_team
    kwargs: dict[str, Any] = {"outcomes": ["early_help"], "is_active": True, "at": now}
    with pytest.raises(PermissionDenied):
        save(None, name="Early Help Hub", safehub_team_id=None, email="eh@example.gov.uk", by=social_worker, **kwargs)
    with pytest.raises(DomainError, match="secure email address"):
        save(None, name="Early Help Hub", safehub_team_id=None, email="", by=administrator, **kwargs)
    with pytest.raises(DomainError, match="already a receiving team"):
        save(None, name="assessment team 2", safehub_team_id=None, email="a@example.gov.uk", by=administrator, **kwargs)
    with pytest.raises(DomainError, match="Choose the outcomes"):
        save(
            None,
            name="X",
            safehub_team_id=None,
            email="a@example.gov.uk",
            by=administrator,
            at=now,
            outcomes=["lado"],
            is_active=True,
        )
    made = save(
        None, name="Early Help Hub", safehub_team_id=None, email="eh@example.gov.uk", by=administrator, **kwargs
    )
    assert (made.outcomes, made.in_safehub) == (["early_help"], False)
    assert AuditEvent.objects.filter(verb=Verb.RECEIVING_TEAM_SAVED).count() == 1


def test_the_team_returns_a_pack_with_a_reason_and_the_hub_sends_it_again(
    contact: Contact,
    in_safehub: ReceivingTeam,
    family_wellbeing: ReceivingTeam,
    social_worker: User,
    assessment_worker: User,
    now: dt.datetime,
) -> None:
    pack = _send(contact, in_safehub, social_worker, now)
    with pytest.raises(DomainError, match="Say why"):
        services.return_pack(pack, reason="no", by=assessment_worker, at=now + H, version=pack.version)
    services.return_pack(
        pack, reason="Not ours: the family lives in another borough", by=assessment_worker, at=now + H, version=0
    )
    pack.refresh_from_db()
    assert (pack.state, pack.returned_because) == (PackState.RETURNED, "Not ours: the family lives in another borough")
    with pytest.raises(DomainError, match="already returned"):
        services.accept_pack(pack, by=assessment_worker, at=now + H, version=pack.version - 1)
    assert list(still_to_send(social_worker, at=now + H)) == [contact]  # on the hub's list again
    [route] = services.routes(contact)
    assert (route.packs, route.returned) == ([], [pack])
    again = _send(contact, in_safehub, social_worker, now + 2 * H)
    assert again.pk != pack.pk
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_PACK_RETURNED).count() == 1


def test_a_second_accept_says_who_took_it(
    contact: Contact, in_safehub: ReceivingTeam, social_worker: User, assessment_worker: User, now: dt.datetime
) -> None:
    pack = _send(contact, in_safehub, social_worker, now)
    colleague = user_with_role(Role.SOCIAL_WORKER, team=in_safehub.team, username="colleague")
    stale = ReferralPack.objects.get(pk=pack.pk)
    services.accept_pack(pack, by=assessment_worker, at=now + H, version=pack.version)
    with pytest.raises(DomainError, match=f"{assessment_worker.get_full_name()} already accepted"):
        services.accept_pack(stale, by=colleague, at=now + H, version=stale.version)


def test_a_partner_agencys_team_cannot_receive_the_hubs_referrals(
    administrator: User, in_safehub: ReceivingTeam, now: dt.datetime
) -> None:
    police_desk = TeamFactory(name="MASH desk", agency=PartnerAgencyFactory(name="Example Police", kind="police"))
    save = services.save_receiving_team
    with pytest.raises(DomainError, match="a partner agency's team may not"):
        save(
            None, name="Police referrals", outcomes=["section_17_assessment"], safehub_team_id=police_desk.pk,
            email="", is_active=True, by=administrator, at=now,
        )  # fmt: skip
    assert in_safehub.team is not None
    with pytest.raises(DomainError, match="Choose one"):
        save(
            None, name="Both", outcomes=["section_17_assessment"], safehub_team_id=in_safehub.team.pk,
            email="both@example.gov.uk", is_active=True, by=administrator, at=now,
        )  # fmt: skip


def test_two_administrators_editing_one_team_one_is_told(
    administrator: User, in_safehub: ReceivingTeam, now: dt.datetime
) -> None:
    assert in_safehub.team is not None
    kwargs: dict[str, Any] = {
        "outcomes": ["section_17_assessment"], "safehub_team_id": in_safehub.team.pk, "email": "",
        "is_active": True, "by": administrator, "at": now, "version": 0,
    }  # fmt: skip
    services.save_receiving_team(in_safehub, name="Assessment Team A", **kwargs)
    with pytest.raises(DomainError, match="changed by someone else"):
        services.save_receiving_team(in_safehub, name="Assessment Team B", **kwargs)
    in_safehub.refresh_from_db()
    assert (in_safehub.name, in_safehub.version) == ("Assessment Team A", 1)
