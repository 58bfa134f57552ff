from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import ChildRecommendation, Outcome, Recommendation
from safehub.protocols.models import LocalHoliday, LocalProtocol
from safehub.protocols.presenters import daily_meeting, in_step_order

pytestmark = pytest.mark.django_db


def _bexley() -> LocalProtocol:
    return LocalProtocol.objects.get(slug="bexley")


def _edit_post(protocol: LocalProtocol, **overrides: Any) -> dict[str, Any]:
    """The page's form as an administrator sends it unchanged (but for `overrides`), with its
    blank rows for a new level and a new timescale."""
    levels = list(protocol.levels.all())
    rows = in_step_order(protocol.timescales.all())
    data: dict[str, Any] = {
        "version": protocol.version,
        "name": protocol.name,
        "source": protocol.source,
        "working_day_start": "08:30",
        "working_day_end": "17:30",
        "three_month_rule": "on",
        "daily_meeting": protocol.daily_meeting,
        "meeting_days": [str(day) for day in protocol.meeting_days],
        "meeting_time": f"{protocol.meeting_time:%H:%M}" if protocol.meeting_time else "",
        "meeting_members": list(protocol.meeting_members),
        "triage_days": [str(day) for day in protocol.triage_days],
        "triage_time": f"{protocol.triage_time:%H:%M}" if protocol.triage_time else "",
        "triage_members": list(protocol.triage_members),
        "marac_threshold": str(protocol.marac_threshold),
        "consent_self_age": str(protocol.consent_self_age),
        "consent_competence_age": str(protocol.consent_competence_age),
        **({"override_by_senior_practitioner": "on"} if protocol.override_by_senior_practitioner else {}),
        **({"override_needs_owner_agreement": "on"} if protocol.override_needs_owner_agreement else {}),
        **({"checks_without_consent": "on"} if protocol.checks_without_consent else {}),
        "approver_roles": list(protocol.approver_roles),
        "always_checked_agencies": list(protocol.always_checked_agencies),
        "early_help_criteria": "\n".join(protocol.early_help_criteria),
        "la_code": protocol.la_code,
        "level-TOTAL_FORMS": str(len(levels) + 1),
        "level-INITIAL_FORMS": str(len(levels)),
        "timescale-TOTAL_FORMS": str(len(rows) + 1),
        "timescale-INITIAL_FORMS": str(len(rows)),
    }
    for i, level in enumerate(levels):
        data.update(
            {
                f"level-{i}-pk": level.pk,
                f"level-{i}-order": level.order,
                f"level-{i}-code": level.code,
                f"level-{i}-label": level.label,
                f"level-{i}-description": level.description,
            }
        )
    for i, row in enumerate(rows):
        data.update(
            {
                f"timescale-{i}-pk": row.pk,
                f"timescale-{i}-clock": row.clock,
                f"timescale-{i}-rating": row.rating,
                f"timescale-{i}-agency": row.agency,
                f"timescale-{i}-amount": str(row.amount),
                f"timescale-{i}-unit": row.unit,
                f"timescale-{i}-note": row.note,
            }
        )
    data.update(overrides)
    return data


def _index(protocol: LocalProtocol, clock: str, rating: str = "", agency: str = "") -> int:
    """The row of the timescales formset that holds this timescale."""
    rows = [(t.clock, t.rating, t.agency) for t in in_step_order(protocol.timescales.all())]
    return rows.index((clock, rating, agency))


def _post(client: Client, protocol: LocalProtocol, **overrides: Any) -> Any:
    return client.post(reverse("protocols:protocol", args=[protocol.pk]), _edit_post(protocol, **overrides))


def test_administrator_edits_a_timescale_and_it_is_audited(administrator_client: Client) -> None:
    protocol = _bexley()
    i = _index(protocol, "screening")
    response = _post(administrator_client, protocol, **{f"timescale-{i}-amount": "3"})
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.version == 1
    assert str(protocol.working_day_start) == "08:30:00"
    assert protocol.timescales.get(clock="screening", rating="").amount == 3
    event = AuditEvent.objects.get(verb=Verb.PROTOCOL_CHANGED)
    assert event.data["timescales"]["changed"] == ["Basic screening, any rating"]
    assert event.data["settings"] == ["working_day_end", "working_day_start"]


