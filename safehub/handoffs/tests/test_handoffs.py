"""Hand-offs (issue 11 §2): forwarding to an open case's worker, allocating to the previous social
worker (three-month rule) or with the outcome reaches the worker: their caseload and an alert,
an email, and the contact page says who received it and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import AgencyKind, Role
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.alerts import run_once
from safehub.checks.models import Alert, AlertKind
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import (
    ContactAwaitingThresholdFactory,
    ContactInScreeningFactory,
    ContactSubjectFactory,
)
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.handoffs.models import Handoff, HandoffKind
from safehub.handoffs.services import deliver_handoff_emails, mark_received, message_id
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.models import Person, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.protocols.models import Brag, LocalProtocol
from safehub.screening.models import ScreeningRoute
from safehub.screening.services import record_screening

pytestmark = pytest.mark.django_db


def _contact_about(person: Person, team: Any) -> Contact:
    contact: Contact = ContactInScreeningFactory(team=team)
    ContactSubject.objects.filter(contact=contact).update(person=person)
    return contact


@pytest.fixture
def locality_worker(db: None) -> Any:
    """A social worker in a locality team, outside the MASH: the child's allocated worker."""
    worker = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name="Locality team 2"), username="locality.sw")
    worker.first_name, worker.last_name, worker.email = "Sam", "Okafor", "sam.okafor@example.org"
    worker.save()
    return worker


def _allocate_with_the_outcome(contact: Contact, worker: Any, *, by: Any, at: dt.datetime) -> None:
    decisions.action_outcome(
        contact,
        sent_to="Assessment team north",
        referrer_informed_at=at,
        referrer_informed_by="phone",
        notes="",
        by=by,
        at=at,
        version=contact.version,
        allocated_worker=worker,
    )


def _forward(contact: Contact, by: Any, at: dt.datetime) -> Handoff:
    record_screening(contact, route=ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER, by=by, at=at, version=contact.version)
    return Handoff.objects.get(contact=contact)


