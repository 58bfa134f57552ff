"""Asking another agency while MASH checks are open, and the reason for leaving out one of the
protocol's always-checked agencies when they start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services
from safehub.checks.models import AgencyRequest, MashChecks
from safehub.checks.tests.helpers import submit_answer
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import Deadlines, active_protocol, due_time
from safehub.sharing.models import Disclosure
from safehub.sharing.vocabulary import Basis, statement

pytestmark = pytest.mark.django_db

QUESTIONS = "Is the family known? Any incidents at the address?"
BASES = [Basis.GDPR_6_1_E, Basis.GDPR_9_2_G]
POSTED_BASES = [basis.value for basis in BASES]


@pytest.fixture
def agencies(db: None) -> dict[str, Agency]:
    return {
        "police": PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE),
        "health": PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH),
        "education": PartnerAgencyFactory(name="Example Education Service", kind=AgencyKind.EDUCATION),
        "housing": PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING),
    }


@pytest.fixture
def contact(mash_team: Any) -> Contact:
    return ContactAwaitingThresholdFactory(team=mash_team)


def _start(
    contact: Contact, manager: User, social_worker: User, chosen: list[Agency], at: dt.datetime, reason: str = ""
) -> MashChecks:
    start = services.StartChecks(
        reason="Neglect concerns need partner information",
        rating=Brag.AMBER,
        coordinator=social_worker,
        agencies=chosen,
        questions=QUESTIONS,
        bases=BASES,
        left_out_reason=reason,
    )
    return services.start_checks(contact, start, by=manager, at=at, version=contact.version)


@pytest.fixture
def checks(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> MashChecks:
    """Checks that asked only Education: the manager left out the police and health by mistake."""
    return _start(contact, manager, social_worker, [agencies["education"]], now, reason="Ticked by mistake")


def _ask(checks: MashChecks, chosen: list[Agency], *, by: User, at: dt.datetime, **changes: Any) -> list[AgencyRequest]:
    fields: dict[str, Any] = {"agencies": chosen, "questions": QUESTIONS, "bases": BASES}
    fields.update(changes)
    version = fields.pop("version", checks.version)
    return services.ask_another_agency(checks, services.AskAgencies(**fields), by=by, at=at, version=version)


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


# The reason for leaving out an always-checked agency ---------------------------------------------


def test_leaving_out_an_always_checked_agency_needs_a_reason(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    with pytest.raises(DomainError) as refused:
        _start(contact, manager, social_worker, [agencies["education"]], now)
    assert refused.value.field == "left_out_reason"
    assert "Example Health Trust and Example Police are not being asked" in refused.value.message
    assert not MashChecks.objects.exists()


def test_the_reason_is_kept_on_the_checks_and_the_agencies_left_out_in_the_audit(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    chosen = [agencies["education"], agencies["health"]]
    checks = _start(contact, manager, social_worker, chosen, now, reason="  Police already attended and shared  ")
    assert checks.left_out_reason == "Police already attended and shared"
    started = AuditEvent.objects.get(verb=Verb.MASH_CHECKS_STARTED, contact=contact)
    assert started.data["left_out"] == [agencies["police"].pk]


def test_no_reason_is_needed_or_kept_when_every_always_checked_agency_is_asked(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    chosen = [agencies["education"], agencies["health"], agencies["police"], agencies["housing"]]
    checks = _start(contact, manager, social_worker, chosen, now, reason="typed then ticked them all")
    assert checks.left_out_reason == ""
    assert "left_out" not in AuditEvent.objects.get(verb=Verb.MASH_CHECKS_STARTED).data


def test_the_start_page_asks_for_the_reason_beside_the_field(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    url = reverse("checks:start", args=[contact.pk])
    client = _client(manager)
    page = client.get(url).content.decode()
    assert "If you untick an always-checked agency, why is it not being asked?" in page
    assert "The local protocol always checks" in page
    data = {
        "version": contact.version,
        "reason": "Unclear risk",
        "rating": "amber",
        "coordinator": social_worker.pk,
        "agencies": [agencies["education"].pk],
        "questions": QUESTIONS,
        "bases": POSTED_BASES,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_left_out_reason"' in html
    assert "Say why Example Health Trust and Example Police are not being asked" in html
    assert not MashChecks.objects.exists()

    response = client.post(url, {**data, "left_out_reason": "Police and health hold nothing: phoned both"})
    checks = MashChecks.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert "Why an always-checked agency was not asked" in page
    assert "Police and health hold nothing: phoned both" in page


# Asking another agency: the service ---------------------------------------------------------------


def test_another_agency_is_asked_like_those_asked_at_the_start(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    later = now + dt.timedelta(hours=3)
    first = checks.requests.get()
    [request] = _ask(checks, [agencies["police"]], by=manager, at=later, questions="Any call-outs to the address?")

    assert request.agency == agencies["police"]
    assert request.subjects == first.subjects == services.request_subjects(checks.contact)
    assert request.questions == "Any call-outs to the address?"
    assert request.sent_at == later
    expected = Deadlines(active_protocol()).request_due(start=later, rating=Brag.AMBER, agency=AgencyKind.POLICE)
    assert request.due_at == expected
    assert request.due_at > first.due_at  # its own clock, from when it was asked
    disclosure = request.disclosure
    assert disclosure.agency == agencies["police"]
    assert disclosure.bases == POSTED_BASES
    assert disclosure.lawful_basis == statement(BASES)
    assert disclosure.disclosed_at == later
    assert disclosure.content["subjects"] == first.subjects
    assert disclosure.content["questions"] == "Any call-outs to the address?"
    assert disclosure.content["respond_by"] == request.due_at.isoformat()
    assert disclosure.content["reason"] == checks.reason
    made = AuditEvent.objects.filter(verb=Verb.DISCLOSURE_MADE, contact=checks.contact, data__origin_id=request.pk)
    assert made.count() == 1
    added = AuditEvent.objects.get(verb=Verb.AGENCY_REQUEST_ADDED, contact=checks.contact)
    assert added.by == manager
    assert added.data == {"checks": checks.pk, "requests": [request.pk]}
    checks.contact.refresh_from_db()
    # The checks now finish later: the contact with them, within the overall decision clock from receipt.
    overall = due_time(Clock.DECISION, start=checks.contact.received_at, rating=Brag.AMBER)
    assert overall is not None
    assert checks.contact.current_due_at == min(request.due_at, overall)


def test_several_agencies_are_asked_at_once_and_the_coordinator_may_ask(
    checks: MashChecks, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    sent = _ask(checks, [agencies["police"], agencies["health"]], by=social_worker, at=now)
    assert [r.agency.name for r in sent] == ["Example Health Trust", "Example Police"]
    assert Disclosure.objects.filter(contact=checks.contact).count() == 3
    assert checks.requests.count() == 3


def test_the_partner_of_the_new_agency_sees_the_request_in_their_workspace(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    police = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Police desk", agency=agencies["police"]), username="pc"
    )
    client = _client(police)
    assert f"Request {checks.pk}" not in client.get(reverse("checks:workspace")).content.decode()
    [request] = _ask(checks, [agencies["police"]], by=manager, at=now)
    workspace = client.get(reverse("checks:workspace")).content.decode()
    assert reverse("checks:request", args=[request.pk]) in workspace
    assert client.get(reverse("checks:request", args=[request.pk])).status_code == 200


def test_an_agency_already_asked_is_refused(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="Example Education Service has already been asked") as refused:
        _ask(checks, [agencies["education"], agencies["police"]], by=manager, at=now)
    assert refused.value.field == "agencies"
    assert checks.requests.count() == 1


def test_an_agency_whose_request_was_withdrawn_is_not_asked_again(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    request = checks.requests.get()
    services.withdraw_request(request, reason="Asked in error", by=manager, at=now, version=request.version)
    assert agencies["education"] not in services.agencies_not_asked(checks)
    with pytest.raises(DomainError, match="already been asked"):
        _ask(checks, [agencies["education"]], by=manager, at=now)


def test_no_agency_is_asked_once_the_checks_went_for_decision(
    checks: MashChecks, social_worker: User, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    services.submit_for_decision(
        checks, analysis="Enough", outstanding_reason="Urgent", by=social_worker, at=now, version=checks.version
    )
    with pytest.raises(DomainError, match="submitted for decision"):
        _ask(checks, [agencies["police"]], by=manager, at=now)
    assert not AgencyRequest.objects.filter(agency=agencies["police"]).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.CONTACT_OFFICER])
def test_only_a_manager_or_the_coordinator_may_ask(
    role: Role, checks: MashChecks, mash_team: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    someone = user_with_role(role, team=mash_team, username=f"not.the.coordinator.{role.value}")
    with pytest.raises(PermissionDenied):
        _ask(checks, [agencies["police"]], by=someone, at=now)
    assert not AuditEvent.objects.filter(verb=Verb.AGENCY_REQUEST_ADDED).exists()


def test_a_stale_version_asks_nobody(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    with pytest.raises(ConcurrentChange):
        _ask(checks, [agencies["police"]], by=manager, at=now, version=checks.version + 1)
    assert checks.requests.count() == 1
    assert not Disclosure.objects.filter(agency=agencies["police"]).exists()


def test_the_same_ask_twice_asks_once(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    version = checks.version
    _ask(checks, [agencies["police"]], by=manager, at=now, version=version)
    again = MashChecks.objects.get(pk=checks.pk)
    with pytest.raises(DomainError):
        _ask(again, [agencies["health"]], by=manager, at=now, version=version)
    assert checks.requests.count() == 2


def test_the_questions_and_the_lawful_basis_are_needed(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    with pytest.raises(Refused) as refused:
        _ask(checks, [agencies["police"]], by=manager, at=now, questions=" ", bases=[])
    assert [p.field for p in refused.value.problems] == ["questions", "bases"]
    with pytest.raises(DomainError, match="Choose at least one agency"):
        _ask(checks, [], by=manager, at=now)
    assert checks.requests.count() == 1


# Asking another agency: the page ------------------------------------------------------------------


def test_the_checks_page_links_to_asking_another_agency(
    checks: MashChecks, manager: User, agencies: dict[str, Agency]
) -> None:
    page = _client(manager).get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert reverse("checks:ask-another-agency", args=[checks.pk]) in page
    assert "Ask another agency" in page


def test_the_page_offers_only_the_agencies_not_asked_with_the_usual_questions(
    checks: MashChecks, manager: User, agencies: dict[str, Agency]
) -> None:
    response = _client(manager).get(reverse("checks:ask-another-agency", args=[checks.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    offered = set(response.context["form"].fields["agencies"].queryset)
    assert offered == {agencies["police"], agencies["health"], agencies["housing"]}
    assert QUESTIONS in html
    assert response.context["form"].initial["bases"] == POSTED_BASES


def test_sending_the_page_asks_the_agency_and_goes_back_to_the_checks(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    client = _client(manager)
    url = reverse("checks:ask-another-agency", args=[checks.pk])
    data = {
        "version": checks.version,
        "agencies": [agencies["police"].pk],
        "questions": QUESTIONS,
        "bases": POSTED_BASES,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("checks:checks", args=[checks.pk])
    assert checks.requests.filter(agency=agencies["police"]).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Request sent to Example Police" in page

    # The same form again (a double click, a retry): nothing more is sent, and the page says why.
    again = client.post(url, data, follow=True)
    assert "Already asked in these checks, so nothing more was sent: Example Police" in again.content.decode()
    assert checks.requests.count() == 2
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_REQUEST_ADDED).count() == 1


def test_bad_input_shows_the_error_summary_and_asks_nobody(
    checks: MashChecks, manager: User, agencies: dict[str, Agency]
) -> None:
    client = _client(manager)
    url = reverse("checks:ask-another-agency", args=[checks.pk])
    response = client.post(url, {"version": checks.version, "questions": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose at least one agency to ask" in html
    response = client.post(url, {"version": checks.version, "agencies": [agencies["police"].pk], "questions": ""})
    html = response.content.decode()
    assert "Enter what the agencies are asked" in html
    assert "Choose the lawful basis for sharing" in html
    assert checks.requests.count() == 1


def test_a_stale_page_answers_409_and_asks_nobody(
    checks: MashChecks, manager: User, agencies: dict[str, Agency]
) -> None:
    data = {
        "version": checks.version + 1,
        "agencies": [agencies["police"].pk],
        "questions": QUESTIONS,
        "bases": POSTED_BASES,
    }
    response = _client(manager).post(reverse("checks:ask-another-agency", args=[checks.pk]), data)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert checks.requests.count() == 1


def test_a_social_worker_who_does_not_coordinate_is_forbidden_and_another_team_gets_404(
    checks: MashChecks, mash_team: Any, other_team_social_worker: User
) -> None:
    url = reverse("checks:ask-another-agency", args=[checks.pk])
    someone = user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="another.worker")
    assert _client(someone).get(url).status_code == 403
    assert _client(someone).post(url, {"version": checks.version}).status_code == 403
    assert _client(other_team_social_worker).get(url).status_code == 404
    assert _client(other_team_social_worker).get(reverse("checks:ask-another-agency", args=[999999])).status_code == 404


def test_once_submitted_the_page_says_so_and_the_link_is_gone(
    checks: MashChecks, social_worker: User, manager: User, now: dt.datetime
) -> None:
    services.submit_for_decision(
        checks, analysis="Enough", outstanding_reason="Urgent", by=social_worker, at=now, version=checks.version
    )
    client = _client(manager)
    response = client.get(reverse("checks:ask-another-agency", args=[checks.pk]), follow=True)
    html = response.content.decode()
    assert "no more agencies can be asked" in html
    assert reverse("checks:ask-another-agency", args=[checks.pk]) not in html


def test_when_every_agency_has_been_asked_the_page_says_so(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    _ask(checks, [agencies["police"], agencies["health"], agencies["housing"]], by=manager, at=now)
    page = _client(manager).get(reverse("checks:ask-another-agency", args=[checks.pk])).content.decode()
    assert "Every partner agency has been asked in these checks" in page
    assert "Send the requests" not in page


def test_the_new_agencys_answer_counts_like_any_other(
    checks: MashChecks, manager: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    [request] = _ask(checks, [agencies["police"]], by=manager, at=now)
    police = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Police desk", agency=agencies["police"]), username="pc2"
    )
    submit_answer(request, by=police, at=now + dt.timedelta(hours=1), information="Two call-outs in October")
    page = _client(manager).get(reverse("checks:checks", args=[checks.pk])).content.decode()
    assert "Two call-outs in October" in page
