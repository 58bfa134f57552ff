from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services
from safehub.checks.models import AgencyRequest, ChecksState, MashChecks, RequestState, ResponseStatus
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag

pytestmark = pytest.mark.django_db


def _partner_client(agency: Agency, username: str) -> tuple[User, Client]:
    user = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name=f"{agency.name} desk", agency=agency), username=username
    )
    client = Client()
    sign_in_both_steps(client, user)
    return user, client


@pytest.fixture
def police() -> Agency:
    return PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)


@pytest.fixture
def health() -> Agency:
    return PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)


@pytest.fixture
def contact(mash_team: Any) -> Contact:
    return ContactAwaitingThresholdFactory(team=mash_team)


@pytest.fixture
def checks(
    contact: Contact, manager: User, social_worker: User, police: Agency, health: Agency, now: dt.datetime
) -> MashChecks:
    return services.start_checks(
        contact,
        services.StartChecks(
            reason="Unclear risk",
            rating=Brag.AMBER,
            coordinator=social_worker,
            agencies=[police, health],
            questions="Known?",
            bases=services.DEFAULT_BASES,
        ),
        by=manager,
        at=now,
        version=contact.version,
    )


def test_a_manager_starts_checks_from_the_contact(
    contact: Contact, manager_client: Client, social_worker: User, police: Agency, health: Agency, now: dt.datetime
) -> None:
    url = reverse("checks:start", args=[contact.pk])
    page = manager_client.get(url)
    assert page.status_code == 200
    assert b"Example Police" in page.content
    response = manager_client.post(
        url,
        {
            "version": contact.version,
            "reason": "Unclear risk",
            "rating": "amber",
            "coordinator": social_worker.pk,
            "agencies": [police.pk, health.pk],
            "questions": "Known?",
            "bases": [basis.value for basis in services.DEFAULT_BASES],
        },
    )
    assert response.status_code == 302
    assert AgencyRequest.objects.count() == 2
    contact.refresh_from_db()
    assert contact.state == ContactState.MASH_CHECKS


def test_starting_without_agencies_shows_the_error_and_starts_nothing(
    contact: Contact, manager_client: Client, social_worker: User, police: Agency
) -> None:
    response = manager_client.post(
        reverse("checks:start", args=[contact.pk]),
        {
            "version": contact.version,
            "reason": "x",
            "rating": "amber",
            "coordinator": social_worker.pk,
            "questions": "q",
            "lawful_basis": "b",
        },
    )
    assert response.status_code == 200
    assert b"Choose at least one agency to ask" in response.content
    assert not MashChecks.objects.exists()


def test_partners_see_only_their_own_agencys_request(checks: MashChecks, police: Agency, health: Agency) -> None:
    _, police_client = _partner_client(police, "pc.one")
    police_request = checks.requests.get(agency=police)
    health_request = checks.requests.get(agency=health)
    workspace = police_client.get(reverse("checks:workspace"))
    assert workspace.status_code == 200
    assert f"Request {police_request.pk}".encode() in workspace.content
    assert f"Request {health_request.pk}".encode() not in workspace.content
    assert police_client.get(reverse("checks:request", args=[police_request.pk])).status_code == 200
    assert police_client.get(reverse("checks:request", args=[health_request.pk])).status_code == 404
    assert police_client.get(reverse("checks:checks", args=[checks.pk])).status_code == 404
    assert police_client.get(checks.contact.get_absolute_url()).status_code == 404


def test_the_request_page_shows_only_what_was_sent(checks: MashChecks, police: Agency) -> None:
    _, police_client = _partner_client(police, "pc.one")
    page = police_client.get(reverse("checks:request", args=[checks.requests.get(agency=police).pk]))
    assert checks.contact.narrative.encode() not in page.content
    assert checks.contact.referrer_name.encode() not in page.content
    assert b"Mia Harlow" in page.content


