"""Dashboards kept once counted (ADR 0043): the page and its downloads show one count, said when it was
counted; kept for ten minutes, then counted again; the worker keeps the usual three counted."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.tests.factories import ContactFactory
from safehub.mfa.testing import sign_in_both_steps
from safehub.reports import kept
from safehub.reports.dashboard import dashboard_figures
from safehub.reports.measures.scope import Filters
from safehub.reports.models import KeptDashboard
from safehub.reports.periods import Period, PeriodKind
from safehub.reports.tests import hub as hub_data
from safehub.reports.tests.hub import Hub

pytestmark = pytest.mark.django_db
URL = "/reports/"
MONTH = Period(PeriodKind.MONTH, dt.date(2026, 11, 1), dt.date(2026, 11, 24))


@pytest.fixture
def hub(mash_team: Any, contact_officer: User, social_worker: User, manager: User, now: dt.datetime) -> Hub:
    return hub_data.build(mash_team, contact_officer=contact_officer, social_worker=social_worker, manager=manager)


@pytest.fixture
def lead_client(performance_lead: User) -> Client:
    return sign_in_both_steps(Client(), performance_lead)


def test_every_tile_reads_back_from_its_json_as_it_was_counted(hub: Hub, now: dt.datetime) -> None:
    for period in (MONTH, Period(PeriodKind.YEAR, dt.date(2026, 4, 1), dt.date(2026, 11, 24))):
        tiles = dashboard_figures(period, Filters(), at=now)
        assert kept.tiles_from_json(kept.tiles_as_json(tiles)) == tiles
    filtered = dashboard_figures(MONTH, Filters(source="3A", rating="red"), at=now)
    assert kept.tiles_from_json(kept.tiles_as_json(filtered)) == filtered


def test_a_dashboard_is_kept_for_ten_minutes_then_counted_again(hub: Hub, mash_team: Any, now: dt.datetime) -> None:
    first = kept.counted(MONTH, Filters(), at=now)
    assert first.counted_at == now
    assert first.tiles == dashboard_figures(MONTH, Filters(), at=now)
    ContactFactory(team=mash_team, received_at=now - dt.timedelta(hours=1))

    again = kept.counted(MONTH, Filters(), at=now + dt.timedelta(minutes=9))
    assert again.counted_at == now  # the kept count, without the new contact
    assert again.tiles == first.tiles

    later = now + dt.timedelta(minutes=10)
    recounted = kept.counted(MONTH, Filters(), at=later)
    assert recounted.counted_at == later
    assert recounted.tiles == dashboard_figures(MONTH, Filters(), at=later)
    assert recounted.tiles != first.tiles
    assert KeptDashboard.objects.count() == 1


def test_each_period_and_filter_is_kept_apart(hub: Hub, now: dt.datetime) -> None:
    kept.counted(MONTH, Filters(), at=now)
    kept.counted(MONTH, Filters(source="3A"), at=now)
    kept.counted(Period(PeriodKind.RANGE, dt.date(2026, 11, 1), dt.date(2026, 11, 24)), Filters(), at=now)
    assert KeptDashboard.objects.count() == 3
    assert kept.counted(MONTH, Filters(source="3A"), at=now).tiles == dashboard_figures(
        MONTH, Filters(source="3A"), at=now
    )


def test_the_page_says_when_it_was_counted_and_its_download_is_the_same_count(
    hub: Hub, mash_team: Any, lead_client: Client, now: dt.datetime
) -> None:
    page = lead_client.get(URL).content.decode()
    assert "Counted at 24 November 2026, 10:00." in page
    before = lead_client.get(reverse("reports:dashboard-csv", args=["contacts-received", "by-period"]))
    ContactFactory(team=mash_team, received_at=now - dt.timedelta(hours=1))
    with time_machine.travel(now + dt.timedelta(minutes=5), tick=False):
        page = lead_client.get(URL).content.decode()
        assert "Counted at 24 November 2026, 10:00." in page
        download = lead_client.get(reverse("reports:dashboard-csv", args=["contacts-received", "by-period"]))
    assert download.content == before.content
    with time_machine.travel(now + dt.timedelta(minutes=11), tick=False):
        page = lead_client.get(URL).content.decode()
        assert "Counted at 24 November 2026, 10:11." in page
        download = lead_client.get(reverse("reports:dashboard-csv", args=["contacts-received", "by-period"]))
    assert download.content != before.content


def test_the_worker_keeps_this_week_this_month_and_the_year_counted(hub: Hub, settings: Any, now: dt.datetime) -> None:
    assert kept.keep_standard_dashboards(at=now) == 3
    assert kept.keep_standard_dashboards(at=now + dt.timedelta(minutes=4)) == 0
    assert kept.keep_standard_dashboards(at=now + dt.timedelta(minutes=5, seconds=1)) == 3
    keys = set(KeptDashboard.objects.values_list("key", flat=True))
    assert keys == {
        "week:2026-11-23:2026-11-24:team=:source=:rating=",
        "month:2026-11-01:2026-11-24:team=:source=:rating=",
        "year:2026-04-01:2026-11-24:team=:source=:rating=",
    }
    kept.counted(MONTH, Filters(source="3A"), at=now)
    kept.keep_standard_dashboards(at=now + dt.timedelta(minutes=11))
    assert not KeptDashboard.objects.filter(key__contains="source=3A").exists()  # no longer shown to anyone

    KeptDashboard.objects.all().delete()
    settings.KEEP_DASHBOARDS = True
    call_command("run_worker", once=True, stdout=StringIO())
    assert KeptDashboard.objects.count() == 3
