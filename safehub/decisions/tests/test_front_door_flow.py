"""A contact taken from arrival to an actioned outcome through the pages, as staff would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import verify_chain
from safehub.contacts.models import Contact, StateChange
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Decision, Outcome, Referral
from safehub.decisions.tests.helpers import criteria_for
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.models import Involvement, Person, Service
from safehub.protocols.models import LocalProtocol
from safehub.screening.models import KnownStatus
from safehub.screening.services import finding_for

pytestmark = pytest.mark.django_db


def _version(contact: Contact) -> int:
    contact.refresh_from_db()
    return contact.version


def _screen_and_refer(client: Client, contact: Contact) -> None:
    url = reverse("screening:screen-contact", args=[contact.pk])
    assert client.post(url, {"action": "start", "version": _version(contact)}).status_code == 302
    subject = contact.subjects.get()
    prefix = f"subject-{subject.pk}"
    response = client.post(
        url,
        {
            "action": "identify",
            "subject_pk": subject.pk,
            f"{prefix}-person": "new",
            f"{prefix}-version": _version(contact),
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"action": "route", "route": "refer_for_threshold", "version": _version(contact)})
    assert response.status_code == 302, response.content.decode()


def _for_the_child(contact: Contact, **values: Any) -> dict[str, Any]:
    """The contact's one child's fields of a recommendation or approval form."""
    child = contact.subjects.get().pk
    return {f"child-{child}-{name}": value for name, value in values.items()}


def _recommend(client: Client, contact: Contact, outcome: str) -> None:
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    response = client.post(
        reverse("decisions:recommend", args=[contact.pk]),
        {
            **_for_the_child(contact, rating="amber", level=level.pk, outcome=outcome),
            "early_help_criteria": criteria_for([Outcome(outcome)]),
            "rationale": "Needs are complex.",
            "version": _version(contact),
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_contact_goes_from_arrival_to_referral(
    contact_officer_client: Client,
    social_worker_client: Client,
    manager_client: Client,
    mash_team: Any,
    now: dt.datetime,
) -> None:
    contact = ContactFactory(team=mash_team)
    _screen_and_refer(contact_officer_client, contact)
    assert Person.objects.count() == 1
    _recommend(social_worker_client, contact, "section_17_assessment")

    response = manager_client.post(
        reverse("decisions:approve", args=[contact.pk]),
        {
            "verdict": "approve",
            **_for_the_child(contact, outcome="section_17_assessment"),
            "rationale": "Agreed.",
            "version": _version(contact),
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(contact=contact).outcome == "section_17_assessment"

    untold = contact_officer_client.post(
        reverse("decisions:action-outcome", args=[contact.pk]),
        {"sent_to": "Assessment team 2", "version": _version(contact)},
    )
    # Beside the date field, linked from the summary: the referrer is told (002 §12).
    shown = untold.content.decode()
    assert '<a href="#id_informed_on_0">Enter when the referrer was told the outcome</a>' in shown
    assert shown.count("Enter when the referrer was told the outcome") == 2  # in the summary and beside the date
    response = contact_officer_client.post(
        reverse("decisions:action-outcome", args=[contact.pk]),
        {
            "sent_to": "Assessment team 2",
            "informed_on_0": "24",
            "informed_on_1": "11",
            "informed_on_2": "2026",
            "informed_time": "09:45",
            "informed_by": "email",
            "version": _version(contact),
        },
    )
    assert response.status_code == 302, response.content.decode()
    closed = Contact.objects.values("state", "current_due_at").get(pk=contact.pk)
    assert closed == {"state": ContactState.CLOSED, "current_due_at": None}
    assert list(StateChange.objects.filter(contact=contact).values_list("to_state", flat=True)) == [
        "screening",
        "awaiting_threshold",
        "awaiting_approval",
        "approved",
        "closed",
    ]
    assert AuditEvent.objects.filter(contact=contact, verb=Verb.REFERRAL_CREATED).count() == 1
    assert verify_chain().intact
    page = contact_officer_client.get(contact.get_absolute_url()).content.decode()
    assert "Approved by a manager" in page
    assert "Outcome actioned and contact closed" in page
    assert "Not known to children&#x27;s services" in page  # the basic screening's finding

    # The hub's own referral makes the child known: the next contact finds the open assessment.
    child = Person.objects.get()
    involvement = Involvement.objects.get(person=child)
    assert (involvement.service, involvement.started_on, involvement.ended_on) == (
        Service.CSC_ASSESSMENT,
        dt.date(2026, 11, 24),
        None,
    )
    assert involvement.team == "Assessment team 2"
    assert involvement.external_ref == str(contact.reference)
    event = AuditEvent.objects.get(verb=Verb.INVOLVEMENT_RECORDED, person=child)
    assert event.data["from_contact"] == contact.reference
    later = ContactFactory(team=mash_team, subject=None)
    ContactSubjectFactory(contact=later, person=child)
    assert finding_for(later, at=now).status == KnownStatus.OPEN_CASE


def test_a_manager_cannot_approve_their_own_recommendation(
    manager: Any, manager_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    _recommend(manager_client, contact, "early_help")
    response = manager_client.post(
        reverse("decisions:approve", args=[contact.pk]),
        {
            "verdict": "approve",
            **_for_the_child(contact, outcome="early_help"),
            "rationale": "Fine.",
            "version": _version(contact),
        },
    )
    assert response.status_code == 302
    assert not Decision.objects.exists()


def test_a_second_manager_can_return_it(
    manager_client: Client, second_manager: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    _recommend(manager_client, contact, "early_help")
    client = Client()
    sign_in_both_steps(client, second_manager)
    response = client.post(
        reverse("decisions:approve", args=[contact.pk]),
        {"verdict": "return", "rationale": "Check with school first.", "version": _version(contact)},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert Decision.objects.get().verdict == "returned"


def test_a_stale_form_is_refused_and_saves_nothing(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    level = LocalProtocol.objects.get(is_active=True).levels.first()
    data = {
        **_for_the_child(contact, rating="red", level=level.pk, outcome="strategy_discussion"),
        "rationale": "Bruising.",
        "version": contact.version,
    }
    assert social_worker_client.post(reverse("decisions:recommend", args=[contact.pk]), data).status_code == 302
    Contact.objects.filter(pk=contact.pk).update(state=ContactState.AWAITING_THRESHOLD)
    response = social_worker_client.post(reverse("decisions:recommend", args=[contact.pk]), data)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert contact.recommendations.count() == 1


def test_early_help_needs_consent(social_worker_client: Client, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD, consent="refused")
    level = LocalProtocol.objects.get(is_active=True).levels.first()
    response = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]),
        {
            **_for_the_child(contact, rating="green", level=level.pk, outcome="early_help"),
            "rationale": "Support.",
            "version": contact.version,
        },
    )
    assert "Early help needs the family&#x27;s consent" in response.content.decode()
    assert contact.recommendations.count() == 0


def test_a_second_manager_deciding_after_the_first_is_told_nothing_was_saved(
    mash_team: Any, manager: User, second_manager: User, social_worker: User, now: Any
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL)
    other = Client()
    sign_in_both_steps(other, second_manager)
    url = reverse("decisions:approve", args=[contact.pk])
    form = other.get(url)
    assert form.status_code == 200
    Contact.objects.filter(pk=contact.pk).update(state=ContactState.APPROVED, version=contact.version + 1)
    response = other.post(
        url, {"version": contact.version, "verdict": "return", "rationale": "Needs more"}, follow=True
    )
    page = response.content.decode()
    assert "Nothing was saved: this contact was changed by someone else" in page
    assert "Approved: outcome to action" in page
    assert not Decision.objects.filter(contact=contact).exists()