def test_the_councils_dfe_number_is_three_digits(administrator_client: Client) -> None:
    protocol = _bexley()
    assert protocol.la_code == "303"  # Bexley's, for the census's <LEA>
    refused = _post(administrator_client, protocol, la_code="3O3")
    assert "The DfE local authority number is three digits, like 330" in refused.content.decode()
    assert _post(administrator_client, protocol, la_code="304").status_code == 302
    protocol.refresh_from_db()
    assert protocol.la_code == "304"


def test_administrator_sets_the_daily_meeting_and_days_without_a_time_are_refused(
    administrator_client: Client,
) -> None:
    protocol = _bexley()
    assert (protocol.meeting_days, f"{protocol.meeting_time:%H:%M}") == ([1, 2, 3, 4], "11:00")  # 002 §7
    refused = _post(administrator_client, protocol, meeting_time="")
    assert "Give the daily MASH meeting its time, or choose no days" in refused.content.decode()
    response = _post(
        administrator_client, protocol, meeting_days=["0", "2"], meeting_time="09:30", meeting_members=["police"]
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert (protocol.meeting_days, f"{protocol.meeting_time:%H:%M}", protocol.meeting_members) == (
        [0, 2],
        "09:30",
        ["police"],
    )
    assert daily_meeting(protocol) == "Monday and Wednesday at 09:30, with police"


def test_administrator_sets_a_domestic_abuse_triage_and_the_marac_threshold(administrator_client: Client) -> None:
    protocol = _bexley()
    assert (protocol.triage_days, protocol.marac_threshold) == ([], 14)  # 002 holds no triage; SafeLives' 14
    body = _post(administrator_client, protocol, triage_days=["0"]).content.decode()
    assert "Give the domestic-abuse triage its time, or choose no days" in body
    assert "Choose the agencies that sit in the domestic-abuse triage" in body
    body = _post(administrator_client, protocol, marac_threshold="25").content.decode()
    assert "The MARAC threshold is a number of “yes” answers from 1 to 24" in body
    protocol.refresh_from_db()
    assert (protocol.triage_days, protocol.marac_threshold) == ([], 14)

    response = _post(
        administrator_client,
        protocol,
        triage_days=["0", "1", "2", "3", "4"],
        triage_time="10:00",
        triage_members=["police", "domestic_abuse"],
        marac_threshold="12",
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert (protocol.triage_days, protocol.marac_threshold) == ([0, 1, 2, 3, 4], 12)
    assert daily_meeting(protocol, "triage") == (
        "Monday, Tuesday, Wednesday, Thursday and Friday at 10:00, with police, domestic abuse service"
    )


def test_birminghams_triage_is_weekdays_with_police_and_the_domestic_abuse_service(db: None) -> None:
    birmingham = LocalProtocol.objects.get(slug="birmingham")
    assert (birmingham.triage_days, f"{birmingham.triage_time:%H:%M}") == ([0, 1, 2, 3, 4], "10:00")  # 000
    assert birmingham.triage_members == ["police", "domestic_abuse", "childrens_social_care"]


def test_administrator_edits_everything_the_profile_holds(administrator_client: Client) -> None:
    protocol = _bexley()
    levels = list(protocol.levels.all())
    n, t = len(levels), protocol.timescales.count()
    strategy = _index(protocol, "strategy_discussion")
    response = _post(
        administrator_client,
        protocol,
        name="Bexley MASH (2026 revision)",
        daily_meeting="Monday to Friday at 10:30",
        approver_roles=["team_manager"],
        always_checked_agencies=["health", "police", "housing"],
        early_help_criteria="Parental domestic violence\n\nYoung carer\nYoung carer\n",
        **{
            # A new level above the rest, one renamed, one removed.
            f"level-{n}-order": "9",
            f"level-{n}-code": "acute",
            f"level-{n}-label": "Acute",
            f"level-{n}-description": "Immediate protection.",
            "level-1-label": "Intensive (family wellbeing)",
            "level-0-remove": "on",
            # A new timescale: Red MASH checks of the police within 2 hours; the strategy row removed.
            f"timescale-{t}-clock": "mash_checks",
            f"timescale-{t}-rating": "red",
            f"timescale-{t}-agency": "police",
            f"timescale-{t}-amount": "2",
            f"timescale-{t}-unit": "elapsed_hours",
            f"timescale-{t}-note": "Agreed with the police, 2026",
            f"timescale-{strategy}-remove": "on",
        },
    )

    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.name == "Bexley MASH (2026 revision)"
    assert protocol.daily_meeting == "Monday to Friday at 10:30"
    assert protocol.approver_roles == ["team_manager"]
    assert protocol.always_checked_agencies == ["health", "police", "housing"]
    assert protocol.early_help_criteria == ["Parental domestic violence", "Young carer"]
    assert [(level.order, level.code, level.label) for level in protocol.levels.all()] == [
        (1, "intensive", "Intensive (family wellbeing)"),
        (2, "specialist", "Specialist"),
        (3, "significant_harm", "Significant harm"),
        (4, "acute", "Acute"),
    ]
    added = protocol.timescales.get(clock="mash_checks", rating="red", agency="police")
    assert (added.amount, added.unit, added.note) == (Decimal(2), "elapsed_hours", "Agreed with the police, 2026")
    assert not protocol.timescales.filter(clock="strategy_discussion").exists()
    event = AuditEvent.objects.get(verb=Verb.PROTOCOL_CHANGED)
    assert event.data["levels"] == {
        "added": ["acute"],
        "changed": ["intensive", "specialist", "significant_harm"],
        "removed": ["additional"],
    }
    assert event.data["timescales"]["added"] == ["MASH checks (Police), Red"]
    assert event.data["timescales"]["removed"] == ["Strategy discussion, any rating"]
    assert {"name", "daily_meeting", "approver_roles", "always_checked_agencies", "early_help_criteria"} <= set(
        event.data["settings"]
    )


def test_administrator_edits_the_local_closure_days(administrator_client: Client) -> None:
    """Walk-through: closure days were held by the profile but could not be edited (issue 11 §6)."""
    protocol = _bexley()
    LocalHoliday.objects.create(protocol=protocol, day=dt.date(2026, 12, 24), name="Christmas Eve")
    page = administrator_client.get(reverse("protocols:protocol", args=[protocol.pk])).content.decode()
    assert "24/12/2026 Christmas Eve" in page  # the form holds the days as they are
    response = _post(
        administrator_client,
        protocol,
        closure_days="31/12/2026 New Year's Eve closure\n\n24/12/2026 Christmas Eve (half day)\n",
    )
    assert response.status_code == 302
    assert list(protocol.local_holidays.order_by("day").values_list("day", "name")) == [
        (dt.date(2026, 12, 24), "Christmas Eve (half day)"),
        (dt.date(2026, 12, 31), "New Year's Eve closure"),
    ]
    assert protocol.extra_holidays() == {dt.date(2026, 12, 24), dt.date(2026, 12, 31)}
    event = AuditEvent.objects.get(verb=Verb.PROTOCOL_CHANGED)
    assert event.data["closure_days"] == {"added": ["2026-12-31"], "changed": ["2026-12-24"], "removed": []}
    shown = administrator_client.get(reverse("protocols:protocol", args=[protocol.pk])).content.decode()
    assert "31/12/2026 New Year&#x27;s Eve closure" in shown
    assert _post(administrator_client, LocalProtocol.objects.get(pk=protocol.pk), closure_days="").status_code == 302
    assert not protocol.local_holidays.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Christmas Eve", "Line 1: start with a real date as day/month/year, like 24/12/2026"),
        ("24/12/2026 Eve\n31/02/2026 Never", "Line 2: start with a real date"),
        ("24/12/26 Eve", "Line 1: the year must include 4 numbers, like 24/12/2026"),
        ("24/12/2026 Eve\n24/12/2026 Again", "Line 2: 24/12/2026 is listed twice"),
        ("24/12/2026 " + "x" * 101, "Line 1: name the day in at most 100 characters"),
    ],
)
def test_closure_days_that_make_no_sense_change_nothing(administrator_client: Client, typed: str, message: str) -> None:
    protocol = _bexley()
    response = _post(administrator_client, protocol, closure_days=typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not protocol.local_holidays.exists()
    assert not AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).exists()


