"""Information requests (000, levels 1 to 3): each level's conditions, its clock, who answers and who
approves, every answer a ledger row and every refusal a decision not to share."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.information_requests import services
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.presenters import answer_lines
from safehub.information_requests.rules import Details
from safehub.information_requests.workflow import RequestState
from safehub.people.models import Person, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

PHONE = Details(
    level=1,
    requester_name="Ann Teacher",
    requester_role="Designated safeguarding lead",
    requester_organisation="Example Primary School",
    requester_email="ann.teacher@example-primary.sch.uk",
    child_name="Mia Harlow",
    reason="Mia told her teacher she is scared to go home",
    identity_checked="She emailed me from her school address during the call",
)
WRITTEN = replace(
    PHONE,
    level=2,
    identity_checked="",
    reason="Mia has joined us from another area; we need to know of past involvement",
    consent_evidence="signed",
)


@pytest.fixture
def mia() -> Person:
    person: Person = PersonFactory(local_id="P0000042", given_name="Mia", family_name="Harlow")
    InvolvementFactory(person=person, service=Service.CHILD_IN_NEED, started_on=dt.date(2026, 1, 5))
    InvolvementFactory(
        person=person,
        service=Service.SECTION_47_ENQUIRY,
        started_on=dt.date(2025, 3, 1),
        ended_on=dt.date(2025, 4, 1),
        allocated_worker="",
    )
    return person


def test_a_phone_request_is_answered_with_the_allocated_worker_and_is_a_ledger_row(
    contact_officer: User, mia: Person, now: dt.datetime
) -> None:
    taken = services.take_request(PHONE, agency=None, person=None, by=contact_officer, at=now)
    assert taken.state == RequestState.RECEIVED
    assert taken.due_at == dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)  # Bexley's default: 1 working day
    services.answer_level_one(taken, person=mia, not_found=False, by=contact_officer, at=now, version=taken.version)
    taken.refresh_from_db()
    assert taken.state == RequestState.ANSWERED
    assert taken.answer["known"] is True
    assert taken.answer["workers"] == [
        {
            "service": "Children's social care: child in need",
            "worker": "Sam Okafor",
            "email": "sam.okafor@example.org",
            "team": "Assessment team 2",
        }
    ]
    row = Disclosure.objects.get(origin="information_requests.informationrequest", origin_id=taken.pk)
    assert (row.route, row.recipient, row.purpose) == (
        "information_request",
        "Ann Teacher, Designated safeguarding lead, Example Primary School",
        "information_request",
    )
    assert list(row.people.all()) == [mia]
    assert AuditEvent.objects.filter(verb=Verb.INFORMATION_REQUEST_ANSWERED, person=mia).count() == 1


def test_a_child_searched_for_and_not_found_is_not_known(contact_officer: User, now: dt.datetime) -> None:
    taken = services.take_request(PHONE, agency=None, person=None, by=contact_officer, at=now)
    with pytest.raises(DomainError, match="Find the child in the person index"):
        services.answer_level_one(taken, person=None, not_found=False, by=contact_officer, at=now, version=0)
    services.answer_level_one(taken, person=None, not_found=True, by=contact_officer, at=now, version=0)
    taken.refresh_from_db()
    assert (taken.answer["known"], taken.searched_not_found) == (False, True)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"identity_checked": " "}, ["identity_checked"]),
        ({"requester_email": "ann.teacher@gmail.com"}, ["requester_email"]),
        ({"requester_name": "", "child_name": "", "reason": "why"}, ["requester_name", "child_name", "reason"]),
    ],
)
def test_an_incomplete_phone_request_is_turned_away_with_every_reason_and_nothing_kept(
    contact_officer: User, now: dt.datetime, changes: dict[str, str], fields: list[str]
) -> None:
    with pytest.raises(Refused) as refused:
        services.take_request(replace(PHONE, **changes), agency=None, person=None, by=contact_officer, at=now)
    assert [problem.field for problem in refused.value.problems] == fields
    assert not InformationRequest.objects.exists()
    assert AuditEvent.objects.get(verb=Verb.INFORMATION_REQUEST_TURNED_AWAY).data["problems"] == fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent_evidence": ""}, "consent_evidence"),
        ({"consent_evidence": "none"}, "consent_evidence"),
        ({"consent_evidence": "not_needed"}, "exemption"),
    ],
)
def test_a_written_request_needs_consent_evidence_unless_an_exemption_applies(
    contact_officer: User, now: dt.datetime, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(Refused) as refused:
        services.take_request(replace(WRITTEN, **changes), agency=None, person=None, by=contact_officer, at=now)
    assert [problem.field for problem in refused.value.problems] == [field]
    exempt = replace(WRITTEN, consent_evidence="not_needed", exemption="care_proceedings")
    assert services.take_request(exempt, agency=None, person=None, by=contact_officer, at=now).level == 2


def test_a_written_answer_is_approved_by_another_manager_and_only_then_sent(
    social_worker: User, manager: User, second_manager: User, mia: Person, now: dt.datetime
) -> None:
    taken = services.take_request(WRITTEN, agency=None, person=mia, by=social_worker, at=now)
    assert taken.due_at.date() == dt.date(2026, 12, 8)  # 10 working days
    with pytest.raises(DomainError, match="a level 2 account is for a closed case"):
        services.draft_level_two(
            taken, person=mia, not_found=False, reasons="x" * 40, by=social_worker, at=now, version=0
        )
    mia.involvements.filter(ended_on__isnull=True).update(ended_on=dt.date(2026, 6, 1))
    with pytest.raises(DomainError, match="reasons for the involvement"):
        services.draft_level_two(
            taken, person=mia, not_found=False, reasons="neglect", by=social_worker, at=now, version=0
        )
    services.draft_level_two(
        taken,
        person=mia,
        not_found=False,
        reasons="Neglect of the home; a section 47 enquiry in 2025 after a bruise",
        by=manager,
        at=now,
        version=0,
    )
    taken.refresh_from_db()
    assert taken.state == RequestState.AWAITING_APPROVAL
    assert taken.answer["had"] == ["A child in need plan", "A section 47 enquiry"]
    assert not Disclosure.objects.filter(origin_id=taken.pk, origin="information_requests.informationrequest").exists()
    seen = taken.version
    # Four eyes: not the manager who wrote it, who is told why (walk-through: "your role does not allow this").
    with pytest.raises(DomainError, match="You wrote this answer: another manager approves it"):
        services.approve(taken, by=manager, at=now, version=seen)
    with pytest.raises(ConcurrentChange):  # a page drawn before the answer was written
        services.approve(taken, by=second_manager, at=now, version=seen - 1)
    taken.refresh_from_db()
    services.approve(taken, by=second_manager, at=now, version=seen)
    taken.refresh_from_db()
    assert (taken.state, taken.approved_by) == (RequestState.ANSWERED, second_manager)
    row = Disclosure.objects.get(origin="information_requests.informationrequest", origin_id=taken.pk)
    assert (row.disclosed_by, row.decided_by) == (manager, second_manager)
    assert "consent" in row.bases


def test_a_whole_file_request_goes_to_the_disclosure_team_which_records_what_it_sent(
    social_worker: User, data_protection_officer: User, mia: Person, now: dt.datetime
) -> None:
    with pytest.raises(Refused, match="only for court proceedings or a section 47 enquiry"):
        services.take_request(replace(WRITTEN, level=3), agency=None, person=mia, by=social_worker, at=now)
    taken = services.take_request(
        replace(WRITTEN, level=3, exemption="care_proceedings"), agency=None, person=mia, by=social_worker, at=now
    )
    assert taken.state == RequestState.WITH_DISCLOSURE_TEAM
    with pytest.raises(PermissionDenied):
        services.close_level_three(taken, disclosed="x" * 30, by=social_worker, at=now, version=taken.version)
    services.close_level_three(
        taken,
        disclosed="The whole file, redacted for third parties, sent by secure email to the court",
        by=data_protection_officer,
        at=now,
        version=taken.version,
    )
    taken.refresh_from_db()
    assert taken.state == RequestState.ANSWERED


def test_a_refusal_says_why_and_is_a_decision_not_to_share(contact_officer: User, now: dt.datetime) -> None:
    taken = services.take_request(PHONE, agency=None, person=None, by=contact_officer, at=now)
    with pytest.raises(Refused, match="at least 20 characters"):
        services.refuse(taken, reason="no", by=contact_officer, at=now, version=0)
    services.refuse(
        taken, reason="The caller could not send an email from the school", by=contact_officer, at=now, version=0
    )
    taken.refresh_from_db()
    assert taken.state == RequestState.REFUSED
    row = Disclosure.objects.get(shared=False)
    assert row.declined_reason == "The caller could not send an email from the school"
    assert row.asked_by.startswith("Ann Teacher")


def test_the_same_form_sent_twice_takes_one_request(contact_officer: User, now: dt.datetime) -> None:
    key = uuid.uuid4()
    first = services.take_request(PHONE, agency=None, person=None, by=contact_officer, at=now, submission_key=key)
    again = services.take_request(PHONE, agency=None, person=None, by=contact_officer, at=now, submission_key=key)
    assert first.pk == again.pk
    assert InformationRequest.objects.count() == 1


def test_back_and_send_again_with_a_new_key_takes_one_request(contact_officer: User, now: dt.datetime) -> None:
    """Walk-through: Back drew the form with a new one-time key, and sending it again took a copy."""
    first = services.take_request(
        PHONE, agency=None, person=None, by=contact_officer, at=now, submission_key=uuid.uuid4()
    )
    later = now + dt.timedelta(minutes=2)
    again = services.take_request(
        PHONE, agency=None, person=None, by=contact_officer, at=later, submission_key=uuid.uuid4()
    )
    assert first.pk == again.pk
    assert InformationRequest.objects.count() == 1


def test_a_call_about_a_child_open_with_no_worker_named_says_so(contact_officer: User, now: dt.datetime) -> None:
    """Walk-through: an open early help involvement with no worker named was told as "the case is closed"."""
    child: Person = PersonFactory()
    InvolvementFactory(person=child, service=Service.EARLY_HELP, allocated_worker="", team="Early help hub east")
    taken = services.take_request(PHONE, agency=None, person=child, by=contact_officer, at=now)
    services.answer_level_one(taken, person=child, not_found=False, by=contact_officer, at=now, version=0)
    taken.refresh_from_db()
    assert answer_lines(taken) == [
        "Known to children's social care.",
        "Open: Early help, with no worker named (Early help hub east): give the team's details",
    ]


def test_a_child_whose_contact_the_mash_is_considering_is_known_to_childrens_social_care(
    contact_officer: User, social_worker: User, mash_team: object, now: dt.datetime
) -> None:
    """Walk-through: a child with a MASH contact open, checks under way, was answered "not known"."""
    child: Person = PersonFactory()
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    contact.subjects.update(person=child)
    taken = services.take_request(PHONE, agency=None, person=child, by=contact_officer, at=now)
    services.answer_level_one(taken, person=child, not_found=False, by=contact_officer, at=now, version=0)
    taken.refresh_from_db()
    assert answer_lines(taken) == [
        "Known to children's social care.",
        f"Open: A contact with the MASH, being considered now, with no worker named ({mash_team.name}):"
        " give the team's details",
    ]
