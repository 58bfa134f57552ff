"""What the decision pages say when they refuse: an impossible date beside its field, and a step
that is not open with the reason (four eyes, a colleague got there first) instead of a vague notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError, Refused
from safehub.decisions import services
from safehub.decisions.models import Decision, Outcome, OutcomeAction
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag, LocalProtocol

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def _approved(team: Any, social_worker: User, manager: User, at: dt.datetime) -> Contact:
    contact = ContactAwaitingThresholdFactory(team=team)  # received 24 November 2026, 09:30
    return recommend_and_approve(
        contact, outcome=Outcome.SECTION_17_ASSESSMENT, recommended_by=social_worker, approved_by=manager, at=at
    )


def _post_outcome(user: User, contact: Contact, **fields: str) -> Any:
    """The outcome page sent as a user fills it in: told on 24 November 2026 at 09:45 by phone,
    after the contact came at 09:30, but for `fields`."""
    form = {
        "sent_to": "Assessment team 2",
        "informed_on_0": "24",
        "informed_on_1": "11",
        "informed_on_2": "2026",
        "informed_time": "09:45",
        "informed_by": "phone",
        "version": contact.version,
    }
    return _client(user).post(reverse("decisions:action-outcome", args=[contact.pk]), {**form, **fields})


def _action(contact: Contact, by: User, at: dt.datetime, told: dt.datetime) -> OutcomeAction:
    return services.action_outcome(
        contact,
        sent_to="Assessment team 2",
        referrer_informed_at=told,
        referrer_informed_by="phone",
        notes="",
        by=by,
        at=at,
        version=contact.version,
    )


@pytest.mark.parametrize(
    "told", [dt.datetime(1800, 1, 1, 12, tzinfo=dt.UTC), dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)]
)
def test_the_referrer_cannot_be_told_before_the_contact_arrived(
    told: dt.datetime, social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = _approved(mash_team, social_worker, manager, now)
    with pytest.raises(Refused) as refused:
        _action(contact, contact_officer, now, told)
    (problem,) = refused.value.problems
    assert (problem.field, problem.message) == (
        "referrer_informed_at",
        "The date the referrer was told cannot be before the contact was received (24 November 2026)",
    )
    assert not OutcomeAction.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.OUTCOME_ACTIONED).exists()
    contact.refresh_from_db()
    assert contact.state == ContactState.APPROVED


def test_the_referrer_told_tomorrow_is_refused(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = _approved(mash_team, social_worker, manager, now)
    with pytest.raises(DomainError, match="The date the referrer was told must be today or in the past"):
        _action(contact, contact_officer, now, now + dt.timedelta(days=1))
    assert not OutcomeAction.objects.exists()


def test_the_outcome_page_shows_an_impossible_date_beside_the_field(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = _approved(mash_team, social_worker, manager, now)
    response = _post_outcome(
        contact_officer,
        contact,
        informed_on_0="1",
        informed_on_1="1",
        informed_on_2="1800",
        informed_time="10:00",
        informed_by="letter",
    )
    assert response.status_code == 200
    page = response.content.decode()
    message = "The date the referrer was told cannot be before the contact was received (24 November 2026)"
    assert f'<a href="#id_informed_on_0">{message}</a>' in page
    assert page.count(message) == 2  # in the summary and beside the date
    assert not OutcomeAction.objects.exists()


def test_an_impossible_date_the_referrer_was_told_has_only_its_own_message(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    """Walk-through: 31/02/2026 gave "must be a real date" and "Enter the date the referrer was told",
    though a date was entered."""
    contact = _approved(mash_team, social_worker, manager, now)
    response = _post_outcome(contact_officer, contact, informed_on_0="31", informed_on_1="2", informed_time="")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_informed_on_0">Date the referrer was told must be a real date</a>' in page
    assert "Enter the date the referrer was told" not in page
    assert not OutcomeAction.objects.exists()


def test_a_time_later_today_is_a_time_in_the_future_not_a_date(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    """Walk-through: a time still to come today was reported as a date in the future."""
    contact = _approved(mash_team, social_worker, manager, now)
    with pytest.raises(DomainError) as refused:
        _action(contact, contact_officer, now, now + dt.timedelta(hours=2))
    assert (refused.value.field, refused.value.message) == (
        services.REFERRER_INFORMED_TIME,
        "The time the referrer was told cannot be in the future",
    )
    response = _post_outcome(contact_officer, contact, informed_time="23:00")
    page = response.content.decode()
    assert '<a href="#id_informed_time">The time the referrer was told cannot be in the future</a>' in page
    assert "must be today or in the past" not in page
    assert not OutcomeAction.objects.exists()


def _recommended(contact: Contact, by: User, at: dt.datetime) -> None:
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    services.recommend(
        contact,
        children=services.same_for_all(contact, services.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT)),
        rationale="Neglect",
        by=by,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()


def test_a_senior_practitioner_opening_her_own_recommendation_is_told_four_eyes(
    senior_practitioner: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    _recommended(contact, senior_practitioner, now)  # Bexley lets senior practitioners approve (002 roles table)
    response = _client(senior_practitioner).get(reverse("decisions:approve", args=[contact.pk]), follow=True)
    page = response.content.decode()
    assert "You made this recommendation, so another approver must decide it (four eyes)." in page
    assert "That step is not open for this contact now" not in page


def test_a_manager_approving_her_own_recommendation_is_refused_by_the_service(
    manager: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    _recommended(contact, manager, now)
    with pytest.raises(DomainError, match=r"another approver must decide it \(four eyes\)"):
        services.approve(
            contact,
            outcomes={s.pk: Outcome.SECTION_17_ASSESSMENT for s in services.children_on(contact)},
            rationale="Fine",
            by=manager,
            at=now,
            version=contact.version,
        )
    assert not Decision.objects.exists()


def test_a_manager_approving_after_a_colleague_is_told_who_and_when(
    social_worker: User, manager: User, second_manager: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    _recommended(contact, social_worker, now)
    url = reverse("decisions:approve", args=[contact.pk])
    late = _client(second_manager)
    assert late.get(url).status_code == 200  # her form is open...
    version = contact.version
    services.approve(  # ...when a colleague approves
        contact,
        outcomes={s.pk: Outcome.SECTION_17_ASSESSMENT for s in services.children_on(contact)},
        rationale="Agreed",
        by=manager,
        at=now,
        version=version,
    )
    response = late.post(url, {"version": version, "verdict": "return", "rationale": "Needs more"}, follow=True)
    page = response.content.decode()
    assert f"{manager} approved this on 24 November 2026, 10:00: nothing was saved" in page
    assert Decision.objects.get().decided_by == manager
    # Opening the page again says the same, without "nothing was saved".
    again = late.get(url, follow=True).content.decode()
    assert f"{manager} approved this on 24 November 2026, 10:00." in again
    # The approver herself is told it was her.
    mine = _client(manager).get(url, follow=True).content.decode()
    assert "You approved this on 24 November 2026, 10:00." in mine


def test_recommending_again_says_who_recommended_and_when(
    social_worker: User, senior_practitioner: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    _recommended(contact, senior_practitioner, now)
    page = _client(social_worker).get(reverse("decisions:recommend", args=[contact.pk]), follow=True).content.decode()
    assert (
        f"{senior_practitioner} made the recommendation on 24 November 2026, 10:00: it is waiting for approval." in page
    )


def test_recommending_while_mash_checks_are_out_says_so(
    social_worker: User, manager: User, mash_team: Any, now: dt.datetime
) -> None:
    """Re-walk: the recommend page said only "That step is not open" while MASH checks were under way."""
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    police: Any = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=now)
    page = _client(social_worker).get(reverse("decisions:recommend", args=[contact.pk]), follow=True).content.decode()
    assert "MASH checks are under way on this contact" in page


def test_actioning_again_says_who_actioned_it_and_when(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = _approved(mash_team, social_worker, manager, now)
    _action(contact, contact_officer, now, now)
    page = (
        _client(contact_officer)
        .get(reverse("decisions:action-outcome", args=[contact.pk]), follow=True)
        .content.decode()
    )
    assert "You recorded the outcome as actioned on 24 November 2026, 10:00." in page


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "Enter the time the referrer was told, like 15:45"),
        ("08:00", "The referrer cannot have been told before the contact was received (24 November 2026, 09:30)"),
        ("23:00", "The time the referrer was told cannot be in the future"),
    ],
)
def test_the_time_the_referrer_was_told_is_asked_for_and_checked(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime, time: str, message: str
) -> None:
    """Walk-through: told at 08:00 about a contact received at 09:14 was saved, and a blank time was
    saved as 12:00, a time nobody entered."""
    contact = _approved(mash_team, social_worker, manager, now)
    response = _post_outcome(contact_officer, contact, informed_time=time)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="#id_informed_time">{message}</a>' in page
    assert not OutcomeAction.objects.exists()


def test_an_outcome_sending_no_child_anywhere_asks_for_no_team(
    social_worker: User, manager: User, contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    """Re-walk: a no-further-action outcome still asked for the team the child was referred to."""
    contact = recommend_and_approve(
        ContactAwaitingThresholdFactory(team=mash_team),
        outcome=Outcome.NO_FURTHER_ACTION,
        recommended_by=social_worker,
        approved_by=manager,
        at=now,
    )
    url = reverse("decisions:action-outcome", args=[contact.pk])
    page = _client(contact_officer).get(url).content.decode()
    assert "Service or team" not in page
    assert "Social worker allocated" not in page
    done = _post_outcome(contact_officer, contact, sent_to="")
    assert done.status_code == 302
    assert OutcomeAction.objects.get(contact=contact).sent_to == ""