def test_two_levels_can_swap_codes(administrator_client: Client) -> None:
    protocol = _bexley()
    response = _post(administrator_client, protocol, **{"level-0-code": "intensive", "level-1-code": "additional"})
    assert response.status_code == 302
    assert list(protocol.levels.values_list("code", flat=True)) == [
        "intensive",
        "additional",
        "specialist",
        "significant_harm",
    ]


def test_the_page_says_from_when_each_clock_counts_and_who_approves(manager_client: Client) -> None:
    page = manager_client.get(reverse("protocols:protocol", args=[_bexley().pk])).content.decode()
    assert "Counts from receipt to the approved decision" in page
    assert "The MASH social worker will make a referral to the Family Wellbeing service (Within 24 hours)" in page
    assert "Team manager, Senior practitioner" in page


def _row(protocol: LocalProtocol, clock: str, field: str, rating: str = "", agency: str = "") -> str:
    return f"timescale-{_index(protocol, clock, rating, agency)}-{field}"


BAD_INPUT: list[tuple[str, Any, str]] = [
    ("a negative timescale", lambda p: {_row(p, "screening", "amount"): "-1"}, "A timescale must be more than zero"),
    ("a zero timescale", lambda p: {_row(p, "screening", "amount"): "0"}, "A timescale must be more than zero"),
    ("a huge timescale", lambda p: {_row(p, "screening", "amount"): "123456"}, "A timescale can be at most 9,999.99"),
    ("three decimals", lambda p: {_row(p, "screening", "amount"): "1.234"}, "Use at most two decimal places"),
    ("words for a number", lambda p: {_row(p, "screening", "amount"): "four"}, "Enter a number, like 4 or 1.5"),
    (
        "half a working day",
        lambda p: {_row(p, "mash_checks", "amount"): "1.5"},
        "Working days must be a whole number",
    ),
    ("a day that ends first", lambda p: {"working_day_end": "08:00"}, "The working day must end after it starts"),
    ("a time in words", lambda p: {"working_day_start": "nine"}, "Enter a valid time"),
    ("no name", lambda p: {"name": " "}, "Enter the protocol&#x27;s name"),
    ("no approver", lambda p: {"approver_roles": []}, "Choose who may approve a threshold recommendation"),
    ("a social worker approving", lambda p: {"approver_roles": ["social_worker"]}, "Select a valid choice"),
    ("an unknown agency", lambda p: {"always_checked_agencies": ["spies"]}, "Select a valid choice"),
    (
        "a long early help criterion",
        lambda p: {"early_help_criteria": "x" * 201},
        "Write each criterion in at most 200 characters",
    ),
    (
        "an agency for screening",
        lambda p: {_row(p, "screening", "agency"): "police"},
        "Only MASH checks and the telephone prompt can be for one agency",
    ),
    (
        "two rows for one step",
        lambda p: {_row(p, "strategy_discussion", "clock"): "consultation_summary"},
        "Two timescales are for Consultation summary sent, any rating: remove one",
    ),
    (
        "no screening time left",
        lambda p: {_row(p, "screening", "remove"): "on"},
        "Keep a timescale for basic screening at any rating",
    ),
    (
        "no decision time left",
        lambda p: {_row(p, "decision", "remove"): "on"},
        "Keep a timescale for the threshold recommendation at any rating",
    ),
    (
        "a note too long",
        lambda p: {_row(p, "screening", "note"): "x" * 301},
        "Where the rule comes from: enter no more than 300 characters",
    ),
    (
        "a new row with no unit",
        lambda p: {
            f"timescale-{p.timescales.count()}-clock": "approval",
            f"timescale-{p.timescales.count()}-amount": "2",
        },
        "Choose the unit of time",
    ),
    ("a level with no name", lambda p: {"level-0-label": ""}, "Enter the level&#x27;s name"),
    ("a level code with spaces", lambda p: {"level-0-code": "very high"}, "Enter a code of lower-case letters"),
    ("a level code in capitals", lambda p: {"level-0-code": "High"}, "Enter the code in lower-case letters"),
    ("two levels with one code", lambda p: {"level-1-code": "additional"}, "Two levels have the code"),
    ("two levels with one number", lambda p: {"level-1-order": "1"}, "Two levels are number 1"),
    (
        "no levels left",
        lambda p: {f"level-{i}-remove": "on" for i in range(p.levels.count())},
        "Keep at least one level of need",
    ),
    (
        "a timescale of another protocol",
        lambda p: {_row(p, "screening", "pk"): LocalProtocol.objects.get(slug="walsall").timescales.first().pk},  # type: ignore[union-attr]
        "A timescale does not belong to this protocol",
    ),
    ("a form with no rows", lambda p: {"timescale-TOTAL_FORMS": "", "level-TOTAL_FORMS": "x"}, "ManagementForm data"),
]


