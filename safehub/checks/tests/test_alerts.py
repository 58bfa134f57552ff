from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks import alerts
from safehub.checks.models import Alert, AlertKind, MashChecks
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.notify import NotifyError
from safehub.core.tests.fake_notify import FakeNotify
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag


@pytest.fixture
def police(db: None) -> Agency:
    return PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)


@pytest.fixture
def police_desk(police: Agency) -> User:
    return user_with_role(
        Role.PARTNER_PROFESSIONAL,
        team=TeamFactory(name="MASH desk", agency=police),
        username="pc.desk",
        email="pc.desk@police.example",
    )


@pytest.fixture
def checks(mash_team: Any, manager: User, social_worker: User, police: Agency, police_desk: User) -> MashChecks:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    started = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    # Bexley: red within 4 hours.
    return start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=started, rating=Brag.RED)


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 24, hour, minute, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_nothing_is_due_early_then_one_reminder_then_one_escalation(checks: MashChecks, police_desk: User) -> None:
    assert alerts.run_once(_at(11)).queued == 0  # due at 14:00
    first = alerts.run_once(_at(13, 10))
    assert (first.queued, first.sent) == (1, 1)
    assert mail.outbox[0].to == ["pc.desk@police.example"]
    assert "due at" in mail.outbox[0].subject
    again = alerts.run_once(_at(13, 40))
    assert (again.queued, again.sent) == (0, 0)
    breach = alerts.run_once(_at(14, 5))
    kinds = set(Alert.objects.values_list("kind", "recipient__username"))
    assert (AlertKind.BREACH, checks.coordinator.username) in kinds
    assert (AlertKind.BREACH, "pc.desk") in kinds
    assert breach.queued == 2
    alerts.run_once(_at(15))
    assert Alert.objects.count() == 3  # one reminder, two escalations: never twice


@pytest.mark.django_db
def test_an_answered_request_raises_no_alert(checks: MashChecks, police_desk: User) -> None:
    submit_answer(checks.requests.get(), by=police_desk, at=_at(11))
    assert alerts.run_once(_at(15)) == alerts.Delivery(0, 0)


class KilledAfterTheMailServerAccepted(BaseEmailBackend):
    """The worst moment to die: the mail server has the message, the database has not committed."""

    accepted: list[str] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.accepted.extend(m.extra_headers["Message-ID"] for m in email_messages)
        raise SystemExit("worker killed")


