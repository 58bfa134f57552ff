from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import UserFactory
from safehub.checks import services
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.models import Contact, ContactRestriction
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import ChildRecommendation, Outcome, Recommendation
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag, LocalProtocol, ThresholdLevel
from safehub.protocols.services import activate_protocol
from safehub.queues.navigation import navigation_for

pytestmark = pytest.mark.django_db


def _at(hours: float) -> dt.datetime:
    return dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours)


def test_queue_is_ordered_by_due_time_with_due_and_overdue_wording(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    later = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD, current_due_at=_at(5))
    overdue = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD, current_due_at=_at(-3))
    ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL, current_due_at=_at(1))
    page = social_worker_client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    assert page.index(overdue.reference) < page.index(later.reference)
    assert "Overdue by 3 hours" in page
    assert "Due in 5 hours" in page
    assert "2 contacts, soonest due first" in page


def test_overdue_queue_holds_only_open_overdue_contacts(
    manager_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    late: Contact = ContactFactory(team=mash_team, state=ContactState.SCREENING, current_due_at=_at(-1))
    ContactFactory(team=mash_team, state=ContactState.SCREENING, current_due_at=_at(1))
    ContactFactory(team=mash_team, state=ContactState.CLOSED, current_due_at=None)
    page = manager_client.get(reverse("queues:queue", args=["overdue"])).content.decode()
    assert late.reference in page
    assert "1 contact, soonest due first" in page


def test_another_teams_contacts_never_appear(social_worker_client: Client, other_team: Any, now: dt.datetime) -> None:
    hidden: Contact = ContactFactory(team=other_team, state=ContactState.AWAITING_THRESHOLD)
    assert (
        hidden.reference not in social_worker_client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    )


def test_home_sends_each_role_to_its_queue(client_for_role: Any) -> None:
    expected = {Role.CONTACT_OFFICER: "screening", Role.SOCIAL_WORKER: "threshold", Role.TEAM_MANAGER: "approval"}
    for role, slug in expected.items():
        assert client_for_role(role).get(reverse("queues:home"))["Location"] == reverse("queues:queue", args=[slug])


def test_every_role_lands_on_a_page_of_its_own_work(client_for_role: Any) -> None:
    """No dead ends: the roles with no contact queue start on the work their role does."""
    expected = {
        Role.PARTNER_PROFESSIONAL: reverse("checks:workspace"),
        Role.DATA_PROTECTION_OFFICER: reverse("audit:events"),
        Role.PERFORMANCE_LEAD: reverse("reports:dashboard"),
        Role.ADMINISTRATOR: reverse("users:home"),
        Role.STRATEGY_COORDINATOR: reverse("strategy:worktray"),
    }
    for role, address in expected.items():
        home = client_for_role(role).get(reverse("queues:home"))
        assert home["Location"] == address, role
        assert client_for_role(role).get(address).status_code == 200, role


def test_a_senior_practitioner_starts_where_the_protocol_lets_them_work(
    client_for_role: Any, administrator: Any
) -> None:
    """Bexley's senior practitioners approve (002 roles table): they start on the approval queue;
    where only managers approve (Walsall), on the threshold queue like other social workers."""
    home = reverse("queues:home")
    assert client_for_role(Role.SENIOR_PRACTITIONER).get(home)["Location"] == reverse("queues:queue", args=["approval"])
    activate_protocol(LocalProtocol.objects.get(slug="walsall"), by=administrator)
    assert client_for_role(Role.SENIOR_PRACTITIONER).get(home)["Location"] == reverse(
        "queues:queue", args=["threshold"]
    )


def test_work_queues_are_in_the_menu_of_those_who_have_them(client_for_role: Any) -> None:
    """Walk-through: a partner's, the auditor's and the administrator's "Work queues" only led back
    to a page already in their menu, under another name."""
    for role in (Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.STRATEGY_COORDINATOR):
        assert "Work queues" in client_for_role(role).get(reverse("queues:home"), follow=True).content.decode(), role
    for role in (Role.PARTNER_PROFESSIONAL, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR, Role.PERFORMANCE_LEAD):
        page = client_for_role(role).get(reverse("queues:home"), follow=True).content.decode()
        assert "Work queues" not in page, role


def test_unknown_queue_is_404(social_worker_client: Client) -> None:
    assert social_worker_client.get(reverse("queues:queue", args=["everything"])).status_code == 404


def test_queue_query_count_does_not_grow_with_contacts(
    social_worker_client: Client, mash_team: Any, now: dt.datetime, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD)
    with django_assert_max_num_queries(20):
        response = social_worker_client.get(reverse("queues:queue", args=["threshold"]))
    assert "20 contacts" in response.content.decode()


def _recommend(contact: Contact, rating: str, *, by: Any, at: dt.datetime) -> None:
    recommendation = Recommendation.objects.create(
        contact=contact, rating=rating, rationale="Needs support", recommended_by=by, recommended_at=at
    )
    for subject in contact.subjects.all():
        ChildRecommendation.objects.create(
            recommendation=recommendation,
            subject=subject,
            rating=rating,
            level=ThresholdLevel.objects.first(),
            outcome=Outcome.EARLY_HELP,
        )


def test_a_queue_shows_each_contacts_newest_rating(
    manager_client: Client, social_worker: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL, current_due_at=_at(2))
    _recommend(contact, "amber", by=social_worker, at=_at(-5))
    _recommend(contact, "red", by=social_worker, at=_at(-1))  # after the manager returned it
    ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL, current_due_at=_at(3))
    page = manager_client.get(reverse("queues:queue", args=["approval"])).content.decode()
    assert page.count(">Red</strong>") == 1
    assert ">Amber</strong>" not in page
    assert "Not rated" in page


