"""The dashboard page and its downloads: who may see them, the period and filters read from the address
(bad input answered with an error summary, never a 500), every download recorded, and a number of queries
that does not grow with the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import sign_in_both_steps
from safehub.reports.dashboard import dashboard_figures
from safehub.reports.forms import DashboardForm
from safehub.reports.measures.scope import Filters
from safehub.reports.periods import Period, PeriodKind
from safehub.reports.tests import hub as hub_data
from safehub.reports.tests.hub import Hub
from safehub.returns.models import ReturnCheck, ReturnKind

pytestmark = pytest.mark.django_db
URL = "/reports/"


@pytest.fixture
def hub(mash_team: Any, contact_officer: User, social_worker: User, manager: User, now: dt.datetime) -> Hub:
    return hub_data.build(mash_team, contact_officer=contact_officer, social_worker=social_worker, manager=manager)


@pytest.fixture
def lead_client(performance_lead: User) -> Client:
    return sign_in_both_steps(Client(), performance_lead)


def test_the_dashboard_is_at_reports(now: dt.datetime) -> None:
    assert reverse("reports:dashboard") == URL


def test_the_performance_lead_and_managers_see_it_partners_are_not_told_it_exists_others_refused(
    lead_client: Client,
    manager_client: Client,
    social_worker_client: Client,
    police_partner_client: Client,
    now: dt.datetime,
) -> None:
    assert lead_client.get(URL).status_code == 200
    assert manager_client.get(URL).status_code == 200
    assert social_worker_client.get(URL).status_code == 403
    assert police_partner_client.get(URL).status_code == 404
    download = reverse("reports:dashboard-csv", args=["referrals", "by-period"])
    assert social_worker_client.get(download).status_code == 403
    assert police_partner_client.get(download).status_code == 404


def test_the_performance_lead_starts_on_the_dashboard_and_the_navigation_leads_there(
    lead_client: Client, now: dt.datetime
) -> None:
    response = lead_client.get(reverse("queues:home"))
    assert response.status_code == 302
    assert response["Location"] == URL
    page = lead_client.get(URL).content.decode()
    assert f'<a class="govuk-service-navigation__link" href="{URL}" aria-current="page">' in page or (
        f'href="{URL}"' in page and "Dashboard" in page
    )


def test_the_page_shows_each_measure_with_a_sentence_a_chart_a_table_and_a_download(
    hub: Hub, lead_client: Client
) -> None:
    page = lead_client.get(URL).content.decode()
    assert "1 November 2026 to 24 November 2026" in page
    assert "9 contacts were received, 3 a week on average." in page
    assert "2 of the 4 referrals (50%) were of a child referred in the 12 months before" in page
    assert 'role="img"' in page
    assert "<title id=" in page
    assert "<desc id=" in page
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Contacts received, by day</caption>' in page
    assert '<th scope="row" class="govuk-table__header">Mon 2 Nov</th>' in page
    assert 'href="/reports/dashboard/referrals/by-service.csv"' in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_team_with_nothing_in_the_period_is_told_so_not_shown_empty_charts(
    hub: Hub, lead_client: Client, other_team: Any
) -> None:
    page = lead_client.get(URL, {"team": other_team.pk}).content.decode()
    assert "No contacts were received in the period." in page
    assert "No strategy discussions were started in the period." in page
    # Every chart of the team's contacts would be empty axes; the strategy and telling people reports count
    # every team's, something to chart (a rate of 0% of something counted is drawn).
    charts = re.findall(r'<svg [^>]*aria-labelledby="([a-z0-9-]+)-chart-title', page)
    assert charts == ["strategy-timeliness-timeliness", "telling-people-in-time"]
    assert "Contacts received, by day: nothing to chart in this period." in page
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Contacts received, by day</caption>' in page


def test_the_year_runs_from_1_april_and_a_range_is_shown_by_week(hub: Hub, lead_client: Client) -> None:
    page = lead_client.get(URL, {"period": "year"}).content.decode()
    assert "1 April 2026 to 24 November 2026" in page
    assert "November 2026" in page
    assert "April 2026" in page
    query = {
        "period": "range",
        "start_0": "1",
        "start_1": "9",
        "start_2": "2026",
        "end_0": "24",
        "end_1": "11",
        "end_2": "2026",
    }
    page = lead_client.get(URL, query).content.decode()
    assert "1 September 2026 to 24 November 2026" in page
    assert "Week from 2 Nov" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "range"}, "Enter the start date"),
        ({"period": "range", "start_0": "1", "start_1": "11", "start_2": "2026"}, "Enter the end date"),
        (
            {
                "period": "range",
                "start_0": "20",
                "start_1": "11",
                "start_2": "2026",
                "end_0": "1",
                "end_1": "11",
                "end_2": "2026",
            },
            "The end date must be the same as or after the start date",
        ),
        (
            {
                "period": "range",
                "start_0": "31",
                "start_1": "2",
                "start_2": "2026",
                "end_0": "1",
                "end_1": "11",
                "end_2": "2026",
            },
            "The start date must be a real date",
        ),
        (
            {
                "period": "range",
                "start_0": "1",
                "start_1": "11",
                "start_2": "2026",
                "end_0": "1",
                "end_1": "1",
                "end_2": "2027",
            },
            "The end date must be today or in the past",
        ),
        (
            {
                "period": "range",
                "start_0": "1",
                "start_1": "1",
                "start_2": "2001",
                "end_0": "1",
                "end_1": "11",
                "end_2": "2026",
            },
            "The end date must be within 5 years of the start date",
        ),
        ({"period": "fortnight"}, "Choose a period from the list"),
        ({"team": "99999999999999999999"}, "Choose a team from the list"),
        ({"rating": "purple"}, "Choose a rating from the list"),
    ],
)
def test_bad_periods_and_filters_get_an_error_summary_and_no_figures(
    query: dict[str, str], message: str, lead_client: Client, now: dt.datetime
) -> None:
    response = lead_client.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "Contacts received" not in page
    assert page.count("<title>Error: ") == 1


def test_a_bad_period_in_a_downloads_address_is_refused_and_not_recorded(lead_client: Client, now: dt.datetime) -> None:
    address = reverse("reports:dashboard-csv", args=["referrals", "by-period"])
    response = lead_client.get(address, {"period": "range", "start_0": "x"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).exists()
    assert lead_client.get(reverse("reports:dashboard-csv", args=["no-such-measure", "by-period"])).status_code == 404
    assert lead_client.get(reverse("reports:dashboard-csv", args=["referrals", "no-such-table"])).status_code == 404


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["period", "start_0", "start_1", "start_2", "end_0", "end_1", "end_2", "team", "source", "rating"]
        ),
        st.text(max_size=25),
    )
)
def test_no_address_answers_500(query: dict[str, str]) -> None:
    form = DashboardForm(query, today=dt.date(2026, 11, 24))
    if form.is_valid():
        period = form.chosen_period
        assert period.first <= period.last <= dt.date(2026, 11, 24)


def test_each_table_downloads_as_csv_and_the_download_is_recorded(
    hub: Hub, lead_client: Client, performance_lead: User
) -> None:
    response = lead_client.get(
        reverse("reports:dashboard-csv", args=["re-referrals", "by-period"]), {"period": "month"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="re-referrals-by-period-2026-11-01-to-2026-11-24.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    # A rate is a number a spreadsheet can use, its column named a percentage.
    assert lines[0] == ["Day", "Referrals", "Re-referrals", "Rate (%)"]
    assert ["Tue 3 Nov", "1", "1", "100.0"] in lines
    assert ["All referrals in the period", "4", "2", "50.0"] in lines
    event = AuditEvent.objects.get(verb=Verb.REPORT_EXPORTED)
    assert event.by == performance_lead
    assert event.data == {
        "report": "dashboard-re-referrals-by-period",
        "rows": len(lines) - 1,
        "period": "2026-11-01-to-2026-11-24",
    }


def test_a_filtered_download_counts_what_the_page_shows(hub: Hub, lead_client: Client) -> None:
    page = lead_client.get(URL, {"source": "6"}).content.decode()
    assert "?source=6&amp;period=month" in page or "period=month&amp;source=6" in page
    response = lead_client.get(
        reverse("reports:dashboard-csv", args=["contacts-received", "by-channel"]), {"source": "6"}
    )
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Email", "1"] in lines
    assert ["Phone", "1"] in lines
    assert ["Police notification", "1"] in lines


def test_the_page_asks_the_database_a_bounded_number_of_times(
    hub: Hub, lead_client: Client, django_assert_max_num_queries: Any
) -> None:
    """As many queries for a year as for a month, for a hundred contacts as for ten: every figure is
    counted by the database, never one query per contact."""
    with django_assert_max_num_queries(60) as few:
        lead_client.get(URL, {"period": "year"})
    for n in range(10):
        hub_data.contact(hub, f"More{n}", hub_data.at(3 + n, 9), children=["Zed", "Zoe"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        lead_client.get(URL, {"period": "year"})


def test_dashboard_figures_computes_every_tile(hub: Hub) -> None:
    tiles = dashboard_figures(Period(PeriodKind.MONTH, dt.date(2026, 11, 1), dt.date(2026, 11, 24)), Filters())
    assert len(tiles) == 17
    assert all(tile.summary and tile.figures for tile in tiles)


def test_the_dashboard_says_whether_each_return_passes_as_checked_last_night(
    lead_client: Client, now: dt.datetime
) -> None:
    page = lead_client.get(URL).content.decode()
    assert "Statutory returns, as checked last night" in page
    assert page.count("not checked yet") == 2
    ReturnCheck.objects.create(
        kind=ReturnKind.CIN_CENSUS,
        period="2027",
        started_at=now,
        finished_at=now,
        nightly_on=now.date(),
        children=12,
        errors=[{"rule": "8650", "message": "Primary need is missing", "children": ["P1"]}],
    )
    page = lead_client.get(URL).content.decode()
    assert "Year to 31 March 2027" in page
    assert "1 rule broken" in page
    # A return asked for in the day is not the nightly check.
    ReturnCheck.objects.create(kind=ReturnKind.CIN_CENSUS, period="2026", started_at=now, finished_at=now)
    assert "Year to 31 March 2026" not in lead_client.get(URL).content.decode()


def test_the_page_names_its_period_and_filters_and_ignores_dates_another_period_does_not_use(
    hub: Hub, lead_client: Client
) -> None:
    page = lead_client.get(URL).content.decode()
    assert "This month:" in page
    assert re.search(r'<input[^>]*value="month"[^>]*checked', page)
    week = lead_client.get(URL, {"period": "week", "start_0": "31", "start_1": "2", "start_2": "2026"})
    assert week.status_code == 200
    assert "This week:" in week.content.decode()
    assert "must be a real date" not in week.content.decode()
    red = lead_client.get(URL, {"period": "year", "rating": "red", "source": "3A"}).content.decode()
    assert "Filtered by Referral source: " in red
    assert "Rating: Red" in red


def test_a_rate_of_0_percent_of_something_is_charted_not_called_nothing(hub: Hub, lead_client: Client) -> None:
    # Not rated: C5, waiting past its due time, and C10, still within it: 0 of 1 decision in time.
    page = lead_client.get(URL, {"period": "month", "rating": "none"}).content.decode()
    assert "0 of 1 threshold decision (0%) were approved within the local protocol&#x27;s time." in page
    assert 'aria-labelledby="decision-timeliness-by-period-chart-title' in page
    assert "Approved decisions against the protocol&#x27;s time, by the day contacts were received: nothing" not in page


def test_a_filtered_download_is_named_for_its_filters(hub: Hub, lead_client: Client) -> None:
    address = reverse("reports:dashboard-csv", args=["contacts-received", "by-period"])
    query = {"period": "month", "team": hub.team.pk, "source": "6", "rating": "red"}
    response = lead_client.get(address, query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="contacts-received-by-period-2026-11-01-to-2026-11-24-team-mash-source-6-rating-red.csv"'
    )
    unrated = lead_client.get(address, {"period": "month", "rating": "none"})
    assert (
        'filename="contacts-received-by-period-2026-11-01-to-2026-11-24-rating-not-rated.csv"'
        in (unrated["Content-Disposition"])
    )
    assert lines_of(unrated)[0] == ["Day", "Contacts"]  # the file itself is the table, and only the table
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).count() == 2


def lines_of(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_page_says_what_a_team_is_and_where_assessments_come_from(hub: Hub, lead_client: Client) -> None:
    page = lead_client.get(URL).content.decode()
    assert "The team that took the contact at the front door" in page
    assert "docs/" not in page
    assert "Import assessments, enquiries and plans" in page