def test_forwarding_an_open_case_hands_the_contact_to_the_worker_who_is_a_safehub_user(
    contact_officer: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(
        person=child,
        service=Service.CHILD_IN_NEED,
        allocated_worker="Sam Okafor",
        worker_email="SAM.OKAFOR@example.org",
        team="Locality team 2",
    )
    contact = _contact_about(child, mash_team)
    assert not Contact.objects.visible_to(locality_worker).filter(pk=contact.pk).exists()

    handoff = _forward(contact, contact_officer, now)

    assert (handoff.kind, handoff.recipient, handoff.team) == (
        HandoffKind.OPEN_CASE,
        locality_worker,
        "Locality team 2",
    )
    assert Contact.objects.visible_to(locality_worker).filter(pk=contact.pk).exists()  # not their team's, but theirs
    event = AuditEvent.objects.get(verb=Verb.CONTACT_HANDED_OFF, contact=contact)
    assert event.data == {"handoff": handoff.pk, "kind": "open_case", "to_user": locality_worker.pk, "in_safehub": True}


def test_a_worker_outside_safehub_is_emailed_at_the_address_the_involvement_holds(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    child = PersonFactory(given_name="Ava", family_name="Brook")
    InvolvementFactory(
        person=child, service=Service.CHILD_IN_NEED, allocated_worker="Pat Reid", worker_email="pat@example.org"
    )
    contact = _contact_about(child, mash_team)
    handoff = _forward(contact, contact_officer, now)
    assert handoff.recipient is None

    assert deliver_handoff_emails(now) == 1
    assert deliver_handoff_emails(now) == 0  # exactly once
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert contact.reference in message.subject
    assert message.extra_headers["Message-ID"] == message_id(handoff)
    assert "Mia Harlow" in message.body  # enough to find the child on their own case list
    handoff.refresh_from_db()
    assert handoff.emailed_at == now


def test_a_safehub_user_is_emailed_without_personal_details(
    contact_officer: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email)
    contact = _contact_about(child, mash_team)
    _forward(contact, contact_officer, now)
    run_once(now)  # the background worker's round sends it
    (message,) = mail.outbox
    assert message.to == [locality_worker.email]
    assert "Mia" not in message.body
    assert "Harlow" not in message.body
    assert "My caseload" in message.body


def test_an_involvement_without_an_address_says_so_on_the_contact_page(
    contact_officer: Any, manager_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, allocated_worker="Pat Reid", worker_email="")
    contact = _contact_about(child, mash_team)
    _forward(contact, contact_officer, now)
    deliver_handoff_emails(now)
    assert not mail.outbox
    page = manager_client.get(contact.get_absolute_url()).content.decode()
    assert "Pat Reid, Assessment team 2 (not a Safehub user)" in page
    assert "tell them by phone" in page


def test_the_three_month_rule_hands_the_contact_to_the_previous_worker(
    contact_officer: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(three_month_rule=True).update(is_active=True)
    child = PersonFactory()
    InvolvementFactory(
        person=child,
        service=Service.CHILD_IN_NEED,
        started_on=now.date() - dt.timedelta(days=200),
        ended_on=now.date() - dt.timedelta(days=30),
        allocated_worker="Sam Okafor",
        worker_email=locality_worker.email,
    )
    contact = _contact_about(child, mash_team)
    record_screening(
        contact,
        route=ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER,
        by=contact_officer,
        at=now,
        version=contact.version,
    )
    handoff = Handoff.objects.get(contact=contact)
    assert (handoff.kind, handoff.recipient) == (HandoffKind.PREVIOUS_WORKER, locality_worker)


def test_the_worker_finds_it_on_their_caseload_and_marks_it_received(
    contact_officer: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email)
    contact = _contact_about(child, mash_team)
    handoff = _forward(contact, contact_officer, now)
    client = Client()
    sign_in_both_steps(client, locality_worker)

    queue = client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    assert "A contact was sent to you and is not yet marked received" in queue
    assert client.get(reverse("queues:home"))["Location"] == reverse("queues:caseload")  # lands on it
    caseload = client.get(reverse("queues:caseload")).content.decode()
    assert contact.reference in caseload
    assert "Mia Harlow" in caseload
    assert f"Mark {contact.reference} as received" in caseload

    response = client.post(reverse("handoffs:mark-received", args=[handoff.pk]), follow=True)
    assert response.redirect_chain[-1][0] == contact.get_absolute_url()
    assert f"Contact {contact.reference} marked as received" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.received_at is not None
    assert AuditEvent.objects.filter(verb=Verb.HANDOFF_RECEIVED, contact=contact).count() == 1

    again = client.post(reverse("handoffs:mark-received", args=[handoff.pk]), follow=True)  # back and resubmit
    assert "You had already marked this contact as received" in again.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.HANDOFF_RECEIVED, contact=contact).count() == 1
    assert "not yet marked received" not in client.get(reverse("queues:caseload")).content.decode()


def test_nobody_else_may_mark_it_received(
    contact_officer: Any, manager: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email)
    handoff = _forward(_contact_about(child, mash_team), contact_officer, now)
    client = Client()
    sign_in_both_steps(client, manager)  # sees the contact, but it was not sent to them
    assert client.post(reverse("handoffs:mark-received", args=[handoff.pk])).status_code == 404
    assert client.get(reverse("handoffs:mark-received", args=[handoff.pk])).status_code == 405
    handoff.refresh_from_db()
    assert handoff.received_at is None
    assert AuditEvent.objects.filter(verb=Verb.READ_REFUSED, by=manager).exists()
    with pytest.raises(PermissionDenied):
        mark_received(handoff, by=manager, at=now)


def test_the_contact_page_says_who_received_it_and_when(
    contact_officer: Any, manager_client: Client, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    child = PersonFactory()
    InvolvementFactory(
        person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email, team="Locality team 2"
    )
    contact = _contact_about(child, mash_team)
    handoff = _forward(contact, contact_officer, now)
    page = manager_client.get(contact.get_absolute_url()).content.decode()
    assert "Not yet received" in page
    mark_received(handoff, by=locality_worker, at=now + dt.timedelta(minutes=30))
    deliver_handoff_emails(now)
    page = manager_client.get(contact.get_absolute_url()).content.decode()
    assert "Sam Okafor, Locality team 2" in page
    assert "Not yet received" not in page
    assert f"Emailed to {locality_worker.email}" in page


def test_the_social_worker_allocated_with_the_outcome_gets_it_on_their_caseload(
    social_worker: Any, manager: Any, second_manager: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    contact = recommend_and_approve(
        ContactAwaitingThresholdFactory(team=mash_team),
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=second_manager,
        at=now,
    )
    _allocate_with_the_outcome(contact, locality_worker, by=manager, at=now)
    handoff = Handoff.objects.get(contact=contact)
    assert (handoff.kind, handoff.recipient, handoff.team) == (
        HandoffKind.ALLOCATED,
        locality_worker,
        "Assessment team north",
    )
    client = Client()
    sign_in_both_steps(client, locality_worker)
    caseload = client.get(reverse("queues:caseload")).content.decode()
    assert "Children allocated to you" in caseload
    assert "Mia Harlow" in caseload
    assert "assessment (section 17, child in need)" in caseload
    assert client.get(contact.get_absolute_url()).status_code == 200


def test_the_caseload_is_for_childrens_social_care_staff(police_partner_client: Client) -> None:
    assert police_partner_client.get(reverse("queues:caseload")).status_code == 404


def test_a_red_contact_forwarded_to_an_open_case_says_act_now_everywhere(
    contact_officer: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    """Forwarding closes a contact at the front door, so no queue will show it overdue: the
    walk-through forwarded a Red contact and nothing the worker saw said it was urgent."""
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email)
    contact = _contact_about(child, mash_team)
    Contact.objects.filter(pk=contact.pk).update(initial_rating="red")
    contact.refresh_from_db()
    _forward(contact, contact_officer, now)
    deliver_handoff_emails(now)
    (message,) = mail.outbox
    assert message.subject.startswith("Safehub: RED: act now: contact")
    assert message.body.startswith("Rated Red: a risk of significant harm")
    client = Client()
    sign_in_both_steps(client, locality_worker)
    caseload = client.get(reverse("queues:caseload")).content.decode()
    waiting = caseload[: caseload.index("Late answers")]
    assert "Red: act now" in waiting
    assert "Mia Harlow" in waiting
    assert "Red: act now" in client.get(contact.get_absolute_url()).content.decode()


def test_the_caseload_lists_late_answers_however_many_other_alerts_wait(
    manager: Any, social_worker: Any, mash_team: Any, now: dt.datetime
) -> None:
    """Late answers are picked out by the query, not from the newest few alerts of every kind."""
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    others = [PartnerAgencyFactory(name=f"Example Health {n}", kind=AgencyKind.HEALTH) for n in range(55)]
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police, *others], at=now)
    request = checks.requests.get(agency=police)
    Alert.objects.create(
        request=request, kind=AlertKind.LATE_ANSWER, recipient=social_worker, created_at=now, sent_at=now
    )
    later = now + dt.timedelta(minutes=1)
    Alert.objects.bulk_create(
        Alert(request=other, kind=AlertKind.BREACH, recipient=social_worker, created_at=later, sent_at=later)
        for other in checks.requests.exclude(pk=request.pk)
    )
    client = Client()
    sign_in_both_steps(client, social_worker)
    caseload = client.get(reverse("queues:caseload")).content.decode()
    section = caseload[caseload.index("Late answers") : caseload.index("Children allocated to you")]
    assert f"Request {request.pk}</a> to Example Police" in section


def test_the_caseload_lists_only_the_children_who_came_to_the_worker_and_says_red_from_the_rating(
    social_worker: Any, manager: Any, second_manager: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    """Walk-through: a sibling with no further action was listed under "Children allocated to you",
    and a contact rated Red by its recommendation (not by its initial rating) had no "act now"."""
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    ben = ContactSubjectFactory(contact=contact, given_name="Ben", role=SubjectRole.SIBLING, order=1)
    mia = contact.subjects.get(given_name="Mia")
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="significant_harm")
    universal = LocalProtocol.objects.get(is_active=True).levels.get(code="additional")
    decisions.recommend(
        contact,
        children={
            mia.pk: decisions.ChildChoice(Brag.RED, level, Outcome.STRATEGY_DISCUSSION),
            ben.pk: decisions.ChildChoice(Brag.BLUE, universal, Outcome.NO_FURTHER_ACTION),
        },
        rationale="Injury disclosed",
        by=social_worker,
        at=now,
        version=contact.version,
    )
    contact.refresh_from_db()
    outcomes = {mia.pk: Outcome.STRATEGY_DISCUSSION, ben.pk: Outcome.NO_FURTHER_ACTION}
    decisions.approve(
        contact, outcomes=outcomes, rationale="Agreed", by=second_manager, at=now, version=contact.version
    )
    contact.refresh_from_db()
    _allocate_with_the_outcome(contact, locality_worker, by=manager, at=now)
    assert Handoff.objects.get(contact=contact).urgent
    client = Client()
    sign_in_both_steps(client, locality_worker)
    caseload = client.get(reverse("queues:caseload")).content.decode()
    assert "Red: act now" in caseload[: caseload.index("Late answers")]
    allocated = caseload[caseload.index("Children allocated to you") :]
    assert "Mia Harlow" in allocated
    assert "Ben Harlow" not in allocated


def test_the_caseload_pages_what_waits_red_first_then_the_longest_waiting(
    contact_officer: Any, mash_team: Any, locality_worker: Any, now: dt.datetime
) -> None:
    """Walk-through: 378 contacts waited on one page, with no count."""
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email)
    contacts = []
    for minutes in range(30):
        contact = _contact_about(child, mash_team)
        _forward(contact, contact_officer, now + dt.timedelta(minutes=minutes))
        contacts.append(contact)
    red = contacts[-1]  # the newest, but Red
    Handoff.objects.filter(contact=red).update(urgent=True)
    client = Client()
    sign_in_both_steps(client, locality_worker)
    first = client.get(reverse("queues:caseload")).content.decode()
    assert "Sent to you, not yet received (30)" in first
    waiting = first[: first.index("Late answers")]
    assert waiting.count("as received") == 25
    assert waiting.index(red.reference) < waiting.index(contacts[0].reference) < waiting.index(contacts[1].reference)
    assert "waiting=2" in waiting
    second = client.get(reverse("queues:caseload"), {"waiting": "2"}).content.decode()
    assert second[: second.index("Late answers")].count("as received") == 5


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        (dt.datetime(2026, 7, 15, 23, 30, tzinfo=dt.UTC), "16 July 2026, 00:30 BST"),  # the next day in London
        (dt.datetime(2026, 12, 15, 23, 30, tzinfo=dt.UTC), "15 December 2026, 23:30 GMT"),
    ],
    ids=["summer", "winter"],
)
def test_a_hand_off_email_gives_the_time_it_was_sent_in_london_time(
    sent: dt.datetime, shown: str, contact_officer: Any, mash_team: Any, locality_worker: Any, time_machine: Any
) -> None:
    time_machine.move_to(sent, tick=False)
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=locality_worker.email)
    _forward(_contact_about(child, mash_team), contact_officer, sent)
    with timezone.override(dt.UTC):  # the worker's process, in whatever time zone it runs
        deliver_handoff_emails(sent)
    (message,) = mail.outbox
    assert f"to you on {shown}" in message.body