@pytest.mark.parametrize(("case", "overrides", "message"), BAD_INPUT, ids=[case for case, *_ in BAD_INPUT])
def test_bad_input_changes_nothing(administrator_client: Client, case: str, overrides: Any, message: str) -> None:
    protocol = _bexley()
    before = (list(protocol.timescales.values()), list(protocol.levels.values()))
    response = _post(administrator_client, protocol, **overrides(protocol))
    assert response.status_code == 200, case
    assert message in response.content.decode(), case
    assert "govuk-error-summary" in response.content.decode()
    protocol.refresh_from_db()
    assert protocol.version == 0
    assert (list(protocol.timescales.values()), list(protocol.levels.values())) == before
    assert not AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).exists()


def test_a_level_used_in_a_recommendation_stays(administrator_client: Client, social_worker: Any) -> None:
    protocol = _bexley()
    level = protocol.levels.get(code="additional")
    contact = ContactFactory(state=ContactState.AWAITING_APPROVAL)
    recommendation = Recommendation.objects.create(
        contact=contact, rating="green", rationale="Universal services", recommended_by=social_worker
    )
    ChildRecommendation.objects.create(
        recommendation=recommendation,
        subject=contact.subjects.get(),
        rating="green",
        level=level,
        outcome=Outcome.SIGNPOST,
    )
    response = _post(administrator_client, protocol, **{"level-0-remove": "on", "name": "Renamed"})
    assert response.status_code == 200
    assert "The level &#x27;Additional&#x27; is in recommendations already" in response.content.decode()
    protocol.refresh_from_db()
    assert (protocol.version, protocol.name) == (0, "Bexley MASH")
    assert protocol.levels.filter(code="additional").exists()
    assert not AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).exists()


