"""A professional's request paused for consent (002 §19): who may pause it and when, its own clock and
queue, and resuming it only with what happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.consent import pauses
from safehub.consent.models import ConsentPurpose
from safehub.consent.services import Answer, record_consent
from safehub.contacts.models import ConsentPosition, Contact, ReferrerKind
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, Refused
from safehub.mfa.testing import sign_in_both_steps
from safehub.queues.queries import QUEUE_BY_SLUG

pytestmark = pytest.mark.django_db
ASKED = "Asked the school to talk to the mother about the referral and call back"


@pytest.fixture
def contact(mash_team: object) -> Contact:
    made: Contact = ContactAwaitingThresholdFactory(
        team=mash_team, referrer_kind=ReferrerKind.PROFESSIONAL, consent=ConsentPosition.INFORMED
    )
    return made


def test_a_professionals_request_without_consent_waits_on_its_own_clock_and_queue(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version)
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_CONSENT
    assert contact.current_due_at == dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)  # 2 working days
    queued = QUEUE_BY_SLUG["consent"].select(Contact.objects.all(), now)
    assert list(queued) == [contact]
    assert not QUEUE_BY_SLUG["threshold"].select(Contact.objects.all(), now).exists()
    change = contact.state_changes.latest("pk")
    assert change.note == ASKED
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_PAUSED_FOR_CONSENT, contact=contact).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"referrer_kind": ReferrerKind.PUBLIC}, "a member of the public need not"),
        ({"consent": ConsentPosition.GIVEN}, "Everyone on the contact has consented"),
        ({"state": ContactState.SCREENING}, "Only a contact waiting for its threshold decision"),
        # Walk-through: a family not told for their safety, and a Red contact, could be made to wait.
        ({"consent": ConsentPosition.NOT_INFORMED_SAFEGUARDING}, "The referrer did not tell the family"),
        ({"initial_rating": "red"}, "rated Red or a child needs immediate protection"),
        ({"immediate_protection": "yes"}, "rated Red or a child needs immediate protection"),
    ],
)
def test_only_a_professionals_request_still_without_consent_may_wait(
    contact: Contact, social_worker: User, now: dt.datetime, changes: dict[str, str], message: str
) -> None:
    Contact.objects.filter(pk=contact.pk).update(**changes)
    contact.refresh_from_db()
    with pytest.raises(Refused, match=message):
        pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version)
    assert not AuditEvent.objects.filter(verb=Verb.CONTACT_PAUSED_FOR_CONSENT).exists()


def test_a_contact_officer_may_not_pause_and_a_stale_page_pauses_nothing(
    contact: Contact, contact_officer: User, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        pauses.pause_for_consent(contact, asked=ASKED, by=contact_officer, at=now, version=contact.version)
    with pytest.raises(ConcurrentChange):
        pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version + 1)
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD


def test_resuming_says_what_happened_and_consent_given_must_be_recorded_first(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version)
    contact.refresh_from_db()
    later = now + dt.timedelta(hours=5)
    with pytest.raises(Refused, match="Record the family's consent for MASH checks first"):
        pauses.resume_after_consent(
            contact,
            outcome=pauses.Resumed.CONSENT_GIVEN,
            note="The mother agreed on the phone",
            by=social_worker,
            at=later,
            version=contact.version,
        )
    for subject in contact.subjects.all():
        record_consent(
            contact,
            Answer(
                subject_id=subject.pk,
                purpose=ConsentPurpose.MASH_CHECKS,
                answer="given",
                given_by="parent",
                giver_name="Lena Harlow",
                given_on=later.date(),
                method="verbal",
            ),
            by=social_worker,
            at=later,
        )
    contact.refresh_from_db()
    pauses.resume_after_consent(
        contact,
        outcome=pauses.Resumed.CONSENT_GIVEN,
        note="The mother agreed on the phone to the school",
        by=social_worker,
        at=later,
        version=contact.version,
    )
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert AuditEvent.objects.get(verb=Verb.CONTACT_RESUMED_AFTER_CONSENT).data == {"outcome": "consent_given"}


def test_once_resumed_for_safeguarding_it_is_not_paused_again(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    """Walk-through: resumed because of safeguarding concerns, the contact could be paused again at
    once, the decision to go on undone without a word."""
    pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version)
    contact.refresh_from_db()
    pauses.resume_after_consent(
        contact,
        outcome=pauses.Resumed.SAFEGUARDING,
        note="New bruising reported by the school this morning",
        by=social_worker,
        at=now,
        version=contact.version,
    )
    contact.refresh_from_db()
    with pytest.raises(Refused, match="to go on without waiting for consent, because of safeguarding concerns"):
        pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version)
    assert contact.state_changes.filter(event="pause_for_consent").count() == 1
    page = sign_in_both_steps(Client(), social_worker).get(contact.get_absolute_url()).content.decode()
    assert reverse("consent:pause", args=[contact.pk]) not in page


def test_resuming_puts_back_the_threshold_due_time_the_contact_had(
    contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    """Walk-through: pausing and resuming moved an overdue contact's due time later (the MASH checks'
    rating had set it). The threshold clock does not stop while the contact waits."""
    due = now - dt.timedelta(hours=14)
    Contact.objects.filter(pk=contact.pk).update(current_due_at=due)
    contact.refresh_from_db()
    pauses.pause_for_consent(contact, asked=ASKED, by=social_worker, at=now, version=contact.version)
    contact.refresh_from_db()
    pauses.resume_after_consent(
        contact,
        outcome=pauses.Resumed.NO_RESPONSE,
        note="The school did not call back by the end of the day",
        by=social_worker,
        at=now + dt.timedelta(hours=2),
        version=contact.version,
    )
    contact.refresh_from_db()
    assert contact.current_due_at == due


def test_the_pages_pause_and_resume_from_the_contact(
    contact: Contact, social_worker_client: Client, now: dt.datetime
) -> None:
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Ask the referrer to seek consent" in page
    url = reverse("consent:pause", args=[contact.pk])
    short = social_worker_client.post(url, {"version": contact.version, "asked": "call"})
    assert "Say what the referrer was asked to do" in short.content.decode()
    done = social_worker_client.post(url, {"version": contact.version, "asked": ASKED}, follow=True)
    assert "Waiting for consent: the referrer is due to come back by" in done.content.decode()
    again = social_worker_client.post(url, {"version": contact.version, "asked": ASKED})
    assert again.status_code == 409  # back and send again: the contact has moved on
    contact.refresh_from_db()
    resumed = social_worker_client.post(
        reverse("consent:resume", args=[contact.pk]),
        {"version": contact.version, "outcome": "safeguarding", "note": "New bruising reported by the school today"},
        follow=True,
    )
    assert "Resumed: the contact is waiting for its threshold decision again" in resumed.content.decode()