def test_a_partner_saves_a_draft_then_submits(checks: MashChecks, police: Agency) -> None:
    _, police_client = _partner_client(police, "pc.one")
    request = checks.requests.get(agency=police)
    url = reverse("checks:request", args=[request.pk])
    answer = {"information": "Domestic incident 2026", "sources_searched": "Niche", "analysis": "Child present"}
    assert police_client.post(url, {"version": 0, "action": "draft", **answer}).status_code == 302
    assert request.responses.get().status == ResponseStatus.DRAFT
    page = police_client.get(url)
    assert b"Domestic incident 2026" in page.content  # the draft comes back
    assert police_client.post(url, {"version": 1, "action": "submit", **answer}).status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED
    # A double submission with the old form changes nothing and says why.
    again = police_client.post(url, {"version": 1, "action": "submit", **answer}, follow=True)
    assert "This request has already been answered (your answer is below)" in again.content.decode()
    assert request.responses.count() == 1


def test_an_empty_response_is_refused_on_the_page(checks: MashChecks, police: Agency) -> None:
    _, police_client = _partner_client(police, "pc.one")
    request = checks.requests.get(agency=police)
    response = police_client.post(reverse("checks:request", args=[request.pk]), {"version": 0, "action": "submit"})
    assert response.status_code == 200
    assert b"Say what your agency holds, or that nothing is known" in response.content
    assert not request.responses.exists()


def test_the_coordinator_submits_for_decision_with_a_reason(
    checks: MashChecks, social_worker: User, social_worker_client: Client
) -> None:
    url = reverse("checks:checks", args=[checks.pk])
    page = social_worker_client.get(url)
    assert page.status_code == 200
    assert b"Example Police" in page.content
    refused = social_worker_client.post(url, {"version": checks.version, "analysis": "Police hold DA"})
    assert b"still outstanding" in refused.content
    done = social_worker_client.post(
        url, {"version": checks.version, "analysis": "Police hold DA", "outstanding_reason": "Decide now"}
    )
    assert done.status_code == 302
    checks.refresh_from_db()
    assert checks.state == ChecksState.SUBMITTED


def test_the_contact_page_links_to_its_checks(checks: MashChecks, social_worker_client: Client) -> None:
    page = social_worker_client.get(checks.contact.get_absolute_url())
    assert reverse("checks:checks", args=[checks.pk]).encode() in page.content


def _start_form(contact: Contact, coordinator: User, agencies: list[Agency], **extra: str) -> dict[str, Any]:
    return {
        "version": contact.version,
        "reason": "Strategy meeting at two",
        "rating": "amber",
        "coordinator": coordinator.pk,
        "agencies": [a.pk for a in agencies],
        "questions": "Known?",
        "bases": [basis.value for basis in services.DEFAULT_BASES],
        **extra,
    }


def _respond_by(day: dt.date, clock: str) -> dict[str, str]:
    return {
        "respond_by_date_0": str(day.day),
        "respond_by_date_1": str(day.month),
        "respond_by_date_2": str(day.year),
        "respond_by_time": clock,
    }


@pytest.mark.parametrize(
    ("when", "clock", "message"),
    [
        (dt.date(2026, 11, 24), "09:30", "The time to respond by must be in the future"),
        (dt.date(2026, 11, 26), "09:00", "you can ask for answers sooner, not later"),
        (dt.date(2026, 11, 24), "", "Enter the time to respond by, like 13:00"),
        (dt.date(2026, 11, 24), "25:00", "Enter the time as hours and minutes"),
    ],
)
def test_a_bad_respond_by_time_is_refused_and_nothing_is_sent(
    contact: Contact,
    manager_client: Client,
    social_worker: User,
    police: Agency,
    now: dt.datetime,
    when: dt.date,
    clock: str,
    message: str,
) -> None:
    response = manager_client.post(
        reverse("checks:start", args=[contact.pk]),
        _start_form(contact, social_worker, [police], **_respond_by(when, clock)),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MashChecks.objects.exists()
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD


def test_a_manager_can_ask_for_answers_sooner_than_the_protocol(
    contact: Contact, manager_client: Client, social_worker: User, police: Agency, now: dt.datetime
) -> None:
    response = manager_client.post(
        reverse("checks:start", args=[contact.pk]),
        _start_form(contact, social_worker, [police], **_respond_by(dt.date(2026, 11, 24), "13:00")),
    )
    assert response.status_code == 302
    request = AgencyRequest.objects.get()
    assert request.due_at == dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)  # London is on GMT in November
    assert request.disclosure.content["respond_by"] == "2026-11-24T13:00:00+00:00"


