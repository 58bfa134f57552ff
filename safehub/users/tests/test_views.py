"""The administrator's pages: what they show, what they change, and the messages bad input gets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import sign_in_both_steps
from safehub.users.services import account_state

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return str(response.content.decode())


def _new_user(in_team: Team, **changes: str) -> dict[str, str]:
    return {
        "username": "ravi.shah",
        "first_name": "Ravi",
        "last_name": "Shah",
        "email": "ravi.shah@example.gov.uk",
        "job_title": "Contact officer",
        "team": str(in_team.pk),
        "role": Role.CONTACT_OFFICER.value,
    } | changes


def test_the_administrators_home_lists_their_pages(administrator_client: Client) -> None:
    home = administrator_client.get(reverse("queues:home"), follow=True)

    assert home.redirect_chain[-1][0] == reverse("users:home")
    page = _page(home)
    for address in (reverse("users:users"), reverse("users:agencies"), reverse("protocols:list")):
        assert f'href="{address}"' in page
    assert "Users and teams" in page  # in the menu


def test_others_do_not_see_the_menu_item(manager_client: Client) -> None:
    assert "Users and teams" not in _page(manager_client.get(reverse("queues:queue", args=["threshold"])))


def test_an_administrator_adds_a_user(administrator_client: Client, mash_team: Team) -> None:
    response = administrator_client.post(reverse("users:create-user"), _new_user(mash_team))

    user = User.objects.get(username="ravi.shah")
    assert response.status_code == 302
    assert response["Location"] == reverse("users:user", args=[user.pk])
    assert user.memberships.get().role == Role.CONTACT_OFFICER
    page = _page(administrator_client.get(response["Location"]))
    assert "A link to set their password was sent to ravi.shah@example.gov.uk" in page
    assert "Contact officer" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "r" * 300}, "Username: enter no more than 150 characters"),
        ({"username": ""}, "Enter a username"),
        ({"username": "ravi shah"}, "letters, numbers and the characters"),
        ({"email": "not-an-address"}, "Enter an email address in the correct format"),
        ({"team": "1" * 30}, "Choose a team from the list"),
        ({"team": "abc"}, "Choose a team from the list"),
        ({"role": "superuser"}, "Choose a role from the list"),
        ({"first_name": "\x00"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_gets_an_error_summary_and_changes_nothing(
    administrator_client: Client, mash_team: Team, changes: dict[str, str], message: str
) -> None:
    users = User.objects.count()
    response = administrator_client.post(reverse("users:create-user"), _new_user(mash_team, **changes))

    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert message in page
    assert User.objects.count() == users


def test_a_taken_username_is_refused(administrator_client: Client, social_worker: User, mash_team: Team) -> None:
    response = administrator_client.post(reverse("users:create-user"), _new_user(mash_team, username="Social.Worker"))

    assert "There is already a user with the username Social.Worker" in _page(response)


def test_every_mistake_in_a_new_user_is_said_in_one_round(
    administrator_client: Client, social_worker: User, mash_team: Team
) -> None:
    """A missing name kept the taken username, the taken address and a role that does not fit the
    team from being said until it was put right: a second round of errors for one form."""
    partners = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    police_team = TeamFactory(name="Police MASH desk", agency=partners)
    data = _new_user(
        mash_team, username="Social.Worker", first_name="", email=social_worker.email.upper(), role=Role.SOCIAL_WORKER
    )
    data["team"] = str(police_team.pk)
    users = User.objects.count()

    page = _page(administrator_client.post(reverse("users:create-user"), data))

    assert "Enter their first name" in page
    assert "There is already a user with the username Social.Worker" in page
    assert f"The account {social_worker.username} already has this email address" in page
    assert page.count('class="govuk-error-message"') == 4, page
    assert User.objects.count() == users


def test_a_police_partner_is_not_given_the_data_protection_role(
    administrator_client: Client, police_partner: User, mash_team: Team
) -> None:
    response = administrator_client.post(
        reverse("users:change-user", args=[police_partner.pk, "grant-role"]),
        {"state": account_state(police_partner), "team": str(mash_team.pk), "role": Role.DATA_PROTECTION_OFFICER},
    )

    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert "an account works for one agency only" in page
    assert not police_partner.memberships.filter(role=Role.DATA_PROTECTION_OFFICER).exists()


def test_a_role_is_given_and_taken_away(administrator_client: Client, social_worker: User) -> None:
    assessment = TeamFactory(name="Assessment team 1")
    given = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "grant-role"]),
        {"state": account_state(social_worker), "team": str(assessment.pk), "role": Role.SOCIAL_WORKER},
    )
    assert given.status_code == 302
    membership = Membership.objects.get(user=social_worker, team=assessment)

    taken = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "remove-role"]),
        {"state": account_state(social_worker), "membership": str(membership.pk)},
    )

    assert taken.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(verb=Verb.ROLE_REMOVED).count() == 1


def test_a_stale_page_gets_a_message_and_changes_nothing(administrator_client: Client, social_worker: User) -> None:
    seen = account_state(social_worker)
    first = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "deactivate"]), {"state": seen, "reason": "Left"}
    )
    assert first.status_code == 302

    second = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "details"]),
        {
            "state": seen,
            "first_name": "Changed",
            "last_name": "Name",
            "email": "changed@example.gov.uk",
            "job_title": "",
        },
    )

    assert second.status_code == 409
    assert "This account was changed by someone else" in _page(second)
    social_worker.refresh_from_db()
    assert social_worker.first_name != "Changed"


def test_deactivating_without_a_reason_is_refused(administrator_client: Client, social_worker: User) -> None:
    response = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "deactivate"]),
        {"state": account_state(social_worker), "reason": ""},
    )

    assert response.status_code == 200
    assert "Enter a reason" in _page(response)
    assert 'href="#id_deactivate_reason"' in _page(response)
    social_worker.refresh_from_db()
    assert social_worker.is_active


@pytest.mark.parametrize(
    "post",
    [
        {"state": "x" * 500, "membership": "1"},
        {"membership": "1"},
        {"state": "abc", "membership": "9" * 30},
        {"state": "abc", "membership": "²"},
    ],
)
def test_tampered_hidden_fields_get_a_message(
    administrator_client: Client, social_worker: User, post: dict[str, str]
) -> None:
    response = administrator_client.post(reverse("users:change-user", args=[social_worker.pk, "remove-role"]), post)

    assert response.status_code == 200
    assert "reload it and try again" in _page(response)
    assert social_worker.memberships.count() == 1


def test_an_unknown_change_is_not_found(administrator_client: Client, social_worker: User) -> None:
    assert (
        administrator_client.post(reverse("users:change-user", args=[social_worker.pk, "promote"])).status_code == 404
    )


def test_the_users_list_searches_and_filters(
    administrator_client: Client, social_worker: User, police_partner: User
) -> None:
    police = police_partner.memberships.get().team.agency
    url = reverse("users:users")

    by_agency = _page(administrator_client.get(url, {"agency": police.pk}))
    assert police_partner.username in by_agency
    assert social_worker.username not in by_agency
    by_name = _page(administrator_client.get(url, {"q": social_worker.last_name}))
    assert social_worker.username in by_name
    by_role = _page(administrator_client.get(url, {"role": Role.SOCIAL_WORKER}))
    assert social_worker.username in by_role
    assert police_partner.username not in by_role
    social_worker.is_active = False
    social_worker.save()
    inactive = _page(administrator_client.get(url, {"status": "inactive"}))
    assert social_worker.username in inactive
    assert police_partner.username not in inactive


def test_a_bad_filter_gets_a_message(administrator_client: Client) -> None:
    response = administrator_client.get(reverse("users:users"), {"agency": "9" * 30, "page": "x"})

    assert response.status_code == 200
    assert "Choose an agency from the list" in _page(response)


def test_the_users_list_is_paged_in_a_fixed_number_of_queries(
    administrator_client: Client, mash_team: Team, django_assert_max_num_queries: Any
) -> None:
    for number in range(60):
        user_with_role(Role.SOCIAL_WORKER, team=mash_team, username=f"worker{number:02}")
    with django_assert_max_num_queries(12):
        response = administrator_client.get(reverse("users:users"))
    page = _page(response)
    assert "61 users" in page
    assert "Page 1 of 2" in page


def test_an_agency_and_a_team_are_added_and_renamed(administrator_client: Client) -> None:
    added = administrator_client.post(
        reverse("users:create-agency"), {"name": "Example Housing", "kind": AgencyKind.HOUSING}
    )
    agency = Agency.objects.get(name="Example Housing")
    assert added["Location"] == reverse("users:agency", args=[agency.pk])
    assert not agency.is_host

    administrator_client.post(reverse("users:agency", args=[agency.pk]), {"team-name": "MASH desk"})
    team = agency.teams.get()
    administrator_client.post(
        reverse("users:agency", args=[agency.pk]),
        {"rename-name": "Example Homes", "rename-old_name": "Example Housing"},
    )
    administrator_client.post(
        reverse("users:rename-team", args=[team.pk]), {"name": "Housing desk", "old_name": "MASH desk"}
    )

    agency.refresh_from_db()
    team.refresh_from_db()
    assert (agency.name, team.name) == ("Example Homes", "Housing desk")
    page = _page(administrator_client.get(reverse("users:agencies")))
    assert "Example Homes" in page


def test_the_host_box_is_offered_only_while_there_is_no_host(administrator_client: Client, mash_team: Team) -> None:
    assert "host agency" not in _page(administrator_client.get(reverse("users:create-agency"))).split("<form")[1]
    response = administrator_client.post(
        reverse("users:create-agency"),
        {"name": "Other council", "kind": AgencyKind.CHILDRENS_SOCIAL_CARE, "is_host": "on"},
    )
    assert not Agency.objects.get(name="Other council").is_host
    assert response.status_code == 302


def test_a_stale_rename_gets_a_message(administrator_client: Client, mash_team: Team) -> None:
    response = administrator_client.post(
        reverse("users:rename-team", args=[mash_team.pk]), {"name": "Front door", "old_name": "Old name"}
    )

    assert response.status_code == 409
    assert "This team was changed by someone else" in _page(response)
    mash_team.refresh_from_db()
    assert mash_team.name == "MASH"


def test_a_duplicate_team_name_gets_a_message(administrator_client: Client, mash_team: Team) -> None:
    response = administrator_client.post(reverse("users:agency", args=[mash_team.agency_id]), {"team-name": "mash"})

    assert response.status_code == 200
    assert "already has a team called mash" in _page(response)
    assert Team.objects.filter(agency=mash_team.agency).count() == 1


@pytest.mark.parametrize(
    "fixture",
    [
        "social_worker",
        "manager",
        "police_partner",
        "data_protection_officer",
        "performance_lead",
        "strategy_coordinator",
    ],
)
def test_nobody_else_can_change_users_agencies_or_teams(request: Any, fixture: str, mash_team: Team) -> None:
    """The POSTs the matrix's GETs cannot reach: every one is refused as the hub refuses (403, a
    partner 404) and changes nothing."""
    actor: User = request.getfixturevalue(fixture)
    target = user_with_role(Role.CONTACT_OFFICER, team=mash_team, username="target.user")
    client = Client()
    sign_in_both_steps(client, actor)
    state = account_state(target)
    posts = [
        (reverse("users:create-user"), _new_user(mash_team)),
        (reverse("users:change-user", args=[target.pk, "deactivate"]), {"state": state, "reason": "Because"}),
        (
            reverse("users:change-user", args=[target.pk, "grant-role"]),
            {"state": state, "team": str(mash_team.pk), "role": Role.ADMINISTRATOR},
        ),
        (reverse("users:create-agency"), {"name": "Example Health", "kind": AgencyKind.HEALTH}),
        (reverse("users:agency", args=[mash_team.agency_id]), {"team-name": "New team"}),
        (reverse("users:rename-team", args=[mash_team.pk]), {"name": "Renamed", "old_name": "MASH"}),
        (reverse("users:change-user", args=[target.pk, "unlock"]), {"reason": "Let them in"}),
        (
            reverse("users:change-user", args=[target.pk, "reset-sign-in-codes"]),
            {"action": "reset", "reason": "Lost phone"},
        ),
    ]
    events = AuditEvent.objects.count()
    refusal = 404 if fixture == "police_partner" else 403

    for url, data in posts:
        assert client.post(url, data).status_code == refusal, url

    target.refresh_from_db()
    assert target.is_active
    assert list(target.memberships.values_list("role", flat=True)) == [Role.CONTACT_OFFICER]
    assert not User.objects.filter(username="ravi.shah").exists()
    assert not Agency.objects.filter(name="Example Health").exists()
    assert Team.objects.filter(agency=mash_team.agency).count() == 1
    assert AuditEvent.objects.count() == events
    assert TOTPDevice.objects.filter(user=target).exists()


def test_a_stale_form_comes_back_with_the_account_as_it_is_now(
    administrator_client: Client, social_worker: User
) -> None:
    """After the message, the page shows the account as it is and keeps what was typed; sending it
    again is a change over what the administrator has now seen."""
    seen = account_state(social_worker)
    administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "deactivate"]), {"state": seen, "reason": "Left"}
    )
    typed = {"first_name": "Changed", "last_name": "Name", "email": "changed@example.gov.uk", "job_title": ""}
    stale = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "details"]), {"state": seen} | typed
    )
    assert stale.status_code == 409
    page = _page(stale)
    assert "Deactivated: cannot sign in" in page
    assert 'value="Changed"' in page
    now = account_state(User.objects.get(pk=social_worker.pk))
    assert f'value="{now}"' in page

    again = administrator_client.post(
        reverse("users:change-user", args=[social_worker.pk, "details"]), {"state": now} | typed
    )

    assert again.status_code == 302
    assert User.objects.get(pk=social_worker.pk).first_name == "Changed"


def test_a_stale_rename_comes_back_with_the_name_as_it_is_now(administrator_client: Client, mash_team: Team) -> None:
    url = reverse("users:rename-team", args=[mash_team.pk])
    response = administrator_client.post(url, {"name": "Front door", "old_name": "Old name"})

    assert response.status_code == 409
    assert 'name="old_name" value="MASH"' in _page(response)


def test_the_same_new_user_sent_twice_lands_on_the_one_account(administrator_client: Client, mash_team: Team) -> None:
    """Back and resubmit, or a second press: the details already added lead to that user, once."""
    first = administrator_client.post(reverse("users:create-user"), _new_user(mash_team))
    again = administrator_client.post(reverse("users:create-user"), _new_user(mash_team))

    user = User.objects.get(username="ravi.shah")
    assert first["Location"] == again["Location"] == reverse("users:user", args=[user.pk])
    assert "You already added Ravi Shah" in _page(administrator_client.get(again["Location"]))
    assert AuditEvent.objects.filter(verb=Verb.USER_CREATED).count() == 1


def test_another_administrator_adding_the_same_username_is_told_it_is_taken(
    administrator_client: Client, mash_team: Team
) -> None:
    administrator_client.post(reverse("users:create-user"), _new_user(mash_team))
    other = user_with_role(Role.ADMINISTRATOR, team=mash_team, username="other.administrator")
    client = Client()
    sign_in_both_steps(client, other)

    response = client.post(reverse("users:create-user"), _new_user(mash_team))

    assert response.status_code == 200
    assert "There is already a user with the username ravi.shah" in _page(response)