def test_a_stale_form_is_refused(administrator_client: Client) -> None:
    protocol = _bexley()
    url = reverse("protocols:protocol", args=[protocol.pk])
    administrator_client.post(url, _edit_post(protocol))
    response = administrator_client.post(url, _edit_post(protocol, working_day_start="10:00"))
    assert response.status_code == 409
    assert "This protocol was changed by someone else" in response.content.decode()
    protocol.refresh_from_db()
    assert str(protocol.working_day_start) == "08:30:00"


def test_administrator_activates_another_protocol(administrator_client: Client) -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")
    response = administrator_client.post(reverse("protocols:activate", args=[walsall.pk]), {"version": walsall.version})
    assert response.status_code == 302
    assert LocalProtocol.objects.get(is_active=True).slug == "walsall"


def test_a_manager_may_read_but_not_edit(manager_client: Client) -> None:
    protocol = _bexley()
    url = reverse("protocols:protocol", args=[protocol.pk])
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, _edit_post(protocol)).status_code == 403
    walsall = LocalProtocol.objects.get(slug="walsall")
    assert manager_client.post(reverse("protocols:activate", args=[walsall.pk]), {"version": 0}).status_code == 403


def test_a_social_worker_cannot_see_protocol_settings(social_worker_client: Client) -> None:
    assert social_worker_client.get(reverse("protocols:list")).status_code == 403


def test_the_working_day_is_shown_in_hours_and_minutes(administrator_client: Client) -> None:
    """The walk-through saw "09:00:00" in the form."""
    protocol = _bexley()
    page = administrator_client.get(reverse("protocols:protocol", args=[protocol.pk])).content.decode()
    assert f'name="working_day_start" value="{protocol.working_day_start:%H:%M}"' in page
    assert ":00:00" not in page