def test_the_coordinator_withdraws_a_request_and_the_agency_sees_why(
    checks: MashChecks, social_worker_client: Client, police: Agency, now: dt.datetime
) -> None:
    request = checks.requests.get(agency=police)
    url = reverse("checks:withdraw", args=[checks.pk, request.pk])
    assert social_worker_client.get(url).status_code == 200
    empty = social_worker_client.post(url, {"version": request.version, "reason": " "})
    assert "Enter why the request is withdrawn" in empty.content.decode()
    response = social_worker_client.post(url, {"version": request.version, "reason": "Asked in error"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.withdrawn_reason) == (RequestState.WITHDRAWN, "Asked in error")
    assert AuditEvent.objects.filter(contact=checks.contact, verb=Verb.AGENCY_REQUEST_WITHDRAWN).count() == 1
    page = social_worker_client.get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert "Withdrawn" in page
    assert "Asked in error" in page

    _, partner = _partner_client(police, "pc.withdrawn")
    shown = partner.get(reverse("checks:request", args=[request.pk])).content.decode()
    assert "The hub withdrew this request" in shown
    assert "Asked in error" in shown
    answer = partner.post(
        reverse("checks:request", args=[request.pk]),
        {"version": request.version, "nothing_known": "on", "sources_searched": "PND", "action": "submit"},
        follow=True,
    )
    assert "there is nothing to answer" in answer.content.decode()
    assert not request.responses.exists()
    again = social_worker_client.post(url, {"version": request.version, "reason": "Twice"}, follow=True)
    assert "no longer outstanding" in again.content.decode()
    request.refresh_from_db()
    assert request.withdrawn_reason == "Asked in error"


def test_only_the_coordinator_or_a_manager_withdraws(checks: MashChecks, police: Agency, mash_team: Any) -> None:
    request = checks.requests.get(agency=police)
    other = user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="other.sw")
    client = Client()
    sign_in_both_steps(client, other)
    url = reverse("checks:withdraw", args=[checks.pk, request.pk])
    assert client.post(url, {"version": request.version, "reason": "x"}).status_code == 403
    _, partner = _partner_client(police, "pc.nowithdraw")
    assert partner.get(url).status_code == 404
    request.refresh_from_db()
    assert request.state == RequestState.SENT


def test_a_partner_reading_a_request_is_recorded_in_the_audit_trail(checks: MashChecks, police: Agency) -> None:
    partner, client = _partner_client(police, "pc.audited")
    request = checks.requests.get(agency=police)
    assert client.get(reverse("checks:request", args=[request.pk])).status_code == 200
    event = AuditEvent.objects.get(verb=Verb.CONTACT_VIEWED, by=partner)
    assert event.contact == checks.contact
    assert event.data == {"page": "agency-request"}


def test_the_queue_counts_overdue_requests_and_shows_this_weeks_answers_only(
    mash_team: Any, manager: User, social_worker: User, police: Agency, time_machine: Any
) -> None:
    partner, client = _partner_client(police, "pc.queue")
    start = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)  # a Tuesday; amber: due in one working day
    old, recent, waiting, late = (
        start_checks(
            ContactAwaitingThresholdFactory(team=mash_team),
            by=manager,
            coordinator=social_worker,
            agencies=[police],
            at=start + dt.timedelta(days=day),
        ).requests.get()
        for day in (0, 13, 14, 1)
    )
    submit_answer(old, by=partner, at=start + dt.timedelta(hours=2))
    submit_answer(recent, by=partner, at=start + dt.timedelta(days=13, hours=2))
    time_machine.move_to(start + dt.timedelta(days=14, hours=3), tick=False)  # Tuesday 24 November, 13:00

    page = client.get(reverse("checks:workspace")).content.decode()
    assert "2 waiting for your answer, 1 overdue" in page
    answered = page.split("Answered this week")[1]
    assert f"Request {recent.pk}<" in answered
    assert f"Request {old.pk}<" not in answered
    assert page.index(f"Request {late.pk}<") < page.index(f"Request {waiting.pk}<")  # soonest due first


def test_enter_in_a_field_of_the_answer_saves_a_draft_and_sends_nothing(checks: MashChecks, police: Agency) -> None:
    """A browser sends a form with its first submit button when Enter is pressed in a field: the
    walk-through's partner pressed Enter in "Systems searched" and sent a half-written answer."""
    _, police_client = _partner_client(police, "pc.one")
    page = police_client.get(reverse("checks:request", args=[checks.requests.get(agency=police).pk])).content.decode()
    form = page[page.index("Your response") :]
    first = re.search(r'<button type="submit"[^>]*>', form)
    assert first is not None
    assert 'value="draft"' in first.group(0)


