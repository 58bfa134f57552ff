"""The local protocol's early help criteria on a recommendation (002 §9(c)): "the situation meets at least
one of the following Family Wellbeing service criteria: Parental domestic violence, parental mental
ill-health, parental substance misuse and/or a child at risk of exclusion or excluded from school".
Bexley's profile lists them (the active protocol here); the other hubs' list none."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.core.errors import Refused
from safehub.decisions import criteria, services
from safehub.decisions.models import Decision, Outcome, Recommendation
from safehub.protocols.models import Brag, LocalProtocol, ThresholdLevel

pytestmark = pytest.mark.django_db

BEXLEY = [
    "Parental domestic violence",
    "Parental mental ill-health",
    "Parental substance misuse",
    "Child at risk of exclusion or excluded from school",
]


def _level(code: str = "intensive") -> ThresholdLevel:
    return LocalProtocol.objects.get(is_active=True).levels.get(code=code)


def _recommend(contact: Contact, by: User, at: dt.datetime, outcome: Outcome, ticked: list[str]) -> Recommendation:
    contact.refresh_from_db()
    choice = services.ChildChoice(Brag.GREEN, _level(), outcome)
    return services.recommend(
        contact,
        children=services.same_for_all(contact, choice),
        rationale="The family needs support with the children's routines.",
        by=by,
        at=at,
        version=contact.version,
        criteria=ticked,
    )


def test_the_concerns_that_plainly_meet_a_criterion_are_suggested() -> None:
    concerns = ["domestic_abuse", "school_exclusion", "child_mental_health", "neglect"]

    assert criteria.suggested(BEXLEY, concerns) == [
        "Parental domestic violence",
        "Child at risk of exclusion or excluded from school",
    ]  # a child's own mental health is not a parent's
    assert criteria.suggested(BEXLEY, ["parental_mental_health", "parental_substance_misuse"]) == BEXLEY[1:3]
    assert criteria.suggested([], ["domestic_abuse"]) == []


def test_early_help_with_none_of_the_criteria_ticked_is_refused(
    mash_team: Any, social_worker: User, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, concern_categories=["housing"])

    with pytest.raises(Refused) as refused:
        _recommend(contact, social_worker, now, Outcome.EARLY_HELP, [])

    assert [(p.field, p.message) for p in refused.value.problems] == [("early_help_criteria", criteria.NONE_TICKED)]
    assert not Recommendation.objects.exists()


def test_a_criterion_that_is_not_the_protocols_is_refused(
    mash_team: Any, social_worker: User, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)

    with pytest.raises(Refused, match="Choose early help criteria from the local protocol"):
        _recommend(contact, social_worker, now, Outcome.EARLY_HELP, ["Poor housing"])


def test_the_criteria_ticked_are_stored_in_the_protocols_order_and_audited(
    mash_team: Any, social_worker: User, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)

    made = _recommend(contact, social_worker, now, Outcome.EARLY_HELP, [BEXLEY[3], BEXLEY[0]])

    assert made.early_help_criteria == [BEXLEY[0], BEXLEY[3]]
    event = AuditEvent.objects.get(verb=Verb.RECOMMENDATION_RECORDED, contact=contact)
    assert event.data["early_help_criteria"] == 2


def test_other_outcomes_need_no_criterion(mash_team: Any, social_worker: User, now: dt.datetime) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)

    made = _recommend(contact, social_worker, now, Outcome.SIGNPOST, [])

    assert made.early_help_criteria == []


@pytest.mark.parametrize("slug", ["birmingham", "sefton", "walsall"])
def test_a_protocol_without_criteria_asks_for_none(
    slug: str, mash_team: Any, social_worker: User, now: dt.datetime
) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug=slug).update(is_active=True)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    level = LocalProtocol.objects.get(slug=slug).levels.order_by("order").first()
    assert level is not None

    made = services.recommend(
        contact,
        children=services.same_for_all(contact, services.ChildChoice(Brag.GREEN, level, Outcome.EARLY_HELP)),
        rationale="Support for the family.",
        by=social_worker,
        at=now,
        version=contact.version,
    )

    assert made.early_help_criteria == []


def test_the_manager_cannot_approve_early_help_the_recommendation_records_no_criterion_for(
    mash_team: Any, social_worker: User, manager: User, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    _recommend(contact, social_worker, now, Outcome.SIGNPOST, [])
    contact.refresh_from_db()
    outcomes = {subject.pk: Outcome.EARLY_HELP for subject in services.children_on(contact)}

    with pytest.raises(Refused, match="the recommendation records none: return it to the social worker"):
        services.approve(
            contact, outcomes=outcomes, rationale="Early help.", by=manager, at=now, version=contact.version
        )

    assert not Decision.objects.exists()


# The pages ---------------------------------------------------------------------------------------


def test_the_recommendation_page_offers_the_criteria_with_the_plain_matches_ticked(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(
        team=mash_team, concern_categories=["parental_substance_misuse", "neglect"]
    )

    page = social_worker_client.get(reverse("decisions:recommend", args=[contact.pk])).content.decode()

    assert "Early help criteria the situation meets" in page
    for criterion in BEXLEY:
        assert f'value="{criterion}"' in page
    assert page.count('name="early_help_criteria"') == 4
    assert page.count("checked") == 1
    assert 'value="Parental substance misuse"' in page.split("checked")[0].rsplit("<input", 1)[1]


def test_early_help_without_a_criterion_is_refused_beside_the_field(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    child = contact.subjects.get().pk

    response = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]),
        {
            f"child-{child}-rating": "green",
            f"child-{child}-level": _level().pk,
            f"child-{child}-outcome": "early_help",
            "rationale": "Support.",
            "version": contact.version,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"early_help_criteria": [criteria.NONE_TICKED]}
    assert 'href="#id_early_help_criteria' in response.content.decode()  # the error summary links to it
    assert not Recommendation.objects.exists()


def test_the_criteria_met_show_on_the_approval_page_and_the_contact_page(
    mash_team: Any, social_worker_client: Client, manager_client: Client, now: dt.datetime
) -> None:
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, concern_categories=["domestic_abuse"])
    child = contact.subjects.get().pk
    response = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]),
        {
            f"child-{child}-rating": "green",
            f"child-{child}-level": _level().pk,
            f"child-{child}-outcome": "early_help",
            "early_help_criteria": ["Parental domestic violence", "Parental mental ill-health"],
            "rationale": "Support.",
            "version": contact.version,
        },
    )
    assert response.status_code == 302, response.content.decode()

    for page in (
        manager_client.get(reverse("decisions:approve", args=[contact.pk])).content.decode(),
        manager_client.get(contact.get_absolute_url()).content.decode(),
    ):
        assert "Early help criteria met" in page
        assert "<li>Parental domestic violence</li>" in page
        assert "<li>Parental mental ill-health</li>" in page


def test_a_protocol_without_criteria_shows_no_checkboxes(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug="birmingham").update(is_active=True)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team, concern_categories=["domestic_abuse"])

    page = social_worker_client.get(reverse("decisions:recommend", args=[contact.pk])).content.decode()

    assert "early_help_criteria" not in page