def test_administrator_sets_the_consent_ages_and_who_may_override(administrator_client: Client) -> None:
    protocol = _bexley()
    assert (protocol.override_by_senior_practitioner, protocol.override_needs_owner_agreement) == (
        True,
        True,
    )  # 002 §27
    refused = _post(administrator_client, protocol, consent_self_age="16", consent_competence_age="17")
    assert "The age from which a competent young person answers for themselves is at most" in refused.content.decode()
    refused = _post(administrator_client, protocol, consent_self_age="21")
    assert "A young person answers for themselves from an age of 12 to 18" in refused.content.decode()
    data = _edit_post(protocol, consent_self_age="17", consent_competence_age="13")
    del data["override_needs_owner_agreement"]
    response = administrator_client.post(reverse("protocols:protocol", args=[protocol.pk]), data)
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert (protocol.consent_self_age, protocol.consent_competence_age) == (17, 13)
    assert (protocol.override_by_senior_practitioner, protocol.override_needs_owner_agreement) == (True, False)
    page = administrator_client.get(reverse("protocols:protocol", args=[protocol.pk])).content.decode()
    assert re.search(r'name="consent_self_age"[^>]*value="17"|value="17"[^>]*name="consent_self_age"', page)


def test_everyone_else_reads_the_consent_rules_on_the_protocol(manager_client: Client) -> None:
    page = manager_client.get(reverse("protocols:protocol", args=[_bexley().pk])).content.decode()
    assert "A young person answers for themselves at 16, or from 12 once assessed as competent." in page
    assert "A team manager or a senior practitioner, never the person who asked, may agree" in page


def test_administrator_lets_mash_checks_start_without_consent(administrator_client: Client) -> None:
    # 000: "Information is shared initially within CASS with or without consent": a setting of the protocol.
    protocol = _bexley()
    assert not protocol.checks_without_consent
    page = administrator_client.get(reverse("protocols:protocol", args=[protocol.pk])).content.decode()
    assert 'name="checks_without_consent"' in page

    response = _post(administrator_client, protocol, checks_without_consent="on")

    assert response.status_code == 302
    assert LocalProtocol.objects.get(pk=protocol.pk).checks_without_consent
    event = AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).latest("seq")
    assert "checks_without_consent" in event.data["settings"]


def test_everyone_else_reads_whether_checks_wait_for_consent(manager_client: Client) -> None:
    birmingham = LocalProtocol.objects.get(slug="birmingham")
    page = manager_client.get(reverse("protocols:protocol", args=[birmingham.pk])).content.decode()
    assert "MASH checks may start without consent" in page
    page = manager_client.get(reverse("protocols:protocol", args=[_bexley().pk])).content.decode()
    assert "MASH checks start once everyone has consented" in page


def test_a_same_day_clock_is_offered_and_shown(administrator_client: Client, manager_client: Client) -> None:
    # 000, "Same day responses are required from partners": Birmingham's checks are due by the day's end.
    birmingham = LocalProtocol.objects.get(slug="birmingham")
    page = administrator_client.get(reverse("protocols:protocol", args=[birmingham.pk])).content.decode()
    assert "working days to the day&#x27;s end (1: the same day)" in page
    page = manager_client.get(reverse("protocols:protocol", args=[birmingham.pk])).content.decode()
    assert "1 working days to the day&#x27;s end" in page
    bexley = _bexley()
    index = _index(bexley, "mash_checks")
    refused = _post(
        administrator_client,
        bexley,
        **{f"timescale-{index}-amount": "1.5", f"timescale-{index}-unit": "working_day_end"},
    )
    assert "Working days must be a whole number" in refused.content.decode()


@pytest.mark.parametrize("kind", ["level", "timescale"])
def test_removing_a_row_of_another_protocol_is_refused_not_a_server_error(
    administrator_client: Client, kind: str
) -> None:
    protocol = _bexley()
    response = _post(
        administrator_client, protocol, **{f"{kind}-1-pk": "99999999999999999999", f"{kind}-1-remove": "on"}
    )

    assert response.status_code == 200
    assert "does not belong to this protocol" in response.content.decode()
    assert protocol.levels.count() == 4
