from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import answers, services
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.protocols.models import Brag
from safehub.reports.indicators import checks_timeliness

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


def _request_answered_after(
    hours: float | None, *, agency: Agency, partner: User, team: Any, manager: User, coordinator: User
) -> None:
    contact = ContactAwaitingThresholdFactory(team=team)
    checks = services.start_checks(
        contact,
        services.StartChecks("Unclear", Brag.RED, coordinator, [agency], "Known?", services.DEFAULT_BASES),
        by=manager,
        at=START,
        version=contact.version,
    )
    if hours is None:
        return
    request = checks.requests.get()
    answers.save_response(
        request,
        answers.Answer(nothing_known=True, sources_searched="Niche"),
        by=partner,
        at=START + dt.timedelta(hours=hours),
        submit=True,
        version=request.version,
    )


def test_timeliness_counts_on_time_late_outstanding_and_percentiles(
    mash_team: Any, manager: User, social_worker: User
) -> None:
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    partner = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=police), username="desk")
    for hours in (1, 2, 3, 6, None):  # red in Bexley: due within 4 hours
        _request_answered_after(
            hours, agency=police, partner=partner, team=mash_team, manager=manager, coordinator=social_worker
        )
    [before_due] = checks_timeliness.timeliness(now=START + dt.timedelta(hours=3))
    assert before_due.outstanding_overdue == 0
    [row] = checks_timeliness.timeliness(now=START + dt.timedelta(hours=5))
    assert (row.agency, row.month) == ("Example Police", dt.date(2026, 11, 1))
    assert (row.requests, row.answered_on_time, row.answered_late, row.outstanding) == (5, 3, 1, 1)
    assert row.outstanding_overdue == 1  # walk-through: "Late 0" read as nothing late while one was overdue
    assert row.median_hours == 2.5
    assert row.p90_hours == 6.0
    assert checks_timeliness.as_csv([row]).splitlines()[1] == "Example Police,2026-11,5,3,1,1,1,2.5,6.0"


def test_on_time_is_a_share_of_the_requests_whose_timeliness_is_known(
    mash_team: Any, manager: User, social_worker: User, manager_client: Client
) -> None:
    """Walk-through: "1 (14%)" with 6 outstanding, not yet due: the requests still within their time
    pulled the percentage down although none of them was late."""
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    partner = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=police), username="desk")
    for hours in (1, 2, None, None, None):  # red: due within 4 hours; two on time, three outstanding
        _request_answered_after(
            hours, agency=police, partner=partner, team=mash_team, manager=manager, coordinator=social_worker
        )
    [waiting] = checks_timeliness.timeliness(now=START + dt.timedelta(hours=3))
    # At 3 hours the outstanding ones are not yet due: only the two answers are known, both on time.
    assert (waiting.answered_on_time, waiting.outstanding, waiting.outstanding_overdue) == (2, 3, 0)
    assert waiting.on_time_percent == "100%"
    [overdue] = checks_timeliness.timeliness(now=START + dt.timedelta(hours=5))
    assert overdue.on_time_percent == "40%"  # two on time; three not answered by their time
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        page = manager_client.get(reverse("reports:checks-timeliness")).content.decode()
    assert "2 (100%)" in page
    assert "of the requests whose timeliness is known" in page
    assert checks_timeliness.as_csv([overdue]).splitlines()[0] == ",".join(checks_timeliness.HEADER)


def test_the_report_page_and_csv_are_for_managers_and_the_performance_lead(
    manager_client: Client, social_worker_client: Client, police_partner_client: Client
) -> None:
    url = reverse("reports:checks-timeliness")
    assert manager_client.get(url).status_code == 200
    assert social_worker_client.get(url).status_code == 403
    assert police_partner_client.get(url).status_code == 404
    download = manager_client.get(reverse("reports:checks-timeliness-csv"))
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.decode().startswith(",".join(checks_timeliness.HEADER))
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).count() == 1
    assert social_worker_client.get(reverse("reports:checks-timeliness-csv")).status_code == 403
    assert police_partner_client.get(reverse("reports:checks-timeliness-csv")).status_code == 404
    old = manager_client.get(url + "?format=csv")  # links saved before the download had its own address
    assert old.content == download.content
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).count() == 2


def test_the_download_link_is_an_address_that_ends_in_csv(manager_client: Client) -> None:
    """Browsers and link-following tools treat it as a file, not a page to open."""
    page = manager_client.get(reverse("reports:checks-timeliness")).content.decode()
    assert f'href="{reverse("reports:checks-timeliness-csv")}"' in page
    assert reverse("reports:checks-timeliness-csv").endswith(".csv")


def test_the_old_address_of_the_report_leads_to_it(manager_client: Client) -> None:
    response = manager_client.get("/checks/timeliness/?format=csv")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:checks-timeliness") + "?format=csv"


def test_the_dashboard_leads_to_the_report(manager_client: Client) -> None:
    url = reverse("reports:checks-timeliness")
    dashboard = manager_client.get(reverse("reports:dashboard")).content.decode()
    assert f'href="{url}"' in dashboard
    assert "MASH checks timeliness" in dashboard
