"""The consent pages as their users meet them: the contact's panel, recording an answer, asking to
share without consent and a second person deciding, and MASH checks refused until one or the other."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.consent import services
from safehub.consent.models import ConsentOverride, ConsentRecord
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import ConsentPosition, Contact
from safehub.contacts.tests.factories import (
    ClosedContactFactory,
    ContactAwaitingThresholdFactory,
    ContactSubjectFactory,
)
from safehub.core.errors import DomainError
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.models import LocalProtocol

WHY = "The family refused on the phone; the school's account of the bruising cannot wait for partners' views."


@pytest.fixture
def contact(mash_team: Team) -> Contact:
    made: Contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.REFUSED)
    return made


def _client(user: User) -> Client:
    return sign_in_both_steps(Client(), user)


def _page(client: Client, contact: Contact) -> str:
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_contact_page_shows_each_persons_consent_and_offers_to_record_it(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    client = _client(social_worker)
    page = _page(client, contact)
    assert 'id="consent"' in page
    assert "Sharing information for MASH checks" in page
    assert "Consent refused" in page
    assert "As the contact records it" in page
    assert reverse("consent:answer", args=[contact.pk]) in page
    assert reverse("consent:ask", args=[contact.pk]) in page

    mia = contact.subjects.get()
    response = client.post(
        reverse("consent:answer", args=[contact.pk]),
        {
            "subject": str(mia.pk),
            "purpose": "mash_checks",
            "answer": "given",
            "given_by": "parent",
            "giver_name": "Lena Harlow",
            "given_on_0": "24",
            "given_on_1": "11",
            "given_on_2": "2026",
            "method": "signed_form",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    page = _page(client, contact)
    assert (
        "Given by Lena Harlow (a parent or carer with parental responsibility), 24 November 2026, a signed consent form"
        in page
    )
    assert reverse("consent:ask", args=[contact.pk]) not in page  # nobody is without consent now


def test_a_bad_answer_is_shown_with_every_problem_and_nothing_is_saved(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    response = _client(social_worker).post(
        reverse("consent:answer", args=[contact.pk]),
        {
            "subject": str(contact.subjects.get().pk),
            "purpose": "mash_checks",
            "answer": "given",
            "given_by": "competent_young_person",
            "given_on_0": "25",
            "given_on_1": "11",
            "given_on_2": "2026",
            "method": "verbal",
            "submission_key": str(uuid.uuid4()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "cannot be in the future" in page
    assert "too young to answer for themselves" in page
    assert not ConsentRecord.objects.exists()


def test_asked_by_one_and_decided_by_another_then_checks_may_start(
    contact: Contact, social_worker: User, manager: User, police_partner: User, now: dt.datetime
) -> None:
    worker = _client(social_worker)
    start = reverse("checks:start", args=[contact.pk])
    refused = _client(manager).post(
        start,
        {
            "reason": "Unclear risk",
            "rating": "amber",
            "coordinator": str(social_worker.pk),
            "agencies": [str(police_partner.agencies().get().pk)],
            "questions": "Is the family known?",
            "bases": ["gdpr_6_1_e"],
            "left_out_reason": "Checked by phone",
            "version": str(contact.version),
        },
    )
    assert refused.status_code == 200
    assert "Mia Harlow: consent refused" in refused.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.CONSENT_SHARING_REFUSED).count() == 1

    asked = worker.post(
        reverse("consent:ask", args=[contact.pk]),
        {"purpose": "mash_checks", "reason": WHY, "submission_key": str(uuid.uuid4())},
        follow=True,
    )
    override = ConsentOverride.objects.get()
    assert "You asked for this: a manager who did not ask decides it." in asked.content.decode()
    assert "Record the decision" not in asked.content.decode()

    manager_client = _client(manager)
    listed = manager_client.get(reverse("consent:overrides")).content.decode()
    assert contact.reference in listed
    police = PartnerAgencyFactory(name="Example Police Force", kind=AgencyKind.POLICE)
    decided = manager_client.post(
        reverse("consent:decide", args=[override.pk]),
        {
            "decide-version": str(override.version),
            "decide-decision": "agree",
            "decide-power": "dpa_sch8",
            "decide-rationale": "Bruising to a ten-year-old, explained two ways: waiting for consent leaves her at risk.",
            "decide-owner": str(police.pk),
            "decide-owner_agreed_by": "DS Example",
            "decide-owner_agreed_on_0": "24",
            "decide-owner_agreed_on_1": "11",
            "decide-owner_agreed_on_2": "2026",
            "decide-owner_agreed_time": "09:50",
        },
        follow=True,
    )
    assert "Agreed: shared without consent" in decided.content.decode()
    override.refresh_from_db()
    assert (override.state, override.decided_by) == (OverrideState.AGREED, manager)
    assert "Shared without consent (override agreed)" in _page(manager_client, contact)
    # And on the child's own record, for those who may see the contact (issue 14).
    mia = contact.subjects.get()
    mia.person = PersonFactory()
    mia.save()
    record = manager_client.get(reverse("people:person", args=[mia.person.pk])).content.decode()
    assert "Shared without consent" in record
    assert f"Sharing information for MASH checks: agreed by {manager} on 24 November 2026" in record
    assert contact.reference in record


def test_an_agreement_without_its_power_says_so_and_changes_nothing(
    contact: Contact, social_worker: User, manager: User, now: dt.datetime
) -> None:
    _client(social_worker).post(
        reverse("consent:ask", args=[contact.pk]),
        {"purpose": "mash_checks", "reason": WHY, "submission_key": str(uuid.uuid4())},
    )
    override = ConsentOverride.objects.get()
    response = _client(manager).post(
        reverse("consent:decide", args=[override.pk]),
        {"decide-version": str(override.version), "decide-decision": "agree", "decide-rationale": "Short"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the power relied on" in page
    assert "at least 50 characters" in page
    override.refresh_from_db()
    assert override.state == OverrideState.ASKED


def test_a_partner_gets_not_found_for_a_request(
    contact: Contact, social_worker: User, police_partner: User, now: dt.datetime
) -> None:
    _client(social_worker).post(
        reverse("consent:ask", args=[contact.pk]),
        {"purpose": "mash_checks", "reason": WHY, "submission_key": str(uuid.uuid4())},
    )
    override = ConsentOverride.objects.get()
    assert _client(police_partner).get(reverse("consent:override", args=[override.pk])).status_code == 404
    assert _client(police_partner).get(reverse("consent:override", args=[override.pk + 99])).status_code == 404


def _ask(client: Client, contact: Contact) -> ConsentOverride:
    client.post(
        reverse("consent:ask", args=[contact.pk]),
        {"purpose": "mash_checks", "reason": WHY, "submission_key": str(uuid.uuid4())},
    )
    return ConsentOverride.objects.get()


def test_a_second_manager_deciding_the_same_request_is_told_it_was_decided_first(
    contact: Contact, social_worker: User, manager: User, second_manager: User, now: dt.datetime
) -> None:
    override = _ask(_client(social_worker), contact)
    LocalProtocol.objects.filter(is_active=True).update(override_needs_owner_agreement=False)
    decision = {
        "decide-version": str(override.version),
        "decide-decision": "decline",
        "decide-rationale": "Ask the mother again first: she answered the school this morning and may agree.",
    }
    first = _client(manager).post(reverse("consent:decide", args=[override.pk]), decision)
    assert first.status_code == 302
    late = _client(second_manager).post(
        reverse("consent:decide", args=[override.pk]),
        decision | {"decide-decision": "agree", "decide-power": "dpa_sch8"},
    )
    page = late.content.decode()
    assert late.status_code == 409
    assert "govuk-error-summary" in page
    assert "Reload the page" in page or "changed" in page
    override.refresh_from_db()
    assert (override.state, override.decided_by) == (OverrideState.DECLINED, manager)


def test_a_withdrawn_request_says_who_withdrew_it_when_and_why(
    contact: Contact, social_worker: User, manager: User, now: dt.datetime
) -> None:
    worker = _client(social_worker)
    override = _ask(worker, contact)
    worker.post(
        reverse("consent:withdraw", args=[override.pk]),
        {"withdraw-version": str(override.version), "withdraw-note": "The mother agreed on the phone"},
    )
    page = _client(manager).get(reverse("consent:override", args=[override.pk])).content.decode()
    assert "Withdrawn by" in page
    assert str(social_worker) in page
    assert "The mother agreed on the phone" in page


def test_a_parents_answer_that_does_not_count_is_kept_with_a_warning(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    sam = ContactSubjectFactory(contact=contact, given_name="Sam", role="sibling", date_of_birth=dt.date(2009, 3, 2))
    client = _client(social_worker)
    own = {
        "subject": str(sam.pk),
        "purpose": "mash_checks",
        "answer": "refused",
        "given_by": "young_person",
        "giver_name": "Someone else",  # who answers for themselves is the person: a name typed is not kept
        "given_on_0": "24",
        "given_on_1": "11",
        "given_on_2": "2026",
        "method": "verbal",
        "submission_key": str(uuid.uuid4()),
    }
    said = client.post(reverse("consent:answer", args=[contact.pk]), own, follow=True).content.decode()
    assert ConsentRecord.objects.get().giver_name == "Sam Harlow"
    assert "Sam Harlow answered for themselves: the name &#x27;Someone else&#x27; was not kept" in said
    # Back, then Save again: nothing new, and the page says so (walk-through: it said "Consent recorded").
    again = client.post(reverse("consent:answer", args=[contact.pk]), own, follow=True).content.decode()
    assert "You had already recorded this answer: nothing new was saved" in again
    assert ConsentRecord.objects.count() == 1
    parent = own | {
        "answer": "given",
        "given_by": "parent",
        "giver_name": "Lena Harlow",
        "submission_key": str(uuid.uuid4()),
    }
    page = client.post(reverse("consent:answer", args=[contact.pk]), parent, follow=True).content.decode()
    assert "Sam Harlow&#x27;s own answer counts, not a parent&#x27;s" in page
    assert ConsentRecord.objects.count() == 2


def test_a_request_that_is_not_there_is_not_found_and_the_refusal_recorded(
    social_worker: User, now: dt.datetime
) -> None:
    assert _client(social_worker).get(reverse("consent:override", args=[987654])).status_code == 404
    refused = AuditEvent.objects.filter(verb=Verb.READ_REFUSED, by=social_worker).latest("seq")
    assert refused.data["record"] == "consent-override"
    assert refused.data["id"] == 987654


def test_the_contact_history_shows_each_answer_and_each_request_to_share_without_consent(
    contact: Contact, social_worker: User, manager: User, now: dt.datetime
) -> None:
    mia = contact.subjects.get()
    answer = services.Answer(mia.pk, "mash_checks", "refused", "parent", "Lena Harlow", dt.date(2026, 11, 24), "verbal")
    services.record_consent(contact, answer, by=social_worker, at=now)
    override = services.ask_override(contact, "mash_checks", WHY, by=social_worker, at=now + dt.timedelta(minutes=5))
    declined = "The school can be asked again tomorrow morning; nothing says she is at risk tonight."
    services.decide_override(
        override,
        services.Decision(agree=False, rationale=declined),
        by=manager,
        at=now + dt.timedelta(minutes=9),
        version=override.version,
    )
    page = _page(_client(manager), contact)
    history = page[page.index("Timeline</h2>") :]
    lines = [
        "Consent recorded: Mia Harlow, sharing information for MASH checks",
        "Refused or withdrawn by Lena Harlow (a parent or carer with parental responsibility), 24 November 2026",
        "Asked to share without consent: sharing information for MASH checks",
        WHY.replace("'", "&#x27;"),
        "Sharing without consent declined: sharing information for MASH checks (Mia Harlow)",
        declined,
    ]
    for line in lines:
        assert line in history
    # Newest first: the decision, the request, the answer.
    assert history.index(lines[4]) < history.index(lines[2]) < history.index(lines[0])


def test_a_closed_contact_takes_no_more_answers(mash_team: Team, social_worker: User, now: dt.datetime) -> None:
    closed = ClosedContactFactory(team=mash_team)
    client = _client(social_worker)
    page = _page(client, closed)
    assert reverse("consent:answer", args=[closed.pk]) not in page
    response = client.get(reverse("consent:answer", args=[closed.pk]), follow=True)
    assert "The contact is closed: nothing on it waits for consent any more" in response.content.decode()
    mia = closed.subjects.get()
    answer = services.Answer(mia.pk, "early_help", "given", "parent", "Lena Harlow", dt.date(2026, 11, 24), "verbal")
    with pytest.raises(DomainError, match="The contact is closed"):
        services.record_consent(closed, answer, by=social_worker, at=now)
    assert not ConsentRecord.objects.exists()


def test_each_refusal_is_in_the_audit_trail_with_nothing_of_what_was_typed(
    contact: Contact, social_worker: User, contact_officer: User, now: dt.datetime
) -> None:
    """Issue 14, bad input: "each refused with a clear message, nothing disclosed, the refusal in the
    audit trail": a date in the future, a role that may not assess competence, a request to share
    without a reason."""
    mia = contact.subjects.get()
    future = services.Answer(mia.pk, "mash_checks", "given", "parent", "Lena Harlow", dt.date(2027, 1, 1), "verbal")
    with pytest.raises(DomainError):
        services.record_consent(contact, future, by=social_worker, at=now)
    assessment = services.Assessment(mia.pk, "mash_checks", True, True, True, True, "Seemed fine", now.date())
    with pytest.raises(PermissionDenied):
        services.assess_competence(contact, assessment, by=contact_officer, at=now)
    with pytest.raises(DomainError):
        services.ask_override(contact, "mash_checks", "", by=social_worker, at=now)
    refused = AuditEvent.objects.filter(verb=Verb.CONSENT_ACTION_REFUSED, contact=contact).order_by("pk")
    assert [event.data for event in refused] == [
        {"action": "record consent", "problems": ["given_on"]},
        {"action": "assess competence", "problems": ["not allowed"]},
        {"action": "ask to share without consent", "problems": ["reason"]},
    ]
    assert not ConsentRecord.objects.exists()
    assert "Lena" not in str([event.data for event in refused])