def test_the_checks_say_when_every_agency_has_answered(
    checks: MashChecks, police: Agency, health: Agency, manager_client: Client, now: dt.datetime
) -> None:
    """The walk-through read "Waiting for agencies" after all four had answered."""
    url = reverse("checks:checks", args=[checks.pk])
    assert "Waiting for agencies" in manager_client.get(url).content.decode()
    for agency, name in ((police, "pc.one"), (health, "hv.one")):
        user, _ = _partner_client(agency, name)
        submit_answer(checks.requests.get(agency=agency), by=user, at=now, information="Known")
    page = manager_client.get(url).content.decode()
    assert "Every agency has answered: ready to submit for decision" in page


RESTRICTION = "Not to be disclosed to the family without police agreement"


def _answered(checks: MashChecks, police: Agency, now: dt.datetime) -> tuple[AgencyRequest, Client, str]:
    """The police answer with a handling restriction; their client and the request's page."""
    user, police_client = _partner_client(police, "pc.one")
    request = checks.requests.get(agency=police)
    submit_answer(
        request,
        by=user,
        at=now,
        information="Domestic incident, March 2026",
        analysis="Child present",
        handling_restriction=RESTRICTION,
    )
    request.refresh_from_db()
    return request, police_client, reverse("checks:request", args=[request.pk])


def _correction(request: AgencyRequest, **changes: object) -> dict[str, object]:
    """The correction form as the page fills it in, with `changes` typed over it."""
    return {
        "version": request.version,
        "information": "Domestic incident, March 2026",
        "analysis": "Child present",
        "sources_searched": "Niche",
        "handling_conditions": ["no_onward"],
        "handling_restriction": RESTRICTION,
        "reason": "Wrong month",
        **changes,
    }


def test_the_correction_form_starts_from_the_current_answer(
    checks: MashChecks, police: Agency, now: dt.datetime
) -> None:
    """Walk-through: the correction form opened empty, so the restriction, the systems searched and
    the text had to be typed again."""
    request, police_client, url = _answered(checks, police, now)
    page = police_client.get(url).content.decode()
    form = page[page.index("Correct your response") :]
    assert f'value="{RESTRICTION}"' in form
    assert 'value="Niche"' in form
    assert "Domestic incident, March 2026</textarea>" in form
    assert "Child present</textarea>" in form
    assert re.search(r'<textarea[^>]*name="reason"[^>]*>\s*</textarea>', form)  # the reason is the partner's to give
    assert re.search(r'value="no_onward"[^>]*checked', form)
    assert "Remove the handling conditions" in form
    # Sent as it was drawn, with only what changed, the restriction is kept.
    done = police_client.post(url, _correction(request, information="Domestic incident, April 2026"))
    assert done.status_code == 302
    latest = request.responses.latest("pk")
    assert (latest.handling_restriction, latest.sources_searched) == (RESTRICTION, "Niche")
    assert latest.handling_conditions == ["no_onward"]


def test_a_correction_removes_a_restriction_only_when_the_box_is_ticked(
    checks: MashChecks, police: Agency, now: dt.datetime
) -> None:
    request, police_client, url = _answered(checks, police, now)
    refused = police_client.post(url, _correction(request, handling_restriction="", handling_conditions=[]))
    assert refused.status_code == 200
    assert "tick &#x27;Remove the handling conditions&#x27;" in refused.content.decode()
    assert request.responses.count() == 1
    removed = police_client.post(
        url, _correction(request, handling_restriction="", handling_conditions=[], remove_restriction="on")
    )
    assert removed.status_code == 302
    assert request.responses.latest("pk").handling_conditions == []


def test_a_correction_from_a_stale_tab_is_refused(checks: MashChecks, police: Agency, now: dt.datetime) -> None:
    """Walk-through: two tabs on the same request; the second correction silently superseded the first."""
    request, police_client, url = _answered(checks, police, now)
    tab_one = _correction(request, information="Domestic incident, April 2026", reason="Wrong month")
    tab_two = _correction(request, information="Domestic incident, May 2026", reason="Wrong month again")
    assert police_client.post(url, tab_one).status_code == 302
    stale = police_client.post(url, tab_two)
    assert stale.status_code == 409
    assert "This response was changed by someone else" in stale.content.decode()
    assert request.responses.latest("pk").information == "Domestic incident, April 2026"
    assert request.responses.count() == 2


