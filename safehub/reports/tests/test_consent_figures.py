"""Consent and sharing without consent, counted by month (issue 14: an override is "counted in the
figures"), through the real services, and the page and download for those who read the figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.consent import services
from safehub.consent.models import ConsentPurpose
from safehub.contacts.models import ConsentPosition
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.reports.indicators import consent_figures
from safehub.sharing import services as sharing
from safehub.sharing.vocabulary import Purpose

pytestmark = pytest.mark.django_db
WHY = "The family refused on the phone; the school's account of the bruising cannot wait for partners' views."
CHECKS = ConsentPurpose.MASH_CHECKS
DECLINED = "Nothing says the child is at risk tonight: ask the family again tomorrow, with the school present."


def _refused_then_asked(team: Any, worker: User, at: dt.datetime) -> Any:
    contact = ContactAwaitingThresholdFactory(team=team, consent=ConsentPosition.REFUSED)
    mia = contact.subjects.get()
    answer = services.Answer(mia.pk, CHECKS, "refused", "parent", "Lena Harlow", at.date(), "verbal")
    services.record_consent(contact, answer, by=worker, at=at)
    return services.ask_override(contact, CHECKS, WHY, by=worker, at=at)


def test_each_answer_request_and_decision_is_counted_in_its_own_month(
    mash_team: Any, social_worker: User, manager: User, now: dt.datetime
) -> None:
    november = now  # 24 November 2026
    december = dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC)  # already December in London too
    first = _refused_then_asked(mash_team, social_worker, november)
    second = _refused_then_asked(mash_team, social_worker, november)
    services.decide_override(
        first, services.Decision(agree=False, rationale=DECLINED), by=manager, at=december,
        version=first.version,
    )  # fmt: skip
    services.withdraw_override(second, by=social_worker, at=december, version=second.version, note="Asked in error")
    sharing.record_decision_not_to_share(
        first.contact,
        to="A housing officer",
        asked="Whether the family is known",
        asked_by="A housing officer",
        reason="Housing has no part in this and the family has not agreed",
        purpose=Purpose.MASH_CHECKS,
        by=social_worker,
        at=december,
    )

    dec, nov = consent_figures.figures()
    assert (nov.month, dec.month) == (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert (nov.counts["consent_refused"], nov.counts["overrides_asked"], nov.counts["overrides_declined"]) == (2, 2, 0)
    assert (dec.counts["overrides_declined"], dec.counts["overrides_withdrawn"]) == (1, 1)
    assert dec.counts["decisions_not_to_share"] == 1
    assert dec.agreed_percent == "0%"
    assert nov.agreed_percent == "–"  # nothing decided in November
    rows = list(csv.reader(io.StringIO(consent_figures.as_csv([dec, nov]))))
    assert rows[0][:3] == ["month", "consent_given", "consent_refused"]
    assert rows[2][:3] == ["2026-11", "0", "2"]


def test_managers_and_the_dpo_read_the_figures_and_each_download_is_recorded(
    manager_client: Client,
    data_protection_officer_client: Client,
    social_worker_client: Client,
    police_partner_client: Client,
    mash_team: Any,
    social_worker: User,
    now: dt.datetime,
) -> None:
    _refused_then_asked(mash_team, social_worker, now)
    page = manager_client.get(reverse("reports:consent")).content.decode()
    assert "Sharing without consent, per month" in page
    assert "November 2026" in page
    assert data_protection_officer_client.get(reverse("reports:consent")).status_code == 200
    download = data_protection_officer_client.get(reverse("reports:consent-csv"))
    assert download["Content-Disposition"] == 'attachment; filename="consent-and-sharing-without-consent.csv"'
    assert AuditEvent.objects.get(verb=Verb.REPORT_EXPORTED).data == {
        "report": "consent-and-sharing-without-consent",
        "rows": 1,
    }
    assert social_worker_client.get(reverse("reports:consent")).status_code == 403
    assert police_partner_client.get(reverse("reports:consent")).status_code == 404
