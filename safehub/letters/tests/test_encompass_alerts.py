"""Late Operation Encompass notices (issue 15, "Late notifications alert"): when a child's school was not
told by the start of the next school day, the front door's managers are emailed once for the child and
the notification, naming the contact's reference and never the child."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import shown_date
from safehub.domestic_abuse import services as domestic_abuse
from safehub.domestic_abuse.tests.test_notifications import details, notification_contact
from safehub.letters import encompass
from safehub.letters.encompass_alerts import deliver_encompass_alerts, queue_encompass_alerts
from safehub.letters.models import EncompassAlert, School
from safehub.letters.presenters import encompass_lines
from safehub.letters.tests.helpers import set_hub_details
from safehub.protocols.policy import active_protocol

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(mash_team: Any, contact_officer: User, now: dt.datetime) -> Contact:
    """The police's notification came at 08:00 on Tuesday: Mia's school is in the register, Leo's is
    not known; both were due to be told by 08:30."""
    set_hub_details()
    School.objects.create(name="Example Primary School", dsl_name="Ms Ada Lead", dsl_email="dsl@example-primary.sch.uk")
    contact = notification_contact(mash_team, now - dt.timedelta(hours=2))
    contact.subjects.filter(given_name="Mia").update(school="Example Primary School")
    domestic_abuse.record_notification(
        contact, details(contact), by=contact_officer, at=now - dt.timedelta(hours=2), version=None
    )
    return contact


def _due(contact: Contact) -> dt.datetime:
    return encompass.due(contact.domestic_abuse, active_protocol())


def _alerts() -> list[Any]:
    return [email for email in mail.outbox if "Operation Encompass notice is late" in email.subject]


def test_the_managers_are_alerted_once_for_each_child_not_told_in_time(
    notified: Contact, manager: User, social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    encompass.queue_encompass(_due(notified) - dt.timedelta(minutes=10))  # Mia's school, in time
    assert queue_encompass_alerts(now) == 1  # Leo's: nobody knows his school
    assert queue_encompass_alerts(now) == 0
    assert deliver_encompass_alerts(now) == 1
    assert deliver_encompass_alerts(now) == 0
    [email] = _alerts()
    assert email.to == [manager.email]  # the front door's managers, not its social workers
    assert notified.reference in email.subject
    assert notified.reference in email.body
    assert "school has not been told" in email.body
    for name in ("Leo", "Mia", "Harlow"):
        assert name not in email.subject + email.body
    alert = EncompassAlert.objects.get()
    assert alert.child.given_name == "Leo"
    lines = {line.what: line.text for line in encompass_lines(notified, at=now)}
    leo = lines["Operation Encompass: Leo Harlow's school"]
    assert leo.endswith(f"late: alert sent to managers at {shown_date(now)}")
    assert "alert" not in lines["Operation Encompass: Mia Harlow's school"]
    assert "late: alert sent to managers at" in social_worker_client.get(notified.get_absolute_url()).content.decode()


def test_nothing_is_alerted_before_the_notice_is_due(notified: Contact) -> None:
    assert queue_encompass_alerts(_due(notified) - dt.timedelta(minutes=1)) == 0
    assert queue_encompass_alerts(_due(notified)) == 0


def test_nothing_is_alerted_when_each_school_was_told_in_time(notified: Contact, now: dt.datetime) -> None:
    notified.subjects.filter(given_name="Leo").update(school="Example Primary School")
    assert encompass.queue_encompass(_due(notified) - dt.timedelta(minutes=5)) == 2
    assert queue_encompass_alerts(now) == 0
    assert deliver_encompass_alerts(now) == 0
    assert _alerts() == []


def test_a_school_told_after_the_alert_was_made_but_before_it_went_is_not_alerted_about(
    notified: Contact, manager: User, now: dt.datetime
) -> None:
    assert queue_encompass_alerts(now) == 2
    encompass.queue_encompass(now)  # Mia's school, late
    assert deliver_encompass_alerts(now) == 2
    assert len(_alerts()) == 1  # Leo only
    assert list(EncompassAlert.objects.values_list("child__given_name", flat=True)) == ["Leo"]