def test_a_correction_with_only_a_reason_is_refused(checks: MashChecks, police: Agency, now: dt.datetime) -> None:
    """Walk-through: "oops pressed submit" as the only change made a copy the current answer."""
    request, police_client, url = _answered(checks, police, now)
    refused = police_client.post(url, _correction(request, reason="oops pressed submit"))
    assert refused.status_code == 200
    assert "Nothing in the answer was changed: change what is wrong, or go back" in refused.content.decode()
    assert request.responses.count() == 1


def test_every_problem_with_a_correction_shows_at_once(checks: MashChecks, police: Agency, now: dt.datetime) -> None:
    """Walk-through: the form said only "Enter why the response is being corrected", then, once
    that was fixed, "Enter the systems you searched"."""
    request, police_client, url = _answered(checks, police, now)
    refused = police_client.post(url, _correction(request, reason="", sources_searched=""))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Enter why the response is being corrected" in page
    assert "Enter the systems you searched" in page
    assert request.responses.count() == 1


def test_every_problem_with_submitting_for_decision_shows_at_once(
    checks: MashChecks, social_worker_client: Client
) -> None:
    refused = social_worker_client.post(reverse("checks:checks", args=[checks.pk]), {"version": checks.version})
    page = refused.content.decode()
    assert "Enter your analysis of what the agencies hold" in page
    assert "give the reason for not waiting" in page
    checks.refresh_from_db()
    assert checks.state == ChecksState.OPEN


def test_only_a_gp_practice_request_asks_whom_the_answer_is_for(
    checks: MashChecks, police: Agency, health: Agency, manager: User, social_worker: User, now: dt.datetime
) -> None:
    """Walk-through: the police answer form asked "Answering for (GP practice and clinician…)"."""
    _, police_client = _partner_client(police, "pc.one")
    police_page = police_client.get(reverse("checks:request", args=[checks.requests.get(agency=police).pk]))
    assert "Answering for" not in police_page.content.decode()
    surgery = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE)
    gp_checks = start_checks(
        ContactAwaitingThresholdFactory(team=checks.contact.team),
        by=manager,
        coordinator=social_worker,
        agencies=[surgery],
        at=now,
    )
    _, health_client = _partner_client(health, "hv.one")
    gp_request = gp_checks.requests.get()
    gp_url = reverse("checks:request", args=[gp_request.pk])
    assert "Answering for" in health_client.get(gp_url).content.decode()
    answer = {"nothing_known": "on", "sources_searched": "GP record", "on_behalf_of": "Elm Road, Dr Patel"}
    assert health_client.post(gp_url, {"version": 0, "action": "submit", **answer}).status_code == 302
    assert gp_request.responses.get().on_behalf_of == "Elm Road, Dr Patel"
    # The correction keeps whom it was for.
    page = health_client.get(gp_url).content.decode()
    assert 'value="Elm Road, Dr Patel"' in page[page.index("Correct your response") :]


def test_earlier_answers_are_shown_on_the_checks_page_and_marked_on_the_partners(
    checks: MashChecks, police: Agency, health: Agency, social_worker_client: Client, now: dt.datetime
) -> None:
    """Walk-through: after a correction the earlier answers were shown nowhere, only "(a correction: …)"."""
    request, police_client, url = _answered(checks, police, now)
    assert police_client.post(url, _correction(request, information="Domestic incident, April 2026")).status_code == 302
    page = social_worker_client.get(reverse("checks:checks", args=[checks.pk])).content.decode()
    earlier = page[page.index("Earlier answers (1)") :]
    assert "Domestic incident, March 2026" in earlier
    assert RESTRICTION in earlier
    assert f"by {request.responses.earliest('pk').author}" in earlier
    assert "Domestic incident, April 2026" in page[: page.index("Earlier answers (1)")]
    mine = police_client.get(url).content.decode()
    assert "Earlier response (superseded)" in mine
    # Another agency sees neither answer.
    _, health_client = _partner_client(health, "hv.one")
    assert health_client.get(url).status_code == 404
