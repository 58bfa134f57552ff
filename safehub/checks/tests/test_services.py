from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import answers, services
from safehub.checks.answers import Answer
from safehub.checks.models import (
    AgencyRequest,
    Alert,
    AlertKind,
    ChecksState,
    Disclosure,
    MashChecks,
    RequestState,
    ResponseStatus,
)
from safehub.checks.services import StartChecks
from safehub.checks.tests.helpers import LEFT_OUT_REASON
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.core.working_time import LONDON
from safehub.protocols.models import Brag, Clock
from safehub.protocols.policy import due_time
from safehub.sharing.vocabulary import Basis, Condition

pytestmark = pytest.mark.django_db


def _agency(kind: AgencyKind, name: str) -> Agency:
    return PartnerAgencyFactory(name=name, kind=kind)


def _partner(agency: Agency, username: str) -> User:
    return user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name=f"{agency.name} desk", agency=agency), username=username
    )


@pytest.fixture
def agencies(db: None) -> dict[str, Agency]:
    return {
        "police": _agency(AgencyKind.POLICE, "Example Police"),
        "health": _agency(AgencyKind.HEALTH, "Example Health Trust"),
        "education": _agency(AgencyKind.EDUCATION, "Example Education Service"),
        "gp": _agency(AgencyKind.GP_PRACTICE, "Elm Road Surgery"),
    }


@pytest.fixture
def contact(mash_team: Any) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    ContactSubject.objects.create(
        contact=contact, order=2, role="parent", kind="adult", given_name="Dawn", family_name="Harlow", sex="female"
    )
    ContactSubject.objects.create(
        contact=contact,
        order=3,
        role="sibling",
        kind="unborn",
        family_name="Harlow",
        expected_date_of_delivery=dt.date(2027, 3, 1),
    )
    return contact


def _start(
    contact: Contact, by: User, coordinator: User, chosen: list[Agency], at: dt.datetime, **changes: Any
) -> MashChecks:
    fields: dict[str, Any] = {
        "reason": "Neglect concerns need police, health and school information",
        "rating": Brag.AMBER,
        "coordinator": coordinator,
        "agencies": chosen,
        "questions": "Is the family known? Any incidents at the address?",
        "bases": [Basis.GDPR_6_1_E, Basis.GDPR_9_2_G],
        "left_out_reason": LEFT_OUT_REASON,
    }
    fields.update(changes)
    return services.start_checks(contact, StartChecks(**fields), by=by, at=at, version=contact.version)


def test_the_protocols_always_checked_agencies_are_preselected(agencies: dict[str, Agency]) -> None:
    # Bexley, the active protocol: health, education and police.
    assert {a.kind for a in services.preselected_agencies()} == {"health", "education", "police"}