@pytest.mark.django_db
def test_a_worker_killed_while_sending_sends_the_alert_once_after_restart(
    checks: MashChecks, police_desk: User, settings: Any
) -> None:
    alerts.queue_alerts(_at(13, 10))
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterTheMailServerAccepted"
    with pytest.raises(SystemExit):
        alerts.deliver_alerts(_at(13, 10))
    alert = Alert.objects.get()
    assert alert.sent_at is None  # rolled back with the transaction
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert alerts.deliver_alerts(_at(13, 11)) == 1
    assert alerts.deliver_alerts(_at(13, 12)) == 0
    assert len(mail.outbox) == 1
    # The repeat carries the Message-ID of the first attempt, so the mail system can drop it.
    assert KilledAfterTheMailServerAccepted.accepted == [mail.outbox[0].extra_headers["Message-ID"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == alerts.message_id(alert)


@pytest.mark.django_db
def test_a_mail_server_that_is_down_leaves_alerts_queued_and_the_worker_running(
    checks: MashChecks, police_desk: User, settings: Any, time_machine: Any
) -> None:
    time_machine.move_to(_at(14, 30), tick=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with pytest.raises(CommandError, match="Not done this round: MASH check alerts"):
        call_command("run_worker", "--once")
    assert Alert.objects.exists()
    assert not Alert.objects.filter(sent_at__isnull=False).exists()


def test_two_workers_at_once_send_each_alert_once(
    transactional_db: None, checks: MashChecks, police_desk: User
) -> None:
    for number in range(5):
        user_with_role(
            Role.PARTNER_PROFESSIONAL,
            team=TeamFactory(name="MASH desk", agency=checks.requests.get().agency),
            username=f"pc.{number}",
            email=f"pc.{number}@police.example",
        )
    alerts.queue_alerts(_at(14, 5))
    total = Alert.objects.count()
    results: list[int] = []

    def worker() -> None:
        try:
            results.append(alerts.deliver_alerts(_at(14, 6)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == total
    assert len(mail.outbox) == total
    assert len({m.to[0] for m in mail.outbox}) == total


@pytest.mark.django_db
def test_the_worker_command_runs_one_round(checks: MashChecks, police_desk: User, time_machine: Any) -> None:
    time_machine.move_to(_at(14, 30), tick=False)
    call_command("run_worker", "--once")
    assert Alert.objects.filter(kind=AlertKind.BREACH).exists()
    assert Alert.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_an_alert_queued_before_the_answer_is_never_sent(checks: MashChecks, police_desk: User) -> None:
    assert alerts.queue_alerts(_at(13, 10)) == 1  # the reminder
    submit_answer(checks.requests.get(), by=police_desk, at=_at(13, 11))
    assert alerts.deliver_alerts(_at(13, 12)) == 0
    assert not Alert.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_hub_staff_see_their_alerts_on_their_queue_and_can_dismiss_them(
    checks: MashChecks, police_desk: User, social_worker_client: Any, time_machine: Any
) -> None:
    alerts.run_once(_at(14, 5))
    time_machine.move_to(_at(14, 6), tick=False)
    queue = social_worker_client.get(reverse("queues:home"), follow=True).content.decode()
    assert "Overdue: the due time has passed" in queue
    assert reverse("checks:checks", args=[checks.pk]) in queue
    shown = Alert.objects.get(recipient=checks.coordinator)
    social_worker_client.post(reverse("checks:dismiss-alerts"), {"alert": [shown.pk], "next": "https://evil.example/"})
    shown.refresh_from_db()
    assert shown.read_at is not None
    assert (
        "Overdue: the due time has passed"
        not in social_worker_client.get(reverse("queues:home"), follow=True).content.decode()
    )


@pytest.mark.django_db
def test_answering_settles_the_alerts_the_partner_was_shown(
    checks: MashChecks, police_desk: User, time_machine: Any
) -> None:
    alerts.run_once(_at(14, 5))
    client = Client()
    sign_in_both_steps(client, police_desk)
    time_machine.move_to(_at(14, 6), tick=False)
    assert "Overdue: the due time has passed" in client.get(reverse("checks:workspace")).content.decode()
    submit_answer(checks.requests.get(), by=police_desk, at=_at(14, 7))
    assert "Overdue: the due time has passed" not in client.get(reverse("checks:workspace")).content.decode()
    assert not Alert.objects.filter(read_at__isnull=True, kind__in=[AlertKind.REMINDER, AlertKind.BREACH]).exists()


@pytest.mark.django_db
def test_the_worker_sends_through_gov_uk_notify_and_keeps_a_refused_alert_for_the_next_round(
    checks: MashChecks, police_desk: User, notify: FakeNotify
) -> None:
    notify.status = 429  # Notify's rate limit
    with pytest.raises(NotifyError):
        alerts.run_once(_at(13, 10))
    assert Alert.objects.get().sent_at is None  # the reminder is still to send
    notify.status = 201
    assert alerts.deliver_alerts(_at(13, 11)) == 1
    (sent,) = notify.received
    assert sent["email_address"] == "pc.desk@police.example"
    assert sent["reference"] == alerts.message_id(Alert.objects.get()).strip("<>")
    assert "due at" in sent["personalisation"]["subject"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started", "due", "late"),
    [
        # Summer: started 10:00 BST (09:00 UTC); a Red request is due four hours later.
        (
            dt.datetime(2026, 7, 15, 9, tzinfo=dt.UTC),
            "15 July 2026, 14:00 BST",
            dt.datetime(2026, 7, 15, 13, 5, tzinfo=dt.UTC),
        ),
        # Winter: started 10:00 GMT, which is 10:00 UTC.
        (
            dt.datetime(2026, 12, 15, 10, tzinfo=dt.UTC),
            "15 December 2026, 14:00 GMT",
            dt.datetime(2026, 12, 15, 14, 5, tzinfo=dt.UTC),
        ),
    ],
    ids=["summer", "winter"],
)
def test_alert_emails_give_due_times_in_london_time_saying_gmt_or_bst(
    started: dt.datetime,
    due: str,
    late: dt.datetime,
    mash_team: Any,
    manager: User,
    social_worker: User,
    police: Agency,
    police_desk: User,
    time_machine: Any,
) -> None:
    time_machine.move_to(started, tick=False)
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=started, rating=Brag.RED)
    # The worker sends them whatever time zone its process has active (a server's clock is UTC).
    with timezone.override(dt.UTC):
        time_machine.move_to(late, tick=False)
        alerts.run_once(late)
    assert mail.outbox
    for message in mail.outbox:
        assert due in message.subject + message.body, message.subject
