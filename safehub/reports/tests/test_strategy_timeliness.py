"""The strategy discussions' timeliness report, computed by hand on a small hub: held in time or late,
overdue and not held, exceptions, records in time, conferences, and attendance by agency."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import sign_in_both_steps
from safehub.reports.indicators import strategy_timeliness
from safehub.strategy import recording, services
from safehub.strategy.models import Attendance, StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for, hold_for

H = dt.timedelta(hours=1)


@pytest.fixture
def hub(
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    now: dt.datetime,
    time_machine: Any,
) -> dict[str, StrategyDiscussion]:
    """Started on 24 November (Bexley: due in 4 hours): one held in time and its record sent; one held
    late; one overdue and not held; one cancelled; one with police apologies."""
    PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH)
    start = now - 6 * H  # 04:00: due by 08:00

    def new() -> StrategyDiscussion:
        return approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=start)

    in_time = hold_for(arrange_for(new(), by=strategy_coordinator, chair=manager, at=start), by=manager, at=now)
    recording.send_record(in_time, by=strategy_coordinator, at=now, version=in_time.version)
    late = arrange_for(new(), by=strategy_coordinator, chair=manager, at=now - 2 * H)  # held at 08:30: late
    hold_for(late, by=manager, at=now)
    overdue = new()
    cancelled = new()
    services.cancel(cancelled, reason="Wrong family", by=manager, at=start + H, version=cancelled.version)
    apologies = arrange_for(new(), by=strategy_coordinator, chair=manager, at=start)
    invited = list(apologies.invitations.select_related("agency"))
    recording.hold(
        apologies,
        recording.Outcome(
            held_at=apologies.meeting_at,
            analysis="Nothing new",
            decision="no_s47",
            onward_outcome="early_help",
            police_investigate=False,
            medical_examination=False,
            family_told=True,
            who_tells="The social worker",
            tell_by=now + H,
            presence=tuple(
                recording.Presence(i.pk, Attendance.APOLOGIES, reason="Court")
                if i.agency and i.agency.kind == AgencyKind.POLICE
                else recording.Presence(i.pk, Attendance.ATTENDED)
                for i in invited
            ),
        ),
        by=manager,
        at=now,
        version=apologies.version,
    )
    return {"in_time": in_time, "late": late, "overdue": overdue, "cancelled": cancelled}


def test_the_month_counts_each_discussion_once_by_its_measures(hub: dict[str, Any], now: dt.datetime) -> None:
    found = strategy_timeliness.report(now=now)
    assert [row.month for row in found.months] == [dt.date(2026, 11, 1)]
    counts = found.months[0].counts
    assert counts["started"] == 5
    assert counts["cancelled"] == 1
    assert counts["held"] == 3
    assert (counts["held_in_time"], counts["held_late"], counts["not_held_overdue"]) == (2, 1, 1)
    assert counts["records_sent_in_time"] == 1  # the others are still within their time
    assert counts["enquiries_started"] == 2  # the joint enquiries; the early help one started none
    assert found.months[0].held_in_time_percent == "50%"  # 2 of 4 known (cancelled left out)


def test_attendance_is_counted_by_agency(hub: dict[str, Any], now: dt.datetime) -> None:
    found = {row.agency: row for row in strategy_timeliness.report(now=now).agencies}
    police = found["Example Police"].counts
    assert police["invited"] == 3
    assert (police[Attendance.ATTENDED], police[Attendance.APOLOGIES]) == (2, 1)
    assert found["Example Police"].took_part_percent == "67%"


def test_the_report_and_its_csv_downloads_are_read_by_managers_and_coordinators(
    hub: dict[str, Any], manager: User, strategy_coordinator: User, social_worker: User
) -> None:
    page = sign_in_both_steps(Client(), strategy_coordinator).get(reverse("reports:strategy-timeliness"))
    assert page.status_code == 200
    assert "November 2026" in page.content.decode()
    response = sign_in_both_steps(Client(), manager).get(reverse("reports:strategy-timeliness-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["month", "started", "cancelled"]
    assert rows[1][:3] == ["2026-11", "5", "1"]
    attendance = sign_in_both_steps(Client(), manager).get(reverse("reports:strategy-attendance-csv"))
    assert "Example Police,3,2,0,1,0,0" in attendance.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).count() == 2
    assert sign_in_both_steps(Client(), social_worker).get(reverse("reports:strategy-timeliness")).status_code == 403


def test_an_agency_name_like_a_formula_is_kept_as_text() -> None:
    report = strategy_timeliness.Report(months=[], agencies=[strategy_timeliness.AgencyRow("=HYPERLINK(1)")])
    assert "'=HYPERLINK(1)" in strategy_timeliness.agencies_csv(report)