def test_starting_checks_sends_one_request_per_agency_each_a_disclosure(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    chosen = [agencies["police"], agencies["health"], agencies["education"]]
    checks = _start(contact, manager, social_worker, chosen, now)

    contact.refresh_from_db()
    assert contact.state == ContactState.MASH_CHECKS
    requests = list(checks.requests.all())
    assert {r.agency for r in requests} == set(chosen)
    assert Disclosure.objects.filter(contact=contact).count() == 3
    disclosure = Disclosure.objects.get(agency=agencies["police"])
    assert disclosure.bases == ["gdpr_6_1_e", "gdpr_9_2_g"]
    assert (disclosure.route, disclosure.direction) == ("check_request", "out")
    assert disclosure.categories == ["concern", "consent", "identity", "risk"]
    # Each person's position as shared (ADR 0034): the referrer's "given" stands for everyone not asked since.
    assert disclosure.consent_position == "; ".join(
        f"{subject.display_name}: consent given" for subject in contact.subjects.all()
    )
    sent = disclosure.content
    assert "narrative" not in sent
    assert "referrer" not in str(sent).lower()
    unborn = next(s for s in sent["subjects"] if s["expected_date_of_delivery"])
    assert unborn["mother"]["name"] == "Dawn Harlow"
    assert AuditEvent.objects.filter(verb=Verb.DISCLOSURE_MADE, contact=contact).count() == 3
    assert AuditEvent.objects.filter(verb=Verb.MASH_CHECKS_STARTED, contact=contact).count() == 1
    # The contact is due when the last answer is, but never after the overall decision clock from receipt
    # (Bexley's 24 hours, 002 §9–10; checks.services.contact_due).
    overall = due_time(Clock.DECISION, start=contact.received_at, rating=Brag.AMBER)
    assert overall is not None
    assert contact.current_due_at == min(max(r.due_at for r in requests), overall)


def test_due_times_follow_the_rating_and_the_protocol(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    # Bexley: red within 4 hours; otherwise one working day. `now` is Tuesday 24 November 2026, 10:00.
    checks = _start(contact, manager, social_worker, [agencies["police"]], now, rating=Brag.RED)
    assert checks.requests.get().due_at == now + dt.timedelta(hours=4)


def test_a_thursday_evening_request_before_easter_is_due_after_the_bank_holidays(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency]
) -> None:
    thursday = dt.datetime(2027, 3, 25, 16, 30, tzinfo=LONDON)  # Good Friday 26 March, Easter Monday 29 March 2027
    checks = _start(contact, manager, social_worker, [agencies["education"]], thursday, rating=Brag.GREEN)
    due = checks.requests.get().due_at.astimezone(LONDON)
    assert due == dt.datetime(2027, 3, 30, 16, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"agencies": []}, "agencies"),
        ({"questions": ""}, "questions"),
        ({"bases": []}, "bases"),
        ({"bases": [Basis.GDPR_9_2_G]}, "bases"),  # no Article 6 basis
    ],
)
def test_bad_input_starts_nothing(
    contact: Contact,
    manager: User,
    social_worker: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
    changes: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(DomainError) as refused:
        _start(contact, manager, social_worker, [agencies["police"]], now, **changes)
    assert refused.value.field == field
    assert not AgencyRequest.objects.exists()
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD


def test_only_a_manager_starts_checks_and_the_coordinator_must_be_qualified(
    contact: Contact,
    manager: User,
    social_worker: User,
    contact_officer: User,
    agencies: dict[str, Agency],
    now: dt.datetime,
) -> None:
    with pytest.raises(PermissionDenied):
        _start(contact, social_worker, social_worker, [agencies["police"]], now)
    with pytest.raises(DomainError, match="coordinate"):
        _start(contact, manager, contact_officer, [agencies["police"]], now)


def test_a_stale_form_starts_nothing(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    Contact.objects.filter(pk=contact.pk).update(version=contact.version + 1)
    with pytest.raises(ConcurrentChange):
        _start(contact, manager, social_worker, [agencies["police"]], now)
    assert not AgencyRequest.objects.exists()


@pytest.fixture
def started(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> MashChecks:
    return _start(contact, manager, social_worker, [agencies["police"], agencies["health"], agencies["gp"]], now)


def test_a_partner_sees_only_their_agencys_requests(started: Any, agencies: dict[str, Agency]) -> None:
    police = _partner(agencies["police"], "pc.one")
    health = _partner(agencies["health"], "health.one")
    education = _partner(agencies["education"], "school.one")
    assert {r.agency for r in AgencyRequest.objects.visible_to(police)} == {agencies["police"]}
    # The hub's health professional also answers for GP practices.
    assert {r.agency for r in AgencyRequest.objects.visible_to(health)} == {agencies["health"], agencies["gp"]}
    assert not AgencyRequest.objects.visible_to(education).exists()


def test_a_draft_is_saved_then_submitted_once_and_never_changed(
    started: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    police = _partner(agencies["police"], "pc.one")
    request = started.requests.get(agency=agencies["police"])
    draft = answers.save_response(
        request,
        Answer(information="Domestic incident, March 2026"),
        by=police,
        at=now,
        submit=False,
        version=request.version,
    )
    assert draft.status == ResponseStatus.DRAFT
    later = now + dt.timedelta(minutes=30)
    answer = Answer(
        information="Domestic incident at the address, March 2026; no charges",
        analysis="Mother was the victim; the child was present",
        sources_searched="Niche, PND",
        handling_restriction="Not to be disclosed to the family without police agreement",
        conditions=(Condition.NOT_TO_FAMILY,),
    )
    submitted = answers.save_response(request, answer, by=police, at=later, submit=True, version=request.version)
    assert submitted.pk == draft.pk
    assert submitted.status == ResponseStatus.SUBMITTED
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED
    with pytest.raises(DomainError, match="already been answered"):
        answers.save_response(request, answer, by=police, at=later, submit=True, version=request.version)
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_SUBMITTED).count() == 1


def test_another_agency_cannot_answer(started: Any, agencies: dict[str, Agency], now: dt.datetime) -> None:
    health = _partner(agencies["health"], "health.one")
    request = started.requests.get(agency=agencies["police"])
    with pytest.raises(PermissionDenied):
        answers.save_response(
            request, Answer(nothing_known=True, sources_searched="x"), by=health, at=now, submit=True, version=0
        )
    assert not request.responses.exists()


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (Answer(sources_searched="Niche"), "information"),
        (Answer(nothing_known=True), "sources_searched"),
        (Answer(nothing_known=True, information="Something", sources_searched="Niche"), "information"),
    ],
)
def test_an_empty_or_contradictory_response_is_refused(
    started: Any, agencies: dict[str, Agency], now: dt.datetime, answer: Answer, field: str
) -> None:
    police = _partner(agencies["police"], "pc.one")
    request = started.requests.get(agency=agencies["police"])
    with pytest.raises(DomainError) as refused:
        answers.save_response(request, answer, by=police, at=now, submit=True, version=request.version)
    assert refused.value.field == field
    assert not request.responses.exists()


def test_a_correction_supersedes_with_a_reason(started: Any, agencies: dict[str, Agency], now: dt.datetime) -> None:
    police = _partner(agencies["police"], "pc.one")
    request = started.requests.get(agency=agencies["police"])
    first = answers.save_response(
        request, Answer(nothing_known=True, sources_searched="Niche"), by=police, at=now, submit=True, version=0
    )
    with pytest.raises(DomainError, match="why"):
        answers.correct_response(
            first,
            Answer(information="Found a record", sources_searched="PND"),
            reason=" ",
            by=police,
            at=now,
            version=request.version,
        )
    with pytest.raises(DomainError, match="why the response is being corrected, in at least 10 characters"):
        answers.correct_response(
            first,
            Answer(information="Found a record", sources_searched="PND"),
            reason="Typo",
            by=police,
            at=now,
            version=request.version,
        )
    assert request.responses.count() == 1
    correction = answers.correct_response(
        first,
        Answer(information="Found a 2019 record", sources_searched="PND"),
        reason="Missed on PND",
        by=police,
        at=now,
        version=request.version,
    )
    assert correction.supersedes == first
    first.refresh_from_db()
    assert first.nothing_known is True  # unchanged
    request.refresh_from_db()
    with pytest.raises(DomainError, match="latest"):
        answers.correct_response(
            first,
            Answer(nothing_known=True, sources_searched="x"),
            reason="again",
            by=police,
            at=now,
            version=request.version,
        )


RESTRICTION = "Not to be disclosed to the family without police agreement"
FAMILY = (Condition.NOT_TO_FAMILY,)


def _answered_with_a_restriction(started: Any, agencies: dict[str, Agency], now: dt.datetime) -> tuple[User, Any]:
    police = _partner(agencies["police"], "pc.one")
    request = started.requests.get(agency=agencies["police"])
    first = answers.save_response(
        request,
        Answer(
            information="DA incident, March 2026",
            sources_searched="Niche",
            handling_restriction=RESTRICTION,
            conditions=FAMILY,
        ),
        by=police,
        at=now,
        submit=True,
        version=request.version,
    )
    return police, first


def test_a_correction_keeps_the_handling_restriction_unless_it_is_removed_on_purpose(
    started: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    """Walk-through: a correction typed without the restriction dropped it from every reader's view."""
    police, first = _answered_with_a_restriction(started, agencies, now)
    request = first.request
    corrected = Answer(information="DA incident, April 2026", sources_searched="Niche")
    with pytest.raises(Refused) as refused:
        answers.correct_response(first, corrected, reason="Wrong month", by=police, at=now, version=request.version)
    assert [p.field for p in refused.value.problems] == ["handling_conditions"]
    assert "Remove the handling conditions" in refused.value.problems[0].message
    assert request.responses.count() == 1
    with pytest.raises(Refused, match="not both"):
        answers.correct_response(
            first,
            Answer(information="x", sources_searched="Niche", handling_restriction="Police only", conditions=FAMILY),
            reason="Wrong month",
            by=police,
            at=now,
            version=request.version,
            remove_restriction=True,
        )
    removed = answers.correct_response(
        first, corrected, reason="Wrong month", by=police, at=now, version=request.version, remove_restriction=True
    )
    assert removed.handling_conditions == []
    event = AuditEvent.objects.get(verb=Verb.AGENCY_RESPONSE_CORRECTED)
    assert event.data["restriction_removed"] is True
    kept = answers.correct_response(
        removed,
        Answer(information="DA incident, April 2026", sources_searched="Niche, PND"),
        reason="Searched PND too",
        by=police,
        at=now,
        version=request.version,
    )
    assert kept.supersedes == removed  # nothing to keep: the restriction was removed on purpose


def test_a_correction_that_changes_nothing_is_refused_and_saves_nothing(
    started: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    """Walk-through: a reason typed and nothing else made an identical copy the current answer, and
    pushed the real one into "Earlier answers"."""
    police, first = _answered_with_a_restriction(started, agencies, now)
    request = first.request
    same = Answer(
        information=" DA incident, March 2026 ",
        sources_searched="Niche",
        handling_restriction=RESTRICTION,
        conditions=FAMILY,
    )
    with pytest.raises(Refused) as refused:
        answers.correct_response(first, same, reason="oops pressed submit", by=police, at=now, version=request.version)
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("information", "Nothing in the answer was changed: change what is wrong, or go back")
    ]
    assert request.responses.count() == 1
    assert not AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_CORRECTED).exists()
    searched_more = Answer(
        information="DA incident, March 2026",
        sources_searched="Niche, PND",
        handling_restriction=RESTRICTION,
        conditions=FAMILY,
    )
    correction = answers.correct_response(
        first, searched_more, reason="Searched PND too", by=police, at=now, version=request.version
    )
    assert correction.supersedes == first


def test_a_correction_made_from_a_stale_page_is_refused_and_saves_nothing(
    started: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    """Two tabs on the same answer: the first correction wins, the second is told and saves nothing."""
    police, first = _answered_with_a_restriction(started, agencies, now)
    request = first.request
    seen = request.version
    answer = Answer(
        information="DA incident, April 2026",
        sources_searched="Niche",
        handling_restriction=RESTRICTION,
        conditions=FAMILY,
    )
    winner = answers.correct_response(first, answer, reason="Wrong month", by=police, at=now, version=seen)
    with pytest.raises(ConcurrentChange, match="This response was changed by someone else"):
        answers.correct_response(winner, answer, reason="From tab two", by=police, at=now, version=seen)
    assert request.responses.count() == 2
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_CORRECTED).count() == 1


def test_every_problem_with_a_correction_is_reported_at_once(
    started: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    police, first = _answered_with_a_restriction(started, agencies, now)
    with pytest.raises(Refused) as refused:
        answers.correct_response(
            first, Answer(information="x"), reason="", by=police, at=now, version=first.request.version
        )
    assert [p.field for p in refused.value.problems] == ["reason", "sources_searched", "handling_conditions"]


def test_the_health_partner_records_a_gp_answer_on_its_behalf(
    started: Any, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    health = _partner(agencies["health"], "health.one")
    request = started.requests.get(agency=agencies["gp"])
    response = answers.save_response(
        request,
        Answer(
            nothing_known=True, sources_searched="GP record (phone call)", on_behalf_of="Elm Road Surgery, Dr Patel"
        ),
        by=health,
        at=now,
        submit=True,
        version=request.version,
    )
    assert response.on_behalf_of.startswith("Elm Road Surgery")


def test_submitting_for_decision_needs_a_reason_while_requests_are_outstanding(
    started: Any, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="3 agency requests are still outstanding"):
        services.submit_for_decision(started, analysis="Police hold a DA incident", by=social_worker, at=now, version=0)
    done = services.submit_for_decision(
        started,
        analysis="Police hold a DA incident; health and GP outstanding",
        outstanding_reason="Risk is clear enough to decide now; late answers go to the allocated worker",
        by=social_worker,
        at=now,
        version=0,
    )
    assert done.state == ChecksState.SUBMITTED
    contact = started.contact
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD
    assert AuditEvent.objects.filter(verb=Verb.MASH_CHECKS_SUBMITTED, contact=contact).count() == 1
    with pytest.raises(DomainError, match="already been submitted"):
        services.submit_for_decision(done, analysis="again", by=social_worker, at=now, version=done.version)


def test_every_problem_with_a_submission_for_decision_is_reported_at_once(
    started: Any, social_worker: User, now: dt.datetime
) -> None:
    with pytest.raises(Refused) as refused:
        services.submit_for_decision(started, analysis=" ", by=social_worker, at=now, version=0)
    assert [p.field for p in refused.value.problems] == ["analysis", "outstanding_reason"]
    started.refresh_from_db()
    assert started.state == ChecksState.OPEN


def test_only_the_coordinator_or_a_manager_submits(started: Any, senior_practitioner: User, now: dt.datetime) -> None:
    with pytest.raises(PermissionDenied):
        services.submit_for_decision(
            started, analysis="x", outstanding_reason="y", by=senior_practitioner, at=now, version=0
        )


def test_an_answer_after_submission_is_forwarded_and_flagged(
    started: MashChecks, agencies: dict[str, Agency], social_worker: User, now: dt.datetime, social_worker_client: Any
) -> None:
    services.submit_for_decision(
        started, analysis="Enough to decide", outstanding_reason="Risk is clear", by=social_worker, at=now, version=0
    )
    police = _partner(agencies["police"], "pc.one")
    request = started.requests.get(agency=agencies["police"])
    later = now + dt.timedelta(hours=3)
    answers.save_response(
        request,
        Answer(information="Firearms licence at the address", sources_searched="Niche"),
        by=police,
        at=later,
        submit=True,
        version=request.version,
    )
    alert = Alert.objects.get(kind=AlertKind.LATE_ANSWER)
    assert alert.recipient == social_worker
    assert AuditEvent.objects.filter(verb=Verb.LATE_ANSWER_FORWARDED, contact=started.contact).exists()
    page = social_worker_client.get(started.contact.get_absolute_url())
    assert b"after the checks went for decision" in page.content


def test_an_answer_before_submission_is_not_forwarded(
    started: MashChecks, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    police = _partner(agencies["police"], "pc.one")
    request = started.requests.get(agency=agencies["police"])
    answers.save_response(
        request, Answer(nothing_known=True, sources_searched="Niche"), by=police, at=now, submit=True, version=0
    )
    assert not Alert.objects.filter(kind=AlertKind.LATE_ANSWER).exists()


def test_the_checks_level_of_risk_carries_into_the_decision_clock(
    contact: Contact, manager: User, social_worker: User, agencies: dict[str, Agency], now: dt.datetime
) -> None:
    """Red checks on a contact nobody rated Red at intake: the threshold decision is due on the Red
    clock from receipt (Bexley §11: 4 hours), not the 24 hours of an unrated contact."""
    checks = _start(contact, manager, social_worker, [agencies["police"]], now, rating=Brag.RED)
    done = services.submit_for_decision(
        checks,
        analysis="Police: a domestic abuse incident last week",
        outstanding_reason="Risk is clear enough to decide now",
        by=social_worker,
        at=now,
        version=0,
    )
    contact.refresh_from_db()
    assert done.state == ChecksState.SUBMITTED
    assert contact.current_due_at == contact.received_at + dt.timedelta(hours=4)
