"""Decisions per child (ADR 0019): each child on a contact gets their own rating, level of need and
outcome, their own approved outcome and, where statutory, their own referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError, Refused
from safehub.decisions import services
from safehub.decisions.models import ChildDecision, Decision, Outcome, Recommendation, Referral
from safehub.decisions.queries import child_outcomes
from safehub.decisions.services import ChildChoice
from safehub.decisions.tests.helpers import criteria_for
from safehub.people.models import Involvement, Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.protocols.models import Brag, LocalProtocol, ThresholdLevel

pytestmark = pytest.mark.django_db


def _level(code: str) -> ThresholdLevel:
    return LocalProtocol.objects.get(is_active=True).levels.get(code=code)


def _siblings(
    team: Any, *, consent: str = "given", adult: bool = True
) -> tuple[Contact, ContactSubject, ContactSubject]:
    contact: Contact = ContactAwaitingThresholdFactory(team=team, subject=None, consent=consent)
    ann = ContactSubjectFactory(
        contact=contact, given_name="Ann", role=SubjectRole.CHILD, order=0, person=PersonFactory(given_name="Ann")
    )
    ben = ContactSubjectFactory(
        contact=contact, given_name="Ben", role=SubjectRole.SIBLING, order=1, person=PersonFactory(given_name="Ben")
    )
    if adult:
        ContactSubjectFactory(contact=contact, given_name="Dawn", role=SubjectRole.PARENT, kind="adult", order=2)
    return contact, ann, ben


def _assessment() -> ChildChoice:
    return ChildChoice(Brag.AMBER, _level("specialist"), Outcome.SECTION_17_ASSESSMENT)


def _early_help() -> ChildChoice:
    return ChildChoice(Brag.GREEN, _level("intensive"), Outcome.EARLY_HELP)


def _recommend(contact: Contact, children: dict[int, ChildChoice], by: User, at: dt.datetime) -> Recommendation:
    contact.refresh_from_db()
    return services.recommend(
        contact,
        children=children,
        rationale="Ann disclosed neglect.",
        by=by,
        at=at,
        version=contact.version,
        criteria=criteria_for(choice.outcome for choice in children.values()),
    )


def _approve(contact: Contact, outcomes: dict[int, Outcome], by: User, at: dt.datetime) -> Decision:
    contact.refresh_from_db()
    return services.approve(contact, outcomes=outcomes, rationale="Agreed.", by=by, at=at, version=contact.version)


def test_each_child_gets_their_own_recommendation_and_the_contact_its_most_serious_rating(
    mash_team: Any, social_worker: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    recommendation = _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    rows = {c.subject_id: (c.rating, c.level.code, c.outcome) for c in recommendation.children.all()}
    assert rows == {
        ann.pk: (Brag.AMBER, "specialist", Outcome.SECTION_17_ASSESSMENT),
        ben.pk: (Brag.GREEN, "intensive", Outcome.EARLY_HELP),
    }
    assert recommendation.rating == Brag.AMBER  # the contact's clocks and queues follow Ann
    rated = AuditEvent.objects.get(verb=Verb.RISK_RATED, contact=contact)
    assert rated.data["rating"] == "amber"
    assert rated.data["children"] == [
        {"subject": ann.pk, "rating": "amber", "level": "specialist"},
        {"subject": ben.pk, "rating": "green", "level": "intensive"},
    ]
    recorded = AuditEvent.objects.get(verb=Verb.RECOMMENDATION_RECORDED, contact=contact)
    assert recorded.data["children"] == [
        {"subject": ann.pk, "outcome": "section_17_assessment"},
        {"subject": ben.pk, "outcome": "early_help"},
    ]


def test_every_child_needs_a_choice_and_adults_get_none(mash_team: Any, social_worker: User, now: dt.datetime) -> None:
    contact, ann, ben = _siblings(mash_team)
    with pytest.raises(Refused) as refused:
        _recommend(contact, {ann.pk: _assessment()}, social_worker, now)
    assert [(p.field, p.message) for p in refused.value.problems] == [
        (f"child-{ben.pk}-outcome", "Choose a rating, level of need and outcome for Ben Harlow")
    ]
    dawn = contact.subjects.get(role=SubjectRole.PARENT)
    with pytest.raises(DomainError, match="The children on this contact have changed"):
        _recommend(contact, {ann.pk: _assessment(), ben.pk: _assessment(), dawn.pk: _assessment()}, social_worker, now)
    assert not Recommendation.objects.exists()


def test_each_childs_rules_are_checked_and_every_refusal_named_beside_their_field(
    mash_team: Any, social_worker: User, now: dt.datetime
) -> None:
    """002 §9, §19 (early help needs consent) and §7, §11 (a strategy discussion needs Red)."""
    contact, ann, ben = _siblings(mash_team, consent="refused")
    strategy = ChildChoice(Brag.AMBER, _level("specialist"), Outcome.STRATEGY_DISCUSSION)
    with pytest.raises(Refused) as refused:
        _recommend(contact, {ann.pk: strategy, ben.pk: _early_help()}, social_worker, now)
    problems = [(p.field, p.message.split(":")[0]) for p in refused.value.problems]
    assert problems == [(f"child-{ann.pk}-rating", "Ann Harlow"), (f"child-{ben.pk}-outcome", "Ben Harlow")]
    assert "consent" in refused.value.problems[1].message
    assert not Recommendation.objects.exists()
    contact.refresh_from_db()
    assert contact.state == ContactState.AWAITING_THRESHOLD


def test_only_a_child_with_an_open_case_is_forwarded_to_their_own_allocated_worker(
    mash_team: Any, social_worker: User, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    """002 §3: a child already receiving a service goes to the allocated worker."""
    contact, ann, ben = _siblings(mash_team)
    forward = ChildChoice(Brag.GREEN, _level("additional"), Outcome.FORWARD_TO_ALLOCATED_WORKER)
    with pytest.raises(Refused, match="Ben Harlow has no open case"):
        _recommend(contact, {ann.pk: _assessment(), ben.pk: forward}, social_worker, now)
    InvolvementFactory(
        person=ben.person,
        service=Service.CHILD_IN_NEED,
        started_on=dt.date(2026, 1, 5),
        ended_on=None,
        allocated_worker="Sam Okafor",
        worker_email="sam.okafor@example.gov.uk",
        team="Children in need team 3",
    )
    _recommend(contact, {ann.pk: _assessment(), ben.pk: forward}, social_worker, now)
    _approve(
        contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.FORWARD_TO_ALLOCATED_WORKER}, manager, now
    )
    contact.refresh_from_db()
    action = services.action_outcome(
        contact,
        sent_to="Assessment team 2",
        referrer_informed_at=now,
        referrer_informed_by="email",
        notes="",
        by=contact_officer,
        at=now,
        version=contact.version,
        allocated_worker=social_worker,
    )
    handed = {h.subject.pk: h for h in services.child_routes(contact, action.decision, action, at=now)}
    assert (handed[ben.pk].worker, handed[ben.pk].worker_email, handed[ben.pk].team) == (
        "Sam Okafor",
        "sam.okafor@example.gov.uk",
        "Children in need team 3",
    )
    assert (handed[ann.pk].user, handed[ann.pk].team) == (social_worker, "Assessment team 2")
    actioned = AuditEvent.objects.get(verb=Verb.OUTCOME_ACTIONED, contact=contact)
    assert actioned.data["children"][1] == {
        "subject": ben.pk,
        "outcome": "forward_to_allocated_worker",
        "worker": "Sam Okafor",
        "team": "Children in need team 3",
    }
    # Ann's assessment opens an involvement of her own; Ben's open case is his already.
    assert list(Involvement.objects.filter(person=ann.person).values_list("service", "team")) == [
        (Service.CSC_ASSESSMENT, "Assessment team 2")
    ]
    assert Involvement.objects.filter(person=ben.person).count() == 1


def test_the_manager_changes_one_childs_outcome_and_each_statutory_child_is_a_referral(
    mash_team: Any, social_worker: User, manager: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    decision = _approve(
        contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.SECTION_17_ASSESSMENT}, manager, now
    )
    assert dict(decision.children.values_list("subject", "outcome")) == {
        ann.pk: Outcome.SECTION_17_ASSESSMENT,
        ben.pk: Outcome.SECTION_17_ASSESSMENT,
    }
    referrals = Referral.objects.filter(contact=contact).order_by("subject__order")
    assert [(r.subject_id, r.decision_id, r.outcome) for r in referrals] == [
        (ann.pk, decision.pk, Outcome.SECTION_17_ASSESSMENT),
        (ben.pk, decision.pk, Outcome.SECTION_17_ASSESSMENT),
    ]
    created = AuditEvent.objects.filter(verb=Verb.REFERRAL_CREATED, contact=contact).order_by("seq")
    assert [e.data for e in created] == [
        {"subject": ann.pk, "outcome": "section_17_assessment"},
        {"subject": ben.pk, "outcome": "section_17_assessment"},
    ]
    approved = AuditEvent.objects.get(verb=Verb.DECISION_APPROVED, contact=contact)
    assert approved.data["as_recommended"] is False
    assert [c["as_recommended"] for c in approved.data["children"]] == [True, False]


def test_a_manager_cannot_approve_an_outcome_that_contradicts_that_childs_rating(
    mash_team: Any, social_worker: User, manager: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    with pytest.raises(Refused) as refused:
        _approve(contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.STRATEGY_DISCUSSION}, manager, now)
    # Beside Ben's outcome, the field the manager has: the rating is the social worker's.
    assert refused.value.problems[0].field == f"child-{ben.pk}-outcome"
    assert "choose another outcome, or return the recommendation for a new rating" in refused.value.problems[0].message
    assert not Decision.objects.exists()
    assert not Referral.objects.exists()


def test_a_child_added_after_the_recommendation_stops_the_approval(
    mash_team: Any, social_worker: User, manager: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    cleo = ContactSubjectFactory(contact=contact, given_name="Cleo", role=SubjectRole.SIBLING, order=3)
    outcomes = {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.EARLY_HELP, cleo.pk: Outcome.EARLY_HELP}
    with pytest.raises(DomainError, match="changed after the recommendation: return it"):
        _approve(contact, outcomes, manager, now)
    assert not ChildDecision.objects.exists()


def test_mixed_outcomes_open_each_childs_own_service(
    mash_team: Any, social_worker: User, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    _approve(contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.EARLY_HELP}, manager, now)
    contact.refresh_from_db()
    services.action_outcome(
        contact,
        sent_to="Assessment team 2",
        referrer_informed_at=now,
        referrer_informed_by="email",
        notes="",
        by=contact_officer,
        at=now,
        version=contact.version,
        allocated_worker=social_worker,
    )
    opened = {i.person_id: (i.service, i.team, i.allocated_worker) for i in Involvement.objects.all()}
    assert opened == {
        ann.person_id: (Service.CSC_ASSESSMENT, "Assessment team 2", social_worker.get_full_name()),
        ben.person_id: (Service.EARLY_HELP, "", ""),  # the team entered is the assessment's, not early help's
    }


def test_siblings_sent_to_different_services_each_have_their_own_team_and_worker(
    mash_team: Any,
    social_worker: User,
    senior_practitioner: User,
    manager: User,
    contact_officer: User,
    contact_officer_client: Client,
    now: dt.datetime,
) -> None:
    """Walk-through: the early-help sibling's team and worker could not be entered beside the
    assessed child's (002 §9–10: family wellbeing and children's social care are different services)."""
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    _approve(contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.EARLY_HELP}, manager, now)
    contact.refresh_from_db()
    url = reverse("decisions:action-outcome", args=[contact.pk])
    page = contact_officer_client.get(url).content.decode()
    assert "Section 17 assessment: Ann Harlow" in page
    assert "Early help: Ben Harlow" in page
    post = {
        "version": contact.version,
        "sent_to": "Assessment team 2",
        "allocated_worker": social_worker.pk,
        "early_help-sent_to": "Family wellbeing north",
        "early_help-allocated_worker": senior_practitioner.pk,
        "informed_on_0": str(now.day),
        "informed_on_1": str(now.month),
        "informed_on_2": str(now.year),
        "informed_time": "09:45",
        "informed_by": "email",
    }
    missing = contact_officer_client.post(url, {**post, "sent_to": ""})
    assert "Enter the team the referral was sent to" in missing.content.decode()
    done = contact_officer_client.post(url, post, follow=True)
    assert done.status_code == 200
    opened = {i.person_id: (i.service, i.team, i.allocated_worker) for i in Involvement.objects.all()}
    assert opened == {
        ann.person_id: (Service.CSC_ASSESSMENT, "Assessment team 2", social_worker.get_full_name()),
        ben.person_id: (Service.EARLY_HELP, "Family wellbeing north", senior_practitioner.get_full_name()),
    }
    shown = done.content.decode()
    assert "Where each child went" in shown
    assert f"Ben Harlow: Early help, Family wellbeing north, {senior_practitioner.get_full_name()}" in shown
    # "Sent to" says which child went to which worker (re-walk: it read as if the family went to one)
    sent = shown[shown.index(">Sent to<") :]
    to_ann = sent[sent.index(social_worker.get_full_name()) :]
    assert to_ann[: to_ann.index("</dl>")].count("Ann Harlow") == 1
    assert "Ben Harlow" not in to_ann[: to_ann.index("</dl>")]
    to_ben = sent[sent.index(senior_practitioner.get_full_name()) :]
    assert "Ben Harlow" in to_ben[: to_ben.index("</dl>")]


def test_a_statutory_outcome_of_its_own_needs_its_team(
    mash_team: Any, social_worker: User, manager: User, contact_officer: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    disability = ChildChoice(Brag.AMBER, _level("specialist"), Outcome.CHILDREN_WITH_DISABILITY)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: disability}, social_worker, now)
    _approve(contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.CHILDREN_WITH_DISABILITY}, manager, now)
    contact.refresh_from_db()
    act: dict[str, Any] = {
        "sent_to": "Assessment team 2",
        "referrer_informed_at": now,
        "referrer_informed_by": "email",
        "notes": "",
        "by": contact_officer,
        "at": now,
        "version": contact.version,
    }
    with pytest.raises(DomainError, match="Enter the team the children with disability referral was sent to"):
        services.action_outcome(
            contact, **act, allocations={Outcome.CHILDREN_WITH_DISABILITY: services.Allocation("  ")}
        )
    with pytest.raises(DomainError, match="No child's approved outcome is early help"):
        services.action_outcome(
            contact, **act, allocations={Outcome.EARLY_HELP: services.Allocation("Family wellbeing")}
        )
    services.action_outcome(
        contact, **act, allocations={Outcome.CHILDREN_WITH_DISABILITY: services.Allocation("Disabled children's team")}
    )
    teams = {i.person_id: i.team for i in Involvement.objects.all()}
    assert teams == {ann.person_id: "Assessment team 2", ben.person_id: "Disabled children's team"}


def test_child_outcomes_are_the_waiting_recommendations_then_the_approved_ones(
    mash_team: Any, social_worker: User, manager: User, second_manager: User, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    assert child_outcomes([contact.pk]) == {contact.pk: []}
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    shown = child_outcomes([contact.pk])[contact.pk]
    assert [c.text for c in shown] == [
        "Ann Harlow: Section 17 assessment (recommended)",
        "Ben Harlow: Early help (recommended)",
    ]
    contact.refresh_from_db()
    services.return_recommendation(contact, rationale="Check school.", by=manager, at=now, version=contact.version)
    assert child_outcomes([contact.pk]) == {contact.pk: []}  # a returned recommendation is no outcome
    _recommend(contact, services.same_for_all(contact, _assessment()), social_worker, now + dt.timedelta(hours=1))
    _approve(contact, {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.NO_FURTHER_ACTION}, second_manager, now)
    assert [c.text for c in child_outcomes([contact.pk])[contact.pk]] == [
        "Ann Harlow: Section 17 assessment",
        "Ben Harlow: No further action",
    ]


# The pages: bad input beside the right child's field, stale forms and double submissions.


def _post_recommendation(client: Client, contact: Contact, data: dict[str, Any]) -> Any:
    contact.refresh_from_db()
    return client.post(
        reverse("decisions:recommend", args=[contact.pk]),
        {"rationale": "Reasons.", "version": contact.version, **data},
    )


def test_the_form_takes_one_choice_for_all_and_another_for_one_child(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    response = _post_recommendation(
        social_worker_client,
        contact,
        {
            "child-all-rating": "amber",
            "child-all-level": _level("specialist").pk,
            "child-all-outcome": "section_17_assessment",
            f"child-{ben.pk}-rating": "green",
            f"child-{ben.pk}-level": _level("intensive").pk,
            f"child-{ben.pk}-outcome": "early_help",
            "early_help_criteria": "Parental substance misuse",
        },
    )
    assert response.status_code == 302, response.content.decode()
    chosen = dict(Recommendation.objects.get().children.values_list("subject", "outcome"))
    assert chosen == {ann.pk: Outcome.SECTION_17_ASSESSMENT, ben.pk: Outcome.EARLY_HELP}


def test_a_child_left_without_an_outcome_is_named_beside_their_own_field(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    response = _post_recommendation(
        social_worker_client,
        contact,
        {
            "child-all-rating": "amber",
            "child-all-level": _level("specialist").pk,
            f"child-{ann.pk}-outcome": "section_17_assessment",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {f"child-{ben.pk}-outcome": ["Select the outcome you recommend for Ben Harlow"]}
    page = response.content.decode()
    assert f'href="#id_child-{ben.pk}-outcome_0"' in page  # the error summary links to Ben's field
    assert response.context["each_open"]  # inside the section that is open, so the link lands
    assert not Recommendation.objects.exists()


def test_nothing_chosen_at_all_asks_for_the_choice_for_all_the_children(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    contact, _ann, _ben = _siblings(mash_team)
    response = _post_recommendation(social_worker_client, contact, {})
    assert set(response.context["form"].errors) == {
        "child-all-rating",
        "child-all-level",
        "child-all-outcome",
    }
    assert not Recommendation.objects.exists()


def test_a_stale_or_repeated_approval_saves_nothing_twice(
    mash_team: Any, social_worker: User, manager_client: Client, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    contact.refresh_from_db()
    url = reverse("decisions:approve", args=[contact.pk])
    data = {
        "verdict": "approve",
        f"child-{ann.pk}-outcome": "section_17_assessment",
        f"child-{ben.pk}-outcome": "early_help",
        "rationale": "Agreed.",
        "version": contact.version,
    }
    assert manager_client.post(url, {**data, "version": contact.version - 1}).status_code == 409
    assert not Decision.objects.exists()
    assert manager_client.post(url, data).status_code == 302
    second = manager_client.post(url, data, follow=True)  # the same form sent again (a double click, Back)
    assert "You approved this on 24 November 2026, 10:00: nothing was saved" in second.content.decode()
    assert Decision.objects.count() == 1
    assert Referral.objects.count() == 1


def test_an_approval_without_one_childs_outcome_is_refused_beside_it(
    mash_team: Any, social_worker: User, manager_client: Client, now: dt.datetime
) -> None:
    contact, ann, ben = _siblings(mash_team)
    _recommend(contact, {ann.pk: _assessment(), ben.pk: _early_help()}, social_worker, now)
    contact.refresh_from_db()
    response = manager_client.post(
        reverse("decisions:approve", args=[contact.pk]),
        {
            "verdict": "approve",
            f"child-{ann.pk}-outcome": "section_17_assessment",
            "rationale": "Agreed.",
            "version": contact.version,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"child-{ben.pk}-outcome": ["Select the outcome you approve for Ben Harlow"]
    }
    page = manager_client.get(reverse("decisions:approve", args=[contact.pk])).content.decode()
    assert 'value="early_help" checked' in page.replace("\n", " ")  # each starts as recommended
    assert not Decision.objects.exists()