@pytest.mark.parametrize("contacts", [1, 20])
def test_a_queue_page_takes_twelve_queries_however_many_contacts_and_ratings_it_shows(
    contacts: int,
    manager_client: Client,
    social_worker: Any,
    mash_team: Any,
    now: dt.datetime,
    django_assert_num_queries: Any,
) -> None:
    for n in range(contacts):
        contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_APPROVAL, current_due_at=_at(n))
        _recommend(contact, "amber", by=social_worker, at=_at(-1))
    manager_client.get(reverse("queues:queue", args=["approval"]))  # the first page saves the session's clock
    # Session; the user with their roles and teams; every queue's count (by state and overdue, in
    # one query, which also gives the page's count); the manager's team's workers to filter by; the
    # page's contacts with their ratings; their children's names; the children's outcomes approved
    # and recommended (2); the unread alerts; how many contacts sent to the user wait to be marked
    # received; the consultations' summaries overdue and the letters waiting on someone (2, issue 15).
    with django_assert_num_queries(12):
        response = manager_client.get(reverse("queues:queue", args=["approval"]))
    assert response.content.decode().count(">Amber</strong>") == contacts


def test_a_contact_restricted_to_several_people_is_listed_and_counted_once(
    social_worker_client: Client, social_worker: Any, manager: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(
        team=mash_team,
        state=ContactState.AWAITING_THRESHOLD,
        is_restricted=True,
        restriction_reason="A staff member's child",
        restricted_by=manager,
    )
    for user in (social_worker, manager):
        ContactRestriction.objects.create(contact=contact, user=user)
    response = social_worker_client.get(reverse("queues:queue", args=["threshold"]))
    assert response.context["page"].paginator.count == 1
    assert response.context["counts"]["threshold"] == 1
    assert response.content.decode().count(contact.reference) == 1


def test_a_contact_under_mash_checks_shows_the_checks_risk_level_until_it_is_rated(
    manager_client: Client, manager: Any, social_worker: Any, mash_team: Any, police_partner: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD, current_due_at=_at(2))
    agency = police_partner.agencies().get()
    start_checks(contact, by=manager, coordinator=social_worker, agencies=[agency], at=now, rating=Brag.AMBER)
    page = manager_client.get(reverse("queues:queue", args=["checks"])).content.decode()
    assert ">Amber (MASH checks)</strong>" in page
    assert ">Not rated</td>" not in page
    # Submitted for decision with an answer outstanding, it is back awaiting a threshold decision:
    # still amber until a social worker's recommendation rates it.
    checks = contact.mash_checks.get()
    services.submit_for_decision(
        checks,
        analysis="Enough is known to decide.",
        outstanding_reason="The police answer can follow",
        by=social_worker,
        at=now,
        version=checks.version,
    )
    page = manager_client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    assert ">Amber (MASH checks)</strong>" in page
    assert ">Not rated</td>" not in page


def test_each_queue_lists_and_pages_as_many_contacts_as_its_count_says(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    """The page's count is the queues' count (no second COUNT): they must agree, overdue included."""
    for n in range(55):
        ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD, current_due_at=_at(n - 30))
    for n in range(3):
        ContactFactory(team=mash_team, state=ContactState.SCREENING, current_due_at=_at(-n - 1))
    ContactFactory(team=mash_team, state=ContactState.CLOSED, current_due_at=_at(-5))  # closed: never overdue
    expected = {"threshold": 55, "screening": 3, "overdue": 30 + 3}
    for slug, count in expected.items():
        first = social_worker_client.get(reverse("queues:queue", args=[slug])).content.decode()
        assert f"{count} contacts, soonest due first" in first, slug
        listed = len(re.findall(r'href="/contacts/[0-9]+/"', first))
        if count > 50:
            second = social_worker_client.get(reverse("queues:queue", args=[slug]) + "?page=2").content.decode()
            listed += len(re.findall(r'href="/contacts/[0-9]+/"', second))
        assert listed == count, slug


def test_a_queue_row_shows_names_and_words_escaped(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.AWAITING_THRESHOLD, current_due_at=_at(2))
    ContactSubjectFactory(contact=contact, given_name="<script>alert(1)</script>", family_name="O'Neill & Co")
    page = social_worker_client.get(reverse("queues:queue", args=["threshold"])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Neill &amp; Co" in page
    assert '<strong class="govuk-tag govuk-tag--grey">Due in 2 hours</strong>' in page


def test_an_account_with_no_role_is_told_what_to_do(db: None) -> None:
    client = Client()
    sign_in_both_steps(client, UserFactory(username="new.starter"))
    page = client.get(reverse("queues:home")).content.decode()
    assert "Ask an administrator to add you to your team" in page


def test_one_section_is_current_the_closest(administrator: Any) -> None:
    def current(path: str) -> list[str]:
        return [item.text for item in navigation_for(administrator, path) if item.current]

    assert current(reverse("users:locked-accounts")) == ["Locked accounts"]
    assert current(reverse("users:users")) == ["Users and teams"]
    assert current(reverse("signin:change-password")) == ["Your account"]
    assert current(reverse("mfa:second-step")) == []  # signing in is no section of the menu
    assert current(reverse("accounts:login")) == []


def test_reports_are_one_link_for_those_who_read_the_dashboard_and_their_own_for_the_rest(
    manager: Any, strategy_coordinator: Any, data_protection_officer: Any
) -> None:
    def texts(user: Any) -> list[str]:
        return [item.text for item in navigation_for(user, "/")]

    managers = texts(manager)
    assert "Dashboard" in managers
    assert not {"Strategy timeliness", "Consent figures", "Checks timeliness", "Telling people"} & set(managers)
    assert "Strategy timeliness" in texts(strategy_coordinator)  # the dashboard is not theirs
    assert "Consent figures" in texts(data_protection_officer)
    # The current section on a report the dashboard links to is the dashboard.
    assert [i.text for i in navigation_for(manager, reverse("reports:telling-people")) if i.current] == ["Dashboard"]
