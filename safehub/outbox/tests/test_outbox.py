"""In demo mode, emails go to the outbox (a page and a folder), never to the console."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import safehub.settings as settings_module
from safehub.accounts.models import AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.outbox.models import OutboxEmail
from safehub.outbox.views import PER_PAGE
from safehub.protocols.models import Brag

OUTBOX_BACKEND = "safehub.outbox.backends.OutboxEmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
OUTBOX = "/outbox/"


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Path:
    """Demo mode with its email backend, writing to a folder of the test's own."""
    settings.DEMO_MODE = True
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    settings.OUTBOX_DIR = tmp_path / "demo-outbox"
    return settings.OUTBOX_DIR  # type: ignore[no-any-return]


def _email(to: str, subject: str, at: dt.datetime, body: str = "Sign in to Safehub to see it.") -> OutboxEmail:
    return OutboxEmail.objects.create(sender="safehub@localhost", recipient=to, subject=subject, body=body, sent_at=at)


def _load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name in ("SAFEHUB_TESTING", "SAFEHUB_DEMO", "DEBUG", "EMAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("safehub_settings_for_outbox", settings_module.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Which backend --------------------------------------------------------------------------------------


def test_demo_mode_keeps_emails_in_the_outbox(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load_settings(monkeypatch, SAFEHUB_DEMO="true").EMAIL_BACKEND == OUTBOX_BACKEND


def test_production_email_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    production = {"SECRET_KEY": "a-production-secret-" + "y" * 40}
    assert _load_settings(monkeypatch, **production).EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert _load_settings(monkeypatch, EMAIL_BACKEND=SMTP_BACKEND, **production).EMAIL_BACKEND == SMTP_BACKEND


def test_a_chosen_backend_wins_in_demo_mode_too(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load_settings(monkeypatch, SAFEHUB_DEMO="true", EMAIL_BACKEND=SMTP_BACKEND).EMAIL_BACKEND == SMTP_BACKEND


# The backend ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_email_is_kept_for_each_recipient_and_written_once(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sent = mail.send_mail("Safehub: request 7 is overdue", "Sign in.", None, ["a@demo.invalid", "b@demo.invalid"])

    assert sent == 1
    assert sorted(OutboxEmail.objects.values_list("recipient", "subject")) == [
        ("a@demo.invalid", "Safehub: request 7 is overdue"),
        ("b@demo.invalid", "Safehub: request 7 is overdue"),
    ]
    [written] = demo.glob("*.eml")
    first = OutboxEmail.objects.earliest("pk")
    assert written.name == f"{first.sent_at:%Y%m%d-%H%M%S}-{first.pk:08d}.eml"
    assert "Subject: Safehub: request 7 is overdue" in written.read_text(encoding="utf-8")
    assert capsys.readouterr() == ("", "")  # nothing on the console


@pytest.mark.django_db
def test_the_worker_in_demo_mode_prints_no_email(
    demo: Path,
    mash_team: Any,
    manager: User,
    social_worker: User,
    capsys: pytest.CaptureFixture[str],
    time_machine: Any,
) -> None:
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    desk = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="MASH desk", agency=police), email="desk@police.example"
    )
    started = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=started, rating=Brag.RED)
    time_machine.move_to(started + dt.timedelta(hours=5), tick=False)  # red: due within 4 hours

    call_command("run_worker", "--once")

    out, err = capsys.readouterr()
    assert out.strip().endswith("alerts queued 2, sent 2")  # one line of the worker's own, no email
    assert "Subject:" not in out + err
    overdue = OutboxEmail.objects.filter(recipient__in=[desk.email, social_worker.email])
    assert overdue.count() == 2
    assert all("is overdue" in email.subject for email in overdue)
    assert len(list(demo.glob("*.eml"))) == 2


# The page -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_reads_the_emails_sent_to_them(demo: Path, social_worker_client: Client, social_worker: User) -> None:
    _email(social_worker.email, "Safehub: request 1 is due at 14:00", dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    _email(social_worker.email.upper(), "Safehub: request 2 is overdue", dt.datetime(2026, 11, 24, 11, tzinfo=dt.UTC))
    _email("someone.else@demo.invalid", "Safehub: request 3 is overdue", dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))

    page = social_worker_client.get(OUTBOX).content.decode()

    assert "2 emails, newest first" in page
    assert page.index("request 2 is overdue") < page.index("request 1 is due")  # newest first
    assert "request 3" not in page
    assert "24 November 2026, 11:00" in page
    assert "Sign in to Safehub to see it." in page
    assert social_worker.email in page


@pytest.mark.django_db
def test_an_administrator_reads_every_email(demo: Path, administrator_client: Client) -> None:
    _email("a@demo.invalid", "Safehub: request 1 is overdue", dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    _email("b@demo.invalid", "Safehub: request 2 is overdue", dt.datetime(2026, 11, 24, 11, tzinfo=dt.UTC))

    page = administrator_client.get(OUTBOX).content.decode()

    assert "2 emails, newest first" in page
    assert "a@demo.invalid" in page
    assert "b@demo.invalid" in page
    assert "you see every email" in page


@pytest.mark.django_db
def test_the_outbox_is_paged(
    demo: Path, social_worker_client: Client, social_worker: User, django_assert_max_num_queries: Any
) -> None:
    first = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    for n in range(PER_PAGE + 1):
        _email(social_worker.email, f"Safehub: request {n} is overdue", first + dt.timedelta(minutes=n))

    with django_assert_max_num_queries(8):
        page_one = social_worker_client.get(OUTBOX).content.decode()
    page_two = social_worker_client.get(OUTBOX, {"page": 2}).content.decode()

    assert f"request {PER_PAGE} is overdue" in page_one
    assert "Page 1 of 2" in page_one
    assert "request 0 is overdue" not in page_one
    assert "request 0 is overdue" in page_two


@pytest.mark.django_db
def test_an_empty_outbox_says_so(demo: Path, social_worker_client: Client) -> None:
    assert "No emails yet." in social_worker_client.get(OUTBOX).content.decode()


@pytest.mark.django_db
def test_there_is_no_outbox_outside_demo_mode(settings: Any, social_worker_client: Client) -> None:
    settings.DEMO_MODE = False

    assert social_worker_client.get(OUTBOX).status_code == 404
    assert 'href="/outbox/"' not in social_worker_client.get(reverse("queues:home"), follow=True).content.decode()


@pytest.mark.django_db
def test_the_outbox_is_in_the_navigation_in_demo_mode(demo: Path, social_worker_client: Client) -> None:
    page = social_worker_client.get(reverse("queues:home"), follow=True).content.decode()

    assert 'href="/outbox/"' in page


@pytest.mark.django_db
def test_the_outbox_needs_sign_in(demo: Path, client: Client) -> None:
    response = client.get(OUTBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
